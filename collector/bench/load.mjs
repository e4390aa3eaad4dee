// @ts-check
/**
 * A lean closed-loop HTTP/1.1 load generator for the throughput bench. It runs on the same
 * 2 cores as the collector it measures, so every microsecond it spends is taken from the
 * collector: autocannon (a JavaScript HTTP parser, a deep clone and a timer per request)
 * cost more CPU per request than the collector itself. This one keeps `connections`
 * keep-alive sockets, writes the next request on a socket as soon as the answer to the
 * previous one is read (no pipelining, like autocannon's default), and reads answers by
 * their head and `Content-Length`, which is all the collector's answers to `/c` use.
 *
 * The bytes on the wire are autocannon's: `METHOD path HTTP/1.1`, `Host`, `Connection:
 * keep-alive`, no body (a POST without a body has no `Content-Length`, as autocannon sends it).
 */
import { connect } from 'node:net';

/**
 * @typedef {object} LoadResult
 * @property {number} seconds  measured wall time
 * @property {number} requests  answers read
 * @property {number} perSecond  answers per second over the run
 * @property {number} ok  2xx answers
 * @property {number} non2xx
 * @property {number} errors  sockets that failed or answers that could not be read
 * @property {number} timeouts  requests unanswered after `timeoutMs`
 * @property {{ p50: number, p99: number, max: number }} latency  ms, of the answered requests
 */

/**
 * @param {object} options
 * @param {string} options.url  http://host:port
 * @param {number} options.connections
 * @param {number} options.seconds
 * @param {() => { method: string, path: string }} options.next  the next request of the mix
 * @param {number} [options.timeoutMs]  a request unanswered for this long counts as a timeout (default 10 s)
 * @returns {Promise<LoadResult>}
 */
export async function runLoad({ url, connections, seconds, next, timeoutMs = 10_000 }) {
  const { hostname, port, host } = new URL(url);
  const address = hostname.replace(/^\[|\]$/g, '');
  const tail = ` HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`;
  /** @type {number[]} */
  const latencies = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;

  /** One connection's loop; resolves when the run is over. @returns {Promise<void>} */
  const client = () =>
    new Promise((resolve) => {
      const socket = connect({ host: address, port: Number(port), noDelay: true });
      /** @type {Buffer | null} */
      let pending = null;
      let sentAt = 0;
      let done = false;
      const timer = setInterval(() => {
        if (!done && performance.now() - sentAt > timeoutMs) {
          timeouts++;
          finish();
        }
      }, 1000);
      const finish = () => {
        if (done) return;
        done = true;
        clearInterval(timer);
        socket.destroy();
        resolve();
      };
      const send = () => {
        if (performance.now() >= deadline) return finish();
        const { method, path } = next();
        sentAt = performance.now();
        socket.write(method + ' ' + path + tail, 'latin1');
      };
      socket.on('connect', send);
      socket.on('error', () => {
        errors++;
        finish();
      });
      socket.on('close', finish);
      socket.on('data', (chunk) => {
        pending = pending ? Buffer.concat([pending, chunk]) : chunk;
        for (;;) {
          const headEnd = pending.indexOf('\r\n\r\n', 0, 'latin1');
          if (headEnd < 0) return;
          const head = pending.toString('latin1', 0, headEnd).toLowerCase();
          const lengthAt = head.indexOf('\r\ncontent-length:');
          if (!head.startsWith('http/1.1 ') || lengthAt < 0) {
            errors++;
            return finish();
          }
          const length = parseInt(head.slice(lengthAt + 17), 10);
          const end = headEnd + 4 + length;
          if (pending.length < end) return;
          const status = Number(head.slice(9, 12));
          if (status >= 200 && status < 300) ok++;
          else non2xx++;
          latencies.push(performance.now() - sentAt);
          pending = pending.length === end ? null : pending.subarray(end);
          if (pending) {
            // An answer nobody asked for: the server broke the request/answer rhythm.
            errors++;
            return finish();
          }
          send();
          return;
        }
      });
    });

  await Promise.all(Array.from({ length: connections }, client));
  const elapsed = (performance.now() - start) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  /** @param {number} q */
  const quantile = (q) =>
    sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]) : NaN;
  return {
    seconds: elapsed,
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    ok,
    non2xx,
    errors,
    timeouts,
    latency: { p50: quantile(0.5), p99: quantile(0.99), max: Math.round(sorted[sorted.length - 1] ?? NaN) },
  };
}
