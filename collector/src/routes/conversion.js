// @ts-check
import { clickIdFromCookie } from '../cookie.js';
import { HttpError, mediaType, parseParams, readBody, send } from '../http.js';
import { validateConversion } from '../validate.js';
import { judge } from '../verdict.js';

// The smallest transparent GIF: what a pixel <img> expects, and harmless for beacons.
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

// Bodies we read as a form. sendBeacon(url) sends none; sendBeacon(url, string) is text/plain.
const FORM_TYPES = new Set(['', 'application/x-www-form-urlencoded', 'text/plain']);

/**
 * GET|POST /c — one conversion (docs/protocol.md parameters in the query and/or a form body; the
 * body wins). Every well-formed conversion is stored with a status and answered with the
 * GIF; only malformed input gets a 400.
 * @type {import('../app.js').Route}
 */
export async function conversion(req, res, url, app) {
  let bodyText = '';
  try {
    if (req.method === 'POST') bodyText = await readBody(req);
  } finally {
    app.hits.add(req, url, bodyText);
  }
  const params = { ...parseParams(url.search.slice(1)), ...formBody(bodyText, mediaType(req)) };
  const input = validateConversion(params, clickIdFromCookie(req.headers.cookie));

  const { db } = app;
  const now = app.now();
  const click = input.click_id === null ? undefined : db.findClick(input.click_id);
  const suppression = input.click_id === null ? undefined : db.findSuppression(input.click_id, click?.aff_id ?? null);
  const stored = db.insertConversion(
    input,
    judge({ clickId: input.click_id, click, suppression, now, sessionHours: app.sessionHours }),
    now,
  );

  send(res, 200, GIF, { 'Content-Type': 'image/gif', 'X-Postclick-Status': stored.status });
}

/** @param {string} text @param {string} type */
function formBody(text, type) {
  if (!text) return {};
  if (!FORM_TYPES.has(type)) throw new HttpError(415, 'the body must be application/x-www-form-urlencoded');
  return parseParams(text, { where: 'body' });
}
