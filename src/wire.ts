/**
 * The wire format of SPEC §5: one URL, `endpoint` plus CAKE's postback parameters.
 * Shared by the browser SDK and `postclick/server`, so both build byte-identical URLs.
 */
import { isClickId } from './clickId';
import { hash } from './hash';
import { formatAmount } from './number';
import { clean } from './text';
import type { Conversion } from './types';

/** Conversion fields in wire order; the wire name is the snake_case of each. */
const FIELDS = 'clickId offerId amount payout revenue orderId uniqueId adv1 adv2 adv3 adv4 adv5 event currency'.split(
  ' ',
);

export type WireParams = Record<string, string>;

/**
 * Validates and converts a conversion to wire parameters. `pick(key)` resolves a field
 * (the call's data, then defaults); `page` feeds the derived `unique_id`.
 * Throws an Error that says which field is wrong and why.
 */
export function wireParams(pick: (key: keyof Conversion) => unknown, page: string): WireParams {
  // A null prototype: a `{__proto__}` template placeholder finds nothing.
  const params: WireParams = Object.create(null);
  for (const key of FIELDS as (keyof Conversion)[]) {
    let value = pick(key);
    const money = key === 'amount' || key === 'payout' || key === 'revenue';
    // An empty amount is an unfilled template value, not "no amount": it is invalid.
    if (value === null || value === undefined || (value === '' && !money)) {
      // unique_id is always sent: uniqueId, else orderId, else a hash of what identifies the sale.
      if (key !== 'uniqueId') continue;
      value = __FEATURE_DERIVED_UNIQUE_ID__
        ? params.order_id || hash([params.offer_id, params.click_id, page].join('|'))
        : params.order_id;
    }
    let text: string | undefined;
    if (money) {
      text = formatAmount(value);
      if (!text) throw new Error(key + ': not a number ≥ 0 and below 10^15');
    } else {
      if (typeof value !== 'string' && typeof value !== 'number') throw new Error(key + ': not a string');
      // adv1–adv5 are cut to 255 after cleaning, and cleaned again: a cut can split a surrogate pair.
      text = clean(clean(String(value)).slice(0, /^adv/.test(key) ? 255 : undefined));
      if (key === 'clickId' && !isClickId(text)) throw new Error(key + ': not a click ID');
      if (key === 'currency') {
        text = text.toUpperCase();
        if (!/^[A-Z]{3}$/.test(text)) throw new Error(key + ': not ISO 4217');
      }
    }
    if (text) params[key.replace(/[A-Z]/, (c) => '_' + c.toLowerCase())] = text;
  }
  return params;
}

/** `endpoint` must be an http(s) URL, protocol-relative or root-relative: returns it, or throws why not. */
export function checkEndpoint(endpoint: unknown): string {
  // A #fragment would carry every parameter appended after it, and never reach the server.
  // No falsy value passes the test ('', or words such as `undefined` and `0`), hence `missing`.
  if (!/^(https?:\/)?\/[^#]*$/i.test(endpoint as string))
    throw new Error(endpoint ? 'endpoint: not http(s), or has a #fragment' : 'endpoint: missing');
  return endpoint as string;
}

/**
 * The conversion URL. A template endpoint (`{name}` placeholders, or a query value that is
 * CAKE's literal `REPLACE`) is filled and nothing is appended, so a network's own pixel
 * URL works unchanged; otherwise the parameters are appended as a query.
 */
export function buildUrl(endpoint: string, params: WireParams): string {
  const encode = encodeURIComponent;
  // One pass over the template: a value filled in is never read as a placeholder itself
  // (a sub-ID that is literally `REPLACE` stays `REPLACE`).
  const placeholder = /\{(\w+)\}|=REPLACE(?=[&#]|$)/g;
  const url =
    __FEATURE_TEMPLATES__ && placeholder.test(endpoint)
      ? endpoint.replace(placeholder, (_, name?: string) =>
          name ? encode(params[name] || '') : '=' + encode(params.click_id || ''),
        )
      : endpoint +
        (/[?&]$/.test(endpoint) ? '' : endpoint.includes('?') ? '&' : '?') +
        Object.keys(params)
          .map((name) => name + '=' + encode(params[name]!))
          .join('&');
  // Proxies, CDNs and the reference collector refuse longer request targets: it would be lost
  // while a beacon reported it sent.
  if (__FEATURE_URL_LIMIT__ && url.length > 8192) throw new Error('url: over 8 KB');
  return url;
}
