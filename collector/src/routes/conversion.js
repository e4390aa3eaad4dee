// @ts-check
import { clickIdFromCookie } from '../cookie.js';
import { HttpError, mediaType, parseParams, queryOf } from '../http.js';
import { validateConversion } from '../validate.js';

// The smallest transparent GIF: what a pixel <img> expects, and harmless for beacons.
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

// Bodies we read as a form. sendBeacon(url) sends none; sendBeacon(url, string) is text/plain.
const FORM_TYPES = new Set(['', 'application/x-www-form-urlencoded', 'text/plain']);

/**
 * GET|POST /c — one conversion (the SDK's wire parameters in the query and/or a form body;
 * the body wins). Every well-formed conversion is stored with a status and answered with
 * the GIF once it is committed; only malformed input gets a 400.
 * @type {import('../app.js').Route}
 */
export async function conversion(request, reply, app) {
  const bodyText = typeof request.body === 'string' ? request.body : '';
  app.logHit(request, bodyText);
  const query = parseParams(queryOf(request.url));
  const params = bodyText ? { ...query, ...formBody(bodyText, mediaType(request.headers)) } : query;
  const input = validateConversion(params, clickIdFromCookie(request.headers.cookie));
  const stored = await app.store.recordConversion(input, app.now());
  if (stored.forward_status === 'pending') app.forwarder?.poke();
  return reply.header('Content-Type', 'image/gif').header('X-Postclick-Status', stored.status).send(GIF);
}

/**
 * CORS for /c, from any origin and with credentials, so a page that sends with
 * `acknowledge: true` (a `mode: 'cors'` fetch that carries the cookie) may read the answer.
 * A credentialed request needs the exact origin echoed rather than `*`, and an answer that
 * differs per origin must say `Vary: Origin` to caches:
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#requests_with_credentials
 * @param {import('fastify').FastifyRequest} request @param {import('fastify').FastifyReply} reply
 */
export function allowCors(request, reply) {
  reply.header('Vary', 'Origin');
  const origin = request.headers.origin;
  if (!origin) return;
  reply
    .header('Access-Control-Allow-Origin', origin)
    .header('Access-Control-Allow-Credentials', 'true')
    // Not a CORS-safelisted response header: a page sees the verdict only when it is listed.
    .header('Access-Control-Expose-Headers', 'X-Postclick-Status');
}

/**
 * OPTIONS /c — the preflight of a fetch that is not "simple" (a custom header, say).
 * @type {import('../app.js').Route}
 */
export async function conversionPreflight(request, reply) {
  reply.header('Access-Control-Allow-Methods', 'GET, POST').header('Access-Control-Max-Age', '7200');
  const asked = request.headers['access-control-request-headers'];
  if (asked) reply.header('Access-Control-Allow-Headers', asked);
  return reply.code(204).send();
}

/** @param {string} text @param {string} type */
function formBody(text, type) {
  if (!text) return {};
  if (!FORM_TYPES.has(type)) throw new HttpError(415, 'the body must be application/x-www-form-urlencoded');
  return parseParams(text, { where: 'body' });
}
