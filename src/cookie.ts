/** The first-party click-ID cookie (SPEC §4): the contract between browser and server. */
import { isClickId } from './clickId';

const DAY = 86400;

/** Reads `name`, skipping a malformed or invalid value instead of throwing. */
export function readCookie(name: string): string | null {
  try {
    for (const pair of document.cookie.split(/; */)) {
      const value = pair.slice(name.length + 1);
      if (pair.indexOf(name + '=') == 0 && isClickId(value)) return value;
    }
  } catch {}
  return null;
}

/** The `document.cookie` string for a click-ID cookie. `ttlDays` ≤ 0 deletes it. */
export const cookieString = (name: string, value: string, ttlDays: number, domain: string, secure: boolean): string =>
  name + '=' + value + ';Path=/;SameSite=Lax;Max-Age=' + Math.round(ttlDays * DAY) +
  (domain ? ';Domain=' + domain : '') + (secure ? ';Secure' : '');

/**
 * The widest domain this page may set a cookie on (its eTLD+1), found the way analytics
 * libraries do: try a throw-away cookie from the shortest candidate up, and keep the first
 * one the browser accepts. Browsers refuse public suffixes (`co.uk`, `github.io`; RFC 6265
 * §5.3 step 5), so no list of suffixes ships in the bundle. `''` (host-only) when none sticks.
 */
export function siteDomain(hostname: string): string {
  const labels = hostname.split('.');
  for (let i = 2; i <= labels.length; i++) {
    const domain = labels.slice(-i).join('.');
    const probe = '_postclick_probe=' + i;
    try {
      document.cookie = probe + ';Path=/;Domain=' + domain;
      if (document.cookie.indexOf(probe) >= 0) {
        document.cookie = probe + ';Path=/;Max-Age=0;Domain=' + domain;
        return domain;
      }
    } catch {}
  }
  return '';
}

/** Writes the cookie on the domain `cookieDomain` asks for; `'auto'` detects it. */
export function writeCookie(name: string, value: string, ttlDays: number, cookieDomain: string): void {
  try {
    const domain = cookieDomain == 'auto' ? siteDomain(location.hostname) : cookieDomain;
    document.cookie = cookieString(name, value, ttlDays, domain, location.protocol == 'https:');
  } catch {}
}
