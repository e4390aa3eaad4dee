// Type tests of `window.postclick`, the script-tag command form, as the published
// declarations type it (checked by `npm run typecheck:types`). Each `@ts-expect-error`
// line must fail to compile; every other line must compile.
import type { PostclickCommand, Result } from 'postclick';

/** Compiles only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectTrue = <T extends true>(): T => true as T;

// --- the stub, as the README writes it, compiles in TypeScript -----------------------------

window.postclick =
  window.postclick ||
  function () {
    // eslint-disable-next-line prefer-rest-params
    (window.postclick!.q = window.postclick!.q || []).push(arguments);
  };
expectTrue<Equal<Window['postclick'], PostclickCommand | undefined>>();

const postclick = window.postclick;

// --- each command, with the callback receiving its result --------------------------------

postclick('init', { endpoint: 'https://track.shop.example/c', offerId: '42', transport: 'image' });
postclick('init', { params: ['s2'] }, () => {});
postclick('capture', (_clickId) => expectTrue<Equal<typeof _clickId, string | null>>());
postclick('getClickId');
postclick('getClickId', (_clickId) => expectTrue<Equal<typeof _clickId, string | null>>());
postclick('conversion');
postclick('conversion', { amount: 49.99, orderId: 'A-1001', adv1: 'spring' });
postclick('conversion', { amount: '49.99' }, (_result) => expectTrue<Equal<typeof _result, Result>>());
postclick('conversion', (_result) => expectTrue<Equal<typeof _result, Result>>());
postclick('conversion', undefined, (result) => void result.status);
postclick('conversionUrl', { orderId: 7 }, (_url) => expectTrue<Equal<typeof _url, string | null>>());
postclick('reset');
postclick('consent', true);
postclick('consent', false, () => {});

// --- mistakes ------------------------------------------------------------------------------

// @ts-expect-error a misspelt command name
postclick('conversoin', { amount: 1 });
// @ts-expect-error a command that does not exist
postclick('toString');
// @ts-expect-error init needs its config
postclick('init');
// @ts-expect-error an option name that does not exist
postclick('init', { endpiont: '/c' });
// @ts-expect-error an amount is a number or a numeric string
postclick('conversion', { amount: true });
// @ts-expect-error consent takes a boolean
postclick('consent', 'yes');
// @ts-expect-error the conversion callback receives a Result, not a string
postclick('conversion', {}, (result: string) => result);
// @ts-expect-error getClickId takes no data
postclick('getClickId', { clickId: 'x' });
export function elsewhere(): void {
  // @ts-expect-error window.postclick may be undefined until the stub or the bundle sets it
  window.postclick('reset');
  window.postclick?.('reset');
}
