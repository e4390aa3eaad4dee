/**
 * One wire format, two builds (docs/server.md): `postclick/server`'s conversionUrl builds the
 * URL the browser's conversionUrl builds for the same input. The browser side runs here in
 * happy-dom; the server side is the same module `dist/server.*` is built from.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { conversionUrl as serverUrl } from '../../src/server';
import type { Conversion } from '../../src/types';
import { sdkAt } from './support/sdk';

const endpoint = 'https://track.example/c';

beforeEach(() => {
  localStorage.clear();
  vi.unstubAllGlobals();
});

describe('server conversionUrl = browser conversionUrl', () => {
  it.each<[string, string, Conversion]>([
    [
      'every field',
      endpoint,
      {
        clickId: '8f3a9c21',
        offerId: 42,
        amount: 49.99,
        payout: '5',
        revenue: 0,
        orderId: 'A-1001',
        uniqueId: 'u-1',
        adv1: 'spring',
        adv2: 'x'.repeat(300),
        adv3: 3,
        adv4: 'é&=?',
        adv5: '😀',
        event: 'purchase',
        currency: 'eur',
      },
    ],
    ['an order ID as unique_id', endpoint, { clickId: 'abc', offerId: '7', orderId: 'A 1/2' }],
    [
      'amounts as strings and exponents',
      endpoint,
      { clickId: 'abc', orderId: 'o', amount: '49.90', payout: 999999999999999, revenue: 1e-7 },
    ],
    ['control characters', endpoint, { clickId: 'abc\n', orderId: 'A\u0000-1\u007f', adv1: 'a\tb' }],
    ['an endpoint with a query', 'https://track.example/c?net=1&', { clickId: 'abc', orderId: 'o' }],
    [
      'a {name} template',
      'https://net.example/p?cid={click_id}&a={amount}&o={order_id}&u={unique_id}&x={adv9}',
      {
        clickId: 'abc',
        amount: 10,
        orderId: 'A 1',
      },
    ],
    ['a CAKE REPLACE template', 'https://net.example/p.ashx?o=42&e=1&r=REPLACE', { clickId: 'abc', orderId: 'o' }],
    ['no click ID, not required', endpoint, { offerId: '42', orderId: 'o', requireClickId: false }],
  ])('%s', async (_, url, data) => {
    const browser = await sdkAt('https://shop.example/thank-you?order=1');
    const expected = browser.conversionUrl({ ...data, endpoint: url });
    expect(expected).toMatch(/^https:/);
    expect(serverUrl(url, data)).toBe(expected);
  });

  it('the derived unique_id is the browser’s for a page whose path and query are empty', async () => {
    const browser = await sdkAt('https://shop.example/');
    // The server has no page: it hashes '' where the browser hashes location.pathname + search.
    vi.stubGlobal('location', { ...location, pathname: '', search: '' });
    const data = { clickId: 'abc', offerId: '42', amount: 5 };
    const expected = browser.conversionUrl({ ...data, endpoint });
    expect(new URL(expected!).searchParams.get('unique_id')).toMatch(/^[0-9a-z]+$/);
    expect(serverUrl(endpoint, data)).toBe(expected);
  });

  it.each<[string, string, Conversion]>([
    ['an invalid click ID', endpoint, { clickId: '{clickid}' }],
    ['a word amount', endpoint, { clickId: 'abc', amount: 'abc' }],
    ['a negative payout', endpoint, { clickId: 'abc', payout: -1 }],
    ['a bad currency', endpoint, { clickId: 'abc', currency: 'euro' }],
    ['a non-http endpoint', 'ftp://track.example/c', { clickId: 'abc' }],
    ['no click ID', endpoint, { offerId: '42', orderId: 'o' }],
  ])('both null for %s', async (_, url, data) => {
    const browser = await sdkAt('https://shop.example/thank-you');
    expect(browser.conversionUrl({ ...data, endpoint: url })).toBeNull();
    expect(serverUrl(url, data)).toBeNull();
  });
});
