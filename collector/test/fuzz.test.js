// @ts-check
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { prng, runShuffled, sendHttp, sendRaw } from '../../test/support/fuzz.mjs';
import { convert, freshData, newClick, start, STORE } from './helpers.js';

const SEED = 0x9e3779b9;
const HTTP_CASES = 400;
const RAW_CASES = 160;

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
  return sendHttp(port, { method, path, headers, body });
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

const rawCase = () => sendRaw(port, pick(RAW)());

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
        const statuses = await runShuffled(rnd, cases);

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
