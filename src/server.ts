/**
 * `postclick/server` (docs/server.md): helpers for the server-to-server postback path that networks
 * recommend — read the click ID from the request's cookie, build the conversion URL with
 * the browser's own wire code, send it with retries — and the first-party relay that joins
 * the browser to that path. Web-standard APIs only (global `fetch`, `Request`, `Response`):
 * Node ≥ 18, edge runtimes; no dependencies, nothing runs on import.
 */
export { clickIdFromCookie } from './server/clickIdFromCookie';
export { clickCookie, type ClickCookieOptions } from './server/clickCookie';
export { conversionUrl } from './server/conversionUrl';
export { relay, type RelayHandler, type RelayOptions } from './server/relay';
export { sendPostback, type PostbackOptions, type PostbackResult } from './server/sendPostback';
export { toNodeListener, type NodeRequest, type NodeResponse } from './server/toNodeListener';
export type { Conversion } from './types';
