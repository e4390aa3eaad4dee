// Type tests of the public API (docs/api.md, docs/server.md), checked by `npm run typecheck:types`.
// Each `@ts-expect-error` line must fail to compile; every other line must compile.
import {
  capture,
  consent,
  conversion,
  conversionUrl,
  getClickId,
  init,
  reset,
  type Config,
  type Conversion,
  type Result,
  type Status,
  type Transport,
} from 'postclick';
import {
  clickIdFromCookie,
  conversionUrl as serverConversionUrl,
  sendPostback,
  type PostbackOptions,
  type PostbackResult,
} from 'postclick/server';

/** Compiles only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectTrue = <T extends true>(): T => true as T;

// --- correct usage ---------------------------------------------------------------------

init({
  endpoint: 'https://track.shop.example/c',
  offerId: 42,
  params: ['s1', 'aff_sub'],
  ttlDays: 30,
  attribution: 'first',
  cookieName: '_postclick',
  cookieDomain: '',
  transport: 'beacon',
  acknowledge: true,
  cookieEndpoint: 'https://www.shop.example/postclick/click',
  requireClickId: false,
  debug: true,
  consent: 'pending',
  decorate: ['checkout.example'],
  stripParams: true,
});
init({});
consent(true);
reset();

expectTrue<Equal<ReturnType<typeof capture>, string | null>>();
expectTrue<Equal<ReturnType<typeof getClickId>, string | null>>();
expectTrue<Equal<ReturnType<typeof conversionUrl>, string | null>>();
expectTrue<Equal<ReturnType<typeof conversion>, Promise<Result>>>();
expectTrue<Equal<Status, 'sent' | 'duplicate' | 'no_click_id' | 'invalid' | 'refused' | 'queued' | 'failed'>>();
expectTrue<Equal<Result['status'], Status>>();
expectTrue<Equal<Transport, 'auto' | 'beacon' | 'fetch' | 'image'>>();

void conversion();
void conversion({ amount: 49.99, orderId: 'A-1001', adv1: 'spring', currency: 'EUR' });
void conversion({ amount: '49.99', payout: 0, revenue: '12', uniqueId: 7, event: 'sale', clickId: 'abc' });
void conversion({ endpoint: 'https://other.example/c', transport: 'image', requireClickId: false });
void conversion({ acknowledge: false });
void conversion().then((result) => {
  const status: Status = result.status;
  return status;
});

// --- Result: a union on `status`, each status with exactly its fields -------------------

declare const r: Result;
// @ts-expect-error only a sent or refused result has a transport
void r.transport;
// @ts-expect-error only a sent result is confirmed or not
void r.confirmed;
// @ts-expect-error an invalid result has no URL: it never got one
void r.url;
// @ts-expect-error a sent result has no error
void r.error;
if (r.status === 'sent') {
  expectTrue<Equal<typeof r.transport, 'beacon' | 'fetch' | 'image'>>();
  expectTrue<Equal<typeof r.confirmed, boolean>>();
  expectTrue<Equal<typeof r.url, string>>();
  expectTrue<Equal<typeof r.uniqueId, string>>();
  // @ts-expect-error sent: no error
  void r.error;
}
if (r.status === 'refused') {
  expectTrue<Equal<typeof r.error, string>>();
  expectTrue<Equal<typeof r.transport, 'beacon' | 'fetch' | 'image'>>();
  // @ts-expect-error refused: nothing was confirmed
  void r.confirmed;
}
if (r.status === 'queued' || r.status === 'failed') {
  expectTrue<Equal<typeof r.error, string>>();
  expectTrue<Equal<typeof r.url, string>>();
  // @ts-expect-error queued and failed results did not leave by any transport
  void r.transport;
}
if (r.status === 'invalid') {
  expectTrue<Equal<typeof r.error, string>>();
  // @ts-expect-error invalid: no unique_id was derived
  void r.uniqueId;
}
if (r.status === 'duplicate' || r.status === 'no_click_id') {
  expectTrue<Equal<typeof r.uniqueId, string>>();
  // @ts-expect-error duplicate and no_click_id carry no error
  void r.error;
}
conversionUrl({ orderId: 1 });

const config: Config = { endpoint: '/c' };
const data: Conversion = { ...config, amount: 1 };
void data;

// --- wrong option names and types ------------------------------------------------------

// @ts-expect-error misspelled option
init({ endpont: '' });
// @ts-expect-error init needs a config
init();
// @ts-expect-error endpoint is a string
init({ endpoint: 42 });
// @ts-expect-error not a transport
init({ transport: 'pigeon' });
// @ts-expect-error attribution is 'first' or 'last'
init({ attribution: 'middle' });
// @ts-expect-error consent in a config is 'granted' or 'pending' ('denied' is consent(false))
init({ consent: 'denied' });
// @ts-expect-error params is an array of names
init({ params: 's1' });
// @ts-expect-error ttlDays is a number
init({ ttlDays: '30' });
// @ts-expect-error decorate is an array of hostnames
init({ decorate: 'checkout.example' });
// @ts-expect-error amount is a number or numeric string
void conversion({ amount: {} });
// @ts-expect-error misspelled field
void conversion({ orderID: 'A-1001' });
// @ts-expect-error adv1…adv5 only
void conversion({ adv6: 'x' });
// @ts-expect-error clickId is a string
void conversion({ clickId: 123 });
// @ts-expect-error not a transport
void conversion({ transport: 'pigeon' });
// @ts-expect-error acknowledge is a boolean
void conversion({ acknowledge: 'yes' });
// @ts-expect-error consent takes a boolean
consent('granted');
// @ts-expect-error the result's status is a closed set
const notAStatus: Status = 'ok';
void notAStatus;

// --- postclick/server ------------------------------------------------------------------

const cookieId: string | null = clickIdFromCookie('a=1; _postclick=abc');
clickIdFromCookie(undefined);
clickIdFromCookie(null, '_my_click');
const postbackUrl: string | null = serverConversionUrl('https://track.example/c', {
  clickId: cookieId ?? 'abc',
  offerId: '42',
  amount: 10,
  orderId: 'A-1',
});
void sendPostback(postbackUrl!);
void sendPostback('https://track.example/c', { retries: 5, timeoutMs: 3000 });
void sendPostback('https://track.example/c', { retries: 0, baseDelayMs: 10, maxDelayMs: 100 });
const options: PostbackOptions = {};
void options;
void sendPostback('https://track.example/c').then((result) => {
  expectTrue<Equal<typeof result, PostbackResult>>();
  const ok: boolean = result.ok;
  const status: number | null = result.status;
  const attempts: number = result.attempts;
  return [ok, status, attempts];
});

// @ts-expect-error the header is a string
clickIdFromCookie({ cookie: 'a=1' });
// @ts-expect-error the endpoint comes first
serverConversionUrl({ offerId: '42' });
// @ts-expect-error amount is a number or numeric string
serverConversionUrl('https://track.example/c', { amount: {} });
// @ts-expect-error misspelled option
void sendPostback('https://track.example/c', { retry: 3 });
// @ts-expect-error timeoutMs is a number
void sendPostback('https://track.example/c', { timeoutMs: '5s' });
