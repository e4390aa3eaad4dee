import { DEFAULTS, type Conversion } from '../types';
import { buildUrl, wireParams } from '../wire';
import { isHttpUrl } from './httpUrl';

/**
 * The postback URL for one conversion: `endpoint` plus the wire parameters of docs/protocol.md,
 * built by the same code as the browser's `conversionUrl()`, so both sides produce the
 * same URL for the same input. A template endpoint (`{click_id}` placeholders, a
 * `REPLACE` value) is filled in, as in the browser.
 *
 * Differences from the browser, all because a server has no page:
 * - `endpoint` must be an absolute `http://` or `https://` URL (no relative or
 *   protocol-relative form); `data.endpoint` is ignored.
 * - The click ID is `data.clickId` only (read it with {@link clickIdFromCookie}); there
 *   is no stored one, and no `init` defaults (`data.offerId` only).
 * - The derived `unique_id` (no `uniqueId`, no `orderId`) hashes offer ID and click ID
 *   with an empty page, so it is stable for that pair: pass an order ID when one click
 *   may convert more than once.
 *
 * Returns `null` where the browser would not send:
 * - for input the browser calls `invalid` (a malformed click ID, `amount: 'abc'`, a
 *   negative number, a currency that is not ISO 4217, a non-string ID…) or a bad endpoint;
 * - without a click ID, as the browser's `no_click_id`, unless `data.requireClickId` is
 *   `false` (then the URL has no `click_id`, for networks that attribute by order or
 *   by their own cookie).
 * Never throws.
 *
 * @example
 * const url = conversionUrl('https://track.example/c', {
 *   clickId: clickIdFromCookie(req.headers.cookie) ?? undefined,
 *   offerId: '42', amount: order.total, orderId: order.id,
 * });
 * if (url) await sendPostback(url);
 */
export function conversionUrl(endpoint: string, data: Conversion): string | null {
  try {
    if (!isHttpUrl(endpoint)) return null;
    const conversion = data || {};
    const params = wireParams((key) => conversion[key], '');
    if (!params.click_id && (conversion.requireClickId ?? DEFAULTS.requireClickId)) return null;
    return buildUrl(endpoint, params);
  } catch {
    // Invalid input (wireParams throws why), a throwing getter, a hostile object.
    return null;
  }
}
