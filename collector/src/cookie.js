// @ts-check
import { getDomain } from 'tldts';
import { isValidClickId } from './clickId.js';

/** The SDK's default `cookieName` (docs/api.md, Options): the contract between browser and server. */
export const COOKIE_NAME = '_postclick';
const MAX_AGE_SECONDS = 30 * 24 * 60 * 60; // the SDK's default ttlDays

/**
 * The click ID in the `_postclick` cookie, or null. A malformed Cookie header or an
 * invalid value is treated as no cookie: it is not the request's fault.
 * @param {string | undefined} header
 * @returns {string | null}
 */
export function clickIdFromCookie(header) {
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== COOKIE_NAME) continue;
    const value = pair
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    return isValidClickId(value) ? value : null;
  }
  return null;
}

/**
 * The Set-Cookie value for a new click, scoped to the request's *site*: the registrable
 * domain (eTLD+1, from the Public Suffix List) of the Host, so that a tracking domain
 * `track.shop.test` sets it for `shop.test` and `www.shop.test` reads it. localhost, IP
 * addresses and bare names have no registrable domain: host-only cookie.
 * @param {string} clickId
 * @param {string | undefined} hostHeader
 */
export function clickCookie(clickId, hostHeader) {
  const domain = registrableDomain(hostHeader);
  return [
    `${COOKIE_NAME}=${clickId}`,
    'Path=/',
    `Max-Age=${MAX_AGE_SECONDS}`,
    'SameSite=Lax',
    ...(domain ? [`Domain=${domain}`] : []),
  ].join('; ');
}

/** @param {string | undefined} hostHeader */
function registrableDomain(hostHeader) {
  // Strip the port; an IPv6 literal keeps its brackets and yields no domain.
  const host = (hostHeader ?? '').trim().toLowerCase().replace(/:\d*$/, '');
  if (!/^[a-z0-9.-]+$/.test(host)) return null;
  // allowPrivateDomains: browsers refuse cookies for github.io-style suffixes too.
  return getDomain(host, { allowPrivateDomains: true });
}
