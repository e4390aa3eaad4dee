// @ts-check
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { convert, freshData, newClick, start, STORE } from './helpers.js';

const SEED = 0x9e3779b9;
const HTTP_CASES = 400;
const RAW_CASES = 160;

/** mulberry32: a tiny seeded PRNG, so a failure replays exactly. @param {number} seed */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** @template T @param {readonly T[]} list @returns {T} */
  const pick = (list) => list[Math.floor(next() * list.length)];
  const bytes = (/** @type {number} */ n) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
  return { next, pick, bytes };
}

const rnd = prng(SEED);
const { pick } = rnd;
const big = (/** @type {number} */ n) => 'x'.repeat(n);

// Values that are wrong in every way a client manages to be wrong.
const BAD_VALUES = [
  '-1',
  '1e3',
  'NaN',
  'Infinity',
  '0x10',
  '１２',
  '1,50',
  '1.2.3',
  ' 1',
  '.5',
  '',
  '%FF',
  '%',
  '%zz',
  '%E0%A4%A',
  '%00',
  '%0D%0ASet-Cookie:x=1',
  '<script>alert(1)</script>',
  '{clickid}',
  'REPLACE',
  '☃',
  big(300),
  big(100_000),
  '__proto__',
  'constructor',
  "' OR 1=1 --",
  '"; DROP TABLE conversions; --',
];
const NAMES = [
  'offer_id',
  'click_id',
  'amount',
  'payout',
  'revenue',
  'order_id',
  'unique_id',
  'adv1',
  'adv5',
  'event',
  'currency',
  'url',
  'param',
  'aff_id',
  '_',
  '__proto__',
  'constructor',
  '%FF',
  '',
];
const PATHS = [
  '/c',
  '/c',
  '/c',
  '/click',
  '/suppression',
  '/reports',
  '/reports/conversions',
  '/healthz',
  '/nope',
  '/c/',
  '//c',
  '/%FF',
  '/c%00',
];
const METHODS = ['GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE'];
const TYPES = [
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/json',
  'multipart/form-data; boundary=x',
  'x/y; charset=nope',
  '',
];

function fuzzQuery() {
  const count = pick([0, 1, 2, 3, 5, 8, 400]);
  return Array.from({ length: count }, () => `${pick(NAMES)}=${pick(BAD_VALUES)}`).join(pick(['&', '&', '&&', ';']));
}

function fuzzBody() {
  return pick([
    () => '',
    () => fuzzQuery(),
    () => rnd.bytes(Math.floor(rnd.next() * 2000)),
    () => JSON.stringify({ click_id: pick(BAD_VALUES), aff_id: pick([1, null, [], {}, pick(BAD_VALUES)]) }),
    () => '{"aff_id":',
    () => big(70_000),
  ])();
}

/** One request through node:http (which keeps the request itself well-formed). */
function httpCase() {
  const method = pick(METHODS);
  const headers = /** @type {Record<string, string>} */ ({});
  if (rnd.next() < 0.5) headers['content-type'] = pick(TYPES);
  if (rnd.next() < 0.3)
    headers.cookie = pick([
      '_postclick=',
      '_postclick=%FF',
      `_postclick=${big(20_000)}`,
      '=;;=;',
      '_postclick="a"; _postclick=b',
    ]);
  if (rnd.next() < 0.2) headers.referer = pick(BAD_VALUES).replace(/[^\x21-\x7e]/g, '');
  const body = method === 'GET' || method === 'HEAD' ? '' : fuzzBody();
  const path = `${pick(PATHS)}?${fuzzQuery()}`.replace(/[^\x21-\x7e]/g, encodeURIComponent);
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', () => resolve(null));
    });
    req.on('error', () => resolve(null)); // the server may hang up on a 413
    req.end(body);
  });
}

// Requests node:http would refuse to send: header abuse, framing abuse, plain garbage.
const RAW = [
  () => 'GARBAGE\r\n\r\n',
  () => rnd.bytes(200),
  () => 'GET /c?offer_id=%FF HTTP/1.1\r\nHost: x\r\n\r\n',
  () => 'GET /c?offer_id=42 HTTP/1.1\r\n\r\n',
  () => `GET /c?${big(200_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  () => `GET /c?offer_id=42 HTTP/1.1\r\nHost: x\r\nX-Big: ${big(200_000)}\r\n\r\n`,
  () => `GET /healthz HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-${i}: y\r\n`).join('')}\r\n`,
  () => 'GET /c?offer_id=42 HTTP/1.1\r\nHost: x\r\nX-Fold: a\r\n b\r\n\r\n',
  () => 'GET /c?offer_id=42 HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n',
  () => 'GET /c?offer_id=42 HTTP/1.1\r\nHost: x\r\nX-Nul: a\0b\r\n\r\n',
  () => 'POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\noffer_id=4',
  () => 'POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
  () => 'POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
  () => 'POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\noffer_id=42',
  () => 'POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n',
  () => 'POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nnope\r\n0\r\n\r\n',
  () => 'POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
  () =>
    `POST /c?offer_id=42 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${'ffff\r\n' + big(0xffff) + '\r\n'}0\r\n\r\n`,
  () => 'GET /c?offer_id=42 HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\nBREW /c HTTP/1.1\r\n\r\n',
  () => 'GET /c?offer_id=42\r\n\r\n',
  () => 'GET /c?offer_id=42 HTTP/9.9\r\nHost: x\r\n\r\n',
  () => 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
  () => 'GET http://evil.test/c?offer_id=42&click_id=x HTTP/1.1\r\nHost: evil.test\r\n\r\n',
  () => 'GET * HTTP/1.1\r\nHost: x\r\n\r\n',
  () =>
    `GET /click?url=http://a.test/ HTTP/1.1\r\nHost: ${pick(['', '[::1', 'a..b', big(300), '%FF', 'x:99999'])}\r\n\r\n`,
  () =>
    `GET /c?offer_id=42 HTTP/1.1\r\nHost: x\r\nCookie: ${pick(['\x01\x02', big(50_000), '_postclick=a;_postclick=b'])}\r\n\r\n`,
  () => 'GET /c?offer_id=42 HTTP/1.1\r\nHost: x\r\n', // cut short
];

/** Writes bytes, half-closes, collects every status line the server sends back. */
function rawCase() {
  const payload = pick(RAW)();
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const done = () => resolve([...received.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1])));
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', done);
    socket.end(payload);
  });
}

let port = 0;

describe('fuzz', () => {
  it(
    `survives ${HTTP_CASES + RAW_CASES} malformed requests (seed ${SEED}) without a 5xx or damage`,
    { timeout: 60_000 },
    async () => {
      const data = await freshData();
      const c = await start({ data });
      port = c.port;
      /** @type {unknown[]} */
      const errors = [];
      const consoleError = console.error;
      console.error = (/** @type {unknown[]} */ ...args) => errors.push(args); // a 500 would log here
      try {
        const clickId = await newClick(c);
        await convert(c, { offer_id: '42', click_id: clickId, order_id: 'KEEP-1', amount: '49.99', adv1: 'spring' });
        await convert(c, { offer_id: '42', click_id: clickId, order_id: 'KEEP-1' });
        await convert(c, { offer_id: '42', order_id: 'KEEP-2' });
        const clicksBefore = await c.clicks();
        const conversionsBefore = await c.conversions();

        const cases = [
          ...Array.from({ length: HTTP_CASES }, () => httpCase),
          ...Array.from({ length: RAW_CASES }, () => rawCase),
        ];
        // Shuffle with the same generator, then run 8 at a time.
        for (let i = cases.length - 1; i > 0; i--) {
          const j = Math.floor(rnd.next() * (i + 1));
          [cases[i], cases[j]] = [cases[j], cases[i]];
        }
        /** @type {number[]} */
        const statuses = [];
        for (let i = 0; i < cases.length; i += 8) {
          for (const result of await Promise.all(cases.slice(i, i + 8).map((run) => run())))
            statuses.push(...[result].flat().filter((s) => s !== null));
        }

        expect(statuses.filter((s) => s >= 500)).toEqual([]);
        expect(statuses.filter((s) => s >= 400).length).toBeGreaterThan(cases.length / 2);
        expect(errors).toEqual([]);

        const health = await fetch(`${c.url}/healthz`);
        expect([health.status, await health.text()]).toEqual([200, 'ok']);
        const clicksAfter = await c.clicks();
        const conversionsAfter = await c.conversions();
        expect(clicksAfter.slice(-clicksBefore.length)).toEqual(clicksBefore);
        expect(conversionsAfter.slice(-conversionsBefore.length)).toEqual(conversionsBefore);
        expect(conversionsAfter.filter((row) => row.status === 'approved' && row.order_id === 'KEEP-1')).toHaveLength(
          1,
        );
      } finally {
        console.error = consoleError;
        await c.close();
      }
      if (STORE === 'sqlite') {
        const db = new Database(data);
        expect(db.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
        db.close();
      }
    },
  );
});
