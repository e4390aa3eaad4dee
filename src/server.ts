/**
 * `postclick/server` (docs/server.md): Node helpers for the server-to-server postback path that
 * networks recommend — read the click ID from the request's cookie, build the conversion
 * URL with the browser's own wire code, send it with retries. Node ≥ 18 only (global
 * `fetch`); no dependencies, nothing runs on import.
 */
export { clickIdFromCookie } from './server/clickIdFromCookie';
export { conversionUrl } from './server/conversionUrl';
export { sendPostback, type PostbackOptions, type PostbackResult } from './server/sendPostback';
export type { Conversion } from './types';
