/**
 * Hands a conversion URL to the browser (SPEC §5 "Delivery"). Resolves with the transport
 * that accepted it, or `undefined` when none did — the caller keeps it in the outbox then.
 */
import { attempt } from './attempt';
import type { Transport } from './types';

export type Sent = Exclude<Transport, 'auto'> | undefined;

/** Neither fetch nor the image sends more of the page's address than its origin. */
const referrerPolicy = 'strict-origin';

/**
 * An image GET. `load` means the endpoint answered with an image; `error` covers network
 * failures and non-image answers alike. The `_` cache-buster keeps caches from answering.
 */
const image = (url: string): Promise<Sent> =>
  new Promise((resolve) => {
    const img = new Image();
    img.referrerPolicy = referrerPolicy;
    img.onload = () => resolve('image');
    img.onerror = () => resolve(undefined);
    img.src = url + (/\?/.test(url) ? '&_=' : '?_=') + Date.now();
  });

export async function send(url: string, transport: Transport): Promise<Sent> {
  const auto = transport == 'auto';
  // sendBeacon: a POST of the same URL with no body — no CORS preflight — that outlives the
  // page. `true` only means queued: offline it is `true` too and the request is lost, so the
  // caller checks navigator.onLine first.
  if (auto || transport == 'beacon') {
    if (attempt(() => navigator.sendBeacon(url))) return 'beacon';
    if (!auto) return;
  }
  if (transport != 'image') {
    // fetch keepalive also outlives the page; no-cors needs no preflight and answers opaquely,
    // so only a network error (a rejection) is a failure. Cookies go as with beacon and image.
    try {
      await fetch(url, { keepalive: true, mode: 'no-cors', credentials: 'include', referrerPolicy });
      return 'fetch';
    } catch {
      if (!auto) return;
    }
  }
  return image(url);
}
