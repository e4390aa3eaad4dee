// @ts-check
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClick, request, start, STORE } from './helpers.js';

/** @type {import('../src/index.js').Collector} */
let c;
beforeAll(async () => {
  c = await start({
    // A page for the browser test, served by the same process under another host name.
    handler: (req, res) => {
      if (req.url !== '/page.html') return false;
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>shop</title>');
      return true;
    },
  });
});
afterAll(() => c.close());

const ORIGIN = 'https://shop.test';

/** @param {Response} res */
const cors = (res) => ({
  origin: res.headers.get('access-control-allow-origin'),
  credentials: res.headers.get('access-control-allow-credentials'),
  vary: res.headers.get('vary'),
});

describe('CORS on /c', () => {
  it('echoes the Origin with credentials on a 200, GET and POST', async () => {
    const clickId = await newClick(c);
    for (const method of ['GET', 'POST']) {
      const res = await request(c, `/c?offer_id=42&click_id=${clickId}`, { method, headers: { origin: ORIGIN } });
      expect([res.status, cors(res)]).toEqual([200, { origin: ORIGIN, credentials: 'true', vary: 'Origin' }]);
      expect(res.headers.get('access-control-expose-headers')).toBe('X-Postclick-Status');
    }
  });

  it.each(
    /** @type {[string, string, RequestInit, number][]} */ ([
      ['a 400', '/c?amount=1', {}, 400],
      ['a 415', '/c?offer_id=42', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }, 415],
      ['a 413 body', '/c', { method: 'POST', body: 'x'.repeat(70_000) }, 413],
      ['a 413 URL', `/c?offer_id=42&adv1=${'x'.repeat(8200)}`, {}, 413],
      ['a 405', '/c', { method: 'PUT' }, 405],
    ]),
  )('on %s too', async (_, path, init, status) => {
    const res = await request(c, path, { ...init, headers: { origin: ORIGIN, ...init.headers } });
    expect([res.status, cors(res)]).toEqual([status, { origin: ORIGIN, credentials: 'true', vary: 'Origin' }]);
  });

  it('answers a preflight with 204, storing nothing', async () => {
    const before = (await c.conversions()).length;
    const res = await request(c, '/c', {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-a' },
    });
    expect([res.status, cors(res)]).toEqual([204, { origin: ORIGIN, credentials: 'true', vary: 'Origin' }]);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('x-a');
    expect(await c.conversions()).toHaveLength(before);
  });

  it('says Vary: Origin without an Origin, and allows no origin then', async () => {
    const res = await request(c, '/c?offer_id=42');
    expect(cors(res)).toEqual({ origin: null, credentials: null, vary: 'Origin' });
  });

  it('leaves the other routes alone', async () => {
    const res = await request(c, '/reports/conversions', { headers: { origin: ORIGIN } });
    expect(cors(res)).toEqual({ origin: null, credentials: null, vary: null });
  });
});

// The browser is what enforces CORS: a page on another origin reads the answer of a
// credentialed fetch (what `acknowledge: true` sends), a 400 included. Store-independent,
// so it runs with the SQLite suite only.
describe.runIf(STORE === 'sqlite')('CORS in Chromium', () => {
  it('a credentialed cross-origin fetch reads the status and the verdict', { timeout: 60_000 }, async () => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      // localhost and 127.0.0.1 are different origins (and sites) on the same server.
      await page.goto(`http://localhost:${c.port}/page.html`);
      const clickId = await newClick(c);
      const answers = await page.evaluate(
        async ({ base, clickId }) => {
          const send = async (/** @type {string} */ query, /** @type {RequestInit} */ init = {}) => {
            const res = await fetch(`${base}/c?${query}`, { mode: 'cors', credentials: 'include', ...init });
            return [res.status, res.headers.get('x-postclick-status')];
          };
          return [
            await send(`offer_id=42&click_id=${clickId}&order_id=CORS-1`),
            await send('amount=1'),
            // A header outside the safelist makes Chromium send a preflight first.
            await send(`offer_id=42&click_id=${clickId}&order_id=CORS-2`, {
              method: 'POST',
              headers: { 'x-test': '1' },
            }),
          ];
        },
        { base: c.url, clickId },
      );
      expect(answers).toEqual([
        [200, 'approved'],
        [400, null],
        [200, 'approved'],
      ]);
    } finally {
      await browser.close();
    }
  });
});
