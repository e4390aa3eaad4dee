/**
 * Delivery stubbed where the SDK hands a conversion to the browser: `fetch` (what `auto`
 * tries first) and `navigator.sendBeacon`. What left is what they were handed; the real
 * transports are proven in Chromium (test/e2e).
 */
import { vi } from 'vitest';

export interface Stub {
  /** Every URL handed to fetch or sendBeacon, in order. */
  sent: string[];
  /** The `RequestInit` of every fetch. */
  inits: RequestInit[];
  /** How fetch answers (default: a 200 with an empty body); throw for a network error. */
  answer: (url: string) => Response | Promise<Response>;
  /** What sendBeacon returns. */
  beacon: boolean;
}

/** Whether happy-dom's Request had `keepalive` of its own (it has not, today). */
const nativeKeepalive = 'keepalive' in Request.prototype;

/**
 * Installs the stub, in a browser with keepalive fetch (happy-dom's Request lacks the
 * property; `keepalive: false` takes it away again, for the beacon fallback).
 */
export function stubDelivery({ keepalive = true } = {}): Stub {
  if (keepalive && !nativeKeepalive) {
    Object.defineProperty(Request.prototype, 'keepalive', { configurable: true, get: () => false });
  }
  const stub: Stub = { sent: [], inits: [], answer: () => new Response('', { status: 200 }), beacon: true };
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    stub.sent.push(String(url));
    stub.inits.push(init);
    return stub.answer(String(url));
  });
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => true });
  Object.defineProperty(navigator, 'sendBeacon', {
    configurable: true,
    value: (url: string) => {
      stub.sent.push(url);
      return stub.beacon;
    },
  });
  return stub;
}

export function unstubDelivery(): void {
  if (!nativeKeepalive) delete (Request.prototype as { keepalive?: boolean }).keepalive;
  vi.unstubAllGlobals();
  delete (navigator as { onLine?: boolean }).onLine;
  delete (navigator as { sendBeacon?: unknown }).sendBeacon;
}
