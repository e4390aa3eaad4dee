/**
 * Fired marks and the outbox: exactly once, and nothing lost.
 *
 * - The **mark**: `localStorage['postclick:<unique_id>'] = [createdAt]`, written before
 *   anything is sent. Its presence makes a refresh, a second tab or a re-render `duplicate`.
 * - The **pending record**: `[createdAt, uniqueId, url, attempts, transport, acknowledge,
 *   since, resendable, claim, retryAfter]`, kept until delivery settles. It lives in a cookie on the
 *   click cookie's domain (`_postclick_q<hash>`), so any host of the site retries it; where
 *   that cookie cannot be written (cookies blocked, a URL too long for a cookie, consent
 *   pending) it takes the mark's place in `localStorage` (or memory) instead.
 *
 * `since` is when the current attempt (or a tab's claim to it) started; `claim` names the
 * tab that claimed a retry; `retryAfter` is when a failed one may be tried again. ARCHITECTURE.md says why it is built this way.
 */
import { attempt } from './attempt';
import { cookies, cookieValues, writeCookie } from './cookie';
import { log } from './debug';
import { hash } from './hash';
import { consented, cookieDomain } from './settings';
import { load, keys, remove, save } from './storage';
import { send, type Delivery } from './transport';
import type { Transport } from './types';

/** A pending conversion: every record `fire()` writes has the first six fields. */
type Pending = [
  createdAt: number,
  uniqueId: string,
  url: string,
  attempts: number,
  transport: Transport,
  acknowledge: boolean,
  since?: number,
  resendable?: boolean,
  claim?: string,
  retryAfter?: number,
];

/** A fired mark (`[createdAt]`) or a pending conversion, as read back from storage. */
type Entry = [
  createdAt: number,
  uniqueId?: string,
  url?: string,
  attempts?: number,
  transport?: Transport,
  acknowledge?: boolean,
  since?: number,
  resendable?: boolean,
  claim?: string,
  retryAfter?: number,
];

/** What `fire()` comes to: a delivery, or why nothing was sent. */
export type Outcome = Delivery | { status: 'duplicate' } | { status: 'failed'; error: string };

/** Where records live: this origin's storage, or the site-wide cookies. (`_` names: minified.) */
interface Place {
  _read(key: string): Entry | undefined;
  /** Whether the entry was stored. */
  _put(key: string, entry: Entry): boolean | undefined;
  _remove(key: string): void;
  _keys(): string[];
}

const LOCAL = 'postclick:';
const SITE = '_postclick_q';
/** Records kept in localStorage at most: delivered marks go first, oldest first. */
const MAX_RECORDS = 50;
const MAX_ATTEMPTS = 5;
/** Pending records in site-wide cookies at most, and the longest such cookie value. */
const SITE_RECORDS = 3;
const SITE_CHARS = 1200;
const MAX_AGE_DAYS = 7;
/**
 * A keepalive fetch outlives its page, but its answer does not reach that page once it has
 * navigated away: other pages leave a request in flight alone this long before they decide
 * what became of it.
 */
const IN_FLIGHT_MS = 6e4;
/**
 * How long a tab waits after claiming a retry before it checks that its claim still stands.
 * Tabs that flush at the same moment all write a claim; the last write wins, and each tab
 * reads it back after this pause, by which a write from another process has arrived.
 */
const CLAIM_MS = 400;
/**
 * Tabs that hear `online` at the same moment first wait a random while, up to this long,
 * so that most find another tab's claim already there instead of racing it.
 */
const JITTER_MS = 300;
/** A claim not followed by a send (its tab navigated away first) stands no longer than this. */
const CLAIM_STALE_MS = 5e3;
/** The pause after a second failed attempt; it doubles with each later one. */
const BACKOFF_MS = 5e3;

const parse = (text: string | null | undefined): Entry | undefined => attempt(() => JSON.parse(text!) as Entry);

const local: Place = {
  _read: (key) => parse(load(key)),
  // Consent pending: held in memory, for consent(true) to store.
  _put(key, entry) {
    save(key, JSON.stringify(entry), !consented());
    return true;
  },
  _remove: remove,
  _keys: () => keys().filter((key) => key.startsWith(LOCAL)),
};

const site: Place = {
  _read: (key) => parse(attempt(() => decodeURIComponent(cookieValues(key).pop()!))),
  _put(key, entry) {
    const value = encodeURIComponent(JSON.stringify(entry));
    // Each of these cookies goes with every request to the site: a new record joins only a
    // few short ones (a typical record is ~300 bytes), and longer or later ones stay local.
    const fits = cookieValues(key).length || (value.length < SITE_CHARS && site._keys().length < SITE_RECORDS);
    if (!fits) return false;
    writeCookie(key, value, MAX_AGE_DAYS, cookieDomain());
    // Browsers drop a cookie over 4 KB silently: only reading it back tells.
    return cookieValues(key).pop() === value;
  },
  _remove: (key) => writeCookie(key, '', -1, cookieDomain()),
  _keys: () =>
    cookies()
      .map(([name]) => name!)
      .filter((name) => name.startsWith(SITE)),
};

const siteKey = (uniqueId: string): string => SITE + hash(uniqueId);

/** Ends a pending record: a mark is all that stays (none, if `unmark`: a corrected call may go). */
function settle(place: Place, key: string, [createdAt, uniqueId]: Entry, unmark?: boolean): void {
  place._remove(key);
  if (unmark) remove(LOCAL + uniqueId);
  else if (place === local) local._put(key, [createdAt]);
}

/**
 * Makes room for one more record in localStorage: delivered marks go first, oldest first,
 * then records pending here. The mark of a conversion pending in the site-wide outbox is
 * never evicted: without it, a refresh would send the sale again.
 */
function evict(): void {
  const all = local._keys();
  const rank = (key: string): number => (local._read(key)?.[2] ? 1e15 : 0) + (local._read(key)?.[0] || 0);
  all
    .filter((key) => !site._read(siteKey(key.slice(LOCAL.length))))
    .sort((a, b) => rank(a) - rank(b))
    .slice(0, Math.max(0, all.length + 1 - MAX_RECORDS))
    .forEach(remove);
}

/** A conversion ready to fire. (`_` names: minified.) */
export interface Firing {
  _url: string;
  _uniqueId: string;
  _transport: Transport;
  _acknowledge: boolean;
}

/**
 * Marks the conversion fired and queues it, then delivers it unless consent is pending;
 * `duplicate` if it was fired before. The mark and the record are written synchronously,
 * before the first await, so a second call in the same task already finds them.
 */
export function fire({
  _url: url,
  _uniqueId: uniqueId,
  _transport: transport,
  _acknowledge: acknowledge,
}: Firing): Outcome | Promise<Outcome> {
  const key = LOCAL + uniqueId;
  const shared = siteKey(uniqueId);
  if (typeof load(key) === 'string' || (__FEATURE_SITE_OUTBOX__ && site._read(shared))) return { status: 'duplicate' };
  if (__FEATURE_OUTBOX_BOUND__) evict();
  const now = Date.now();
  const sending = consented();
  // In flight from the start when delivery follows at once: another tab's flush() leaves it.
  // The URL is stored absolute: a retry from another host of the site goes where this page
  // sent it, not to that host's own path (a relay at `/postclick/c` on www. only).
  const entry: Pending = [
    now,
    uniqueId,
    new URL(url, location.href).href,
    0,
    transport,
    acknowledge,
    sending ? now : 0,
    false,
  ];
  local._put(key, [now]);
  if (__FEATURE_SITE_OUTBOX__ && sending && site._put(shared, entry)) return deliver(site, shared, entry);
  local._put(key, entry);
  return sending ? deliver(local, key, entry) : { status: 'queued', error: 'consent pending' };
}

/**
 * One delivery attempt of a pending record. Offline it does not try (sendBeacon would report
 * success and lose the request) and the attempt does not count; a failure keeps the record
 * for the next page load or the `online` event, until it has had its attempts or its week.
 */
async function deliver(place: Place, key: string, entry: Pending): Promise<Outcome> {
  const [createdAt, uniqueId, url, attempts, transport, acknowledge] = entry;
  const exhausted = { status: 'failed', error: 'attempts exhausted' } as const;
  if (attempts >= MAX_ATTEMPTS || Date.now() - createdAt > MAX_AGE_DAYS * 864e5) {
    settle(place, key, entry);
    return exhausted;
  }
  const pending = (since?: number, resendable?: boolean): unknown =>
    place._put(key, [createdAt, uniqueId, url, attempts + (since ? 1 : 0), transport, acknowledge, since, resendable]);
  if (!navigator.onLine) {
    pending();
    return { status: 'queued', error: 'offline' };
  }
  const delivery = await send(url, transport, acknowledge, (resendable) => pending(Date.now(), resendable));
  if (delivery.status !== 'queued') settle(place, key, entry, delivery.status === 'refused');
  else if (attempts + 1 < MAX_ATTEMPTS)
    place._put(key, [
      createdAt,
      uniqueId,
      url,
      attempts + 1,
      transport,
      acknowledge,
      0,
      false,
      '',
      __FEATURE_RETRY_BACKOFF__ ? retryAfter(attempts + 1) : 0,
    ]);
  else {
    settle(place, key, entry);
    return exhausted;
  }
  return delivery;
}

/**
 * When a record that failed `failed` times may be tried again: at the next page load after
 * its first failure, then 5 s, 10 s and 20 s after each later one, so a shopper browsing
 * through a short outage does not spend all five attempts in it.
 */
const retryAfter = (failed: number): number => (failed > 1 ? Date.now() + BACKOFF_MS * 2 ** (failed - 2) : 0);

const sleep = (ms: number): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Retries one pending record, if no other tab is on it. A request still in flight is left
 * alone for a minute; after that, one that outlived its page without being acknowledged is
 * taken as delivered (a keepalive request is not cancelled with its page), anything else
 * is sent again. A retry goes out once however many tabs flush at the same moment: each
 * writes a claim, and only the tab whose claim is still there after CLAIM_MS sends.
 */
async function retry(place: Place, key: string): Promise<void> {
  if (__FEATURE_RETRY_CLAIM__) await sleep(Math.random() * JITTER_MS);
  const entry = place._read(key);
  // A record with a URL is a pending conversion (a mark has none).
  if (!entry?.[2]) return;
  const [createdAt, uniqueId, url, attempts, transport, acknowledge, since = 0, resendable, claimed, retryAfter = 0] =
    entry;
  // A claim whose tab left before sending is stale after CLAIM_STALE_MS; a request in flight after a minute.
  if (Date.now() - since < (__FEATURE_RETRY_CLAIM__ && claimed ? CLAIM_STALE_MS : IN_FLIGHT_MS)) return;
  if (__FEATURE_RETRY_BACKOFF__ && Date.now() < retryAfter) return;
  if (since && !resendable) return settle(place, key, entry);
  const claim = String(Math.random());
  if (__FEATURE_RETRY_CLAIM__) {
    place._put(key, [createdAt, uniqueId, url, attempts, transport, acknowledge, Date.now(), true, claim]);
    await sleep(CLAIM_MS);
    if (place._read(key)?.[8] !== claim) return;
  }
  const outcome = await deliver(place, key, entry as Pending);
  log('retried ' + uniqueId + ' from the outbox: ' + outcome.status);
}

/**
 * Retries every pending conversion, site-wide and this origin's (at each page load that runs
 * postclick, and on `online`), unless consent is pending or refused.
 */
export function flush(): void {
  if (consented())
    for (const place of __FEATURE_SITE_OUTBOX__ ? [site, local] : [local])
      for (const key of place._keys()) void retry(place, key);
}

/** Forgets every mark and pending conversion. */
export const clearOutbox = (): void =>
  (__FEATURE_SITE_OUTBOX__ ? [site, local] : [local]).forEach((place) => place._keys().forEach(place._remove));
