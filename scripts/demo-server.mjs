// @ts-check
// The demo behind `npm start` (scripts/demo.mjs): the reference collector serving the SDK
// and the example pages on one origin, plus the few routes only the demo needs, answered
// here rather than by the collector:
//   /postclick/c, /postclick/click
//                        the shop's first-party relay (`relay()` of postclick/server): the
//                        pages send their conversions there, and it forwards each one
//                        server-to-server to the collector's /c, which plays the network
//   POST /demo/reset     empties the database (a fresh collector on the same port)
//   GET  /img-only.html  the no-JavaScript thank-you page, rendered as a shop's server
//                        would: a fresh order ID per walk, and what the server knows
//   GET  /favicon.ico    the demo's icon, so no page logs a 404
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startCollector } from 'postclick-collector';

export const path = (/** @type {string} */ relative) => fileURLToPath(new URL(`../${relative}`, import.meta.url));

/** What `npm run build` reads, and what it writes (the SDK and the SPA example's bundle). */
const INPUTS = ['src', 'examples/spa/src', 'rollup.config.mjs', 'examples/spa/rollup.config.mjs', 'scripts/minify.mjs'];
const OUTPUTS = [
  'dist/postclick.js',
  'dist/capture.js',
  'dist/postclick.mjs',
  'dist/cli.mjs',
  'dist/server.mjs',
  'examples/spa/dist/app.js',
];

/** Newest modification time (ms) under `relative`, a file or a directory. @param {string} relative */
function newest(relative) {
  const full = path(relative);
  const stats = statSync(full);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(
    stats.mtimeMs,
    ...readdirSync(full, { recursive: true, encoding: 'utf8' }).map((file) => statSync(`${full}/${file}`).mtimeMs),
  );
}

/**
 * Whether dist/ needs a build: missing outputs, or an input changed since the oldest
 * output was written (modification times: a build writes every output).
 * @returns {string | null} why it is stale, or null when it is fresh
 */
export function staleBecause() {
  let builtAt = Infinity;
  for (const output of OUTPUTS) {
    try {
      builtAt = Math.min(builtAt, statSync(path(output)).mtimeMs);
    } catch {
      return `${output} is missing`;
    }
  }
  const changed = INPUTS.find((input) => newest(input) > builtAt);
  return changed ? `${changed} changed since the last build` : null;
}

/**
 * The steps of `npm run build` (package.json), each announced, with rollup's progress shown
 * (the build script runs it with --silent): `say` gets one line per step.
 * @param {(line: string) => void} say
 * @returns {Promise<boolean>} whether every step succeeded
 */
export async function build(say) {
  const rollup = path('node_modules/.bin/rollup');
  const steps = [
    ['the SDK (dist/)', rollup, ['-c']],
    ['size budgets', process.execPath, ['scripts/size.mjs', '--quiet']],
    ['the SPA example (examples/spa/dist/)', rollup, ['-c', 'examples/spa/rollup.config.mjs']],
  ];
  for (const [index, [what, command, args]] of steps.entries()) {
    say(`build ${index + 1}/${steps.length}: ${what}`);
    const ok = await new Promise((resolve) => {
      const child = spawn(/** @type {string} */ (command), /** @type {string[]} */ (args), {
        cwd: path(''),
        stdio: 'inherit',
      });
      child.on('error', () => resolve(false));
      child.on('exit', (code) => resolve(code === 0));
    });
    if (!ok) return false;
  }
  return true;
}

/** The no-JavaScript thank-you page's order IDs: what the page accepts in `?order=`. */
const ORDER_ID = /^[A-Za-z0-9-]{1,40}$/;

const escapeHtml = (/** @type {string} */ text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A fresh order ID: time and a random part, so two walks never share one. */
const freshOrderId = (/** @type {string} */ prefix) =>
  prefix + Date.now().toString(36).toUpperCase() + Math.random().toString(36).slice(2, 5).toUpperCase();

/** Where the shop mounts its relay: the pages' `endpoint` is `/postclick/c`, their `cookieEndpoint` `/postclick/click`. */
export const RELAY_PREFIX = '/postclick/';

/**
 * The sub ID the relay adds to every postback it forwards (its `forward` URL carries it), so
 * the network's report tells a postback from the relay apart from a pixel sent straight to
 * /c. The demo's pages send no adv5 of their own (the collector would keep this first one).
 */
export const RELAY_MARK = { name: 'adv5', value: 'via-relay' };

/**
 * Starts the demo. `port` 0 picks a free one. Resolves once it listens; rejects as
 * `startCollector` does (EADDRINUSE for a busy port).
 * @param {{ port?: number, host?: string, data?: string, quiet?: boolean }} [options]
 */
export async function startDemo({ port = 0, host = '127.0.0.1', data, quiet = true } = {}) {
  const icon = readFileSync(path('examples/favicon.svg'));
  // Imported here rather than at the top: `npm start` builds dist/ first when it is stale,
  // and this is the package's built `postclick/server`, as a shop's server would import it.
  const { relay, toNodeListener } = await import('postclick/server');
  /** @type {Awaited<ReturnType<typeof startCollector>>} */
  let collector;
  /**
   * The relay, once the demo listens: it forwards to the collector's /c through the demo's
   * own port (0 picks one, known only then), which stays the same across resets.
   * @type {ReturnType<typeof toNodeListener> | undefined}
   */
  let relayListener;

  /**
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @returns {Promise<boolean>}
   */
  const handler = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'max-age=3600' }).end(icon);
      return true;
    }
    if (url.pathname === '/demo/reset') {
      if (req.method !== 'POST') {
        res.writeHead(405, { Allow: 'POST', 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'POST /demo/reset empties the demo database' }));
        return true;
      }
      res.writeHead(202, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      // Answered before the restart: the requests that come during it (the page's /healthz
      // poll) wait for the fresh collector.
      res.end(JSON.stringify({ reset: 'restarting with an empty database; poll /healthz' }));
      res.on('finish', () => void reset());
      return true;
    }
    if (url.pathname.startsWith(RELAY_PREFIX)) return shopRelay(req, res);
    if (url.pathname === '/img-only.html' && req.method === 'GET') return imgOnly(req, res, url);
    return false;
  };

  /**
   * The shop's relay (the collector's request log, with `quiet` off, shows each request to
   * it, and the postback it sent to /c just before).
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   */
  async function shopRelay(req, res) {
    if (!relayListener) {
      // Only a request that raced the start-up (a tab left open on a fixed port) gets here.
      res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1' });
      res.end(JSON.stringify({ error: 'the relay starts with the collector: try again' }));
      return true;
    }
    await relayListener(req, res);
    return true;
  }

  /**
   * The shop's server renders the order ID into the pixel, as a template engine would. A
   * visit without one gets a fresh one in the URL, so a reload is the same order again.
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {URL} url
   */
  async function imgOnly(req, res, url) {
    const orderId = url.searchParams.get('order') ?? '';
    if (!ORDER_ID.test(orderId)) {
      res.writeHead(302, { Location: `/img-only.html?order=${freshOrderId('IMG-')}`, 'Cache-Control': 'no-store' });
      res.end();
      return true;
    }
    const clickId = /(?:^|;\s*)_postclick=([\w.~:-]{1,128})(?:;|$)/.exec(req.headers.cookie ?? '')?.[1];
    const earlier = (await collector.conversions()).filter((row) => row.order_id === orderId);
    const browser = clickId
      ? `<p class="state ok">Your browser holds click ID <code>${escapeHtml(clickId)}</code> in the
        <code>_postclick</code> cookie: the pixel below carries no click ID, the collector reads it from that cookie.</p>`
      : `<p class="state problem"><b>No click ID:</b> this browser has no <code>_postclick</code> cookie, so the
        collector will <b>reject</b> this conversion (missing click_id). <a href="/">Open the tracking link first</a>,
        then come back through the shop.</p>`;
    const before = earlier.length
      ? `<p class="state problem">Order <b>${escapeHtml(orderId)}</b> was reported before
        (${earlier.map((row) => escapeHtml(String(row.status))).join(', ')}): this page's pixel is a
        <b>duplicate</b> and is not paid again. A <a href="/product.html">new purchase</a> gets a new order ID.</p>`
      : `<p class="state ok">Order <b>${escapeHtml(orderId)}</b> has not been reported yet: this page's pixel
        reports it now.</p>`;
    const page = readFileSync(path('examples/img-only.html'), 'utf8')
      .replaceAll('{{order_id}}', escapeHtml(orderId))
      .replace('{{server_says}}', browser + before);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(page);
    return true;
  }

  // The collector listens on a port of its own that nobody is told about; the demo's port is
  // this front server's, which hands each request to the collector of the moment. So a reset
  // (a new collector, an empty database) never refuses a connection: a request that arrives
  // during it waits for the fresh collector, as the page's /healthz poll does.
  const open = () =>
    startCollector({
      port: 0,
      host: '127.0.0.1',
      data,
      quiet,
      handler,
      static: { '/dist/': path('dist'), '/': path('examples') },
    });

  let resetting = Promise.resolve();
  /** Closes the collector, deletes its database, and starts a fresh one behind the same port. */
  function reset() {
    resetting = resetting.then(async () => {
      await collector.close();
      if (data) for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(data + suffix, { force: true });
      collector = await open();
    });
    return resetting;
  }

  // The port first: a busy one fails at once, before a collector is started for nothing.
  const front = createServer((req, res) => {
    void resetting.then(() => collector.server.emit('request', req, res));
  });
  await new Promise((resolve, reject) => {
    front.once('error', reject);
    front.listen(port, host, () => resolve(undefined));
  });
  resetting = open().then((fresh) => {
    collector = fresh;
  });
  try {
    await resetting;
  } catch (error) {
    front.close();
    throw error;
  }
  const frontPort = /** @type {import('node:net').AddressInfo} */ (front.address()).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${frontPort}`;
  const forward = new URL('/c', url);
  forward.searchParams.set(RELAY_MARK.name, RELAY_MARK.value);
  // A plain URL (no template): the relay appends every conversion parameter to it.
  relayListener = toNodeListener(relay({ forward: forward.href }));
  return {
    url,
    port: frontPort,
    /** The running collector (a new one after each reset). */
    get collector() {
      return collector;
    },
    reset,
    async close() {
      await resetting;
      front.closeAllConnections();
      await new Promise((resolve) => front.close(() => resolve(undefined)));
      await collector.close();
    },
  };
}
