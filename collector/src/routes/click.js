// @ts-check
import { newClickId } from '../clickId.js';
import { clickCookie } from '../cookie.js';
import { parseParams, queryOf } from '../http.js';
import { fieldError, MAX_TEXT } from '../validate.js';

// A URL parameter name a landing page can read back; no room for markup or delimiters.
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/**
 * GET /click — a tracking link: record a click with a new ID, set the cookie, 302 to `url`
 * with `param=<click ID>` added.
 * @type {import('../app.js').Route}
 */
export async function click(request, reply, app) {
  const params = parseParams(queryOf(request.url));
  const target = landingUrl(params.url);
  const param = params.param || 's1';
  if (!PARAM_NAME.test(param)) throw fieldError('param', 'must be a parameter name such as s1');
  for (const name of ['offer_id', 'aff_id']) {
    if ((params[name] ?? '').length > MAX_TEXT) throw fieldError(name, `is longer than ${MAX_TEXT} characters`);
  }

  const clickId = newClickId();
  const destination = target.href;
  // set() rather than append: a link that already carries `s1=` (an unreplaced macro)
  // must not leave the landing page two values to choose from.
  target.searchParams.set(param, clickId);
  // Stored (and committed) before the redirect is answered.
  await app.store.insertClick(
    { click_id: clickId, offer_id: params.offer_id || null, aff_id: params.aff_id || null, url: destination },
    app.now(),
  );
  return reply
    .code(302)
    .header('Location', target.href)
    .header('Set-Cookie', clickCookie(clickId, request.headers.host))
    .send('');
}

/** @param {string | undefined} value */
function landingUrl(value) {
  if (!value) throw fieldError('url', 'is required');
  /** @type {URL} */
  let target;
  try {
    target = new URL(value);
  } catch {
    throw fieldError('url', 'must be an absolute http(s) URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw fieldError('url', 'must be an absolute http(s) URL');
  return target;
}
