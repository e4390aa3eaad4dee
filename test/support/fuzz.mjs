// @ts-check
/**
 * Seeded fuzzing over HTTP, shared by the collector's fuzz test (collector/test/fuzz.test.js)
 * and the relay's (test/unit/relay-fuzz.test.ts): what each sends is its own; how a case is
 * generated, sent and collected is here once. Seeded, so a failure replays exactly.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

/**
 * mulberry32: a tiny seeded PRNG.
 * @param {number} seed
 */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** @template T @param {readonly T[]} list @returns {T} */
  const pick = (list) => /** @type {T} */ (list[Math.floor(next() * list.length)]);
  /** @param {number} n */
  const bytes = (n) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
  return { next, pick, bytes };
}

/** @typedef {ReturnType<typeof prng>} Prng */

/**
 * One request through node:http, which keeps the request itself well-formed. Resolves with
 * the status, or null when the server hung up (as it may after a 413).
 * @param {number} port
 * @param {{ method: string, path: string, headers: Record<string, string>, body: string | Uint8Array }} request
 * @returns {Promise<number | null>}
 */
export function sendHttp(port, { method, path, headers, body }) {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? null));
      res.on('error', () => resolve(null));
    });
    req.on('error', () => resolve(null));
    req.end(body);
  });
}

/**
 * Bytes node:http would refuse to send (a string is sent as latin1, byte for byte); half-closes
 * and resolves with every status line the server sent back.
 * @param {number} port @param {string | Uint8Array} payload @returns {Promise<number[]>}
 */
export function sendRaw(port, payload) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve([...received.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]))));
    socket.end(typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload);
  });
}

/**
 * Shuffles `cases` with `rnd`, runs them 8 at a time, and returns every status they got.
 * @param {Prng} rnd @param {(() => Promise<number | null | number[]>)[]} cases @returns {Promise<number[]>}
 */
export async function runShuffled(rnd, cases) {
  const order = [...cases];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd.next() * (i + 1));
    [order[i], order[j]] = [
      /** @type {typeof order[number]} */ (order[j]),
      /** @type {typeof order[number]} */ (order[i]),
    ];
  }
  /** @type {number[]} */
  const statuses = [];
  for (let i = 0; i < order.length; i += 8) {
    for (const result of await Promise.all(order.slice(i, i + 8).map((run) => run())))
      statuses.push(...[result].flat().filter(/** @returns {s is number} */ (s) => s !== null));
  }
  return statuses;
}
