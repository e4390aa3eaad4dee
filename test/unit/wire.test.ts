import { describe, expect, it } from 'vitest';
import { hash } from '../../src/hash';
import type { Conversion } from '../../src/types';
import { buildUrl, checkEndpoint, wireParams } from '../../src/wire';

/** wireParams over plain data, the way the browser and server call it. */
const params = (data: Conversion, page = '/thank-you') => wireParams((key) => data[key], page);

describe('wireParams (docs/protocol.md parameter table)', () => {
  it('maps every field to its CAKE name, in table order', () => {
    const out = params({
      clickId: 'abc',
      offerId: 42,
      amount: 49.99,
      payout: '5',
      revenue: 0,
      orderId: 'A-1001',
      uniqueId: 'u1',
      adv1: 'a1',
      adv2: 'a2',
      adv3: 'a3',
      adv4: 'a4',
      adv5: 'a5',
      event: 'purchase',
      currency: 'eur',
    });
    expect(out).toEqual({
      click_id: 'abc',
      offer_id: '42',
      amount: '49.99',
      payout: '5',
      revenue: '0',
      order_id: 'A-1001',
      unique_id: 'u1',
      adv1: 'a1',
      adv2: 'a2',
      adv3: 'a3',
      adv4: 'a4',
      adv5: 'a5',
      event: 'purchase',
      currency: 'EUR',
    });
    expect(Object.keys(out)).toEqual([
      'click_id',
      'offer_id',
      'amount',
      'payout',
      'revenue',
      'order_id',
      'unique_id',
      'adv1',
      'adv2',
      'adv3',
      'adv4',
      'adv5',
      'event',
      'currency',
    ]);
  });

  it('sends a parameter only when it has a value; 0 is a value', () => {
    expect(
      params({ clickId: 'abc', offerId: '', amount: 0, adv1: undefined, adv2: null as unknown as string }),
    ).toEqual({ click_id: 'abc', amount: '0', unique_id: hash('|abc|/thank-you') });
  });

  it('unique_id: uniqueId, else orderId, else a hash of offer, click and page', () => {
    expect(params({ clickId: 'c', offerId: '1', orderId: 'o', uniqueId: 'u' }).unique_id).toBe('u');
    expect(params({ clickId: 'c', offerId: '1', orderId: 'o' }).unique_id).toBe('o');
    expect(params({ clickId: 'c', offerId: '1' }, '/ty?x=1').unique_id).toBe(hash('1|c|/ty?x=1'));
    expect(params({ clickId: 'c', offerId: '1' }, '/ty?x=2').unique_id).not.toBe(hash('1|c|/ty?x=1'));
  });

  it('removes control characters from strings before encoding', () => {
    const out = params({ clickId: 'c', orderId: 'A\u0000-\u001f1\u007f0\n', adv1: 'x\ty' }) as Record<string, string>;
    expect(out.order_id).toBe('A-10');
    expect(out.adv1).toBe('xy');
  });

  it('removes lone surrogates, which encodeURIComponent cannot encode, and keeps pairs', () => {
    const out = params({ clickId: 'c', adv1: 'a\ud800b', adv2: '😀' }) as Record<string, string>;
    expect(out.adv1).toBe('ab');
    expect(out.adv2).toBe('😀');
  });

  it('cuts adv1–adv5 to 255 characters, never leaving half a surrogate pair', () => {
    const out = params({ clickId: 'c', adv1: 'x'.repeat(300), adv2: 'x'.repeat(254) + '😀' }) as Record<string, string>;
    expect(out.adv1).toBe('x'.repeat(255));
    expect(out.adv2).toBe('x'.repeat(254));
  });

  it.each<[string, Conversion, string]>([
    ['a word amount', { amount: 'abc' }, 'amount'],
    ['a negative payout', { payout: -1 }, 'payout'],
    ['a NaN revenue', { revenue: NaN }, 'revenue'],
    ['an infinite amount', { amount: Infinity }, 'amount'],
    ['an invalid click ID', { clickId: '{clickid}' }, 'clickId'],
    ['a bad currency', { currency: 'euro' }, 'currency'],
    ['an object sub-ID', { adv1: {} as unknown as string }, 'adv1'],
    ['a boolean order ID', { orderId: true as unknown as string }, 'orderId'],
  ])('rejects %s with an error naming the field', (_, data, field) => {
    expect(() => params({ clickId: 'c', ...data })).toThrow(new RegExp('^' + field + ': '));
  });
});

describe('checkEndpoint', () => {
  it.each(['https://t.example/c', 'http://t.example/c?x=1', '//t.example/c', '/c'])('accepts %s', (endpoint) => {
    expect(() => checkEndpoint(endpoint)).not.toThrow();
  });
  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['javascript:alert(1)', 'http'],
    ['ftp://x/c', 'http'],
    ['c', 'http'],
    [42, 'http'],
    // The parameters appended after a fragment would never reach the server.
    ['https://t.example/c#top', 'fragment'],
  ])('rejects %s', (endpoint, why) => {
    expect(() => checkEndpoint(endpoint)).toThrow(new RegExp('^endpoint: .*' + why));
  });
});

describe('buildUrl', () => {
  const p = { click_id: 'abc', offer_id: '42', amount: '49.99', adv1: 'a b&c=d/é' };

  it('appends the parameters URL-encoded', () => {
    expect(buildUrl('https://t.example/c', p)).toBe(
      'https://t.example/c?click_id=abc&offer_id=42&amount=49.99&adv1=a%20b%26c%3Dd%2F%C3%A9',
    );
  });

  it('joins an endpoint that has a query, or ends in ? or &', () => {
    expect(buildUrl('https://t.example/c?k=1', { a: '1' })).toBe('https://t.example/c?k=1&a=1');
    expect(buildUrl('https://t.example/c?', { a: '1' })).toBe('https://t.example/c?a=1');
    expect(buildUrl('https://t.example/c?k=1&', { a: '1' })).toBe('https://t.example/c?k=1&a=1');
  });

  it('fills {name} templates with encoded values, empty when absent, and appends nothing', () => {
    expect(buildUrl('https://t.example/p?tid={click_id}&sum={amount}&s={adv1}&o={order_id}', p)).toBe(
      'https://t.example/p?tid=abc&sum=49.99&s=a%20b%26c%3Dd%2F%C3%A9&o=',
    );
  });

  it("fills CAKE's REPLACE placeholder with the click ID", () => {
    expect(buildUrl('https://t.example/p.ashx?o=42&e=1&t=REPLACE', p)).toBe('https://t.example/p.ashx?o=42&e=1&t=abc');
    expect(buildUrl('https://t.example/p.ashx?t=REPLACE&o=42', p)).toBe('https://t.example/p.ashx?t=abc&o=42');
    // Only a whole value is a placeholder.
    expect(buildUrl('https://t.example/p?x=REPLACED', { a: '1' })).toBe('https://t.example/p?x=REPLACED&a=1');
  });

  it('never reads a filled-in value as a placeholder: a sub-ID `REPLACE` or `{click_id}` is data', () => {
    const values = { click_id: 'abc', adv1: 'REPLACE', adv2: '{click_id}', order_id: 'o=REPLACE' };
    expect(buildUrl('https://t.example/p?r=REPLACE&s1={adv1}&s2={adv2}&o={order_id}', values)).toBe(
      'https://t.example/p?r=abc&s1=REPLACE&s2=%7Bclick_id%7D&o=o%3DREPLACE',
    );
    expect(buildUrl('https://t.example/p?s1={adv1}', values)).toBe('https://t.example/p?s1=REPLACE');
  });

  it('refuses a URL over 8 KB, which proxies and collectors answer 413 while a beacon says sent', () => {
    expect(buildUrl('https://t.example/c', { order_id: 'x'.repeat(8150) })).toHaveLength(8179);
    expect(() => buildUrl('https://t.example/c', { order_id: 'x'.repeat(8200) })).toThrow(/^url: over 8 KB/);
    expect(() => buildUrl('https://t.example/p?o={order_id}', { order_id: 'x'.repeat(8200) })).toThrow(/^url: /);
  });

  it('does not read inherited properties for {__proto__} or {constructor}', () => {
    const safe: Record<string, string> = Object.create(null);
    expect(buildUrl('https://t.example/p?a={__proto__}&b={constructor}', safe)).toBe('https://t.example/p?a=&b=');
  });
});
