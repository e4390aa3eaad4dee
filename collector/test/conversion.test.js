// @ts-check
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { convert, newClick, request, start } from './helpers.js';

const HOUR = 3_600_000;
let clock = Date.UTC(2025, 0, 1);
/** @type {import('../src/index.js').Collector} */
let c;
beforeAll(async () => (c = await start({ sessionHours: 24, now: () => clock })));
afterAll(() => c.close());
beforeEach(() => c.clearHits());

let order = 0;
const nextOrder = () => `A-${++order}`;

describe('GET|POST /c statuses', () => {
  it('approves a conversion of a known click and answers a no-store GIF', async () => {
    const clickId = await newClick(c);
    const { http, status, res, body } = await convert(c, {
      offer_id: '42',
      click_id: clickId,
      amount: '49.99',
      payout: '5',
      revenue: '0',
      order_id: 'A-1001',
      adv1: 'spring',
      adv5: 'e',
      event: 'sale',
      currency: 'eur',
      _: '12345',
    });
    expect([http, status]).toEqual([200, 'approved']);
    expect(res.headers.get('content-type')).toBe('image/gif');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(
      Buffer.from(/** @type {ArrayBuffer} */ (body))
        .subarray(0, 6)
        .toString(),
    ).toBe('GIF89a');
    expect((await c.conversions())[0]).toEqual({
      id: expect.any(Number),
      offer_id: '42',
      click_id: clickId,
      aff_id: '7',
      unique_id: 'A-1001',
      order_id: 'A-1001',
      amount: 49.99,
      payout: 5,
      revenue: 0,
      adv1: 'spring',
      adv2: null,
      adv3: null,
      adv4: null,
      adv5: 'e',
      event: 'sale',
      currency: 'EUR',
      status: 'approved',
      reason: null,
      created_at: new Date(clock).toISOString(),
    });
  });

  it('marks a repeat of the same offer_id + unique_id duplicate, naming the counted one', async () => {
    const clickId = await newClick(c);
    const params = { offer_id: '42', click_id: clickId, unique_id: 'u-77', order_id: nextOrder() };
    expect((await convert(c, params)).status).toBe('approved');
    const first = (await c.conversions())[0];
    expect((await convert(c, params)).status).toBe('duplicate');
    expect((await c.conversions())[0].reason).toBe(
      `same offer_id and unique_id as conversion #${first.id}, already counted`,
    );
    // Another offer is another key.
    expect((await convert(c, { ...params, offer_id: '43' })).status).toBe('approved');
  });

  it('falls back to order_id as the dedup key, and does not dedup without either', async () => {
    const clickId = await newClick(c);
    expect((await convert(c, { offer_id: '42', click_id: clickId, order_id: 'O-9' })).status).toBe('approved');
    expect((await convert(c, { offer_id: '42', click_id: clickId, order_id: 'O-9' })).status).toBe('duplicate');
    expect((await convert(c, { offer_id: '42', click_id: clickId })).status).toBe('approved');
    expect((await convert(c, { offer_id: '42', click_id: clickId })).status).toBe('approved');
  });

  it('calls a repeat of a counted sale duplicate even when it could not be attributed itself', async () => {
    const clickId = await newClick(c);
    const orderId = nextOrder();
    expect((await convert(c, { offer_id: '42', click_id: clickId, order_id: orderId })).status).toBe('approved');
    expect((await convert(c, { offer_id: '42', order_id: orderId })).status).toBe('duplicate');
  });

  it('rejects an unknown click ID and a missing one, and stores both with a reason', async () => {
    expect((await convert(c, { offer_id: '42', click_id: 'never-issued', order_id: nextOrder() })).status).toBe(
      'rejected',
    );
    expect((await c.conversions())[0].reason).toBe('unknown click_id never-issued');
    expect((await convert(c, { offer_id: '42', order_id: nextOrder() })).status).toBe('rejected');
    expect((await c.conversions())[0]).toMatchObject({
      click_id: null,
      status: 'rejected',
      reason: expect.stringMatching(/^missing click_id/),
    });
  });

  it('a rejected conversion does not block the same order once it is attributable', async () => {
    const orderId = nextOrder();
    expect((await convert(c, { offer_id: '42', order_id: orderId })).status).toBe('rejected');
    expect((await convert(c, { offer_id: '42', click_id: await newClick(c), order_id: orderId })).status).toBe(
      'approved',
    );
  });

  it('takes the click ID from the _postclick cookie, the parameter winning over it', async () => {
    const clickId = await newClick(c);
    const cookie = { headers: { cookie: `theme=dark; _postclick=${clickId}` } };
    expect((await convert(c, { offer_id: '42', order_id: nextOrder() }, cookie)).status).toBe('approved');
    expect((await c.conversions())[0].click_id).toBe(clickId);
    expect((await convert(c, { offer_id: '42', click_id: 'other', order_id: nextOrder() }, cookie)).status).toBe(
      'rejected',
    );
    // An invalid cookie value is no cookie, not an error.
    expect(
      (await convert(c, { offer_id: '42', order_id: nextOrder() }, { headers: { cookie: '_postclick=<bad>' } })).status,
    ).toBe('rejected');
  });

  it('scrubs a conversion after the session window, to the millisecond', async () => {
    const clickId = await newClick(c);
    clock += 24 * HOUR;
    expect((await convert(c, { offer_id: '42', click_id: clickId, order_id: nextOrder() })).status).toBe('approved');
    clock += 1;
    expect((await convert(c, { offer_id: '42', click_id: clickId, order_id: nextOrder() })).status).toBe('scrubbed');
    expect((await c.conversions())[0].reason).toBe('session expired: the click is 24 h old, the session is 24 h');
  });

  it('scrubs by fractional session hours on the real clock', async () => {
    const quick = await start({ sessionHours: 0.0001 }); // 0.36 s
    try {
      const clickId = await newClick(quick);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await convert(quick, { offer_id: '42', click_id: clickId })).status).toBe('scrubbed');
    } finally {
      await quick.close();
    }
  });

  it('scrubs conversions of a suppressed click, and of every click of a suppressed affiliate', async () => {
    const [a, b, other] = [
      await newClick(c, { aff_id: '66' }),
      await newClick(c, { aff_id: '66' }),
      await newClick(c, { aff_id: '67' }),
    ];
    const suppress = (/** @type {object} */ body) =>
      request(c, '/suppression', {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });

    expect((await convert(c, { offer_id: '42', click_id: a, order_id: nextOrder() })).status).toBe('approved');
    const res = await suppress({ click_id: a });
    expect([res.status, await res.json()]).toEqual([200, { suppressed: { click_id: a } }]);
    expect((await convert(c, { offer_id: '42', click_id: a, order_id: nextOrder() })).status).toBe('scrubbed');
    expect((await c.conversions())[0].reason).toBe(`suppressed: click_id ${a} is on the suppression list`);
    expect((await convert(c, { offer_id: '42', click_id: b, order_id: nextOrder() })).status).toBe('approved');

    expect((await suppress({ aff_id: '66' })).status).toBe(200);
    expect((await suppress({ aff_id: '66' })).status).toBe(200); // idempotent
    expect((await convert(c, { offer_id: '42', click_id: b, order_id: nextOrder() })).status).toBe('scrubbed');
    expect((await c.conversions())[0].reason).toBe('suppressed: aff_id 66 is on the suppression list');
    expect((await convert(c, { offer_id: '42', click_id: other, order_id: nextOrder() })).status).toBe('approved');
  });
});

describe('POST /c bodies', () => {
  it('reads a form body, merged over the query', async () => {
    const clickId = await newClick(c);
    const res = await request(c, '/c?offer_id=1&amount=1', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ offer_id: '42', click_id: clickId, order_id: 'F-1' }),
    });
    expect([res.status, res.headers.get('x-postclick-status')]).toEqual([200, 'approved']);
    expect((await c.conversions())[0]).toMatchObject({ offer_id: '42', amount: 1, order_id: 'F-1' });
  });

  it('takes an empty-body POST with everything in the query, as sendBeacon(url) sends it', async () => {
    const clickId = await newClick(c);
    const res = await request(c, `/c?offer_id=42&click_id=${clickId}&order_id=B-1`, { method: 'POST' });
    expect([res.status, res.headers.get('x-postclick-status')]).toEqual([200, 'approved']);
  });

  it('refuses a body of another type with 415', async () => {
    const res = await request(c, '/c?offer_id=42', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ error: 'the body must be application/x-www-form-urlencoded' });
  });
});

describe('/c validation', () => {
  it.each([
    ['offer_id=', 'offer_id is required'],
    ['amount=1', 'offer_id is required'],
    ['offer_id=42&amount=-1', 'amount must be a plain non-negative decimal such as 49.99'],
    ['offer_id=42&amount=1e3', 'amount must be a plain non-negative decimal such as 49.99'],
    ['offer_id=42&amount=abc', 'amount must be a plain non-negative decimal such as 49.99'],
    ['offer_id=42&payout=1.', 'payout must be a plain non-negative decimal such as 49.99'],
    ['offer_id=42&revenue=Infinity', 'revenue must be a plain non-negative decimal such as 49.99'],
    ['offer_id=42&amount=%2049', 'amount must be a plain non-negative decimal such as 49.99'],
    ['offer_id=42&click_id=%7Bclickid%7D', 'click_id must be 1–128 characters of A–Z a–z 0–9 . _ ~ : -'],
    [`offer_id=42&click_id=${'a'.repeat(129)}`, 'click_id must be 1–128 characters of A–Z a–z 0–9 . _ ~ : -'],
    ['offer_id=42&currency=euro', 'currency must be a 3-letter ISO 4217 code'],
    [`offer_id=42&adv3=${'x'.repeat(256)}`, 'adv3 is longer than 255 characters'],
    ['offer_id=%FF', 'malformed percent-encoding in offer_id'],
    ['offer_id=42&%E0%A4%A=1', 'malformed percent-encoding in a parameter name of the query'],
  ])('answers 400 for %s and stores nothing', async (query, error) => {
    const before = (await c.conversions()).length;
    const res = await request(c, `/c?${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error });
    expect(await c.conversions()).toHaveLength(before);
  });

  it('treats empty values as absent (templates send them) and the first of a repeated name wins', async () => {
    const clickId = await newClick(c);
    const res = await request(c, `/c?offer_id=42&offer_id=43&click_id=${clickId}&amount=&payout=&order_id=T-1&adv1=`);
    expect(res.status).toBe(200);
    expect((await c.conversions())[0]).toMatchObject({ offer_id: '42', amount: null, payout: null, adv1: null });
  });
});

describe('hits', () => {
  it('logs every /c request as it arrived, the 400s too', async () => {
    await request(c, '/c?offer_id=42&amount=bad&_=9', {
      headers: { cookie: '_postclick=abc', referer: 'https://shop.test/thanks', 'user-agent': 'ua/1' },
    });
    await request(c, '/c?x=%FF', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'offer_id=7&order_id=Z',
    });
    expect(c.hits).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/c',
        query: { offer_id: '42', amount: 'bad', _: '9' },
        body: {},
        cookie: '_postclick=abc',
        referer: 'https://shop.test/thanks',
        userAgent: 'ua/1',
        at: expect.any(Number),
      }),
      expect.objectContaining({
        method: 'POST',
        query: { x: '%FF' },
        body: { offer_id: '7', order_id: 'Z' },
        cookie: null,
      }),
    ]);
    c.clearHits();
    expect(c.hits).toEqual([]);
  });
});

describe('/c answers CORS for credentialed requests (so acknowledge: true can read it)', () => {
  const origin = 'https://www.shop.example';

  it('echoes the Origin with credentials on a 200, and varies on Origin', async () => {
    const clickId = await newClick(c);
    const { http, res } = await convert(
      c,
      { offer_id: '42', click_id: clickId, order_id: nextOrder() },
      {
        headers: { Origin: origin },
      },
    );
    expect(http).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
  });

  it('on a 400 too, whose JSON error the SDK then reports', async () => {
    const res = await request(c, '/c?offer_id=42&amount=abc', { headers: { Origin: origin } });
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(await res.json()).toEqual({ error: 'amount must be a plain non-negative decimal such as 49.99' });
  });

  it('answers the preflight OPTIONS /c with 204 and records no conversion', async () => {
    const before = (await c.conversions()).length;
    const res = await request(c, '/c?offer_id=42', {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-a' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-methods')).toMatch(/GET/);
    expect(res.headers.get('access-control-allow-headers')).toBe('x-a');
    expect(await c.conversions()).toHaveLength(before);
  });

  it('without an Origin, no Allow-Origin (a same-origin or server request)', async () => {
    const res = await request(c, '/c?offer_id=42&amount=abc');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
