/**
 * Where the click ID lives: the cookie (readable by the server) mirrored in `localStorage`
 * with its capture time (SPEC §4). Either copy alone is enough to read it back; memory
 * stands in when both fail or while consent is pending.
 */
import { attempt } from './attempt';
import { isClickId } from './clickId';
import { readCookie, writeCookie } from './cookie';
import { askForCookie } from './cookieEndpoint';
import { consented, cookieDomain, cookieName as name, ttlDays } from './settings';
import { log } from './debug';
import { isHeld, load, remove, save } from './storage';

/**
 * Deletes the click-ID cookie host-only and on the configured domain: a page with
 * `cookieDomain: ''` and another with `'auto'` leave one of each otherwise. A host-only page
 * also clears the `'auto'` variant; a page that names its domain is never made to probe
 * (Firefox reports every probe of a public suffix on the console).
 */
const deleteCookies = (): void => {
  const configured = cookieDomain();
  const domains = __FEATURE_COOKIE_CLEANUP__ ? ['', configured === '' ? 'auto' : configured] : [configured];
  domains.forEach((domain) => writeCookie(name(), '', -1, domain));
};

/**
 * Stores a click ID captured now. The cookie is deleted before it is written, so the new one
 * is created anew (an overwrite keeps the old creation time, RFC 6265 §5.3 step 11.3) and no
 * stale variant on another domain outlives it. The cookie waits for consent; memory holds
 * the mirror meanwhile.
 */
export function storeClick(clickId: string): void {
  if (consented()) {
    deleteCookies();
    writeCookie(name(), clickId, ttlDays(), cookieDomain());
    if (__FEATURE_COOKIE_ENDPOINT__) askForCookie(clickId);
  }
  save(name(), JSON.stringify([clickId, Date.now()]), !consented());
  if (__DEBUG__) {
    log(
      'stored in ' +
        [
          readCookie(name()) === clickId && 'cookie',
          isHeld(name()) ? 'memory (localStorage unavailable or consent pending)' : 'localStorage',
        ]
          .filter(Boolean)
          .join(' + '),
    );
  }
}

/** The localStorage mirror (or its memory stand-in), if unexpired. */
const mirrored = (): string | undefined =>
  attempt(() => {
    const [clickId, capturedAt] = JSON.parse(load(name())!);
    if (isClickId(clickId) && Date.now() - capturedAt < ttlDays() * 864e5) return clickId;
  });

/**
 * The stored, unexpired click ID, or undefined; an expired ID is treated as absent. A copy
 * held in memory is this page's newest capture (storage blocked, or consent pending) and
 * wins; then the cookie, which every subdomain of the site shares; then the mirror.
 */
export const readClick = (): string | undefined => (isHeld(name()) && mirrored()) || readCookie(name()) || mirrored();

/** Forgets the click ID: the mirror, and every variant of the cookie. */
export function forgetClick(): void {
  remove(name());
  deleteCookies();
}
