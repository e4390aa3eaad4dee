/**
 * The public API in happy-dom: capture, conversion statuses, dedup, consent, reset and
 * storage fallbacks. Delivery is stubbed at `fetch` and `navigator.sendBeacon` (what left is
 * what they were handed); the real transports are proven in Chromium (test/e2e).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sdkAt } from './support/sdk';
import { clearCookies } from './support/cookies';
import { stubDelivery, unstubDelivery, type Stub } from './support/delivery';

let delivery: Stub;
let sent: string[];

beforeEach(() => {
  localStorage.clear();
  clearCookies();
  delivery = stubDelivery();
  sent = delivery.sent;
});

afterEach(() => {
  vi.restoreAllMocks();
  unstubDelivery();
  delete (document as { cookie?: string }).cookie;
});

const query = (url: string) => Object.fromEntries(new URL(url, location.href).searchParams);

describe('capture', () => {
  it('reads the first of params with a valid value and stores it in the cookie and localStorage', async () => {
    const sdk = await sdkAt('https://www.shop.example/landing?clickid=second&s1=first');
    expect(sdk.capture()).toBe('first');
    expect(document.cookie).toContain('_postclick=first');
    expect(JSON.parse(localStorage.getItem('_postclick')!)[0]).toBe('first');
    expect(sdk.getClickId()).toBe('first');
  });

  it('skips an invalid value for the next parameter, and never stores it', async () => {
    const sdk = await sdkAt('https://www.shop.example/?s1=%7Bclickid%7D&clickid=good');
    expect(sdk.capture()).toBe('good');
    const bad = await sdkAt('https://www.shop.example/?s1={clickid}&clickid=' + 'x'.repeat(129));
    bad.reset();
    expect(bad.capture()).toBeNull();
    expect(document.cookie).not.toContain('_postclick');
    expect(localStorage.getItem('_postclick')).toBeNull();
  });

  it('keeps an earlier valid ID when a later URL has an invalid one', async () => {
    (await sdkAt('https://www.shop.example/?s1=good')).capture();
    const sdk = await sdkAt('https://www.shop.example/?s1=<script>');
    expect(sdk.capture()).toBe('good');
  });

  it("attribution 'last' replaces, 'first' keeps an unexpired ID", async () => {
    (await sdkAt('https://www.shop.example/?s1=one')).capture();
    const last = await sdkAt('https://www.shop.example/?s1=two');
    last.init({});
    expect(last.getClickId()).toBe('two');
    const first = await sdkAt('https://www.shop.example/?s1=three');
    first.init({ attribution: 'first' });
    expect(first.getClickId()).toBe('two');
  });

  it('honours custom params and cookieName', async () => {
    const sdk = await sdkAt('https://www.shop.example/?tid=abc&s1=nope');
    sdk.init({ params: ['tid'], cookieName: 'aff' });
    expect(sdk.getClickId()).toBe('abc');
    expect(document.cookie).toMatch(/(^|; )aff=abc/);
  });

  it('treats an expired localStorage copy as absent', async () => {
    const sdk = await sdkAt('https://www.shop.example/');
    localStorage.setItem('_postclick', JSON.stringify(['old', Date.now() - 31 * 864e5]));
    expect(sdk.getClickId()).toBeNull();
    localStorage.setItem('_postclick', JSON.stringify(['fresh', Date.now() - 29 * 864e5]));
    expect(sdk.getClickId()).toBe('fresh');
  });

  it('reads the click ID back from either copy alone', async () => {
    (await sdkAt('https://www.shop.example/?s1=both')).capture();
    localStorage.clear();
    expect((await sdkAt('https://www.shop.example/')).getClickId()).toBe('both');
    (await sdkAt('https://www.shop.example/?s1=lsonly')).capture();
    clearCookies();
    expect((await sdkAt('https://www.shop.example/')).getClickId()).toBe('lsonly');
  });

  it('stripParams removes only the click-ID parameter from the address bar', async () => {
    const sdk = await sdkAt('https://www.shop.example/landing?utm_source=x%20y&s1=abc&page=2#top');
    const before = history.length;
    sdk.init({ stripParams: true });
    expect(location.href).toBe('https://www.shop.example/landing?utm_source=x%20y&page=2#top');
    expect(history.length).toBe(before);
    expect(sdk.getClickId()).toBe('abc');
  });
});

describe('conversion', () => {
  it('sends one URL with the stored click ID and config defaults', async () => {
    (await sdkAt('https://www.shop.example/?s1=abc')).capture();
    const sdk = await sdkAt('https://www.shop.example/thank-you');
    sdk.init({ endpoint: 'https://track.example/c', offerId: '42' });
    const result = await sdk.conversion({ amount: 49.99, orderId: 'A-1001', adv1: 'spring' });
    // Cross-origin, so not acknowledged: a no-cors keepalive fetch, whose answer is opaque.
    expect(result).toMatchObject({ status: 'sent', transport: 'fetch', confirmed: false, uniqueId: 'A-1001' });
    expect(delivery.inits[0]).toMatchObject({ mode: 'no-cors', keepalive: true, credentials: 'include' });
    expect(sent).toHaveLength(1);
    expect(query(sent[0]!)).toEqual({
      click_id: 'abc',
      offer_id: '42',
      amount: '49.99',
      order_id: 'A-1001',
      unique_id: 'A-1001',
      adv1: 'spring',
    });
    expect(sent[0]!.startsWith('https://track.example/c?')).toBe(true);
    expect('url' in result && result.url).toBe(sent[0]);
  });

  it('never fires twice: a second call, a re-render in the same task, a reload', async () => {
    (await sdkAt('https://www.shop.example/?s1=abc')).capture();
    const sdk = await sdkAt('https://www.shop.example/thank-you');
    sdk.init({ endpoint: '/c', offerId: '42' });
    const [a, b] = await Promise.all([sdk.conversion({ orderId: 'A' }), sdk.conversion({ orderId: 'A' })]);
    expect([a.status, b.status]).toEqual(['sent', 'duplicate']);
    const reloaded = await sdkAt('https://www.shop.example/thank-you');
    reloaded.init({ endpoint: '/c', offerId: '42' });
    expect((await reloaded.conversion({ orderId: 'A' })).status).toBe('duplicate');
    expect(sent).toHaveLength(1);
  });

  it('derives the same unique_id for the same offer, click and page, so a refresh is a duplicate', async () => {
    (await sdkAt('https://www.shop.example/?s1=abc')).capture();
    const sdk = await sdkAt('https://www.shop.example/thank-you?o=9');
    sdk.init({ endpoint: '/c', offerId: '42' });
    const first = await sdk.conversion({ amount: 5 });
    const again = await (
      await sdkAt('https://www.shop.example/thank-you?o=9')
    ).conversion({ endpoint: '/c', offerId: '42', amount: 5 });
    expect(first.status).toBe('sent');
    expect(again).toMatchObject({ status: 'duplicate', uniqueId: 'uniqueId' in first && first.uniqueId });
  });

  it('no_click_id without a click ID, unless requireClickId is false', async () => {
    const sdk = await sdkAt('https://www.shop.example/thank-you');
    sdk.init({ endpoint: '/c', offerId: '42' });
    expect((await sdk.conversion({ orderId: 'B' })).status).toBe('no_click_id');
    expect(sent).toHaveLength(0);
    expect((await sdk.conversion({ orderId: 'B', requireClickId: false })).status).toBe('sent');
    expect(query(sent[0]!)).toEqual({ offer_id: '42', order_id: 'B', unique_id: 'B' });
  });

  it('invalid input names the field, sends nothing and marks nothing', async () => {
    (await sdkAt('https://www.shop.example/?s1=abc')).capture();
    const sdk = await sdkAt('https://www.shop.example/thank-you');
    sdk.init({ offerId: '42' });
    expect(await sdk.conversion({ orderId: 'C', amount: 1 })).toMatchObject({
      status: 'invalid',
      error: expect.stringMatching(/^endpoint/),
    });
    sdk.init({ endpoint: '/c' });
    expect(await sdk.conversion({ orderId: 'C', amount: 'abc' })).toMatchObject({
      status: 'invalid',
      error: expect.stringMatching(/^amount/),
    });
    expect(await sdk.conversion({ orderId: 'C', amount: -5 })).toMatchObject({ status: 'invalid' });
    expect(await sdk.conversion({ orderId: 'C', clickId: 'x y' })).toMatchObject({
      status: 'invalid',
      error: expect.stringMatching(/^clickId/),
    });
    expect(sent).toHaveLength(0);
    expect((await sdk.conversion({ orderId: 'C', amount: '12.50' })).status).toBe('sent');
    expect(query(sent[0]!).amount).toBe('12.5');
  });

  it('never rejects, even on a throwing getter', async () => {
    const sdk = await sdkAt('https://www.shop.example/thank-you');
    const hostile = {
      get amount(): number {
        throw new Error('boom');
      },
    };
    await expect(sdk.conversion(hostile)).resolves.toMatchObject({
      status: 'invalid',
      error: expect.stringContaining('boom'),
    });
    await expect(sdk.conversion(null as never)).resolves.toMatchObject({ status: expect.any(String) });
  });

  it('conversionUrl returns what conversion would send, or null', async () => {
    (await sdkAt('https://www.shop.example/?s1=abc')).capture();
    const sdk = await sdkAt('https://www.shop.example/thank-you');
    sdk.init({ endpoint: 'https://t.example/p?tid={click_id}&amt={amount}', offerId: '42' });
    expect(sdk.conversionUrl({ amount: 3 })).toBe('https://t.example/p?tid=abc&amt=3');
    expect(sdk.conversionUrl({ amount: 'x' })).toBeNull();
    expect(sent).toHaveLength(0);
  });
});

describe('delivery', () => {
  /** A page with a click, an endpoint on `endpoint`'s origin, and one conversion. */
  async function convertWith(endpoint: string, data: Record<string, unknown> = {}) {
    (await sdkAt('https://www.shop.example/?s1=abc')).capture();
    const sdk = await sdkAt('https://www.shop.example/thank-you');
    sdk.init({ endpoint, offerId: '42' });
    return { sdk, result: await sdk.conversion({ orderId: 'P-1', ...data }) };
  }

  it('auto: a keepalive fetch; sendBeacon only where keepalive fetch is missing', async () => {
    expect((await convertWith('https://track.example/c')).result).toMatchObject({ status: 'sent', transport: 'fetch' });
    unstubDelivery();
    localStorage.clear();
    delivery = stubDelivery({ keepalive: false });
    const { result } = await convertWith('https://track.example/c');
    expect(result).toMatchObject({ status: 'sent', transport: 'beacon', confirmed: false });
    expect(delivery.inits).toHaveLength(0);
  });

  it('a same-origin endpoint is acknowledged: a CORS fetch with credentials, 2xx → confirmed', async () => {
    const { result } = await convertWith('/c');
    expect(result).toMatchObject({ status: 'sent', transport: 'fetch', confirmed: true });
    expect(delivery.inits[0]).toMatchObject({ mode: 'cors', credentials: 'include', keepalive: true });
  });

  it('acknowledge: false on a same-origin endpoint sends no-cors, unconfirmed', async () => {
    const { result } = await convertWith('/c', { acknowledge: false });
    expect(result).toMatchObject({ status: 'sent', confirmed: false });
    expect(delivery.inits[0]!.mode).toBe('no-cors');
  });

  it.each([408, 429, 500, 503])(
    'acknowledged %i: queued with the status, retried by the next page load',
    async (status) => {
      delivery.answer = () => new Response('', { status, statusText: 'Busy' });
      const { result } = await convertWith('/c');
      expect(result).toMatchObject({ status: 'queued', error: `HTTP ${status}: Busy` });
      expect(result).not.toHaveProperty('transport');
      delivery.answer = () => new Response('', { status: 200 });
      (await sdkAt('https://www.shop.example/next')).init({});
      await vi.waitFor(() => expect(sent).toHaveLength(2), 5000);
      expect(sent[1]).toBe(sent[0]);
    },
  );

  it("acknowledged 4xx: refused with the endpoint's JSON reason, else the status text; nothing stays marked", async () => {
    delivery.answer = () =>
      new Response(JSON.stringify({ error: 'offer_id is required' }), {
        status: 400,
        headers: { 'Content-Type': 'application/json' },
      });
    const { sdk, result } = await convertWith('/c');
    expect(result).toMatchObject({ status: 'refused', transport: 'fetch', error: 'HTTP 400: offer_id is required' });
    delivery.answer = () => new Response('<h1>nope</h1>', { status: 404, statusText: 'Not Found' });
    expect(await sdk.conversion({ orderId: 'P-1' })).toMatchObject({ status: 'refused', error: 'HTTP 404: Not Found' });
    // Nothing retried at the next page load, nothing marked: the corrected call goes.
    (await sdkAt('https://www.shop.example/next')).init({});
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(sent).toHaveLength(2);
    delivery.answer = () => new Response('', { status: 200 });
    expect(await sdk.conversion({ orderId: 'P-1' })).toMatchObject({ status: 'sent', confirmed: true });
  });

  it('an acknowledged network error is queued, and no image is tried (it could confirm nothing)', async () => {
    delivery.answer = () => {
      throw new TypeError('Failed to fetch');
    };
    const image = vi.spyOn(window, 'Image');
    const { result } = await convertWith('/c');
    expect(result).toMatchObject({ status: 'queued', error: expect.stringMatching(/failed/) });
    expect(image).not.toHaveBeenCalled();
  });

  it('a named transport is the only one tried: a refused beacon is queued, saying so', async () => {
    delivery.beacon = false;
    const { result } = await convertWith('https://track.example/c', { transport: 'beacon' });
    expect(result).toMatchObject({ status: 'queued', error: 'beacon failed: blocked, or a network error' });
    expect(delivery.inits).toHaveLength(0);
  });
});

describe('outbox', () => {
  it('offline: queued without trying, then delivered by the next page load', async () => {
    (await sdkAt('https://www.shop.example/?s1=abc')).capture();
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    const sdk = await sdkAt('https://www.shop.example/thank-you');
    sdk.init({ endpoint: '/c', offerId: '42' });
    expect((await sdk.conversion({ orderId: 'D' })).status).toBe('queued');
    expect(sent).toHaveLength(0);
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => true });
    (await sdkAt('https://www.shop.example/other')).init({});
    await vi.waitFor(() => expect(sent).toHaveLength(1), 5000);
    expect(query(sent[0]!).unique_id).toBe('D');
    // Delivered: the next load sends nothing more.
    (await sdkAt('https://www.shop.example/other')).init({});
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toHaveLength(1);
  });

  it('a failed delivery is queued, retried with the same URL, and dropped after 5 attempts', async () => {
    (await sdkAt('https://www.shop.example/?s1=abc')).capture();
    let accept = false;
    Object.defineProperty(navigator, 'sendBeacon', {
      configurable: true,
      value: (url: string) => {
        sent.push(url);
        return accept;
      },
    });
    const sdk = await sdkAt('https://www.shop.example/thank-you');
    sdk.init({ endpoint: '/c', offerId: '42', transport: 'beacon' });
    expect((await sdk.conversion({ orderId: 'E' })).status).toBe('queued');
    // Each page load retries once it has claimed the record (and waited out the claim).
    const now = Date.now();
    for (let attempt = 2; attempt <= 5; attempt++) {
      (await sdkAt('https://www.shop.example/x')).init({});
      await vi.waitFor(() => expect(sent).toHaveLength(attempt), 5000);
      // Later attempts back off (5 s, 10 s, 20 s): the next page load is a minute later.
      vi.spyOn(Date, 'now').mockReturnValue(now + attempt * 60_000);
    }
    expect(new Set(sent).size).toBe(1);
    accept = true;
    vi.spyOn(Date, 'now').mockReturnValue(now + 10 * 60_000);
    (await sdkAt('https://www.shop.example/x')).init({});
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toHaveLength(5);
  });

  it('backs off: after a second failure, page loads within 5 s do not spend another attempt', async () => {
    (await sdkAt('https://www.shop.example/?s1=abc')).capture();
    delivery.beacon = false;
    const sdk = await sdkAt('https://www.shop.example/thank-you');
    sdk.init({ endpoint: '/c', offerId: '42', transport: 'beacon' });
    expect((await sdk.conversion({ orderId: 'BACKOFF' })).status).toBe('queued');
    (await sdkAt('https://www.shop.example/x')).init({});
    await vi.waitFor(() => expect(sent).toHaveLength(2), 5000);
    for (let i = 0; i < 3; i++) (await sdkAt('https://www.shop.example/x')).init({});
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(sent).toHaveLength(2);
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 6000);
    (await sdkAt('https://www.shop.example/x')).init({});
    await vi.waitFor(() => expect(sent).toHaveLength(3), 5000);
  });

  it('keeps at most 50 records, dropping the oldest first', async () => {
    (await sdkAt('https://www.shop.example/?s1=abc')).capture();
    const sdk = await sdkAt('https://www.shop.example/thank-you');
    sdk.init({ endpoint: '/c', offerId: '42' });
    for (let i = 0; i < 60; i++) {
      vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000 + i);
      await sdk.conversion({ orderId: 'O' + i });
    }
    const records = Object.keys(localStorage).filter((k) => k !== '_postclick');
    expect(records).toHaveLength(50);
    expect((await sdk.conversion({ orderId: 'O59' })).status).toBe('duplicate');
    expect((await sdk.conversion({ orderId: 'O0' })).status).toBe('sent');
  });
});

describe('consent', () => {
  it("'pending' keeps the click ID and conversions in memory until consent(true)", async () => {
    const sdk = await sdkAt('https://www.shop.example/?s1=abc');
    sdk.init({ consent: 'pending', endpoint: '/c', offerId: '42' });
    expect(sdk.getClickId()).toBe('abc');
    expect(document.cookie).not.toContain('_postclick');
    expect(localStorage.length).toBe(0);
    expect((await sdk.conversion({ orderId: 'F' })).status).toBe('queued');
    expect(sent).toHaveLength(0);
    sdk.consent(true);
    await vi.waitFor(() => expect(sent).toHaveLength(1), 5000);
    expect(query(sent[0]!)).toMatchObject({ click_id: 'abc', order_id: 'F' });
    expect(document.cookie).toContain('_postclick=abc');
    expect((await sdk.conversion({ orderId: 'F' })).status).toBe('duplicate');
  });

  it('consent(false) drops them and later conversions fail', async () => {
    const sdk = await sdkAt('https://www.shop.example/?s1=abc');
    sdk.init({ consent: 'pending', endpoint: '/c', offerId: '42' });
    await sdk.conversion({ orderId: 'G' });
    sdk.consent(false);
    expect(sdk.getClickId()).toBeNull();
    expect((await sdk.conversion({ orderId: 'H', clickId: 'abc' })).status).toBe('failed');
    expect(sent).toHaveLength(0);
    expect(localStorage.length).toBe(0);
    expect(document.cookie).not.toContain('_postclick');
  });
});

describe('reset', () => {
  it('forgets the click ID and the fired marks', async () => {
    (await sdkAt('https://www.shop.example/?s1=abc')).capture();
    const sdk = await sdkAt('https://www.shop.example/thank-you');
    sdk.init({ endpoint: '/c', offerId: '42' });
    await sdk.conversion({ orderId: 'I' });
    sdk.reset();
    expect(sdk.getClickId()).toBeNull();
    expect(document.cookie).not.toContain('_postclick');
    expect((await sdk.conversion({ orderId: 'I', clickId: 'abc' })).status).toBe('sent');
  });
});

describe('hostile storage', () => {
  it('converts with cookies and localStorage both throwing, deduping in memory', async () => {
    Object.defineProperty(document, 'cookie', {
      configurable: true,
      get: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      set: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
    vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    const sdk = await sdkAt('https://www.shop.example/landing?s1=mem');
    sdk.init({ endpoint: '/c', offerId: '42' });
    expect(sdk.getClickId()).toBe('mem');
    expect((await sdk.conversion({ orderId: 'J' })).status).toBe('sent');
    expect((await sdk.conversion({ orderId: 'J' })).status).toBe('duplicate');
    expect(query(sent[0]!).click_id).toBe('mem');
  });

  it('keeps working when localStorage is full (QuotaExceededError)', async () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    const sdk = await sdkAt('https://www.shop.example/landing?s1=quota');
    sdk.init({ endpoint: '/c', offerId: '42' });
    expect(sdk.getClickId()).toBe('quota');
    expect((await sdk.conversion({ orderId: 'K' })).status).toBe('sent');
    expect((await sdk.conversion({ orderId: 'K' })).status).toBe('duplicate');
  });

  it('never writes to the console without debug, and explains with ?postclick_debug=1', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const quiet = await sdkAt('https://www.shop.example/?s1={clickid}');
    quiet.init({ endpoint: '/c' });
    await quiet.conversion({ amount: 'x' });
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    expect(info).not.toHaveBeenCalled();
    expect(debug).not.toHaveBeenCalled();
    const loud = await sdkAt('https://www.shop.example/?s1={clickid}&postclick_debug=1');
    loud.init({ endpoint: '/c' });
    await loud.conversion({ amount: 'x' });
    // Both are problems: an ignored click ID, a conversion not sent.
    expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/s1[\s\S]*invalid/);
    // init's explanations (nothing captured here) would be info; none are warnings.
    expect(warn.mock.calls.every((c) => /^postclick: (ignored|invalid)/.test(String(c[0])))).toBe(true);
  });
});
