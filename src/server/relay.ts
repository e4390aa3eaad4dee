import type { Conversion } from '../types';
import { buildUrl, wireParams } from '../wire';
import { clickIdFromCookie } from './clickIdFromCookie';
import { clickIdIn, cookieSettings, setCookie, type ClickCookieOptions, type CookieSettings } from './clickCookie';
import { conversionUrl } from './conversionUrl';
import { formBody, json, MAX_URL_BYTES, parseParams, RelayError, type Params } from './request';
import { sendPostback } from './sendPostback';

export interface RelayOptions extends ClickCookieOptions {
  /**
   * The network's postback URL: a plain URL gets every conversion parameter appended; a
   * template (`{click_id}` placeholders, a `REPLACE` value) must carry `{unique_id}`, on
   * which the network dedups a conversion the browser sends again. Required.
   */
  forward: string;
  /**
   * Origins (`https://shop.example`) whose pages may call the relay cross-origin, with
   * credentials (CORS). Default none: the shop's own origin needs no CORS.
   */
  allowOrigins?: string[];
  /** Retries of a postback after the first attempt (network error, timeout, 429, 5xx). Default 2. */
  retries?: number;
  /** Time allowed for each postback attempt, in ms. Default 3000. */
  timeoutMs?: number;
}

/** The defaults of the relay's own options (its cookie options': `COOKIE_DEFAULTS`, src/server/clickCookie.ts). */
const RELAY_DEFAULTS: Required<Omit<RelayOptions, 'forward' | keyof ClickCookieOptions>> = {
  allowOrigins: [],
  retries: 2,
  timeoutMs: 3000,
};

/** A web-standard request handler: Node 18+, Next.js route handlers, Hono, Cloudflare Workers, Deno, Bun. */
export type RelayHandler = (request: Request) => Promise<Response>;

interface Settings extends CookieSettings {
  forward: string;
  allowOrigins: string[];
  retries: number;
  timeoutMs: number;
}

/** Wire parameter → conversion field, as the browser sends them. */
const FIELDS: Record<string, keyof Conversion> = {
  click_id: 'clickId',
  offer_id: 'offerId',
  amount: 'amount',
  payout: 'payout',
  revenue: 'revenue',
  order_id: 'orderId',
  unique_id: 'uniqueId',
  adv1: 'adv1',
  adv2: 'adv2',
  adv3: 'adv3',
  adv4: 'adv4',
  adv5: 'adv5',
  event: 'event',
  currency: 'currency',
};

/** The wire name of a conversion field (`orderId` → `order_id`), for error messages. */
const wireName = (field: string): string => field.replace(/[A-Z]/g, (letter) => '_' + letter.toLowerCase());

const ALLOW = 'GET, POST, OPTIONS';

function check(options: RelayOptions): Settings {
  const fail = (why: string): never => {
    throw new Error('relay: ' + why);
  };
  const {
    forward,
    allowOrigins = RELAY_DEFAULTS.allowOrigins,
    retries = RELAY_DEFAULTS.retries,
    timeoutMs = RELAY_DEFAULTS.timeoutMs,
  } = options || ({} as RelayOptions);
  if (!forward) fail("forward is required: the network's postback URL or template");
  // Built by the wire code itself, so "is it a template, and does it carry unique_id" is
  // answered exactly as every forwarded URL will be built.
  const probe = 'postclick-unique-id-probe';
  const built = conversionUrl(forward, { clickId: 'probe', uniqueId: probe });
  if (!built) fail('forward must be an absolute http(s) URL, not ' + JSON.stringify(forward));
  if (built!.indexOf(probe) < 0)
    fail(
      'the forward template has no {unique_id}: the network dedups a conversion the browser sends again on it; ' +
        'add it in the parameter the network reads the order or transaction ID from',
    );
  if (!Array.isArray(allowOrigins)) fail('allowOrigins must be a list of origins');
  for (const origin of allowOrigins) {
    let canonical: string | undefined;
    try {
      canonical = new URL(origin).origin;
    } catch {
      // Not a URL at all: reported below with the rest.
    }
    if (canonical !== origin)
      fail(JSON.stringify(origin) + ' in allowOrigins is not an origin such as https://shop.example');
  }
  if (!(typeof retries === 'number' && Number.isInteger(retries) && retries >= 0))
    fail('retries must be an integer ≥ 0');
  if (!(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs < Infinity)) fail('timeoutMs must be a number > 0');
  return { ...cookieSettings(options, 'relay'), forward, allowOrigins, retries, timeoutMs };
}

/**
 * The first-party relay: pixel in, postback out. Mounted on the shop's own origin under any
 * path prefix, it answers two routes, chosen by the last path segment:
 *
 * - `GET|POST <prefix>/c` — a conversion in the browser's wire format (query or form body;
 *   `click_id` may come from the click-ID cookie), validated by the browser's own wire code,
 *   and forwarded server-to-server to `forward` with {@link sendPostback}. Answers only
 *   after the network did: `200 {"status":"forwarded","upstream":<status>}` for a 2xx;
 *   `502` when it failed within the retries (408, 429, 5xx, timeout, network error), so
 *   the browser keeps the conversion and tries again later; `422` for another 4xx; `400`
 *   naming the field for bad input.
 * - `GET|POST <prefix>/click` — the first of `params` with a valid click ID: `204` with a
 *   `Set-Cookie` for it (the browser's cookie attributes; `Secure` when the request is
 *   https or carries `X-Forwarded-Proto: https`); `400` without one.
 *
 * It stores nothing: the browser's outbox keeps a conversion until the relay answers 200,
 * and the network dedups on `unique_id`, which is always forwarded. Throws when an
 * option is wrong; the handler never throws and never rejects.
 *
 * @example
 * // app/postclick/[route]/route.ts (Next.js)
 * const handler = relay({ forward: 'https://track.network.example/p.ashx?o=42&e=7&f=pb&r={click_id}&t={unique_id}' });
 * export { handler as GET, handler as POST, handler as OPTIONS };
 */
export function relay(options: RelayOptions): RelayHandler {
  const settings = check(options);
  return async (request) => {
    let cors: Record<string, string> = { Vary: 'Origin' };
    try {
      const origin = request.headers.get('origin');
      const allowed = origin !== null && settings.allowOrigins.indexOf(origin) >= 0;
      if (allowed)
        cors = { ...cors, 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' };
      const url = new URL(request.url);
      if (request.url.length - url.origin.length > MAX_URL_BYTES)
        throw new RelayError(413, 'URL longer than ' + MAX_URL_BYTES + ' bytes');
      const route = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
      if (route !== 'c' && route !== 'click') throw new RelayError(404, 'no route for ' + url.pathname.slice(0, 200));
      const method = request.method;
      if (method === 'OPTIONS') return preflight(request, origin, allowed, url.origin, cors);
      if (method !== 'GET' && method !== 'POST')
        throw new RelayError(405, method + ' is not allowed on ' + route, { Allow: ALLOW });
      const params = parseParams(url.search.slice(1), 'query');
      if (method === 'POST') {
        const body = await formBody(request);
        // The body wins over the query, as at the collector.
        for (const name in body) params[name] = body[name]!;
      }
      const answer = route === 'c' ? await forward(request, params, settings) : click(request, url, params, settings);
      for (const name in cors) answer.headers.set(name, cors[name]!);
      return answer;
    } catch (error) {
      if (error instanceof RelayError)
        return json(error.status, { error: error.message }, { ...error.headers, ...cors });
      // Not the client's fault (a bug): say so, without the details.
      return json(500, { error: 'internal error' }, cors);
    }
  };
}

/** A CORS preflight: `204` for an allowed origin (or none, or the relay's own), `403` for another. */
function preflight(
  request: Request,
  origin: string | null,
  allowed: boolean,
  ownOrigin: string,
  cors: Record<string, string>,
): Response {
  if (origin !== null && !allowed && origin !== ownOrigin)
    throw new RelayError(403, 'origin ' + origin.slice(0, 200) + ' is not in allowOrigins');
  const headers: Record<string, string> = { ...cors, Allow: ALLOW, 'Cache-Control': 'no-store' };
  if (allowed) {
    headers['Access-Control-Allow-Methods'] = 'GET, POST';
    const asked = request.headers.get('access-control-request-headers');
    if (asked) headers['Access-Control-Allow-Headers'] = asked;
    headers['Access-Control-Max-Age'] = '600';
  }
  return new Response(null, { status: 204, headers });
}

/** `<prefix>/c`: validate, forward, and answer with what the network answered. */
async function forward(request: Request, params: Params, settings: Settings): Promise<Response> {
  const data: Conversion = {};
  for (const name in FIELDS) {
    const value = params[name]?.[0];
    if (value !== undefined && value !== '') (data as Record<string, string>)[FIELDS[name]!] = value;
  }
  if (!data.clickId) {
    const fromCookie = clickIdFromCookie(request.headers.get('cookie'), settings.cookieName);
    if (!fromCookie)
      throw new RelayError(400, 'click_id: missing (no click_id parameter and no ' + settings.cookieName + ' cookie)');
    data.clickId = fromCookie;
  }
  const url = conversionUrl(settings.forward, data);
  if (!url) throw new RelayError(400, reason(settings.forward, data));
  const result = await sendPostback(url, { retries: settings.retries, timeoutMs: settings.timeoutMs });
  const upstream = result.status;
  if (result.ok) return json(200, { status: 'forwarded', upstream });
  if (upstream !== null && upstream >= 400 && upstream < 500 && upstream !== 408 && upstream !== 429)
    return json(422, { error: 'the network refused the postback: HTTP ' + upstream, upstream });
  return json(502, {
    error: 'the network did not take the postback after ' + result.attempts + ' attempt(s): ' + result.error,
    upstream,
  });
}

/** Why the wire code refused `data`, with the field under its wire name (`amount: not a number ≥ 0`). */
function reason(endpoint: string, data: Conversion): string {
  try {
    buildUrl(
      endpoint,
      wireParams((key) => data[key], ''),
    );
  } catch (why) {
    const text = why instanceof Error ? why.message : String(why);
    const colon = text.indexOf(':');
    return colon < 0 ? text : wireName(text.slice(0, colon)) + text.slice(colon);
  }
  return 'not a conversion';
}

/** `<prefix>/click`: the click ID as a first-party cookie set by this response. */
function click(request: Request, url: URL, params: Params, settings: Settings): Response {
  const clickId = clickIdIn(params, settings.params);
  if (!clickId)
    throw new RelayError(
      400,
      'no valid click ID in ' + settings.params.join(', ') + ' (1–128 of A–Z a–z 0–9 . _ ~ : -)',
    );
  // Behind a proxy that terminates TLS the request reaches us as http; the proxy says so.
  const forwardedProto = (request.headers.get('x-forwarded-proto') || '').split(',')[0]!.trim().toLowerCase();
  const secure = url.protocol === 'https:' || forwardedProto === 'https';
  return new Response(null, {
    status: 204,
    headers: { 'Set-Cookie': setCookie(settings, clickId, secure), 'Cache-Control': 'no-store' },
  });
}
