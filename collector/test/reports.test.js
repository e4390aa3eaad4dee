// @ts-check
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convert, newClick, request, start } from './helpers.js';

/** @type {import('../src/index.js').Collector} */
let c;
let clickId = '';
const XSS = '<script>alert("x")</script>';
beforeAll(async () => {
  c = await start();
  clickId = await newClick(c, { aff_id: '<b>aff</b>', url: 'https://shop.test/?q="><img src=x onerror=alert(1)>' });
  await convert(c, {
    offer_id: '42',
    click_id: clickId,
    order_id: 'A-1',
    amount: '49.99',
    payout: '5',
    revenue: '7',
    adv1: XSS,
  });
  await convert(c, { offer_id: '42', click_id: clickId, order_id: 'A-1', amount: '49.99' });
  await convert(c, { offer_id: '42', click_id: clickId, order_id: 'A-2', amount: '0.01' });
  await convert(c, { offer_id: '<i>43</i>', order_id: 'A-3', amount: '3' });
});
afterAll(() => c.close());

describe('JSON reports', () => {
  it('GET /reports/conversions lists every field, newest first', async () => {
    const res = await request(c, '/reports/conversions');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    /** @type {import('../src/store/common.js').Conversion[]} */
    const rows = await res.json();
    expect(rows.map((r) => r.status)).toEqual(['rejected', 'approved', 'duplicate', 'approved']);
    expect(Object.keys(rows[0])).toEqual([
      'id',
      'offer_id',
      'click_id',
      'aff_id',
      'unique_id',
      'order_id',
      'amount',
      'payout',
      'revenue',
      'adv1',
      'adv2',
      'adv3',
      'adv4',
      'adv5',
      'event',
      'currency',
      'status',
      'reason',
      'created_at',
    ]);
    expect(rows).toEqual(await c.conversions());
    expect(rows[3].adv1).toBe(XSS);
  });

  it('GET /reports/clicks lists clicks, newest first', async () => {
    const second = await newClick(c);
    /** @type {import('../src/store/common.js').Click[]} */
    const rows = await (await request(c, '/reports/clicks')).json();
    expect(rows.map((r) => r.click_id)).toEqual([second, clickId]);
    expect(Object.keys(rows[0])).toEqual(['click_id', 'offer_id', 'aff_id', 'url', 'created_at']);
  });
});

describe('GET /reports', () => {
  it('escapes every stored value', async () => {
    const res = await request(c, '/reports');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await res.text();
    // The page's one script is its own refresher, at the very end.
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<b>aff');
    expect(page).not.toContain('<i>43');
    expect(page).not.toContain('<img');
    expect(page).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect(page).toContain('&#60;b&#62;aff&#60;/b&#62;');
  });

  it('shows statuses, approved totals per offer and the legend, self-contained', async () => {
    const page = await (await request(c, '/reports')).text();
    // Offer 42: A-1 (49.99, payout 5, revenue 7) and A-2 (0.01, no payout or revenue), no currency.
    expect(page).toMatch(
      /<td class="mono">42<\/td><td><span class="none">none<\/span><\/td><td class="num">2<\/td>\s*<td class="num">50\.00<\/td><td class="num">5\.00<\/td><td class="num">7\.00<\/td>/,
    );
    for (const status of ['approved', 'duplicate', 'scrubbed', 'rejected'])
      expect(page).toContain(`<dt><span class="badge ${status}">`);
    expect(page).toMatch(/missing click_id/);
    expect(page).toMatch(/expired session/);
    expect(page).toMatch(/suppression list/);
    // Nothing loaded from elsewhere: no src attribute at all, and the only link is the empty icon.
    expect(page).not.toMatch(/\ssrc=|<iframe|<img/i);
    expect(page.match(/<link[^>]*>/g)).toEqual(['<link rel="icon" href="data:,">']);
  });
});

describe('other routes', () => {
  it('GET /healthz answers ok', async () => {
    const res = await request(c, '/healthz');
    expect([res.status, await res.text()]).toEqual([200, 'ok']);
  });

  it('HEAD works where GET does', async () => {
    expect((await request(c, '/healthz', { method: 'HEAD' })).status).toBe(200);
  });

  it.each([
    ['/c', 'DELETE', 'GET, POST'],
    ['/c', 'HEAD', 'GET, POST'],
    ['/click', 'POST', 'GET'],
    ['/reports', 'POST', 'GET, HEAD'],
    ['/suppression', 'GET', 'POST'],
  ])('%s answers 405 to %s with Allow: %s', async (path, method, allow) => {
    const res = await request(c, path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
  });

  it('answers 404 to an unknown route', async () => {
    const res = await request(c, '/nope');
    expect([res.status, await res.json()]).toEqual([404, { error: 'no route for /nope' }]);
  });

  it('answers 413 to a URL over 8 KB and a body over 64 KB', async () => {
    const url = await request(c, `/c?offer_id=42&adv1=${'x'.repeat(8200)}`);
    expect([url.status, await url.json()]).toEqual([413, { error: 'URL longer than 8192 bytes' }]);
    const body = await request(c, '/c', { method: 'POST', body: `offer_id=42&adv1=${'x'.repeat(70_000)}` });
    expect([body.status, await body.json()]).toEqual([413, { error: 'body larger than 65536 bytes' }]);
  });

  it.each([
    ['', 'the body must be JSON such as {"click_id": "…"}'],
    ['[1]', 'the body must be a JSON object such as {"aff_id": "7"}'],
    ['{}', 'the body needs click_id or aff_id'],
    ['{"click_id": 5}', 'click_id must be a non-empty string of at most 255 characters'],
    ['{"aff_id": ""}', 'aff_id must be a non-empty string of at most 255 characters'],
  ])('POST /suppression answers 400 to %s', async (body, error) => {
    const res = await request(c, '/suppression', { method: 'POST', body });
    expect([res.status, await res.json()]).toEqual([400, { error }]);
  });
});
