/**
 * A shop that runs the first-party relay on its own origin, for the browser tests: one
 * node:http (or node:https) server on 127.0.0.1 that serves the built `dist/`, the test's
 * pages, and `relay()` from the built `postclick/server` under `/postclick/` — all on one
 * origin per `*.shop.test` host — plus a recording "network" that the relay forwards to.
 */
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { relay, toNodeListener, type RelayOptions } from 'postclick/server';
import { startNetwork, type Network } from '../../unit/support/network';
import { checkDist } from './server';

const DIST = fileURLToPath(new URL('../../../dist/', import.meta.url));
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.map': 'application/json',
};

export interface RelayShop {
  /** `http://www.shop.test:PORT` (https with `tls`). */
  origin(host: 'www' | 'checkout' | 'landing'): string;
  /** Where the relay is mounted on every host: `/postclick`. */
  prefix: string;
  /** The network the relay forwards to. */
  network: Network;
  /** Serves `path` (query ignored) as HTML on every host. */
  serve(path: string, html: string): void;
  close(): Promise<void>;
}

export interface RelayShopOptions {
  /** Relay options; `forward` defaults to the network's `/postback` (a plain URL). */
  relay?: Partial<RelayOptions>;
  /** A certificate and key: serve https. */
  tls?: { cert: string; key: string };
  /** Pose as an app behind a proxy that terminates TLS: `X-Forwarded-Proto: https` on each request. */
  forwardedProto?: string;
}

export async function startRelayShop(options: RelayShopOptions = {}): Promise<RelayShop> {
  checkDist();
  const network = await startNetwork();
  const prefix = '/postclick';
  const pages = new Map<string, string>();
  const listener = toNodeListener(relay({ forward: `${network.origin}/postback`, ...options.relay }));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith(prefix + '/')) {
      if (options.forwardedProto) req.headers['x-forwarded-proto'] = options.forwardedProto;
      return listener(req, res);
    }
    const page = pages.get(url.pathname);
    if (page !== undefined)
      return void res
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
        .end(page);
    if (url.pathname.startsWith('/dist/') && !url.pathname.includes('..')) {
      try {
        const body = await readFile(DIST + url.pathname.slice('/dist/'.length));
        return void res
          .writeHead(200, { 'Content-Type': TYPES[extname(url.pathname)] ?? 'application/octet-stream' })
          .end(body);
      } catch {
        // No such file: the 404 below.
      }
    }
    res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404).end();
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, handle) : createHttpServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls ? 'https' : 'http';
  return {
    origin: (host) => `${scheme}://${host}.shop.test:${port}`,
    prefix,
    network,
    serve: (path, html) => void pages.set(path, html),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await network.close();
    },
  };
}
