// @ts-check
import { HttpError } from '../http.js';
import { fieldError, MAX_TEXT } from '../validate.js';

const KINDS = /** @type {const} */ (['click_id', 'aff_id']);

/**
 * POST /suppression — `{"click_id": "…"}` and/or `{"aff_id": "…"}`. Later conversions of
 * that click, or of any click of that affiliate, are scrubbed. Adding twice is harmless.
 * @type {import('../app.js').Route}
 */
export async function suppression(request, reply, app) {
  const body = parseJson(typeof request.body === 'string' ? request.body : '');
  const entries = KINDS.filter((kind) => body[kind] !== undefined).map((kind) => {
    const value = body[kind];
    if (typeof value !== 'string' || !value || value.length > MAX_TEXT) {
      throw fieldError(kind, `must be a non-empty string of at most ${MAX_TEXT} characters`);
    }
    return /** @type {const} */ ([kind, value]);
  });
  if (!entries.length) throw new HttpError(400, 'the body needs click_id or aff_id');
  const now = app.now();
  for (const [kind, value] of entries) await app.store.suppress(kind, value, now);
  return reply.send({ suppressed: Object.fromEntries(entries) });
}

/** @param {string} text @returns {Record<string, unknown>} */
function parseJson(text) {
  /** @type {unknown} */
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the body must be JSON such as {"click_id": "…"}');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'the body must be a JSON object such as {"aff_id": "7"}');
  }
  return /** @type {Record<string, unknown>} */ (value);
}
