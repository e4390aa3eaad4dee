// @vitest-environment node
/**
 * Client garbage never gets a 5xx from the relay, in the manner of the collector's fuzz
 * test (collector/test/fuzz.test.js): seeded requests, so a failure replays exactly — in
 * process against the handler, through toNodeListener over node:http, and as raw bytes
 * node:http would refuse to send. The network answers 200, so a 502 would be a relay bug;
 * and whatever reached the network is a well-formed postback.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relay, toNodeListener } from '../../src/server';
import { prng, runShuffled, sendHttp, sendRaw } from '../support/fuzz.mjs';
import { startNetwork, type Network } from './support/network';

const SEED = 0x5eed1234;
const IN_PROCESS = 320;
const HTTP = 200;
const RAW = 80;

const rnd = prng(SEED);
const { pick } = rnd;
const big = (n: number) => 'x'.repeat(n);

const VALUES = [
  'abc',
  '8f3a9c21',
  '49.99',
  '0',
  '-1',
  '1e3',
  'NaN',
  'Infinity',
  '１２',
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
  'eur',
  big(300),
  big(9000),
  '__proto__',
  'constructor',
  "' OR 1=1 --",
];
const NAMES = [
  'click_id',
  'click_id',
  'offer_id',
  'amount',
  'payout',
  'revenue',
  'order_id',
  'unique_id',
  'adv1',
  'adv5',
  'event',
  'currency',
  's1',
  'clickid',
  '_',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  '%FF',
  '',
];
const PATHS = ['/c', '/c', '/postclick/c', '/click', '/postclick/click', '/nope', '/c/', '//c', '/%FF', '/c%00', '/'];
const METHODS = ['GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
const TYPES = [
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/json',
  'multipart/form-data; boundary=x',
  'x/y; charset=nope',
  '',
];
const COOKIES = ['_postclick=', '_postclick=%FF', `_postclick=${big(20_000)}`, '=;;=;', '_postclick="a"; _postclick=b'];
const ORIGINS = ['https://allowed.example', 'https://evil.example', 'null', 'http://[::1', big(500)];

function fuzzQuery(): string {
  const count = pick([0, 1, 2, 3, 5, 8, 400]);
  return Array.from({ length: count }, () => `${pick(NAMES)}=${pick(VALUES)}`).join(pick(['&', '&', '&&', ';']));
}

function fuzzBody(): string | Uint8Array {
  return pick([
    () => '',
    () => fuzzQuery(),
    () => rnd.bytes(Math.floor(rnd.next() * 2000)),
    () => JSON.stringify({ click_id: pick(VALUES) }),
    () => big(70_000),
  ])();
}

function fuzzHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  if (rnd.next() < 0.5) headers['content-type'] = pick(TYPES);
  if (rnd.next() < 0.3) headers.cookie = pick(COOKIES);
  if (rnd.next() < 0.3) headers.origin = pick(ORIGINS);
  if (rnd.next() < 0.2) headers['x-forwarded-proto'] = pick(['https', 'http', 'HTTPS, http', '', big(100)]);
  if (rnd.next() < 0.1) headers['access-control-request-headers'] = pick(['content-type', '*', big(100)]);
  if (rnd.next() < 0.1) headers['content-length'] = pick(['99999999999', '-1', 'abc']);
  return headers;
}

const target = () => `${pick(PATHS)}?${fuzzQuery()}`.replace(/[^\x21-\x7e]/g, encodeURIComponent);

let network: Network;
let server: Server;
let port = 0;
const handler = () =>
  relay({ forward: `${network.origin}/pb?key=k`, allowOrigins: ['https://allowed.example'], retries: 0 });

beforeAll(async () => {
  network = await startNetwork();
  server = createServer(toNodeListener(handler()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await network.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** One request to the handler itself, built as a web Request (which refuses some input itself). */
async function inProcess(relayHandler: ReturnType<typeof relay>): Promise<number | null> {
  const method = pick(METHODS);
  const headers = fuzzHeaders();
  delete headers['content-length'];
  const body = method === 'GET' || method === 'HEAD' ? undefined : fuzzBody();
  let request: Request;
  try {
    request = new Request('https://www.shop.example' + target(), { method, headers, body: body as BodyInit });
  } catch {
    return null; // not a Request a runtime could hand us
  }
  return (await relayHandler(request)).status;
}

/** One request through node:http (which keeps the request itself well-formed). */
function httpCase(): Promise<number | null> {
  const method = pick(METHODS);
  const headers = fuzzHeaders();
  const body = method === 'GET' || method === 'HEAD' ? '' : fuzzBody();
  if (headers['content-length']) delete headers['content-length'];
  return sendHttp(port, { method, path: target(), headers, body });
}

// Requests node:http would refuse to send: framing abuse, header abuse, garbage.
const RAW_PAYLOADS = [
  () => 'GARBAGE\r\n\r\n',
  () => rnd.bytes(200),
  () => 'GET /c?click_id=%FF HTTP/1.1\r\nHost: x\r\n\r\n',
  () => 'GET /c?click_id=a HTTP/1.1\r\n\r\n',
  () => `GET /c?${big(200_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  () => 'GET /c?click_id=a HTTP/1.1\r\nHost: a b\r\n\r\n',
  () => 'GET /c?click_id=a HTTP/1.1\r\nHost: [::1\r\n\r\n',
  () => 'TRACE /c HTTP/1.1\r\nHost: x\r\n\r\n',
  () => 'CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\n',
  () => 'POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nclick',
  () => 'POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nclick_id=a',
  () => 'POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n',
  () => 'POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nnope\r\n0\r\n\r\n',
  () =>
    `POST /c?click_id=a HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n${'ffff\r\n' + big(0xffff) + '\r\n'}ffff\r\n${big(0xffff)}\r\n0\r\n\r\n`,
  () => 'GET http://evil.test/c?click_id=a HTTP/1.1\r\nHost: evil.test\r\n\r\n',
  () => 'GET * HTTP/1.1\r\nHost: x\r\n\r\n',
  () =>
    `GET /c?click_id=a HTTP/1.1\r\nHost: x\r\nCookie: ${pick(['\x01\x02', big(50_000), '_postclick=a;_postclick=b'])}\r\n\r\n`,
  () => 'GET /c?click_id=a HTTP/1.1\r\nHost: x\r\nOrigin: \xff\xfe\r\n\r\n',
  () => 'GET /c?click_id=a HTTP/1.1\r\nHost: x\r\n', // cut short
];

const rawCase = () => sendRaw(port, pick(RAW_PAYLOADS)());

describe('fuzz', () => {
  it(
    `answers ${IN_PROCESS + HTTP + RAW} malformed requests (seed ${SEED}) without a 5xx`,
    { timeout: 120_000 },
    async () => {
      const statuses: number[] = [];
      const relayHandler = handler();
      for (let i = 0; i < IN_PROCESS; i++) {
        const status = await inProcess(relayHandler);
        if (status !== null) statuses.push(status);
      }
      const cases: (() => Promise<number | null | number[]>)[] = [
        ...Array.from({ length: HTTP }, () => httpCase),
        ...Array.from({ length: RAW }, () => rawCase),
      ];
      statuses.push(...(await runShuffled(rnd, cases)));

      expect(statuses.filter((status) => status >= 500)).toEqual([]);
      expect(statuses.filter((status) => status >= 400).length).toBeGreaterThan(statuses.length / 2);
      expect(statuses.length).toBeGreaterThan(IN_PROCESS);

      // What reached the network is a postback: the forward URL, a valid click ID, a unique_id.
      for (const query of network.queries()) {
        expect(query.key).toBe('k');
        expect(query.click_id).toMatch(/^[\w.~:-]{1,128}$/);
        expect(query.unique_id).toBeTruthy();
      }
      expect(network.hits.every((hit) => hit.startsWith('/pb?key=k&click_id='))).toBe(true);

      // And the relay still works.
      const after = await fetch(`http://127.0.0.1:${port}/postclick/c?click_id=still-ok&order_id=Z`);
      expect([after.status, await after.json()]).toEqual([200, { status: 'forwarded', upstream: 200 }]);
    },
  );
});
