// @ts-check
import { createServer } from 'node:http';
import { openDb } from './db.js';
import { createHitLog } from './hits.js';
import { createRouter } from './router.js';
import { createStatic } from './static.js';

export { isValidClickId } from './clickId.js';

/**
 * @typedef {object} CollectorOptions
 * @property {number} [port]  0 picks a free port (default 8787)
 * @property {string} [host]  default 127.0.0.1
 * @property {string} [data]  SQLite file; undefined → in memory
 * @property {number} [sessionHours]  how long a click may convert (default 720 = 30 days)
 * @property {Record<string, string>} [static]  URL prefix → directory
 * @property {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean | Promise<boolean>} [handler]
 *   called first for every request; return true when it answered
 * @property {boolean} [quiet]  no request log on stdout
 * @property {() => number} [now]  clock (epoch ms), for tests
 */

/**
 * Starts a collector and resolves once it listens.
 * @param {CollectorOptions} [options]
 */
export async function startCollector({
  port = 8787,
  host = '127.0.0.1',
  data,
  sessionHours = 720,
  static: mounts = {},
  handler,
  quiet = false,
  now = Date.now,
} = {}) {
  if (!(sessionHours > 0 && Number.isFinite(sessionHours)))
    throw new RangeError('sessionHours must be a positive number');
  const db = openDb(data);
  const hits = createHitLog();
  const router = createRouter({ app: { db, sessionHours, now, hits }, serveStatic: createStatic(mounts), handler });
  // Node refuses request heads over maxHeaderSize with a bare 431 before we see them; at
  // 128 KB, URLs between our 8 KB limit and that get our own, explained 413.
  const server = createServer({ maxHeaderSize: 128 * 1024 }, quiet ? router : withLog(router));

  try {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(undefined));
    });
  } catch (error) {
    db.close();
    throw error;
  }
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  let closing;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    server,
    /** Every request to /c so far, in arrival order (see hits.js). */
    get hits() {
      return hits.list;
    },
    clearHits: hits.clear,
    /** Same objects as GET /reports/conversions, newest first. */
    conversions: () => db.conversions(),
    /** Same objects as GET /reports/clicks, newest first. */
    clicks: () => db.clicks(),
    /** Stops accepting, lets requests in flight finish (1 s at most), closes the database. */
    close() {
      closing ??= new Promise((resolve) => {
        // Keep-alive connections become idle when their request is done; close them as
        // they do, and cut whatever is still busy after a second.
        const idle = setInterval(() => server.closeIdleConnections(), 20);
        const force = setTimeout(() => server.closeAllConnections(), 1000);
        server.close(() => {
          clearInterval(idle);
          clearTimeout(force);
          db.close();
          resolve(undefined);
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

/** @typedef {Awaited<ReturnType<typeof startCollector>>} Collector */

/** One line per request: `POST /c 200 approved 1.4 ms`. @param {import('node:http').RequestListener} listener */
function withLog(listener) {
  return (
    /** @type {import('node:http').IncomingMessage} */ req,
    /** @type {import('node:http').ServerResponse} */ res,
  ) => {
    const started = performance.now();
    res.on('finish', () => {
      // Request targets are client-controlled: keep control characters off the terminal.
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      const target = (req.url ?? '').slice(0, 200).replace(/[\x00-\x1f\x7f]/g, '?');
      const verdict = res.getHeader('X-Postclick-Status');
      const ms = (performance.now() - started).toFixed(1);
      console.log(
        [req.method, target, res.statusCode, verdict, `${ms} ms`].filter((part) => part !== undefined).join(' '),
      );
    });
    return listener(req, res);
  };
}
