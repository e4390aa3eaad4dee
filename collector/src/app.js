// @ts-check
import { createServer } from 'node:http';
import { extname } from 'node:path';
import Fastify from 'fastify';
import { HttpError, MAX_BODY_BYTES, MAX_URL_BYTES } from './http.js';
import { click } from './routes/click.js';
import { allowCors, conversion, conversionPreflight } from './routes/conversion.js';
import { clicksJson, conversionsCsvRoute, conversionsJson, reportsHtml } from './routes/reports.js';
import { suppression } from './routes/suppression.js';

/**
 * What every route gets besides the request: the store, the settings and the hit log.
 * @typedef {object} App
 * @property {import('./store/common.js').Store} store
 * @property {number} sessionHours
 * @property {() => number} now  epoch ms; tests may inject a clock
 * @property {(request: import('fastify').FastifyRequest, bodyText: string) => void} logHit
 * @property {import('./forwarder.js').Forwarder | undefined} forwarder
 *
 * @typedef {(request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply, app: App)
 *   => Promise<unknown>} Route
 * @typedef {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse)
 *   => boolean | Promise<boolean>} RawHandler
 */

/** @type {Record<string, Record<string, Route>>} path → method → route; GET routes also answer HEAD where listed */
const ROUTES = {
  '/click': { GET: click },
  '/c': { GET: conversion, POST: conversion },
  '/reports': { GET: reportsHtml, HEAD: reportsHtml },
  '/reports/conversions': { GET: conversionsJson, HEAD: conversionsJson },
  '/reports/conversions.csv': { GET: conversionsCsvRoute, HEAD: conversionsCsvRoute },
  '/reports/clicks': { GET: clicksJson, HEAD: clicksJson },
  '/suppression': { POST: suppression },
  '/healthz': { GET: async (request, reply) => reply.send('ok'), HEAD: async (request, reply) => reply.send('ok') },
};

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
};

/** request.query of every request: see routerOptions. */
const NO_QUERY = Object.freeze({});

// The base only completes origin-form targets (`/c?…`); its host is never used.
const BASE = 'http://collector.invalid';

/**
 * The HTTP side of the collector on Fastify: the test hook first, then the limits, the
 * routes, static files, else 404/405. Every error ends in the error handler as a JSON
 * answer, so client garbage can only ever get a 4xx.
 * @param {object} options
 * @param {App} options.app
 * @param {Record<string, string>} options.mounts  URL prefix → directory
 * @param {RawHandler | undefined} options.handler
 * @param {boolean} options.quiet
 */
export async function buildServer({ app, mounts, handler, quiet }) {
  const fastify = Fastify({
    // Node refuses request heads over maxHeaderSize with a bare 431 before we see them; at
    // 128 KB, URLs between our 8 KB limit and that get our own, explained 413.
    serverFactory: (listener) => createServer({ maxHeaderSize: 128 * 1024 }, listener),
    bodyLimit: MAX_BODY_BYTES,
    routerOptions: {
      // The routes read the query from request.url with parseParams (the first occurrence of
      // a name wins, a bad escape is a 400): Fastify's own parse would be thrown away.
      querystringParser: () => NO_QUERY,
    },
    // A bad percent-escape in the path: refused before routing, answered like our own errors.
    frameworkErrors: (error, request, reply) => {
      const bad = /** @type {any} */ (error).code === 'FST_ERR_BAD_URL';
      answerError(reply, bad ? new HttpError(400, 'malformed percent-encoding in the path') : error);
    },
  });
  fastify.decorateRequest('hitLogged', false);
  // First: a route keeps the error handler of the moment it is loaded, and the routes below
  // are loaded by the first awaited register (a static mount), before anything after it.
  fastify.setErrorHandler((error, request, reply) => {
    if (request.routeOptions.url === '/c' && !(/** @type {any} */ (request).hitLogged)) app.logHit(request, '');
    answerError(reply, error);
  });

  // Bodies are read as text whatever their type; the routes decide what they accept (415, 400).
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => done(null, body));

  if (handler) {
    fastify.addHook('onRequest', async (request, reply) => {
      if (await handler(request.raw, reply.raw)) reply.hijack();
    });
  }
  // A callback hook rather than an async one: no promise per request on the hot path.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('Cache-Control', 'no-store');
    const path = pathOf(request.url);
    // Every answer to /c, its errors and 405s included, so the page can read them.
    if (path === '/c') allowCors(request, reply);
    if (request.url.length > MAX_URL_BYTES) return done(new HttpError(413, `URL longer than ${MAX_URL_BYTES} bytes`));
    // A NUL can name no file and no route; a file server would cut the path at it.
    if (path.includes('%00')) return done(new HttpError(400, 'NUL in the path'));
    // Origin-form targets (`/…`) always parse; an absolute-form one may not.
    if (!request.url.startsWith('/') && !URL.canParse(request.url, BASE)) {
      return done(new HttpError(400, 'malformed request target'));
    }
    done();
  });
  if (!quiet) {
    fastify.addHook('onResponse', async (request, reply) => {
      // Request targets are client-controlled: keep control characters off the terminal.
      // eslint-disable-next-line no-control-regex -- control characters are exactly what this strips
      const target = request.url.slice(0, 200).replace(/[\x00-\x1f\x7f]/g, '?');
      const verdict = reply.getHeader('X-Postclick-Status');
      const parts = [request.method, target, reply.statusCode, verdict, `${reply.elapsedTime.toFixed(1)} ms`];
      console.log(parts.filter((part) => part !== undefined).join(' '));
    });
  }

  for (const [url, methods] of Object.entries(ROUTES)) {
    for (const [method, route] of Object.entries(methods)) {
      if (method === 'HEAD') continue;
      fastify.route({
        method,
        url,
        exposeHeadRoute: 'HEAD' in methods,
        handler: (request, reply) => route(request, reply, app),
      });
    }
  }
  fastify.options('/c', (request, reply) => conversionPreflight(request, reply, app));

  // Longest prefix wins (the router prefers the more specific wildcard); the routes above
  // win over a mount at `/`; a directory serves its index.html, `/spa` redirects to `/spa/`.
  // Nothing is cached, so a rebuilt SDK is picked up at once.
  let decorated = false;
  // Loaded only when something is mounted: the CLI's start-up time is paid per import.
  const mountList = Object.entries(mounts);
  const fastifyStatic = mountList.length ? (await import('@fastify/static')).default : null;
  for (const [prefix, root] of mountList) {
    await fastify.register(/** @type {NonNullable<typeof fastifyStatic>} */ (fastifyStatic), {
      root,
      prefix: prefix.endsWith('/') ? prefix : prefix + '/',
      decorateReply: !decorated,
      redirect: true,
      cacheControl: false,
      etag: false,
      lastModified: false,
      setHeaders: (/** @type {any} */ reply, /** @type {string} */ path) => {
        const type = CONTENT_TYPES[/** @type {keyof typeof CONTENT_TYPES} */ (extname(path).toLowerCase())];
        reply.header('Content-Type', type ?? 'application/octet-stream');
      },
    });
    decorated = true;
  }

  fastify.setNotFoundHandler((request, _reply) => {
    const pathname = URL.canParse(request.url, BASE) ? new URL(request.url, BASE).pathname : request.url;
    const route = ROUTES[pathname];
    if (route) {
      const allow = Object.keys(route).join(', ');
      throw new HttpError(405, `${request.method} is not allowed on ${pathname}`, { Allow: allow });
    }
    throw new HttpError(404, `no route for ${pathname}`);
  });

  await fastify.ready();
  return fastify;
}

/** The path of a request target, as sent. @param {string} target */
function pathOf(target) {
  const mark = target.indexOf('?');
  return mark < 0 ? target : target.slice(0, mark);
}

/** @param {import('fastify').FastifyReply} reply @param {unknown} error */
function answerError(reply, error) {
  const answer = toAnswer(error);
  return reply.code(answer.status).headers(answer.headers).send({ error: answer.message });
}

/** @param {unknown} error @returns {{ status: number, message: string, headers: Record<string, string> }} */
function toAnswer(error) {
  if (error instanceof HttpError) return { status: error.status, message: error.message, headers: error.headers };
  const { code, statusCode, message } = /** @type {{ code?: string, statusCode?: number, message: string }} */ (error);
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, message: `body larger than ${MAX_BODY_BYTES} bytes`, headers: { Connection: 'close' } };
  }
  // The static file server refuses paths that climb out of their folder with 403: for a
  // client, such a file simply does not exist.
  if (statusCode === 403) return { status: 404, message: 'no such file', headers: {} };
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500)
    return { status: statusCode, message, headers: {} };
  // Not the client's fault: a bug or the disk. Say so, keep serving.
  console.error(error);
  return { status: 500, message: 'internal error', headers: {} };
}
