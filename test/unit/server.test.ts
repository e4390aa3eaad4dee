// @vitest-environment node
/**
 * postclick/server (docs/server.md) under Node: the cookie reader, the postback URL (expected
 * values written from the §5 table), and sendPostback against real local HTTP servers —
 * failing, slow, rate-limiting, refusing connections. The browser/server parity of
 * conversionUrl is in server-parity.test.ts (it needs happy-dom).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clickIdFromCookie, conversionUrl, sendPostback } from '../../src/server';
import type { Conversion } from '../../src/types';

describe('clickIdFromCookie', () => {
  it.each<[string, string | null | undefined, string | null]>([
    ['the only cookie', '_postclick=8f3a9c21', '8f3a9c21'],
    ['among others', 'sid=x; _postclick=8f3a9c21; theme=dark', '8f3a9c21'],
    ['with loose whitespace', '  sid=x ;   _postclick =  8f3a9c21  ;theme=dark;', '8f3a9c21'],
    ['no space after ;', 'a=1;_postclick=abc;b=2', 'abc'],
    ['in double quotes', '_postclick="abc-1.2_3~4:5"', 'abc-1.2_3~4:5'],
    ['after malformed pairs', 'garbage; =x; ;; _postclick; _postclick=abc', 'abc'],
    ['an empty value', '_postclick=', null],
    ['an unreplaced macro', '_postclick={clickid}', null],
    ['markup', '_postclick=<b>x</b>', null],
    ['a percent-encoded value', '_postclick=a%2Db', null],
    ['an unbalanced quote', '_postclick="abc', null],
    ['a value with a space', '_postclick=a b', null],
    ['129 characters', '_postclick=' + 'x'.repeat(129), null],
    ['128 characters', '_postclick=' + 'x'.repeat(128), 'x'.repeat(128)],
    ['the first valid of two (host and domain cookie)', '_postclick={x}; _postclick=good; _postclick=later', 'good'],
    ['names that only contain the name', 'x_postclick=abc; _postclick_old=def; _postclick2=ghi', null],
    ['another case', '_POSTCLICK=abc', null],
    ['no header', undefined, null],
    ['a null header', null, null],
    ['an empty header', '', null],
  ])('%s', (_, header, expected) => {
    expect(clickIdFromCookie(header)).toBe(expected);
  });

  it('reads a custom cookieName, and only that', () => {
    expect(clickIdFromCookie('_postclick=a; my_click=b', 'my_click')).toBe('b');
    expect(clickIdFromCookie('_postclick=a', 'my_click')).toBeNull();
  });

  it('returns null for input that is not a string, without throwing', () => {
    expect(clickIdFromCookie(['_postclick=abc'] as unknown as string)).toBeNull();
    expect(clickIdFromCookie(42 as unknown as string)).toBeNull();
    expect(clickIdFromCookie('_postclick=abc', '')).toBeNull();
  });
});

describe('conversionUrl (docs/protocol.md rules)', () => {
  const endpoint = 'https://track.example/c';
  /** The URL's query as an object, so the expectations do not depend on parameter order. */
  const query = (url: string | null) => (url === null ? null : Object.fromEntries(new URL(url).searchParams));

  it('appends the §5 parameters that have a value, under their CAKE names', () => {
    const url = conversionUrl(endpoint, {
      clickId: '8f3a9c21',
      offerId: 42,
      amount: 49.99,
      payout: '5',
      revenue: 0,
      orderId: 'A-1001',
      adv1: 'spring',
      adv5: 7,
      event: 'purchase',
      currency: 'eur',
    });
    expect(url!.startsWith(endpoint + '?')).toBe(true);
    expect(query(url)).toEqual({
      click_id: '8f3a9c21',
      offer_id: '42',
      amount: '49.99',
      payout: '5',
      revenue: '0',
      order_id: 'A-1001',
      unique_id: 'A-1001',
      adv1: 'spring',
      adv5: '7',
      event: 'purchase',
      currency: 'EUR',
    });
  });

  it('writes amounts as plain decimals, numeric strings included', () => {
    expect(query(conversionUrl(endpoint, { clickId: 'c', orderId: 'o', amount: '49.99' }))!.amount).toBe('49.99');
    // 10^15 and above: no real amount (test/fixtures/amounts.json has the whole rule).
    expect(conversionUrl(endpoint, { clickId: 'c', orderId: 'o', amount: 1e21 })).toBeNull();
    expect(query(conversionUrl(endpoint, { clickId: 'c', orderId: 'o', amount: 1e-7 }))!.amount).toBe('0.0000001');
  });

  it('unique_id is uniqueId, else orderId, else a stable hash that depends on offer and click', () => {
    expect(query(conversionUrl(endpoint, { clickId: 'c', orderId: 'o', uniqueId: 'u' }))!.unique_id).toBe('u');
    expect(query(conversionUrl(endpoint, { clickId: 'c', orderId: 'o' }))!.unique_id).toBe('o');
    const derived = query(conversionUrl(endpoint, { clickId: 'c', offerId: '1' }))!.unique_id;
    expect(derived).toMatch(/^[0-9a-z]+$/);
    expect(query(conversionUrl(endpoint, { clickId: 'c', offerId: '1' }))!.unique_id).toBe(derived);
    expect(query(conversionUrl(endpoint, { clickId: 'd', offerId: '1' }))!.unique_id).not.toBe(derived);
    expect(query(conversionUrl(endpoint, { clickId: 'c', offerId: '2' }))!.unique_id).not.toBe(derived);
  });

  it('URL-encodes values and removes control characters; cuts sub-IDs to 255', () => {
    const url = conversionUrl(endpoint, { clickId: 'c', orderId: 'A&B=C D/é\n', adv1: 'x'.repeat(300) })!;
    expect(url).toContain('order_id=A%26B%3DC%20D%2F%C3%A9&');
    expect(query(url)!.adv1).toBe('x'.repeat(255));
  });

  it('keeps the endpoint’s own query', () => {
    expect(conversionUrl('https://track.example/c?net=7', { clickId: 'c', orderId: 'o' })).toBe(
      'https://track.example/c?net=7&click_id=c&order_id=o&unique_id=o',
    );
  });

  it('fills a template endpoint and appends nothing', () => {
    expect(
      conversionUrl('https://net.example/p?cid={click_id}&amt={amount}&oid={order_id}&x={adv1}', {
        clickId: 'c1',
        amount: 10,
        orderId: 'A 1',
      }),
    ).toBe('https://net.example/p?cid=c1&amt=10&oid=A%201&x=');
    expect(conversionUrl('https://net.example/p.ashx?o=42&e=1&r=REPLACE', { clickId: 'c1', orderId: 'o' })).toBe(
      'https://net.example/p.ashx?o=42&e=1&r=c1',
    );
  });

  it('without a click ID: null, unless requireClickId is false', () => {
    expect(conversionUrl(endpoint, { offerId: '42', orderId: 'o' })).toBeNull();
    expect(conversionUrl(endpoint, { offerId: '42', orderId: 'o', clickId: '' })).toBeNull();
    expect(query(conversionUrl(endpoint, { offerId: '42', orderId: 'o', requireClickId: false }))).toEqual({
      offer_id: '42',
      order_id: 'o',
      unique_id: 'o',
    });
  });

  it.each<[string, string, Conversion]>([
    ['an invalid click ID', endpoint, { clickId: '{clickid}' }],
    ['an invalid click ID even when not required', endpoint, { clickId: '<b>', requireClickId: false }],
    ['a word amount', endpoint, { clickId: 'c', amount: 'abc' }],
    ['a negative payout', endpoint, { clickId: 'c', payout: -1 }],
    ['an infinite revenue', endpoint, { clickId: 'c', revenue: Infinity }],
    ['a bad currency', endpoint, { clickId: 'c', currency: 'euro' }],
    ['an object order ID', endpoint, { clickId: 'c', orderId: {} as unknown as string }],
    ['a root-relative endpoint', '/c', { clickId: 'c' }],
    ['a protocol-relative endpoint', '//track.example/c', { clickId: 'c' }],
    ['an ftp endpoint', 'ftp://track.example/c', { clickId: 'c' }],
    ['a javascript: endpoint', 'javascript:alert(1)//', { clickId: 'c' }],
    ['an endpoint with leading space', ' https://track.example/c', { clickId: 'c' }],
    ['an endpoint with a raw space', 'https://track.example/c?a=b c', { clickId: 'c' }],
    ['an endpoint without a host', 'https:///c', { clickId: 'c' }],
    ['an empty endpoint', '', { clickId: 'c' }],
  ])('null for %s (what the browser calls invalid)', (_, url, data) => {
    expect(conversionUrl(url, data)).toBeNull();
  });

  it('never throws, whatever it is given', () => {
    const hostile = {
      get clickId(): string {
        throw new Error('boom');
      },
    };
    expect(conversionUrl(endpoint, hostile)).toBeNull();
    expect(conversionUrl(endpoint, null as unknown as Conversion)).toBeNull();
    expect(conversionUrl(42 as unknown as string, { clickId: 'c' })).toBeNull();
  });
});

describe('sendPostback', () => {
  type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;
  const servers: Server[] = [];

  /** A local HTTP server; `hits` lists the URL of every request it received. */
  async function serve(handler: Handler, port = 0) {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      handler(req, res, hits.length);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/c?click_id=abc&unique_id=u1`, hits };
  }

  /** A port nothing listens on (yet). */
  async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  const answer =
    (status: number, headers: Record<string, string> = {}) =>
    (_: IncomingMessage, res: ServerResponse) =>
      res.writeHead(status, headers).end(status < 300 ? 'ok' : 'error');

  const fast = { baseDelayMs: 5 };

  afterEach(async () => {
    vi.restoreAllMocks();
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('GETs the URL as is and resolves ok on 2xx', async () => {
    const { url, hits } = await serve(answer(200));
    expect(await sendPostback(url)).toEqual({ ok: true, status: 200, attempts: 1 });
    expect(hits).toEqual(['GET /c?click_id=abc&unique_id=u1']);
  });

  it('retries 503 with back-off until the endpoint answers 200', async () => {
    const { url, hits } = await serve((req, res, hit) => answer(hit <= 2 ? 503 : 200)(req, res));
    expect(await sendPostback(url, fast)).toEqual({ ok: true, status: 200, attempts: 3 });
    expect(hits).toHaveLength(3);
  });

  it('retries 429 and every 5xx, and gives up after `retries`', async () => {
    const { url, hits } = await serve((req, res, hit) => answer([429, 500, 502, 599][hit - 1] ?? 200)(req, res));
    expect(await sendPostback(url, { ...fast, retries: 3 })).toEqual({
      ok: false,
      status: 599,
      attempts: 4,
      error: 'HTTP 599',
    });
    expect(hits).toHaveLength(4);
  });

  it('does not retry a 404 (nor any other 4xx)', async () => {
    const { url, hits } = await serve(answer(404));
    expect(await sendPostback(url, fast)).toEqual({ ok: false, status: 404, attempts: 1, error: 'HTTP 404' });
    expect(hits).toHaveLength(1);
    const other = await serve(answer(400));
    expect(await sendPostback(other.url, fast)).toMatchObject({ ok: false, status: 400, attempts: 1 });
  });

  it('retries: 0 makes one attempt', async () => {
    const { url, hits } = await serve(answer(500));
    expect(await sendPostback(url, { retries: 0 })).toMatchObject({ ok: false, status: 500, attempts: 1 });
    expect(hits).toHaveLength(1);
  });

  it('times out each attempt, retries, and reports status null', async () => {
    // Never answers: each attempt ends at timeoutMs.
    const { url, hits } = await serve(() => {});
    const started = Date.now();
    const result = await sendPostback(url, { ...fast, retries: 2, timeoutMs: 100 });
    expect(result).toEqual({ ok: false, status: null, attempts: 3, error: 'timeout' });
    expect(hits).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a slow answer within the timeout is fine', async () => {
    const { url } = await serve((req, res) => setTimeout(() => answer(200)(req, res), 50));
    expect(await sendPostback(url, { timeoutMs: 1000 })).toEqual({ ok: true, status: 200, attempts: 1 });
  });

  it('retries while the endpoint is down (connection refused) and succeeds once it is up', async () => {
    // The largest back-off every time (full jitter at its top): attempts at 0, 50, 150, 350, 750 ms…
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const port = await freePort();
    let hits: string[] = [];
    const up = new Promise<void>((resolve) =>
      setTimeout(async () => {
        hits = (await serve(answer(200), port)).hits;
        resolve();
      }, 200),
    );
    const result = await sendPostback(`http://127.0.0.1:${port}/c?click_id=abc`, { retries: 6, baseDelayMs: 50 });
    await up;
    expect(result.ok).toBe(true);
    expect(result.status).toBe(200);
    expect(result.attempts).toBeGreaterThanOrEqual(3);
    expect(hits).toEqual(['GET /c?click_id=abc']);
  });

  it('reports the network error when the endpoint stays down', async () => {
    const port = await freePort();
    expect(await sendPostback(`http://127.0.0.1:${port}/c`, { ...fast, retries: 1 })).toEqual({
      ok: false,
      status: null,
      attempts: 2,
      error: 'ECONNREFUSED',
    });
  });

  it('waits for a short Retry-After (in seconds) on 429 and 503', async () => {
    const { url } = await serve((req, res, hit) => answer(hit === 1 ? 429 : 200, { 'Retry-After': '1' })(req, res));
    const started = Date.now();
    expect(await sendPostback(url, fast)).toEqual({ ok: true, status: 200, attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('stops at a Retry-After longer than maxDelayMs', async () => {
    const { url, hits } = await serve(answer(503, { 'Retry-After': '3600' }));
    const started = Date.now();
    expect(await sendPostback(url, fast)).toEqual({
      ok: false,
      status: 503,
      attempts: 1,
      error: 'HTTP 503, Retry-After 3600 s',
    });
    expect(hits).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('follows redirects to the final answer', async () => {
    const target = await serve(answer(200));
    const { url } = await serve(answer(302, { Location: target.url }));
    expect(await sendPostback(url, fast)).toEqual({ ok: true, status: 200, attempts: 1 });
    expect(target.hits).toHaveLength(1);
  });

  it('discards large bodies without hanging', async () => {
    const { url } = await serve((_, res) => res.writeHead(500).end('x'.repeat(1 << 20)));
    expect(await sendPostback(url, { ...fast, retries: 2 })).toMatchObject({ ok: false, status: 500, attempts: 3 });
  });

  it.each<[string, unknown, unknown, RegExp]>([
    ['a relative url', '/c', {}, /^url:/],
    ['a non-http url', 'ftp://track.example/c', {}, /^url:/],
    ['no url', undefined, {}, /^url:/],
    ['negative retries', 'http://127.0.0.1:9/c', { retries: -1 }, /^retries:/],
    ['fractional retries', 'http://127.0.0.1:9/c', { retries: 1.5 }, /^retries:/],
    ['string retries', 'http://127.0.0.1:9/c', { retries: '3' }, /^retries:/],
    ['a zero timeout', 'http://127.0.0.1:9/c', { timeoutMs: 0 }, /^timeoutMs:/],
    ['a NaN timeout', 'http://127.0.0.1:9/c', { timeoutMs: NaN }, /^timeoutMs:/],
    ['a negative base delay', 'http://127.0.0.1:9/c', { baseDelayMs: -5 }, /^baseDelayMs:/],
  ])('rejects %s without a request: attempts 0', async (_, url, options, error) => {
    const result = await sendPostback(url as string, options as object);
    expect(result).toEqual({ ok: false, status: null, attempts: 0, error: expect.stringMatching(error) });
  });

  it('never rejects, even on a hostile options object', async () => {
    const hostile = {
      get retries(): number {
        throw new Error('boom');
      },
    };
    await expect(sendPostback('http://127.0.0.1:9/c', hostile)).resolves.toMatchObject({ ok: false, attempts: 0 });
    // null options are the defaults.
    const { url } = await serve(answer(200));
    await expect(sendPostback(url, null as unknown as object)).resolves.toEqual({ ok: true, status: 200, attempts: 1 });
  });
});
