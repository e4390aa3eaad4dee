/**
 * Hands a conversion URL to the browser and says what became of it.
 * `auto` sends a keepalive fetch, then — without `acknowledge` — an image if the fetch
 * rejected; `sendBeacon` only where keepalive fetch is missing. A named transport is the
 * only one tried. A request the browser or a blocker cancelled is never reported sent.
 */
import { attempt } from './attempt';
import type { RefusedResult, SentResult, Transport } from './types';

/** What one delivery attempt came to; `queued` keeps the conversion for a retry. */
export type Delivery = Omit<SentResult, 'url' | 'uniqueId'> | Omit<RefusedResult, 'url' | 'uniqueId'> | QueuedDelivery;
export type QueuedDelivery = { status: 'queued'; error: string };

/**
 * Called as each request starts: `resendable` when, should its page unload first, it may be
 * sent again — an image (cancelled with its page) or an acknowledged fetch (whose answer is
 * lost with its page; the endpoint dedups). A keepalive request that is not acknowledged
 * outlives its page and is never sent again.
 */
export type Starting = (resendable: boolean) => void;

/**
 * Whether keepalive fetch exists (MDN: Request.keepalive; Firefox has it since 133). Where it
 * does not, `auto` falls back to sendBeacon, which outlives the page too.
 */
const hasKeepalive = (): boolean | undefined => attempt(() => 'keepalive' in Request.prototype);

/**
 * Whether an acknowledged fetch's answer is worth retrying: 408 and 429 say "later", a 5xx
 * is the endpoint's own trouble. Another 4xx will be refused again, whatever we retry.
 */
const retryable = (status: number): boolean => status === 408 || status === 429 || status < 400 || status > 499;

export async function send(
  url: string,
  transport: Transport,
  acknowledge: boolean,
  starting: Starting,
): Promise<Delivery> {
  const auto = transport === 'auto';
  const keepalive = hasKeepalive();
  if (__FEATURE_FETCH__ && (transport === 'fetch' || (auto && (keepalive || acknowledge)))) {
    starting(acknowledge);
    try {
      // `referrer: '/'` sends at most the origin, and the page's own referrer policy still
      // applies to it, so a stricter page (`no-referrer`, `same-origin`) sends less or none
      // (Fetch standard, "determine request's referrer"). No-cors answers opaquely: only a
      // network error, which a blocker's cancellation is too, rejects. Cookies go along.
      const response = await fetch(url, {
        keepalive: true,
        credentials: 'include',
        referrer: __FEATURE_REFERRER_POLICY__ ? '/' : undefined,
        mode: __FEATURE_ACKNOWLEDGE__ && acknowledge ? 'cors' : 'no-cors',
      });
      if (!__FEATURE_ACKNOWLEDGE__ || !acknowledge || response.ok)
        return { status: 'sent', transport: 'fetch', confirmed: acknowledge };
      const answer = (await response.json().catch(() => undefined)) as { error?: unknown } | undefined;
      const error = 'HTTP ' + response.status + ': ' + (answer?.error || response.statusText);
      return retryable(response.status)
        ? { status: 'queued', error }
        : { status: 'refused', transport: 'fetch', error };
    } catch {
      // A network error or a cancelled request: handled below.
    }
    // Acknowledged: a network error, or an endpoint that does not answer CORS. No image then:
    // its answer cannot be read, so it could not confirm anything either.
    if (!auto || acknowledge) return failed(transport);
  }
  // sendBeacon: a POST of the same URL with no body, no preflight. `true` only means queued
  // (offline it is `true` too: the caller checks navigator.onLine first), and filter lists
  // drop every cross-site beacon (EasyPrivacy's `$ping,third-party`), so it is the last resort.
  if (transport === 'beacon' || (auto && !keepalive)) {
    starting(false);
    if (attempt(() => navigator.sendBeacon(url))) return { status: 'sent', transport: 'beacon', confirmed: false };
    if (!auto) return failed(transport);
  }
  // An image GET: `load` means the endpoint answered with an image; `error` covers network
  // failures, blocked requests and non-image answers alike. The `_` cache-buster keeps caches
  // from answering. The page's referrer policy cannot be read, and an image takes no
  // referrer of its own, so it sends none: never more than the page allows.
  if (!__FEATURE_IMAGE__) return failed(transport);
  starting(true);
  return new Promise((resolve) =>
    Object.assign(new Image(), {
      referrerPolicy: __FEATURE_REFERRER_POLICY__ ? 'no-referrer' : '',
      onload: () => resolve({ status: 'sent', transport: 'image', confirmed: false }),
      onerror: () => resolve(failed(transport)),
      src: url + (url.includes('?') ? '&' : '?') + '_=' + Date.now(),
    }),
  );
}

const failed = (transport: Transport): QueuedDelivery => ({
  status: 'queued',
  error: (transport === 'auto' ? 'every transport' : transport) + ' failed: blocked, or a network error',
});
