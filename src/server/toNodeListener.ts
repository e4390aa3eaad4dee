/**
 * The few members of Node's `IncomingMessage` (and Express's request, which extends it) that
 * {@link toNodeListener} reads. Declared here rather than imported from `node:http`, so the
 * types of `postclick/server` need no Node typings (edge runtimes have none).
 */
export interface NodeRequest {
  method?: string | undefined;
  url?: string | undefined;
  /** Express: the URL before a mount path was stripped from `url`. */
  originalUrl?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** `encrypted` on a TLS socket (`node:https`). */
  socket?: unknown;
  /** 2 under `node:http2`'s compatibility API. */
  httpVersionMajor?: number | undefined;
  /** Whether the whole body was received. */
  complete?: boolean | undefined;
  /** A body a middleware already parsed (Express `urlencoded`, `text`, `raw`). */
  body?: unknown;
  on(event: string, listener: (...args: any[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** The members of Node's `ServerResponse` that {@link toNodeListener} writes. */
export interface NodeResponse {
  headersSent: boolean;
  writeHead(status: number, headers: Record<string, string | string[]>): unknown;
  write(chunk: Uint8Array): unknown;
  end(): unknown;
  end(chunk: Uint8Array): unknown;
  destroy(): unknown;
}

/** Methods a WHATWG `Request` cannot carry (the Fetch standard's forbidden methods). */
const FORBIDDEN = ['CONNECT', 'TRACE', 'TRACK'];

/** A small text answer from the adapter itself, for a request it cannot turn into a `Request`. */
function refuse(res: NodeResponse, status: number, message: string): void {
  const body = new TextEncoder().encode(JSON.stringify({ error: message }));
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': String(body.byteLength),
  });
  res.end(body);
}

/**
 * The request body as a web stream, read from the Node request as the handler pulls it.
 * Cancelling it (a handler that refuses a body too large) stops buffering and lets the rest
 * drain, so the answer can still be written.
 */
function bodyStream(req: NodeRequest): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Uint8Array | string) => {
        if (!open) return;
        controller.enqueue(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : new Uint8Array(chunk));
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      });
      /** Ends the body stream once, however the request ends. */
      const finish = (error?: unknown): void => {
        if (!open) return;
        open = false;
        if (error === undefined) controller.close();
        else controller.error(error);
      };
      req.on('end', () => finish());
      req.on('error', (error: unknown) => finish(error));
      // A client that hangs up mid-body: 'close' without 'end'.
      req.on('close', () => finish(new Error('request aborted')));
    },
    pull: () => void req.resume(),
    cancel: () => {
      open = false;
      req.resume();
    },
  });
}

/** A body an Express middleware already read, in a form `Request` takes. */
function parsedBody(body: unknown, headers: Headers): BodyInit | undefined {
  if (typeof body === 'string') return body;
  // A Buffer (`express.raw()`): copied, as the body types want an ArrayBuffer-backed view.
  if (body instanceof Uint8Array) return new Uint8Array(body);
  if (body && typeof body === 'object') {
    // `express.urlencoded()` or `express.json()`: a plain object of strings; sent on as a form.
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(body)) if (typeof value === 'string') form.append(name, value);
    headers.set('content-type', 'application/x-www-form-urlencoded');
    headers.delete('content-length');
    return form.toString();
  }
}

/** Copies `response` to `res`: status, headers (each `Set-Cookie` on its own), body streamed. */
async function write(response: Response, res: NodeResponse, keepAlive: boolean, http2: boolean): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies =
    typeof response.headers.getSetCookie === 'function'
      ? response.headers.getSetCookie()
      : [response.headers.get('set-cookie')].filter((value): value is string => value !== null);
  if (cookies.length) headers['set-cookie'] = cookies;
  // A body left unread (a handler that refused it): do not wait for the rest on this
  // connection. HTTP/2 has no Connection header (RFC 9113 §8.2.2; Node warns and drops it).
  if (http2) delete headers.connection;
  else if (!keepAlive) headers.connection = 'close';
  res.writeHead(response.status, headers);
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  }
  res.end();
}

/**
 * Adapts a web-standard handler (such as {@link relay}'s) to a `(req, res)` listener for
 * `node:http`, `node:https` and Express. The request's URL is built from its `Host` header
 * (and `https` on a TLS socket); headers are passed as they came, `X-Forwarded-*` included;
 * the body is streamed, or taken from an Express body parser that already read it. Under
 * Express, mount it with `app.use('/postclick', listener)`: it sees the full URL.
 *
 * A request that cannot be a `Request` is answered here: a bad `Host` with `400`, the
 * methods `Request` forbids (`CONNECT`, `TRACE`, `TRACK`) with `405`.
 *
 * @example
 * import { createServer } from 'node:http';
 * createServer(toNodeListener(relay({ forward: 'https://track.network.example/postback' }))).listen(8080);
 */
export function toNodeListener(
  handler: (request: Request) => Response | Promise<Response>,
): (req: NodeRequest, res: NodeResponse) => Promise<void> {
  return async (req, res) => {
    try {
      const method = (req.method || 'GET').toUpperCase();
      if (FORBIDDEN.indexOf(method) >= 0) return refuse(res, 405, method + ' is not supported');
      const encrypted = !!(req.socket as { encrypted?: boolean } | null | undefined)?.encrypted;
      // HTTP/2 (node:http2's compatibility API) names the host `:authority`.
      const hostHeader = req.headers.host || req.headers[':authority'];
      let url: URL;
      try {
        url = new URL(
          req.originalUrl || req.url || '/',
          (encrypted ? 'https://' : 'http://') + (hostHeader || 'localhost'),
        );
      } catch {
        return refuse(res, 400, 'malformed Host header or request target');
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
          try {
            headers.append(name, one);
          } catch {
            // A value the Fetch standard cannot carry: the handler goes without that header.
          }
        }
      }
      const init: RequestInit & { duplex?: 'half' } = { method, headers };
      if (method !== 'GET' && method !== 'HEAD') {
        const parsed = req.body === undefined ? undefined : parsedBody(req.body, headers);
        init.body = parsed === undefined ? bodyStream(req) : parsed;
        // Node's fetch needs this for a streamed body (the request is sent before the answer).
        init.duplex = 'half';
      }
      const response = await handler(new Request(url, init));
      await write(response, res, req.complete !== false, req.httpVersionMajor === 2);
    } catch {
      // A handler that threw, or a response that broke off: not the client's fault.
      if (!res.headersSent) return refuse(res, 500, 'internal error');
      res.destroy();
    }
  };
}
