/**
 * The browser tests' server, without the vitest fixture around it, so the benchmarks
 * (bench/) can run the same one: a collector on 127.0.0.1 that serves the built `dist/`
 * and the routes a test (or a benchmark) adds, on every `*.shop.test` host.
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startCollector } from 'postclick-collector';
import { assertFreshDist } from '../../../scripts/dist-stamp.mjs';
import type { HitSource } from './conversions';

const DIST = fileURLToPath(new URL('../../../dist/', import.meta.url));

/** The tests drive the built files: refuse to run without them, or with a dist/ older than the source. */
export const checkDist = assertFreshDist;

export type Collector = HitSource & {
  url: string;
  port: number;
  server: HttpServer;
  clearHits(): void;
  close(): Promise<void>;
};

/** A page answered by the test: HTML, or a full answer with headers (CSP, …). */
export type Answer =
  string | { body: string | Uint8Array; type?: string; status?: number; headers?: Record<string, string> };
/**
 * A route: a fixed answer, or one built from the request's URL (its host included). A
 * function may instead return `null`, to let the collector answer as usual, or `'drop'`,
 * to cut the connection without an answer: a network error, as the browser sees it.
 */
export type Route = Answer | RawRoute | ((url: URL) => Answer | 'drop' | null);

/** A route that answers the request itself, such as `toNodeListener(relay(…))`. */
export interface RawRoute {
  raw: (req: IncomingMessage, res: ServerResponse) => unknown;
}

/** The collector and the per-test routes it consults before its own. */
export interface Server {
  collector: Collector;
  routes: Map<string, Route>;
  /** Milliseconds to hold requests to a path before answering: a tracker far away. */
  delays: Map<string, number>;
  /**
   * Another port onto the same server, for a browser whose driver cannot inject scripts
   * (WebKit): every HTML page answered through it runs `scripts()` first.
   */
  listenFor(scripts: () => readonly string[]): Promise<{ port: number; close(): Promise<void> }>;
}

/** Where a page's init scripts are served, on every host (see `listenFor`). */
const INIT_SCRIPT_PATH = '/__postclick_test_init.js';

/** The init scripts of the listener a request came through. */
const initScriptsOf = new WeakMap<IncomingMessage, () => readonly string[]>();

/** `<script src>` first in the document (after the doctype, so the mode stays standards). */
function withInitScript(html: string): string {
  const tag = `<script src="${INIT_SCRIPT_PATH}"></script>`;
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  return doctype ? doctype[0] + tag + html.slice(doctype[0].length) : tag + html;
}

/** Answers `res` as `route` says; false when the route leaves the request to the collector. */
function answer(req: IncomingMessage, res: ServerResponse, route: Exclude<Route, RawRoute>, url: URL): boolean {
  const a = typeof route === 'function' ? route(url) : route;
  if (a === null) return false;
  if (a === 'drop') {
    res.socket?.destroy();
    return true;
  }
  const {
    body,
    type = 'text/html; charset=utf-8',
    status = 200,
    headers = {},
  } = typeof a === 'string' ? { body: a } : a;
  const scripts = initScriptsOf.get(req)?.() ?? [];
  const injected =
    scripts.length > 0 && typeof body === 'string' && type.startsWith('text/html') ? withInitScript(body) : body;
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
  res.end(injected);
  return true;
}

/** The collector, with a handler that answers this test's routes before its own. */
export async function startServer(): Promise<Server> {
  checkDist();
  const routes = new Map<string, Route>();
  const delays = new Map<string, number>();
  const collector = (await startCollector({
    port: 0,
    host: '127.0.0.1',
    sessionHours: 720,
    static: { '/dist/': DIST },
    quiet: true,
    handler: async (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      // A browser whose proxy is this server asks for absolute URLs: the collector's
      // routes and logs want the path, as from a browser that connected directly.
      if (!req.url?.startsWith('/')) req.url = url.pathname + url.search;
      // Chromium asks every host for one; a 404 would be a console error on some pages.
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end();
        return true;
      }
      const delay = delays.get(url.pathname);
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      const scripts = initScriptsOf.get(req);
      if (url.pathname === INIT_SCRIPT_PATH && scripts) {
        res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' });
        res.end(scripts().join('\n;\n'));
        return true;
      }
      const route = routes.get(url.pathname);
      if (route && typeof route === 'object' && 'raw' in route) {
        await route.raw(req, res);
        return true;
      }
      return !!route && answer(req, res, route, url);
    },
  })) as unknown as Collector;

  async function listenFor(scripts: () => readonly string[]) {
    const listener = createServer((req, res) => {
      initScriptsOf.set(req, scripts);
      collector.server.emit('request', req, res);
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as { port: number };
    return {
      port,
      close: () =>
        new Promise<void>((resolve) => {
          listener.closeAllConnections();
          listener.close(() => resolve());
        }),
    };
  }
  return { collector, routes, delays, listenFor };
}
