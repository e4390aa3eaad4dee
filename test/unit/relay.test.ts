// @vitest-environment node
/**
 * The first-party relay, in process: its handler called with web-standard `Request`
 * objects, forwarding to a real recording network on 127.0.0.1. Expected postbacks are
 * written out by hand from the wire table (parameter names, plain decimals, upper-case
 * currency), not computed by the code under test.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clickCookie, relay, type RelayOptions } from '../../src/server';
import { startNetwork, type Network } from './support/network';

let network: Network;
beforeEach(async () => {
  network = await startNetwork();
});
afterEach(() => network.close());

const SHOP = 'https://www.shop.example';
const handler = (options: Partial<RelayOptions> = {}) => relay({ forward: `${network.origin}/pb`, ...options });
const get = (path: string, headers: Record<string, string> = {}) => new Request(SHOP + path, { headers });
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  new Request(SHOP + path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
const answer = async (response: Response) => ({ status: response.status, body: await response.json() });

describe('relay(options) refuses a configuration it cannot serve', () => {
  it.each<[string, unknown, RegExp]>([
    ['no options', undefined, /forward is required/],
    ['no forward', {}, /forward is required/],
    ['a relative forward', { forward: '/pb' }, /absolute http\(s\) URL/],
    ['a forward that is not http', { forward: 'ftp://track.example/pb' }, /absolute http\(s\) URL/],
    [
      'a template without {unique_id}',
      { forward: 'https://t.example/p.ashx?o=1&r={click_id}&t={order_id}' },
      /template has no \{unique_id\}/,
    ],
    ['a REPLACE template without {unique_id}', { forward: 'https://t.example/p.ashx?o=1&r=REPLACE' }, /\{unique_id\}/],
    [
      'an origin with a path',
      { forward: 'https://t.example/pb', allowOrigins: ['https://a.example/'] },
      /allowOrigins/,
    ],
    ['a wildcard origin', { forward: 'https://t.example/pb', allowOrigins: ['*'] }, /allowOrigins/],
    ["cookieDomain 'auto'", { forward: 'https://t.example/pb', cookieDomain: 'auto' }, /cookieDomain 'auto'/],
    ['a cookieDomain with a space', { forward: 'https://t.example/pb', cookieDomain: 'a b' }, /cookieDomain/],
    ['a cookieName with a semicolon', { forward: 'https://t.example/pb', cookieName: 'a;b' }, /cookieName/],
    ['empty params', { forward: 'https://t.example/pb', params: [] }, /params/],
    ['ttlDays 0', { forward: 'https://t.example/pb', ttlDays: 0 }, /ttlDays/],
    ['retries -1', { forward: 'https://t.example/pb', retries: -1 }, /retries/],
    ['retries 1.5', { forward: 'https://t.example/pb', retries: 1.5 }, /retries/],
    ['timeoutMs 0', { forward: 'https://t.example/pb', timeoutMs: 0 }, /timeoutMs/],
  ])('%s', (_, options, message) => {
    expect(() => relay(options as RelayOptions)).toThrow(message);
  });

  it('accepts a plain URL, and templates that carry {unique_id}', () => {
    expect(relay({ forward: 'https://t.example/pb?key=s3cret' })).toBeTypeOf('function');
    expect(relay({ forward: 'https://t.example/p.ashx?o=1&r=REPLACE&t={unique_id}' })).toBeTypeOf('function');
    expect(relay({ forward: 'https://t.example/pb/{unique_id}?c={click_id}' })).toBeTypeOf('function');
  });
});

describe('<prefix>/c forwards a conversion', () => {
  const ALL =
    'click_id=8f3a9c21&offer_id=42&amount=49.99&payout=5&revenue=50.5&order_id=A-1001&unique_id=U-1' +
    '&adv1=spring%20sale&adv2=b&adv3=c&adv4=d&adv5=e&event=sale&currency=eur';

  it('every wire parameter reaches a plain forward URL, after its own query; 200 after the network said 200', async () => {
    const response = await handler({ forward: `${network.origin}/pb?key=s3cret` })(get('/postclick/c?' + ALL));
    expect(await answer(response)).toEqual({ status: 200, body: { status: 'forwarded', upstream: 200 } });
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(network.hits).toEqual([
      '/pb?key=s3cret&click_id=8f3a9c21&offer_id=42&amount=49.99&payout=5&revenue=50.5&order_id=A-1001' +
        '&unique_id=U-1&adv1=spring%20sale&adv2=b&adv3=c&adv4=d&adv5=e&event=sale&currency=EUR',
    ]);
  });

  it("fills a network's template (CAKE's p.ashx with REPLACE) and appends nothing", async () => {
    const forward = `${network.origin}/p.ashx?o=42&e=7&f=pb&r=REPLACE&t={unique_id}&p={amount}`;
    await handler({ forward })(get('/c?' + ALL));
    expect(network.hits).toEqual(['/p.ashx?o=42&e=7&f=pb&r=8f3a9c21&t=U-1&p=49.99']);
  });

  it('forwards a sub-ID that is literally REPLACE as itself, not as the click ID', async () => {
    const forward = `${network.origin}/p.ashx?o=42&r=REPLACE&t={unique_id}&s2={adv1}&s3={adv2}`;
    const response = await handler({ forward })(
      get('/c?click_id=8f3a9c21&order_id=A-1&adv1=REPLACE&adv2=%7Bclick_id%7D'),
    );
    expect(response.status).toBe(200);
    expect(network.hits).toEqual(['/p.ashx?o=42&r=8f3a9c21&t=A-1&s2=REPLACE&s3=%7Bclick_id%7D']);
  });

  it('routes on the last path segment, under any prefix', async () => {
    const relayHandler = handler();
    for (const path of ['/c', '/postclick/c', '/a/b/c', '//c'])
      expect((await relayHandler(get(`${path}?click_id=x1&order_id=${encodeURIComponent(path)}`))).status, path).toBe(
        200,
      );
    expect(network.hits).toHaveLength(4);
    for (const path of ['/', '/c/', '/postclick', '/postclick/conversion', '/c.gif', '/C'])
      expect(await answer(await relayHandler(get(path + '?click_id=x1'))), path).toEqual({
        status: 404,
        body: { error: `no route for ${path}` },
      });
    expect(network.hits).toHaveLength(4);
  });

  it('always forwards unique_id: the order ID, else one derived from offer and click', async () => {
    const relayHandler = handler();
    await relayHandler(get('/c?click_id=abc&order_id=A-7'));
    await relayHandler(get('/c?click_id=abc&offer_id=42'));
    await relayHandler(get('/c?click_id=abc&offer_id=42&_=123456'));
    const [byOrder, derived, again] = network.queries();
    expect(byOrder).toEqual({ click_id: 'abc', order_id: 'A-7', unique_id: 'A-7' });
    expect(derived!.unique_id).toMatch(/^[\w-]{4,}$/);
    // The image cache-buster `_` is not a wire parameter: the same sale, the same unique_id.
    expect(again).toEqual(derived);
  });

  it('takes the click ID from the cookie when the request has none, and a form body over the query', async () => {
    const relayHandler = handler({ cookieName: 'my_click' });
    await relayHandler(get('/c?order_id=1', { cookie: 'a=b; my_click=from-cookie' }));
    await relayHandler(post('/c?order_id=query&amount=1', 'order_id=body&click_id=from-body'));
    await relayHandler(new Request(SHOP + '/c?click_id=beacon&order_id=3', { method: 'POST' }));
    expect(network.queries()).toEqual([
      { click_id: 'from-cookie', order_id: '1', unique_id: '1' },
      { click_id: 'from-body', amount: '1', order_id: 'body', unique_id: 'body' },
      { click_id: 'beacon', order_id: '3', unique_id: '3' },
    ]);
  });

  it.each<[string, Request, string]>([
    [
      'no click ID and no cookie',
      get('/c?order_id=1'),
      'click_id: missing (no click_id parameter and no _postclick cookie)',
    ],
    [
      'an invalid cookie only',
      get('/c?order_id=1', { cookie: '_postclick={clickid}' }),
      'click_id: missing (no click_id parameter and no _postclick cookie)',
    ],
    [
      'an unreplaced macro (even with a cookie)',
      get('/c?click_id={clickid}', { cookie: '_postclick=ok' }),
      'click_id: not a click ID',
    ],
    ['a bad amount', get('/c?click_id=a&amount=abc'), 'amount: not a number ≥ 0 and below 10^15'],
    ['a negative payout', get('/c?click_id=a&payout=-1'), 'payout: not a number ≥ 0 and below 10^15'],
    ['a bad currency', get('/c?click_id=a&currency=euro'), 'currency: not ISO 4217'],
    ['malformed percent-encoding', get('/c?click_id=a&order_id=%FF'), 'malformed percent-encoding in order_id'],
    ['a bad form body', post('/c', 'click_id=a&amount=1e3'), 'amount: not a number ≥ 0 and below 10^15'],
    [
      'a URL over 8 KB once forwarded',
      get('/c?click_id=a&adv1=' + 'x'.repeat(250) + '&order_id=' + 'y'.repeat(7900)),
      'url: over 8 KB',
    ],
  ])('400 naming the field: %s', async (_, request, error) => {
    expect(await answer(await handler()(request))).toEqual({ status: 400, body: { error } });
    expect(network.hits).toEqual([]);
  });
});

describe("<prefix>/c answers with the network's answer", () => {
  const request = () => get('/c?click_id=abc&order_id=A-1');

  it('502 after the retries when the network keeps failing with 5xx (3 attempts by default)', async () => {
    network.answer = () => 503;
    const response = await answer(await handler()(request()));
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ upstream: 503, error: expect.stringMatching(/3 attempt.*HTTP 503/) });
    expect(network.hits).toEqual(Array(3).fill('/pb?click_id=abc&order_id=A-1&unique_id=A-1'));
  });

  it('200 when a retry gets through: one postback, the same URL twice', async () => {
    network.answer = (n) => (n === 0 ? 'drop' : 200);
    expect(await answer(await handler()(request()))).toEqual({
      status: 200,
      body: { status: 'forwarded', upstream: 200 },
    });
    expect(new Set(network.hits).size).toBe(1);
    expect(network.hits).toHaveLength(2);
  });

  it.each<[string, number, number]>([
    ['429', 429, 3],
    ['408 (not retried here; the browser retries later)', 408, 1],
  ])('502 for %s', async (_, status, attempts) => {
    network.answer = () => status;
    expect((await handler()(request())).status).toBe(502);
    expect(network.hits).toHaveLength(attempts);
  });

  it('422 for another 4xx, with no retry', async () => {
    network.answer = () => 404;
    expect(await answer(await handler()(request()))).toEqual({
      status: 422,
      body: { error: 'the network refused the postback: HTTP 404', upstream: 404 },
    });
    expect(network.hits).toHaveLength(1);
  });

  it('502 with upstream null when the network is down', async () => {
    const forward = `${network.origin}/pb`;
    await network.close();
    const response = await answer(await relay({ forward, retries: 1 })(request()));
    expect(response).toMatchObject({
      status: 502,
      body: { upstream: null, error: expect.stringMatching(/2 attempt/) },
    });
  });

  it('502 when the network does not answer within timeoutMs', async () => {
    network.answer = () => 'hang';
    const started = Date.now();
    const response = await answer(await handler({ retries: 0, timeoutMs: 300 })(request()));
    expect(response).toMatchObject({ status: 502, body: { upstream: null, error: expect.stringMatching(/timeout/) } });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('<prefix>/click sets the click-ID cookie', () => {
  const cookieOf = async (request: Request, options: Partial<RelayOptions> = {}) => {
    const response = await handler(options)(request);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    return response.headers.get('set-cookie');
  };

  it('204 with the browser’s attributes: Path=/, SameSite=Lax, Max-Age of 30 days, Secure on https', async () => {
    expect(await cookieOf(get('/postclick/click?s1=8f3a9c21'))).toBe(
      '_postclick=8f3a9c21;Path=/;SameSite=Lax;Max-Age=2592000;Secure',
    );
    expect(network.hits).toEqual([]);
  });

  it('Secure only on https or behind a proxy that says X-Forwarded-Proto: https', async () => {
    const http = (headers: Record<string, string> = {}) =>
      new Request('http://www.shop.example/click?s1=a', { headers });
    expect(await cookieOf(http())).toBe('_postclick=a;Path=/;SameSite=Lax;Max-Age=2592000');
    expect(await cookieOf(http({ 'x-forwarded-proto': 'https' }))).toMatch(/;Secure$/);
    expect(await cookieOf(http({ 'x-forwarded-proto': 'HTTPS, http' }))).toMatch(/;Secure$/);
    expect(await cookieOf(http({ 'x-forwarded-proto': 'http' }))).not.toMatch(/Secure/);
  });

  it('the first of params with a valid value; Domain, name and Max-Age from the options', async () => {
    const options = { params: ['aff_click', 'tid'], cookieName: 'clk', cookieDomain: 'shop.example', ttlDays: 7 };
    expect(await cookieOf(get('/click?tid=second&aff_click={aff_click}&aff_click=first'), options)).toBe(
      'clk=first;Path=/;SameSite=Lax;Max-Age=604800;Domain=shop.example;Secure',
    );
    expect(await cookieOf(get('/click?tid=only-tid&s1=ignored'), options)).toMatch(/^clk=only-tid;/);
    expect(await cookieOf(post('/click', 's1=from-form'))).toMatch(/^_postclick=from-form;/);
  });

  it('400 without a valid click ID', async () => {
    for (const query of ['', '?s1=', '?s1={clickid}', '?s1=' + 'x'.repeat(129), '?other=abc'])
      expect(await answer(await handler()(get('/click' + query))), query).toEqual({
        status: 400,
        body: { error: 'no valid click ID in s1, clickid, click_id (1–128 of A–Z a–z 0–9 . _ ~ : -)' },
      });
  });
});

describe('CORS: only for allowOrigins', () => {
  const ALLOWED = 'https://landing.shop.example';
  const relayHandler = () => handler({ allowOrigins: [ALLOWED] });
  const cors = (response: Response) => ({
    status: response.status,
    origin: response.headers.get('access-control-allow-origin'),
    credentials: response.headers.get('access-control-allow-credentials'),
    vary: response.headers.get('vary'),
  });

  it('an allowed origin gets its origin echoed with credentials, on success and on error', async () => {
    const expected = { origin: ALLOWED, credentials: 'true', vary: 'Origin' };
    expect(cors(await relayHandler()(get('/c?click_id=a', { origin: ALLOWED })))).toEqual({ status: 200, ...expected });
    expect(cors(await relayHandler()(get('/c', { origin: ALLOWED })))).toEqual({ status: 400, ...expected });
    expect(cors(await relayHandler()(get('/click?s1=a', { origin: ALLOWED })))).toEqual({ status: 204, ...expected });
  });

  it('another origin is served without CORS headers (the browser keeps the answer from it)', async () => {
    const response = await relayHandler()(get('/c?click_id=a', { origin: 'https://evil.example' }));
    expect(cors(response)).toEqual({ status: 200, origin: null, credentials: null, vary: 'Origin' });
  });

  it('preflight: 204 for an allowed origin, 403 for another, 204 without CORS for the same origin', async () => {
    const preflight = (origin: string) =>
      new Request(SHOP + '/postclick/c', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await relayHandler()(preflight(ALLOWED));
    expect(cors(allowed)).toEqual({ status: 204, origin: ALLOWED, credentials: 'true', vary: 'Origin' });
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('content-type');

    const refused = await relayHandler()(preflight('https://evil.example'));
    expect(cors(refused)).toEqual({ status: 403, origin: null, credentials: null, vary: 'Origin' });
    expect(await refused.json()).toEqual({ error: 'origin https://evil.example is not in allowOrigins' });

    expect(cors(await relayHandler()(preflight(SHOP)))).toEqual({
      status: 204,
      origin: null,
      credentials: null,
      vary: 'Origin',
    });
    expect(network.hits).toEqual([]);
  });
});

describe('methods and limits, as at the collector', () => {
  it.each(['PUT', 'DELETE', 'PATCH', 'HEAD'])('405 for %s, with Allow', async (method) => {
    const response = await handler()(new Request(SHOP + '/c?click_id=a', { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST, OPTIONS');
  });

  it('413 for a URL over 8 KB, and for a body over 64 KB (announced or streamed)', async () => {
    const relayHandler = handler();
    expect(await answer(await relayHandler(get('/c?click_id=a&adv1=' + 'x'.repeat(8200))))).toEqual({
      status: 413,
      body: { error: 'URL longer than 8192 bytes' },
    });
    expect(await answer(await relayHandler(post('/c', 'click_id=a&adv1=' + 'x'.repeat(70_000))))).toEqual({
      status: 413,
      body: { error: 'body larger than 65536 bytes' },
    });
    const chunk = new TextEncoder().encode('x'.repeat(16_384));
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull: (controller) => void (sent++ < 100 ? controller.enqueue(chunk) : controller.close()),
    });
    const streamed = new Request(SHOP + '/c', { method: 'POST', body: endless, duplex: 'half' } as RequestInit);
    expect((await relayHandler(streamed)).status).toBe(413);
    expect(sent).toBeLessThan(10);
    expect(network.hits).toEqual([]);
  });

  it('415 for a body that is not a form', async () => {
    const response = await handler()(post('/c', '{"click_id":"a"}', { 'content-type': 'application/json' }));
    expect(await answer(response)).toEqual({
      status: 415,
      body: { error: 'the body must be application/x-www-form-urlencoded' },
    });
  });
});

describe('clickCookie(url, options?)', () => {
  it('the Set-Cookie value for a landing URL, as /click answers it', () => {
    expect(clickCookie('https://www.shop.example/landing?s1=8f3a9c21&utm_source=x')).toBe(
      '_postclick=8f3a9c21;Path=/;SameSite=Lax;Max-Age=2592000;Secure',
    );
    expect(clickCookie(new URL('http://shop.example/?click_id=b2'), { cookieDomain: 'shop.example', ttlDays: 1 })).toBe(
      '_postclick=b2;Path=/;SameSite=Lax;Max-Age=86400;Domain=shop.example',
    );
  });

  it('null without a valid click ID, or for what is not a URL', () => {
    expect(clickCookie('https://shop.example/landing')).toBeNull();
    expect(clickCookie('https://shop.example/landing?s1={clickid}')).toBeNull();
    expect(clickCookie('/landing?s1=abc')).toBeNull();
  });

  it('throws for an option it cannot honour', () => {
    expect(() => clickCookie('https://shop.example/?s1=a', { cookieDomain: 'auto' })).toThrow(
      /clickCookie: cookieDomain/,
    );
  });
});
