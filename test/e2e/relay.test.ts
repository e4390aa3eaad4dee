/**
 * The first-party relay (SPEC §6) in every engine, against the built `dist/postclick.js`,
 * `dist/capture.js` and the built `postclick/server`: the shop's server answers its pages
 * and, on each of its hosts, `relay()` under `/postclick/`, so the browser's endpoint is
 * `/postclick/c` on the page's own origin (acknowledged by default, §3). The relay forwards
 * each conversion server-to-server to a recording "network" on 127.0.0.1
 * (test/unit/support/network.ts), which answers as each test says and logs every postback
 * with its answer.
 *
 * Chromium logs a fetch answered 4xx/5xx as a console error ("Failed to load resource");
 * Firefox's and WebKit's drivers do not see such messages (engines.ts, 'browser console').
 * The tests that provoke a 502 or a 422 on purpose take exactly those, and nothing else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { relay, toNodeListener, type RelayOptions } from 'postclick/server';
import { afterEach } from 'vitest';
import { startNetwork, type Network, type NetworkAnswer } from '../unit/support/network';
import type { Cookie, Page } from './support/driver';
import { page, results, type Result } from './support/pages';
import { expect, test, type Shop } from './support/shop';

const OFFER = '42';
const PREFIX = '/postclick';
const DAY = 86400;

const networks: Network[] = [];
afterEach(async () => {
  for (const network of networks.splice(0)) await network.close();
});

/** One answer of the relay to the browser, as the shop's server wrote it. */
interface Relayed {
  path: string;
  status: number;
  setCookie?: string;
}

/**
 * Mounts `relay()` under /postclick/ on every host of the shop, forwarding to a new
 * recording network: `forward` is its `/postback` (a plain URL), or the options' own with
 * `{network}` standing for the network's origin.
 */
async function mountRelay(
  shop: Shop,
  options: Partial<RelayOptions> = {},
  /** The hosts that run the relay (`www`, `checkout`); default all. The others answer 404 there. */
  hosts?: string[],
): Promise<{ network: Network; relayed: Relayed[] }> {
  const network = await startNetwork();
  networks.push(network);
  const forward = (options.forward ?? '{network}/postback').replace('{network}', network.origin);
  const listener = toNodeListener(relay({ ...options, forward }));
  const relayed: Relayed[] = [];
  const raw = (req: IncomingMessage, res: ServerResponse) => {
    if (hosts && !hosts.includes(String(req.headers.host).split('.')[0]!))
      return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no relay on this host');
    const writeHead = res.writeHead.bind(res) as (status: number, headers: Record<string, string | string[]>) => void;
    (res as unknown as { writeHead: typeof writeHead }).writeHead = (status, headers) => {
      const cookie = headers['set-cookie'];
      relayed.push({
        path: new URL(req.url ?? '/', 'http://x').pathname,
        status,
        ...(cookie ? { setCookie: ([] as string[]).concat(cookie).join('\n') } : {}),
      });
      writeHead(status, headers);
    };
    return listener(req, res);
  };
  shop.serve(`${PREFIX}/c`, { raw });
  shop.serve(`${PREFIX}/click`, { raw });
  return { network, relayed };
}

/** The network's postbacks for one order (plain `forward`: by its `order_id`), with the network's answers. */
const postbacksOf = (network: Network, order: string) =>
  network.hits
    .map((hit, i) => ({ query: new URL(hit, 'http://x').searchParams, answer: network.answers[i] }))
    .filter(({ query }) => query.get('order_id') === order);

const accepted = (answer: NetworkAnswer | undefined) => typeof answer === 'number' && answer >= 200 && answer < 300;

/** A shop page running postclick.js (the snippet of docs/api.md) with the relay as its endpoint. */
function servePages(shop: Shop, init: Record<string, unknown> = {}) {
  const config = { endpoint: `${PREFIX}/c`, offerId: OFFER, ...init };
  shop.serve('/home', page('script', { init: config }));
  // The thank-you page: one conversion per `order` parameter, in order.
  shop.serve('/thanks', (url) =>
    page('script', {
      init: config,
      conversions: url.searchParams.getAll('order').map((orderId) => ({ orderId, amount: 10 })),
    }),
  );
}

/** A new watched tab at `url`, typed as the driver layer's page: what every engine offers. */
const open = async (shop: Shop, url: string): Promise<Page> => (await shop.open(url)) as unknown as Page;

/** The Results the page's conversion callbacks received (pages.ts `results`, on a driver page). */
const resultsOn = (tab: Page, count = 1, timeout = 5000): Promise<(Result & { confirmed?: boolean })[]> =>
  results(tab as unknown as Parameters<typeof results>[0], count, timeout);

/** The site-wide outbox records the page in front can see (cookies on the site's domain). */
const outboxCookies = async (tab: Page): Promise<Cookie[]> =>
  (await tab.context().cookies()).filter((cookie) => cookie.name.startsWith('_postclick_q'));

/** Records pending in this origin's localStorage (a mark alone is `[createdAt]`). */
const localRecords = (tab: Page): Promise<string[]> =>
  tab.evaluate(() =>
    Object.keys(localStorage).filter((key) => {
      if (!key.startsWith('postclick:')) return false;
      try {
        return (JSON.parse(localStorage.getItem(key) || '[]') as unknown[]).length > 1;
      } catch {
        return false;
      }
    }),
  );

/**
 * Takes the console errors Chromium logs for the relay's non-2xx answers provoked on purpose
 * (one per status given); in Firefox and WebKit the driver sees none, and nothing else may be there.
 */
async function takeFailedLoads(shop: Shop, statuses: number[]) {
  if (shop.engine === 'chromium') await expect.poll(() => shop.problems.length).toBeGreaterThanOrEqual(statuses.length);
  const problems = shop.takeProblems();
  if (shop.engine !== 'chromium') return expect(problems).toEqual([]);
  expect(problems.map((p) => Number(/status of (\d+)/.exec(p)?.[1])).sort()).toEqual([...statuses].sort());
}

test('every §5 parameter reaches the network in its template form: one postback per order, confirmed', async ({
  shop,
}) => {
  // A network's own postback template, its names not ours, one placeholder in the path.
  const forward =
    '{network}/pb/{offer_id}?clk={click_id}&amt={amount}&pay={payout}&rev={revenue}&oid={order_id}' +
    '&tid={unique_id}&s1={adv1}&s2={adv2}&s3={adv3}&s4={adv4}&s5={adv5}&ev={event}&cur={currency}&src=postclick';
  const { network, relayed } = await mountRelay(shop, { forward });
  const full = {
    offerId: 'OFFER-7',
    amount: 49.99,
    payout: 0,
    revenue: 1e-7,
    orderId: 'ORD 1/2?#&=',
    uniqueId: 'TXN-1:a.b~c',
    adv1: 'Größe 42 / "quoted" & y=1 + 50%',
    adv2: 'x'.repeat(300),
    adv3: 'line\nbreak\ttab\u007f',
    adv4: '{click_id}',
    adv5: 'REPLACE',
    event: 'purchase',
    currency: 'EUR',
  };
  // The second: only an order ID, so unique_id falls back to it and absent fields stay empty.
  const minimal = { orderId: 'ORD-2' };
  shop.serve(
    '/thanks',
    page('script', { init: { endpoint: `${PREFIX}/c`, offerId: OFFER }, conversions: [full, minimal] }),
  );
  const tab = await open(shop, `${shop.origin('www')}/thanks?s1=relay-click.1`);
  const [first, second] = await resultsOn(tab, 2, 15_000);
  for (const result of [first, second]) expect(result).toMatchObject({ status: 'sent', confirmed: true });
  expect(first!.url).toMatch(new RegExp(`^${PREFIX}/c\\?`));

  await expect.poll(() => network.hits.length).toBe(2);
  const byOrder = new Map(
    network.hits.map((hit) => {
      const url = new URL(hit, 'http://x');
      return [url.searchParams.get('oid'), url] as const;
    }),
  );
  const postback = byOrder.get(full.orderId)!;
  expect(postback.pathname).toBe('/pb/OFFER-7');
  expect([...postback.searchParams]).toEqual([
    ['clk', 'relay-click.1'],
    ['amt', '49.99'],
    ['pay', '0'],
    ['rev', '0.0000001'],
    ['oid', 'ORD 1/2?#&='],
    ['tid', 'TXN-1:a.b~c'],
    ['s1', 'Größe 42 / "quoted" & y=1 + 50%'],
    ['s2', 'x'.repeat(255)],
    ['s3', 'linebreaktab'],
    ['s4', '{click_id}'],
    ['s5', 'REPLACE'],
    ['ev', 'purchase'],
    ['cur', 'EUR'],
    ['src', 'postclick'],
  ]);
  const bare = byOrder.get('ORD-2')!;
  expect(bare.pathname).toBe(`/pb/${OFFER}`);
  expect(Object.fromEntries(bare.searchParams)).toEqual({
    clk: 'relay-click.1',
    amt: '',
    pay: '',
    rev: '',
    oid: 'ORD-2',
    tid: 'ORD-2',
    s1: '',
    s2: '',
    s3: '',
    s4: '',
    s5: '',
    ev: '',
    cur: '',
    src: 'postclick',
  });
  expect(relayed.map((r) => r.status)).toEqual([200, 200]);

  // A refresh of the thank-you page: both `duplicate` in the browser, nothing more upstream.
  await tab.reload();
  expect((await resultsOn(tab, 2)).map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
  expect(network.hits).toHaveLength(2);
  expect(relayed).toHaveLength(2);
});

test('the network down through the relay’s retries: 502, queued; the next page on another host delivers it once', async ({
  shop,
}) => {
  // The outbox retries a conversion where it was first sent, from any host of the site: the
  // shop lists its other hosts that run postclick, so their pages can read the relay's answer.
  const { network, relayed } = await mountRelay(shop, { allowOrigins: [shop.origin('checkout')] });
  // Down for the first three requests: the relay's first attempt and its two retries.
  network.answer = (n) => (n < 3 ? 'drop' : 200);
  servePages(shop);
  const tab = await open(shop, `${shop.origin('www')}/thanks?s1=down-click.1&order=DOWN-1`);
  const [result] = await resultsOn(tab, 1, 15_000);
  expect(result).toMatchObject({
    status: 'queued',
    error: expect.stringMatching(/^HTTP 502: the network did not take the postback after 3 attempt\(s\)/),
  });
  expect(relayed.map((r) => r.status)).toEqual([502]);
  expect(postbacksOf(network, 'DOWN-1').map((p) => p.answer)).toEqual(['drop', 'drop', 'drop']);
  await takeFailedLoads(shop, [502]);
  // Pending in the site-wide outbox, so any host of the shop retries it.
  expect(await outboxCookies(tab)).toHaveLength(1);

  // The shopper's next page is on checkout.
  await tab.goto(`${shop.origin('checkout')}/home`);
  await expect.poll(() => postbacksOf(network, 'DOWN-1').filter((p) => accepted(p.answer)).length).toBe(1);
  const delivered = postbacksOf(network, 'DOWN-1');
  expect(delivered.map((p) => p.answer)).toEqual(['drop', 'drop', 'drop', 200]);
  expect(Object.fromEntries(delivered[3]!.query)).toMatchObject({
    click_id: 'down-click.1',
    offer_id: OFFER,
    order_id: 'DOWN-1',
    unique_id: 'DOWN-1',
    amount: '10',
  });
  await expect.poll(() => relayed.map((r) => r.status)).toEqual([502, 200]);
  // Delivered means gone from the outbox: no page of the site has anything left to send.
  await expect.poll(() => outboxCookies(tab)).toEqual([]);
  expect(await localRecords(tab)).toEqual([]);

  // More page loads on both hosts: the thank-you page is `duplicate`, nothing goes upstream.
  await tab.goto(`${shop.origin('www')}/thanks?order=DOWN-1`);
  expect(await resultsOn(tab)).toMatchObject([{ status: 'duplicate' }]);
  expect(await localRecords(tab)).toEqual([]);
  await tab.goto(`${shop.origin('checkout')}/home`);
  expect(await outboxCookies(tab)).toEqual([]);
  expect(network.hits).toHaveLength(4);
  expect(relayed).toHaveLength(2);
});

test('queued on www., the only host that runs the relay; the next page on checkout. still delivers it, once', async ({
  shop,
}) => {
  // The relay on www. only, answering CORS for checkout.: the site-wide outbox carries the
  // conversion to checkout., whose own /postclick/c is a 404 (where a retry of the relative
  // endpoint went, before the outbox stored it absolute: refused there, and lost).
  const { network, relayed } = await mountRelay(shop, { allowOrigins: [shop.origin('checkout')] }, ['www']);
  network.answer = (n) => (n < 3 ? 'drop' : 200);
  servePages(shop);
  const tab = await open(shop, `${shop.origin('www')}/thanks?s1=one-host.1&order=ONE-HOST-1`);
  expect(await resultsOn(tab, 1, 15_000)).toMatchObject([
    { status: 'queued', error: expect.stringMatching(/^HTTP 502/) },
  ]);
  await takeFailedLoads(shop, [502]);

  await tab.goto(`${shop.origin('checkout')}/home`);
  await expect.poll(() => postbacksOf(network, 'ONE-HOST-1').filter((p) => accepted(p.answer)).length).toBe(1);
  await expect.poll(() => outboxCookies(tab)).toEqual([]);
  expect(relayed.map((r) => r.status)).toEqual([502, 200]);
  expect(network.answers).toEqual(['drop', 'drop', 'drop', 200]);
});

test('the network answers 4xx: refused in the browser with the status and reason, never retried', async ({ shop }) => {
  const { network, relayed } = await mountRelay(shop);
  // REFUSED-1 is refused (400). CANARY-1 meets the network down (three drops), so it stays
  // queued: its delivery at the next page load shows that page's outbox flush happened.
  let canaryDrops = 3;
  network.answer = (_n, target) => {
    const order = new URL(target, 'http://x').searchParams.get('order_id');
    if (order === 'REFUSED-1') return 400;
    return order === 'CANARY-1' && canaryDrops-- > 0 ? 'drop' : 200;
  };
  servePages(shop);
  const tab = await open(shop, `${shop.origin('www')}/thanks?s1=refused-click.1&order=REFUSED-1&order=CANARY-1`);
  const byOrder = Object.fromEntries(
    (await resultsOn(tab, 2, 15_000)).map((r) => [new URL(r.url!, 'http://x').searchParams.get('order_id'), r]),
  );
  expect(byOrder['REFUSED-1']).toMatchObject({
    status: 'refused',
    error: 'HTTP 422: the network refused the postback: HTTP 400',
  });
  expect(byOrder['CANARY-1']).toMatchObject({ status: 'queued', error: expect.stringMatching(/^HTTP 502: /) });
  expect(relayed.map((r) => r.status).sort()).toEqual([422, 502]);
  // The relay does not retry a 4xx either: one request.
  expect(postbacksOf(network, 'REFUSED-1').map((p) => p.answer)).toEqual([400]);
  await takeFailedLoads(shop, [422, 502]);
  // Nothing of the refused one is pending anywhere: the site's outbox holds the canary alone.
  const pending = await outboxCookies(tab);
  expect(pending.map((cookie) => decodeURIComponent(cookie.value))).toEqual([expect.stringContaining('CANARY-1')]);
  expect(await localRecords(tab)).toEqual([]);

  // Later page loads on both hosts: the outbox is flushed (the canary arrives), the refused
  // conversion is not sent again.
  await tab.goto(`${shop.origin('www')}/home`);
  await expect.poll(() => postbacksOf(network, 'CANARY-1').filter((p) => accepted(p.answer)).length).toBe(1);
  await expect.poll(() => outboxCookies(tab)).toEqual([]);
  await tab.goto(`${shop.origin('checkout')}/home`);
  expect(await outboxCookies(tab)).toEqual([]);
  expect(await localRecords(tab)).toEqual([]);
  expect(postbacksOf(network, 'REFUSED-1')).toHaveLength(1);
  expect(network.hits).toHaveLength(5);
  expect(relayed.map((r) => r.status).sort()).toEqual([200, 422, 502]);
});

/** Lets a page's scripts read cookies but never write one: only HTTP responses can set them. */
const NO_SCRIPT_COOKIES = `(() => {
  const native = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true,
    get() { return native.get.call(this); },
    set() {},
  });
})();`;

test('cookieEndpoint: with script cookies blocked, the relay’s Set-Cookie alone sets the click ID, as the browser reports it', async ({
  shop,
}) => {
  const { network, relayed } = await mountRelay(shop, { cookieDomain: 'shop.test', ttlDays: 60 });
  const landing = (init: Record<string, unknown>) => page('script', { init, src: '/dist/capture.js' });
  shop.serve('/landing', landing({ cookieEndpoint: `${PREFIX}/click` }));
  shop.serve('/plain', landing({}));
  shop.serve('/home', page('script', { init: { endpoint: `${PREFIX}/c`, offerId: OFFER } }));
  await shop.context.addInitScript(NO_SCRIPT_COOKIES);
  const clickCookies = async (tab: Page) =>
    (await tab.context().cookies()).filter((cookie) => cookie.name === '_postclick');

  // Without cookieEndpoint the page cannot set the cookie: the premise of this test.
  const tab = await open(shop, `${shop.origin('www')}/plain?s1=no-relay-1`);
  expect(await tab.evaluate(() => localStorage.getItem('_postclick'))).toContain('no-relay-1');
  expect(await clickCookies(tab)).toEqual([]);

  await tab.goto(`${shop.origin('www')}/landing?s1=relay-set.1`);
  await expect.poll(() => relayed.filter((r) => r.path === `${PREFIX}/click`)).toHaveLength(1);
  expect(relayed).toEqual([
    {
      path: `${PREFIX}/click`,
      status: 204,
      setCookie: '_postclick=relay-set.1;Path=/;SameSite=Lax;Max-Age=5184000;Domain=shop.test',
    },
  ]);
  await expect.poll(() => clickCookies(tab)).toHaveLength(1);
  const [cookie] = await clickCookies(tab);
  expect(cookie).toMatchObject({
    value: 'relay-set.1',
    domain: '.shop.test',
    path: '/',
    sameSite: 'Lax',
    secure: false,
    httpOnly: false,
  });
  const daysLeft = (cookie!.expires - Date.now() / 1000) / DAY;
  expect(daysLeft).toBeGreaterThan(60 - 0.01);
  expect(daysLeft).toBeLessThan(60 + 0.01);

  // Another host of the site, with storage of its own: the cookie alone carries the click ID
  // to the conversion, read by the page and by the relay.
  await tab.goto(`${shop.origin('checkout')}/home`);
  expect(await tab.evaluate(() => document.cookie)).toContain('_postclick=relay-set.1');
  expect(await tab.evaluate(() => localStorage.getItem('_postclick'))).toBeNull();
  const result = await tab.evaluate(
    `new Promise((resolve) => postclick('conversion', { orderId: 'COOKIE-1' }, resolve))`,
  );
  expect(result).toMatchObject({ status: 'sent', confirmed: true });
  await expect
    .poll(() => postbacksOf(network, 'COOKIE-1').map((p) => p.query.get('click_id')))
    .toEqual(['relay-set.1']);
});
