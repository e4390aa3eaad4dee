/**
 * Hands a conversion URL to the browser (SPEC §5 "Delivery"). Resolves with the transport
 * that accepted it, or `undefined` when none did — the caller keeps it in the outbox then.
 * `auto` tries each in turn; a named transport is the only one tried.
 */
import { attempt } from './attempt';
import type { Transport } from './types';

export type Sent = Exclude<Transport, 'auto'> | undefined;

/** fetch and the image send no more of the page's address than its origin. */
const referrerPolicy = 'strict-origin';

export async function send(url: string, transport: Transport): Promise<Sent> {
  const auto = transport == 'auto';
  // sendBeacon: a POST of the same URL with no body — no CORS preflight — that outlives the
  // page. `true` only means queued: offline it is `true` too and the request is lost, so the
  // caller checks navigator.onLine first.
  if ((auto || transport == 'beacon') && attempt(() => navigator.sendBeacon(url))) return 'beacon';
  // fetch keepalive also outlives the page; no-cors needs no preflight and answers opaquely,
  // so only a network error (a rejection) is a failure. Cookies go, as with beacon and image.
  if (auto || transport == 'fetch') {
    try {
      await fetch(url, { keepalive: true, mode: 'no-cors', credentials: 'include', referrerPolicy });
      return 'fetch';
    } catch {}
  }
  // An image GET: `load` means the endpoint answered with an image; `error` covers network
  // failures and non-image answers alike. The `_` cache-buster keeps caches from answering.
  if (auto || transport == 'image') {
    return new Promise((resolve) =>
      Object.assign(new Image(), {
        referrerPolicy,
        onload: () => resolve('image'),
        onerror: () => resolve(undefined),
        src: url + (/\?/.test(url) ? '&' : '?') + '_=' + Date.now(),
      }),
    );
  }
}
