// @ts-check
import { isValidClickId } from './clickId.js';
import { HttpError } from './http.js';

/** Longest stored string; the SDK cuts adv1–adv5 to the same length (docs/protocol.md). */
export const MAX_TEXT = 255;

// What the SDK writes (docs/protocol.md): plain decimals, no sign, no exponent. Digits are
// bounded so every accepted value is a finite double.
const DECIMAL = /^\d{1,15}(\.\d{1,20})?$/;
const CURRENCY = /^[A-Za-z]{3}$/;

/**
 * Turns /c parameters into a conversion, or throws a 400 naming the field.
 * Empty values count as absent: a template endpoint (`amount={amount}`) sends them so.
 * Unknown parameters — the image cache-buster `_` among them — are ignored.
 * @param {Record<string, string>} params  query and form body, already merged
 * @param {string | null} cookieClickId  from the `_postclick` cookie, already validated
 * @returns {import('./db.js').ConversionInput}
 */
export function validateConversion(params, cookieClickId) {
  /** @param {string} name */
  const value = (name) => (params[name] ? params[name] : null);
  /** @param {string} name */
  const text = (name) => {
    const v = value(name);
    if (v !== null && v.length > MAX_TEXT) throw fieldError(name, `is longer than ${MAX_TEXT} characters`);
    return v;
  };
  /** @param {string} name */
  const decimal = (name) => {
    const v = value(name);
    if (v !== null && !DECIMAL.test(v)) throw fieldError(name, 'must be a plain non-negative decimal such as 49.99');
    return v === null ? null : Number(v);
  };

  const offerId = text('offer_id');
  if (offerId === null) throw fieldError('offer_id', 'is required');
  const clickId = value('click_id');
  if (clickId !== null && !isValidClickId(clickId)) {
    throw fieldError('click_id', 'must be 1–128 characters of A–Z a–z 0–9 . _ ~ : -');
  }
  const currency = value('currency');
  if (currency !== null && !CURRENCY.test(currency)) throw fieldError('currency', 'must be a 3-letter ISO 4217 code');
  const orderId = text('order_id');

  return {
    offer_id: offerId,
    click_id: clickId ?? cookieClickId,
    // Same fallback as the SDK: unique_id, else order_id. Without either there is no
    // key, and the conversion is not deduplicated.
    unique_id: text('unique_id') ?? orderId,
    order_id: orderId,
    amount: decimal('amount'),
    payout: decimal('payout'),
    revenue: decimal('revenue'),
    adv1: text('adv1'),
    adv2: text('adv2'),
    adv3: text('adv3'),
    adv4: text('adv4'),
    adv5: text('adv5'),
    event: text('event'),
    currency: currency?.toUpperCase() ?? null,
  };
}

/** @param {string} field @param {string} problem */
export function fieldError(field, problem) {
  return new HttpError(400, `${field} ${problem}`);
}
