// @ts-check
import { statSync } from 'node:fs';
import { buildServer } from './app.js';
import { createForwarder } from './forwarder.js';
import { createHitLog } from './hits.js';
import { openStore } from './store/index.js';

export { isValidClickId } from './clickId.js';

/**
 * @typedef {object} CollectorOptions
 * @property {number} [port]  0 picks a free port (default 8787)
 * @property {string} [host]  default 127.0.0.1
 * @property {string} [data]  SQLite file, or postgres://USER[:PASSWORD]@HOST[:PORT]/DB; undefined → in memory
 * @property {number} [sessionHours]  how long a click may convert (default 720 = 30 days)
 * @property {string | (import('./forwarder.js').ForwardOptions)} [forward]
 *   forward each approved conversion to this postback URL or template (or these settings)
 * @property {Record<string, string>} [static]  URL prefix → directory
 * @property {import('./app.js').RawHandler} [handler]
 *   called first for every request; return true when it answered
 * @property {boolean} [quiet]  no request log on stdout
 * @property {boolean} [recordHits]  keep every /c request in `hits` (default true, for tests;
 *   the CLI turns it off: a long-running collector must not keep every request in memory)
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
  forward,
  static: mounts = {},
  handler,
  quiet = false,
  recordHits = true,
  now = Date.now,
} = {}) {
  if (!(sessionHours > 0 && Number.isFinite(sessionHours)))
    throw new RangeError('sessionHours must be a positive number');
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
      throw new Error(`--static: ${dir} is not a folder (mounted at ${prefix})`);
  }
  const forwardOptions = typeof forward === 'string' ? { url: forward } : forward;
  const store = await openStore(data, { sessionHours, forward: forwardOptions !== undefined });
  const hits = createHitLog();
  const forwarder = forwardOptions && createForwarder(store, { ...forwardOptions, now });

  /** @type {Awaited<ReturnType<typeof buildServer>>} */
  let fastify;
  try {
    fastify = await buildServer({
      app: {
        store,
        sessionHours,
        now,
        forwarder,
        logHit(request, bodyText) {
          /** @type {any} */ (request).hitLogged = true;
          if (recordHits) hits.add(request.raw, '/c', bodyText);
        },
      },
      mounts,
      handler,
      quiet,
    });
    await fastify.listen({ port, host });
  } catch (error) {
    await forwarder?.stop();
    await store.close();
    throw error;
  }
  const server = fastify.server;
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  /** @type {Promise<void> | undefined} */
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
    conversions: () => store.conversions(),
    /** Same objects as GET /reports/clicks, newest first. */
    clicks: () => store.clicks(),
    /** Stops accepting, lets requests in flight finish (1 s at most), closes the database. */
    close() {
      closing ??= (async () => {
        // Keep-alive connections become idle when their request is done; close them as
        // they do, and cut whatever is still busy after a second.
        const idle = setInterval(() => server.closeIdleConnections(), 20);
        const force = setTimeout(() => server.closeAllConnections(), 1000);
        try {
          await fastify.close();
        } finally {
          clearInterval(idle);
          clearTimeout(force);
        }
        await forwarder?.stop();
        await store.close();
      })();
      return closing;
    },
  };
}

/** @typedef {Awaited<ReturnType<typeof startCollector>>} Collector */
