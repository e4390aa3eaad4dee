/**
 * Where the click ID lives: the cookie (readable by the server) mirrored in `localStorage`
 * with its capture time (SPEC §4). Either copy alone is enough to read it back; memory
 * stands in when both fail or consent is pending.
 */
import { isClickId } from './clickId';
import { readCookie, writeCookie } from './cookie';
import { consented, option } from './settings';
import { load, remove, save } from './storage';

const DAY_MS = 864e5;

/** The mirror's key: the cookie's name, so two configurations never share one. */
const mirrorKey = (): string => option('cookieName')!;

/** Stores a click ID captured now. The cookie waits for consent; the mirror holds it meanwhile. */
export function storeClick(clickId: string): void {
  if (consented()) {
    writeCookie(mirrorKey(), clickId, option('ttlDays')!, option('cookieDomain')!);
  }
  save(mirrorKey(), JSON.stringify([clickId, Date.now()]));
}

/** The stored, unexpired click ID, or null. */
export function readClick(): string | null {
  const fromCookie = readCookie(mirrorKey());
  if (fromCookie) return fromCookie;
  try {
    const [clickId, capturedAt] = JSON.parse(load(mirrorKey())!) as [unknown, number];
    if (isClickId(clickId) && Date.now() - capturedAt < option('ttlDays')! * DAY_MS) return clickId;
  } catch {}
  return null;
}

/** Forgets the click ID: the mirror, and the cookie on every domain it may have been set on. */
export function forgetClick(): void {
  const name = mirrorKey();
  remove(name);
  writeCookie(name, '', 0, '');
  writeCookie(name, '', 0, option('cookieDomain')!);
}
