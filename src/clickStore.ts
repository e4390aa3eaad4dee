/**
 * Where the click ID lives: the cookie (readable by the server) mirrored in `localStorage`
 * with its capture time (SPEC §4). Either copy alone is enough to read it back; memory
 * stands in when both fail or while consent is pending.
 */
import { attempt } from './attempt';
import { isClickId } from './clickId';
import { readCookie, writeCookie } from './cookie';
import { askForCookie } from './cookieEndpoint';
import { consented, cookieName as name, settings, ttlDays } from './settings';
import { log } from './debug';
import { load, memory, remove, save } from './storage';

/**
 * Stores a click ID captured now. The cookie (and the relay's, with `cookieEndpoint`) waits
 * for consent; memory holds it meanwhile.
 */
export function storeClick(clickId: string): void {
  if (consented()) {
    writeCookie(name(), clickId, ttlDays(), settings.cookieDomain ?? 'auto');
    askForCookie(clickId);
  }
  save(name(), JSON.stringify([clickId, Date.now()]));
  if (__DEBUG__) {
    log(
      'stored in ' +
        [
          readCookie(name()) == clickId && 'cookie',
          name() in memory ? 'memory (localStorage unavailable or consent pending)' : 'localStorage',
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
export const readClick = (): string | undefined => (name() in memory && mirrored()) || readCookie(name()) || mirrored();

/** Forgets the click ID: the mirror, and the cookie host-only and on its configured domain. */
export function forgetClick(): void {
  remove(name());
  writeCookie(name(), '', -1, '');
  writeCookie(name(), '', -1, settings.cookieDomain ?? 'auto');
}
