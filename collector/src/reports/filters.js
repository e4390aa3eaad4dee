// @ts-check
import { HttpError, parseParams, queryOf } from '../http.js';
import { MAX_TEXT } from '../validate.js';

/** @typedef {import('../store/common.js').ConversionFilter} ConversionFilter */
/** @typedef {import('../store/common.js').ConversionPage} ConversionPage */

export const STATUSES = /** @type {const} */ (['approved', 'duplicate', 'scrubbed', 'rejected']);
export const FILTER_NAMES = /** @type {const} */ (['status', 'offer_id', 'aff_id', 'from', 'to']);
/** Paging of the HTML page: rows per page, and a cursor (a conversion id) in either direction. */
export const PAGE_NAMES = /** @type {const} */ (['limit', 'before', 'after']);
export const DEFAULT_PAGE_ROWS = 100;
export const MAX_PAGE_ROWS = 500;

// YYYY-MM-DD, optionally followed by a time (hours and minutes at least) and a zone: Z or
// ±HH:MM. Without a zone the time is UTC, as the reports show every time in UTC.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const POSITIVE_INTEGER = /^[1-9]\d{0,15}$/;
const TIME_HINT = 'an ISO 8601 date or time in UTC, such as 2025-11-25 or 2025-11-25T09:30:00Z';

/**
 * The filters and paging of a reports request, checked. Empty values count as absent (an
 * HTML form sends its empty fields); the first occurrence of a name wins; any other
 * parameter is a 400, so a misspelt filter never silently shows everything.
 * @param {string} target  the request target (`/reports?status=approved`)
 * @param {{ paging: boolean }} options  whether `limit`, `before` and `after` are allowed
 * @returns {{ filter: ConversionFilter, page: ConversionPage, values: Record<string, string> }}
 *   `values`: the non-empty parameters as given, to fill the form and build links with
 */
export function parseReportQuery(target, { paging }) {
  const params = parseParams(queryOf(target));
  const known = paging ? [...FILTER_NAMES, ...PAGE_NAMES] : FILTER_NAMES;
  /** @type {Record<string, string>} */
  const values = {};
  for (const [name, value] of Object.entries(params)) {
    if (!(/** @type {readonly string[]} */ (known).includes(name))) {
      throw new HttpError(400, `${name} is not a report parameter; use ${known.join(', ')}`);
    }
    if (value !== '') values[name] = value;
  }

  /** @type {ConversionFilter} */
  const filter = {};
  const { status, offer_id: offerId, aff_id: affId, from, to } = values;
  if (status !== undefined) {
    if (!(/** @type {readonly string[]} */ (STATUSES).includes(status))) {
      throw new HttpError(400, `status must be one of ${STATUSES.join(', ')}`);
    }
    filter.status = /** @type {import('../store/common.js').Status} */ (status);
  }
  if (offerId !== undefined) filter.offer_id = text('offer_id', offerId);
  if (affId !== undefined) filter.aff_id = text('aff_id', affId);
  if (from !== undefined) filter.from = instant('from', from);
  if (to !== undefined) filter.to = instant('to', to);
  if (filter.from !== undefined && filter.to !== undefined && filter.to <= filter.from) {
    throw new HttpError(400, 'to must be later than from (from is inclusive, to is exclusive)');
  }

  /** @type {ConversionPage} */
  const page = {};
  if (paging) {
    page.limit = values.limit === undefined ? DEFAULT_PAGE_ROWS : count('limit', values.limit);
    if (page.limit > MAX_PAGE_ROWS) throw new HttpError(400, `limit must be at most ${MAX_PAGE_ROWS}`);
    if (values.before !== undefined) page.before = count('before', values.before);
    if (values.after !== undefined) page.after = count('after', values.after);
    if (page.before !== undefined && page.after !== undefined) {
      throw new HttpError(400, 'before and after cannot be used together');
    }
  }
  return { filter, page, values };
}

/** @param {string} name @param {string} value */
function text(name, value) {
  if (value.length > MAX_TEXT) throw new HttpError(400, `${name} is longer than ${MAX_TEXT} characters`);
  return value;
}

/** @param {string} name @param {string} value */
function count(name, value) {
  if (!POSITIVE_INTEGER.test(value)) throw new HttpError(400, `${name} must be a positive whole number`);
  return Number(value);
}

/**
 * An ISO 8601 date (its 00:00 UTC) or date and time → epoch ms. Impossible dates such as
 * 2025-02-30 or 24:00 are refused rather than rolled over into the next day.
 * @param {string} name @param {string} value
 */
export function instant(name, value) {
  // A `+` typed into a URL arrives as a space (form encoding): `T10:00 01:00` meant +01:00.
  const match = DATE_TIME.exec(value.replace(/ (\d{2}:\d{2})$/, '+$1'));
  if (!match) throw new HttpError(400, `${name} must be ${TIME_HINT}`);
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '0', zone = 'Z'] = match;
  const fields = [year, month, day, hour, minute, second].map(Number);
  const ms = Math.floor(Number(`0.${fraction}`) * 1000);
  const utc = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5], ms);
  const check = new Date(utc);
  const valid =
    check.getUTCFullYear() === fields[0] &&
    check.getUTCMonth() === fields[1] - 1 &&
    check.getUTCDate() === fields[2] &&
    check.getUTCHours() === fields[3] &&
    check.getUTCMinutes() === fields[4] &&
    check.getUTCSeconds() === fields[5];
  if (!valid) throw new HttpError(400, `${name} is not a real date or time: ${value}`);
  return utc - zoneOffsetMs(name, zone);
}

/** `Z` → 0, `+02:00` → 2 h. @param {string} name @param {string} zone */
function zoneOffsetMs(name, zone) {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 23 || minutes > 59) throw new HttpError(400, `${name} has an impossible UTC offset: ${zone}`);
  return sign * (hours * 60 + minutes) * 60_000;
}

/**
 * A query string of these values (empty ones left out), for links that keep the filters.
 * @param {Record<string, string | number | undefined>} values
 */
export function queryString(values) {
  const entries = Object.entries(values).flatMap(([name, value]) =>
    value === undefined || value === '' ? [] : [[name, String(value)]],
  );
  return entries.length ? `?${new URLSearchParams(entries)}` : '';
}
