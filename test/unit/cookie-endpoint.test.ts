/**
 * `cookieEndpoint` decisions, in happy-dom with `fetch` recorded: when the relay is asked to
 * set the cookie, with which request, and that a failing `fetch` changes nothing else. That
 * the browser then holds the relay's cookie is proven in Chromium
 * (test/e2e/cookie-endpoint.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearCookies } from './support/cookies';
import { sdkAt } from './support/sdk';

let calls: [string, RequestInit | undefined][];
beforeEach(() => {
  localStorage.clear();
  clearCookies();
  calls = [];
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
    calls.push([url, init]);
    return Promise.resolve(new Response(null, { status: 204 }));
  });
});
afterEach(() => vi.unstubAllGlobals());

const ENDPOINT = 'https://www.shop.example/postclick/click';

describe('cookieEndpoint', () => {
  it('a capture asks GET <cookieEndpoint>?<first of params>=<click ID>, with credentials and keepalive', async () => {
    const sdk = await sdkAt('https://www.shop.example/landing?clickid=abc-1');
    sdk.init({ cookieEndpoint: ENDPOINT, params: ['s2', 'clickid'] });
    expect(sdk.getClickId()).toBe('abc-1');
    expect(calls).toEqual([[`${ENDPOINT}?s2=abc-1`, { credentials: 'include', keepalive: true }]]);
  });

  it('nothing is asked without cookieEndpoint, or without a new capture', async () => {
    const sdk = await sdkAt('https://www.shop.example/landing?s1=abc-2');
    sdk.init({});
    expect(sdk.getClickId()).toBe('abc-2');
    const later = await sdkAt('https://www.shop.example/thanks');
    later.init({ cookieEndpoint: ENDPOINT });
    expect(later.getClickId()).toBe('abc-2');
    expect(calls).toEqual([]);
  });

  it("attribution 'first' keeping the stored ID asks nothing", async () => {
    (await sdkAt('https://www.shop.example/landing?s1=first')).init({});
    (await sdkAt('https://www.shop.example/landing?s1=second')).init({
      attribution: 'first',
      cookieEndpoint: ENDPOINT,
    });
    expect(calls).toEqual([]);
  });

  it('waits for consent: nothing while pending, the request once consent(true)', async () => {
    const sdk = await sdkAt('https://www.shop.example/landing?s1=held');
    sdk.init({ consent: 'pending', cookieEndpoint: ENDPOINT });
    expect(calls).toEqual([]);
    sdk.consent(true);
    expect(calls.map(([url]) => url)).toEqual([`${ENDPOINT}?s1=held`]);
  });

  it('consent(false) asks nothing', async () => {
    const sdk = await sdkAt('https://www.shop.example/landing?s1=refused');
    sdk.init({ consent: 'pending', cookieEndpoint: ENDPOINT });
    sdk.consent(false);
    expect(calls).toEqual([]);
  });

  it.each([
    [
      'throws',
      () => {
        throw new TypeError('fetch is blocked');
      },
    ],
    ['rejects', () => Promise.reject(new TypeError('Failed to fetch'))],
  ])('a fetch that %s loses nothing: the click ID is stored and returned', async (_, failing) => {
    vi.stubGlobal('fetch', failing);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const sdk = await sdkAt('https://www.shop.example/landing?s1=kept-1');
    sdk.init({ cookieEndpoint: ENDPOINT });
    expect(sdk.capture()).toBe('kept-1');
    expect(document.cookie).toContain('_postclick=kept-1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
});
