import { isClickId } from '../clickId';
import { cookieString } from '../cookie';
import { DEFAULTS } from '../types';
import type { Params } from './request';

/** The cookie options the relay's `/click` route and {@link clickCookie} share. */
export interface ClickCookieOptions {
  /** URL parameters to read the click ID from, first match wins. Default as in the browser: `['s1', 'clickid', 'click_id']`. */
  params?: string[];
  /** The cookie's name. Default `'_postclick'`, as in the browser. */
  cookieName?: string;
  /**
   * The cookie's `Domain`, such as `'shop.example'` so that `www.` and `checkout.` share it.
   * Default: none, a host-only cookie. (The browser's `'auto'` probes which domain it may
   * use; a server cannot, so name the domain.)
   */
  cookieDomain?: string;
  /** The cookie's lifetime (`Max-Age`), in days. Default 30, as in the browser. */
  ttlDays?: number;
}

/** The options checked, with their defaults. */
export interface CookieSettings {
  params: string[];
  cookieName: string;
  cookieDomain: string;
  ttlDays: number;
}

/**
 * The defaults of {@link ClickCookieOptions}: the browser's own (`DEFAULTS`, src/types.ts),
 * but for `cookieDomain`, host-only: the browser's `'auto'` probes, a server cannot.
 */
export const COOKIE_DEFAULTS: CookieSettings = {
  params: DEFAULTS.params,
  cookieName: DEFAULTS.cookieName,
  cookieDomain: '',
  ttlDays: DEFAULTS.ttlDays,
};

/** A cookie name: an RFC 6265 token. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A domain name, optionally with the leading dot older servers write. */
const DOMAIN = /^\.?[a-z0-9-]+(\.[a-z0-9-]+)*$/i;

/** Checks the cookie options; throws an Error naming the option at fault. */
export function cookieSettings(options: ClickCookieOptions | undefined, caller: string): CookieSettings {
  const {
    params = COOKIE_DEFAULTS.params,
    cookieName = COOKIE_DEFAULTS.cookieName,
    cookieDomain = COOKIE_DEFAULTS.cookieDomain,
    ttlDays = COOKIE_DEFAULTS.ttlDays,
  } = options || {};
  const fail = (why: string): never => {
    throw new Error(caller + ': ' + why);
  };
  if (!Array.isArray(params) || !params.length || !params.every((name) => typeof name === 'string' && name !== ''))
    fail('params must be a non-empty list of parameter names');
  if (typeof cookieName !== 'string' || !TOKEN.test(cookieName)) fail('cookieName must be a cookie name (a token)');
  if (cookieDomain === 'auto')
    fail(
      "cookieDomain 'auto' works only in the browser: give the domain (such as 'shop.example'), or leave it out for a host-only cookie",
    );
  if (typeof cookieDomain !== 'string' || (cookieDomain !== '' && !DOMAIN.test(cookieDomain)))
    fail('cookieDomain must be a domain name such as shop.example');
  if (!(typeof ttlDays === 'number' && ttlDays > 0 && ttlDays < Infinity)) fail('ttlDays must be a number > 0');
  return { params, cookieName, cookieDomain, ttlDays };
}

/** The first of `params` with a valid click ID in `query`, as the browser's capture finds it. */
export function clickIdIn(query: Params, params: string[]): string | undefined {
  for (const name of params) {
    const found = (query[name] || []).find(isClickId);
    if (found) return found;
  }
}

/**
 * The `Set-Cookie` value, built by the browser's own cookie code: the same attributes as a
 * capture in the browser (`Path=/`, `SameSite=Lax`, `Max-Age`, `Domain` when given,
 * `Secure` on https).
 */
export const setCookie = (settings: CookieSettings, clickId: string, secure: boolean): string =>
  cookieString(settings.cookieName, clickId, settings.ttlDays, settings.cookieDomain, secure);

/**
 * The `Set-Cookie` header value that stores the click ID of a landing-page URL, for a page
 * the shop's own server renders: the relay's `/click` route, without the round trip. A
 * cookie set by the server's HTTP response is not subject to the caps browsers put on
 * cookies written by scripts (Safari: 7 days, 1 day after a link-decorating site).
 *
 * `url` is the page's public URL as the visitor sees it (`https://…` behind a proxy that
 * terminates TLS, so the cookie gets `Secure`). Returns `null` when none of `params`
 * holds a valid click ID, or `url` is not a URL. Throws when an option is wrong.
 *
 * @example
 * const cookie = clickCookie(`https://${req.headers.host}${req.url}`, { cookieDomain: 'shop.example' });
 * if (cookie) res.setHeader('Set-Cookie', cookie);
 */
export function clickCookie(url: string | URL, options?: ClickCookieOptions): string | null {
  const settings = cookieSettings(options, 'clickCookie');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const query: Params = Object.create(null);
  parsed.searchParams.forEach((value, name) => (query[name] = query[name] || []).push(value));
  const clickId = clickIdIn(query, settings.params);
  return clickId ? setCookie(settings, clickId, parsed.protocol === 'https:') : null;
}
