/**
 * Hands a conversion URL to the browser (SPEC §5 "Delivery"). Resolves with the transport
 * that accepted it, or `undefined` when none did — the caller keeps it in the outbox then.
 */
import type { Transport } from './types';

export type Sent = Exclude<Transport, 'auto'> | undefined;

/**
 * An image GET. `load` means the endpoint answered with an image; `error` covers network
 * failures and non-image answers alike. The `_` cache-buster keeps caches from answering.
 */
const image = (url: string): Promise<Sent> =>
  new Promise((resolve) => {
    const img = new Image();
    img.referrerPolicy = 'strict-origin';
    img.onload = () => resolve('image');
    img.onerror = () => resolve(undefined);
    img.src = url + (/\?/.test(url) ? '&' : '?') + '_=' + Date.now();
  });

export function send(url: string, transport: Transport): Promise<Sent> {
  const auto = transport == 'auto';
  // sendBeacon: a POST of the same URL with no body, so no CORS preflight, and it outlives
  // the page. `true` only means queued; offline it still says `true` and the request is lost
  // (checked by the caller through navigator.onLine).
  if (auto || transport == 'beacon') {
    try {
      if (navigator.sendBeacon(url)) return Promise.resolve('beacon');
    } catch {}
    if (!auto) return Promise.resolve(undefined);
  }
  // fetch keepalive also outlives the page; no-cors needs no preflight and gives an opaque
  // answer, so only a network error (a rejection) counts as a failure.
  if (transport != 'image' && typeof fetch == 'function') {
    try {
      return fetch(url, { keepalive: true, mode: 'no-cors', credentials: 'include', referrerPolicy: 'strict-origin' }).then(
        () => 'fetch' as const,
        () => (auto ? image(url) : undefined),
      );
    } catch {}
  }
  return image(url);
}
