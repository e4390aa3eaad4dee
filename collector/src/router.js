// @ts-check
import { HttpError, MAX_URL_BYTES, sendJson, sendText } from './http.js';
import { click } from './routes/click.js';
import { conversion } from './routes/conversion.js';
import { clicksJson, conversionsJson, reportsHtml } from './routes/reports.js';
import { suppression } from './routes/suppression.js';

/** @param {import('./app.js').Route} route  a read-only GET route also answers HEAD */
const readOnly = (route) => ({ GET: route, HEAD: route });

/** @type {Record<string, Record<string, import('./app.js').Route>>} path → method → route */
const ROUTES = {
  '/click': { GET: click },
  '/c': { GET: conversion, POST: conversion },
  '/reports': readOnly(reportsHtml),
  '/reports/conversions': readOnly(conversionsJson),
  '/reports/clicks': readOnly(clicksJson),
  '/suppression': { POST: suppression },
  '/healthz': readOnly((req, res) => sendText(res, 200, 'ok')),
};

/**
 * The request listener: the test hook first, then the routes, then static files, else 404.
 * Every error ends here as a JSON answer, so client garbage can only ever get a 4xx.
 * @param {object} options
 * @param {import('./app.js').App} options.app
 * @param {(res: import('node:http').ServerResponse, pathname: string) => Promise<boolean>} options.serveStatic
 * @param {((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean | Promise<boolean>) | undefined} options.handler
 * @returns {import('node:http').RequestListener}
 */
export function createRouter({ app, serveStatic, handler }) {
  return async (req, res) => {
    try {
      if (handler && (await handler(req, res))) return;
      await dispatch(req, res, app, serveStatic);
    } catch (error) {
      answerError(res, error);
    }
  };
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {import('./app.js').App} app
 * @param {(res: import('node:http').ServerResponse, pathname: string) => Promise<boolean>} serveStatic
 */
async function dispatch(req, res, app, serveStatic) {
  const target = req.url ?? '';
  if (target.length > MAX_URL_BYTES) throw new HttpError(413, `URL longer than ${MAX_URL_BYTES} bytes`);
  /** @type {URL} */
  let url;
  try {
    // The base only completes origin-form targets (`/c?…`); its host is never used.
    url = new URL(target, 'http://collector.invalid');
  } catch {
    throw new HttpError(400, 'malformed request target');
  }
  const method = req.method ?? '';
  if (url.pathname === '/c' && answerCors(req, res)) return;
  const route = ROUTES[url.pathname];
  if (route) {
    const run = route[method];
    if (!run)
      throw new HttpError(405, `${method} is not allowed on ${url.pathname}`, { Allow: Object.keys(route).join(', ') });
    return run(req, res, url, app);
  }
  if ((method === 'GET' || method === 'HEAD') && (await serveStatic(res, url.pathname))) return;
  throw new HttpError(404, `no route for ${url.pathname}`);
}

/**
 * `/c` answers CORS for credentialed requests from any origin, on every answer (a 400
 * included), so an SDK with `acknowledge: true` can read the status and the JSON error: the
 * `Origin` echoed (a credentialed answer may not use `*`, Fetch standard "CORS check"),
 * `Access-Control-Allow-Credentials: true`, and `Vary: Origin` so a cache keeps one answer
 * per origin. Whether the preflight (`OPTIONS /c` → 204) was answered here.
 * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
 */
function answerCors(req, res) {
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin');
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  }
  if (req.method !== 'OPTIONS') return false;
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
  const asked = req.headers['access-control-request-headers'];
  if (asked) res.setHeader('Access-Control-Allow-Headers', asked);
  res.setHeader('Access-Control-Max-Age', '600');
  res.writeHead(204).end();
  return true;
}

/** @param {import('node:http').ServerResponse} res @param {unknown} error */
function answerError(res, error) {
  if (res.headersSent) return void res.destroy();
  if (error instanceof HttpError) {
    return sendJson(res, error.status, { error: error.message }, error.headers);
  }
  // Not the client's fault: a bug or the disk. Say so, keep serving.
  console.error(error);
  sendJson(res, 500, { error: 'internal error' });
}
