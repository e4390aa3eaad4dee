// @ts-check
import { randomBytes } from 'node:crypto';

/** The SDK's validity rule (docs/protocol.md, Capture): 1–128 characters of `A–Z a–z 0–9 . _ ~ : -`. */
const VALID_CLICK_ID = /^[A-Za-z0-9._~:-]{1,128}$/;

/**
 * @param {unknown} value
 * @returns {value is string}
 */
export function isValidClickId(value) {
  return typeof value === 'string' && VALID_CLICK_ID.test(value);
}

/**
 * A new click ID: 128 random bits, so nobody can guess another visitor's click and
 * convert on it. base64url stays inside the validity rule (`A–Z a–z 0–9 - _`), 22 chars.
 * @returns {string}
 */
export function newClickId() {
  return randomBytes(16).toString('base64url');
}
