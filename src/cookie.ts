/** The first-party click-ID cookie (SPEC §4): the contract between browser and server. */
import { attempt } from './attempt';
import { isClickId } from './clickId';

/** Every cookie the page can read, as `[name, value]` pairs; none where cookies throw. */
export const cookies = (): string[][] =>
  attempt(() => document.cookie.split(/; */).map((pair) => pair.split('='))) || [];

/**
 * Reads the click ID in `name`, skipping a malformed or invalid value. Where a host-only and
 * a domain cookie of that name both exist, the last one is the newest: browsers list cookies
 * of one path by creation time, oldest first (RFC 6265 §5.4 step 2), and postclick deletes
 * a cookie before it writes a new capture, so a capture always creates its cookie anew.
 */
export const readCookie = (name: string): string | undefined => cookieValues(name).filter(isClickId).pop();

/** The values of every cookie called `name`, oldest first. */
export const cookieValues = (name: string): string[] =>
  cookies()
    .filter(([key]) => key === name)
    .map(([, value]) => value!);

/**
 * The `document.cookie` string for a click-ID cookie. A negative `ttlDays` deletes it (RFC 6265
 * §5.2.2: Max-Age ≤ 0 expires at once; negative also satisfies happy-dom, which keeps `0` for a
 * millisecond).
 */
export const cookieString = (name: string, value: string, ttlDays: number, domain: string, secure: boolean): string =>
  name +
  '=' +
  value +
  ';Path=/;SameSite=Lax;Max-Age=' +
  Math.round(ttlDays * 86400) +
  (domain ? ';Domain=' + domain : '') +
  (secure ? ';Secure' : '');

/** The throw-away cookie that finds the site's domain. */
const probe = '_postclick_probe';

/**
 * The widest domain this page may set a cookie on (its eTLD+1), found the way analytics
 * libraries do: set a throw-away cookie from the shortest candidate up and keep the first
 * one the browser accepts. Browsers refuse public suffixes (`co.uk`, `github.io`; RFC 6265
 * §5.3 step 5), so no suffix list ships in the bundle. `''` (host-only) when none sticks,
 * as on `localhost` or an IP address. The probe is written and read back by the same code
 * as the click-ID cookie, so no second cookie format ships.
 */
export function siteDomain(hostname: string): string {
  const labels = hostname.split('.');
  let domain = labels.pop();
  while (labels.length) {
    domain = labels.pop() + '.' + domain;
    writeCookie(probe, '1', 1, domain);
    if (readCookie(probe)) {
      writeCookie(probe, '1', -1, domain);
      return domain;
    }
  }
  return '';
}

/**
 * The page's site domain, probed once per page: a capture writes and deletes the cookie on
 * `'auto'` several times, and Firefox reports each probe of a public suffix as a console error.
 */
let probed: string | undefined;
const autoDomain = (): string => (probed ??= siteDomain(location.hostname));

/** Writes the cookie on the domain `cookieDomain` asks for; `'auto'` detects it. */
export const writeCookie = (name: string, value: string, ttlDays: number, cookieDomain: string): void =>
  void attempt(
    () =>
      (document.cookie = cookieString(
        name,
        value,
        ttlDays,
        __FEATURE_COOKIE_DOMAIN_AUTO__ && cookieDomain === 'auto' ? autoDomain() : cookieDomain,
        location.protocol === 'https:',
      )),
  );
