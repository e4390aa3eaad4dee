/**
 * The browser tests' server, without the vitest fixture around it, so the benchmarks
 * (bench/) can run the same one: a collector on 127.0.0.1 that serves the built `dist/`
 * and the routes a test (or a benchmark) adds, on every `*.shop.test` host.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
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
}

/** Answers `res` as `route` says; false when the route leaves the request to the collector. */
function answer(res: ServerResponse, route: Exclude<Route, RawRoute>, url: URL): boolean {
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
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
  res.end(body);
  return true;
}

/** The collector, with a handler that answers this test's routes before its own. */
export async function startServer(): Promise<Server> {
  checkDist();
  const routes = new Map<string, Route>();
  const collector = (await startCollector({
    port: 0,
    host: '127.0.0.1',
    sessionHours: 720,
    static: { '/dist/': DIST },
    quiet: true,
    handler: (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      // Chromium asks every host for one; a 404 would be a console error on some pages.
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end();
        return true;
      }
      const route = routes.get(url.pathname);
      if (route && typeof route === 'object' && 'raw' in route)
        return Promise.resolve(route.raw(req, res)).then(() => true);
      return !!route && answer(res, route, url);
    },
  })) as unknown as Collector;
  return { collector, routes };
}
