// @ts-check
import { readdirSync, readFileSync } from 'node:fs';
import { judge } from '../verdict.js';

/**
 * What both stores share: the shapes, the verdict step, the reason of a duplicate, the
 * migrations and the row → JSON mapping. Each store only knows its database.
 *
 * @typedef {'approved' | 'duplicate' | 'scrubbed' | 'rejected'} Status
 * @typedef {{ status: Status, reason: string | null }} Verdict
 * @typedef {'pending' | 'forwarded' | 'failed'} ForwardStatus
 *
 * @typedef {object} ConversionInput  validated /c parameters (validate.js); absent values null
 * @property {string} offer_id
 * @property {string | null} click_id
 * @property {string | null} unique_id
 * @property {string | null} order_id
 * @property {number | null} amount
 * @property {number | null} payout
 * @property {number | null} revenue
 * @property {string | null} adv1
 * @property {string | null} adv2
 * @property {string | null} adv3
 * @property {string | null} adv4
 * @property {string | null} adv5
 * @property {string | null} event
 * @property {string | null} currency
 *
 * @typedef {ConversionInput & Verdict & { id: number, created_at: string,
 *   forward_status?: ForwardStatus | null, forward_attempts?: number | null }} Conversion
 *   as /reports/conversions shows it (the forward fields only with forwarding on)
 * @typedef {{ click_id: string, offer_id: string | null, aff_id: string | null, url: string, created_at: string }} Click
 * @typedef {{ click_id: string, aff_id: string | null, created_at: number }} StoredClick
 * @typedef {{ kind: 'click_id' | 'aff_id', value: string }} Suppression
 * @typedef {{ offer_id: string, conversions: number, amount: number, payout: number, revenue: number }} OfferTotals
 * @typedef {ConversionInput & { id: number, forward_attempts: number }} ForwardJob  a claimed queue entry
 * @typedef {{ status: ForwardStatus, attempts: number, nextAt: number | null, error: string | null }} ForwardOutcome
 *
 * @typedef {object} StoreOptions
 * @property {number} sessionHours
 * @property {boolean} forward  queue approved conversions for forwarding
 *
 * @typedef {object} Store  every method resolves once its writes are committed
 * @property {(click: Omit<Click, 'created_at'>, now: number) => Promise<void>} insertClick
 * @property {(input: ConversionInput, now: number) => Promise<Conversion>} recordConversion
 *   judges, dedups and stores one conversion
 * @property {(kind: Suppression['kind'], value: string, now: number) => Promise<void>} suppress
 * @property {(limit?: number) => Promise<Conversion[]>} conversions  newest first
 * @property {(limit?: number) => Promise<Click[]>} clicks  newest first
 * @property {() => Promise<OfferTotals[]>} totals  approved totals per offer
 * @property {() => Promise<Record<'clicks' | Status, number>>} counts
 * @property {(limit: number, now: number, leaseMs: number) => Promise<ForwardJob[]>} claimForwards
 *   due pending rows, each hidden from every other claim for leaseMs
 * @property {(id: number, outcome: ForwardOutcome) => Promise<void>} finishForward
 * @property {() => Promise<void>} close
 */

/** The reason stored on a duplicate, as a format string (`%s` = the counted row's id). */
export const DUPLICATE_REASON = 'same offer_id and unique_id as conversion #%s, already counted';

/** @param {number} countedId */
export const duplicateReason = (countedId) => DUPLICATE_REASON.replace('%s', String(countedId));

export { judge };

/** The order of /reports/conversions fields, whatever the database's column order. */
const CONVERSION_FIELDS = /** @type {const} */ ([
  'id',
  'offer_id',
  'click_id',
  'unique_id',
  'order_id',
  'amount',
  'payout',
  'revenue',
  'adv1',
  'adv2',
  'adv3',
  'adv4',
  'adv5',
  'event',
  'currency',
  'status',
  'reason',
  'created_at',
]);

/** The columns a conversion is inserted with (id is the database's). */
export const INSERT_COLUMNS = CONVERSION_FIELDS.filter((name) => name !== 'id');

/**
 * A stored row as the reports show it: ISO time, fields in the documented order, and the
 * forward fields only when this collector forwards.
 * @param {Record<string, any>} row @param {boolean} forward @returns {Conversion}
 */
export function toConversion(row, forward) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const name of CONVERSION_FIELDS) out[name] = row[name] ?? null;
  out.id = Number(row.id);
  out.created_at = new Date(Number(row.created_at)).toISOString();
  if (forward) {
    out.forward_status = row.forward_status ?? null;
    out.forward_attempts = row.status === 'approved' ? Number(row.forward_attempts ?? 0) : null;
  }
  return /** @type {Conversion} */ (out);
}

/** @param {Record<string, any>} row @returns {Click} */
export function toClick(row) {
  return {
    click_id: row.click_id,
    offer_id: row.offer_id,
    aff_id: row.aff_id,
    url: row.url,
    created_at: new Date(Number(row.created_at)).toISOString(),
  };
}

/** @param {Record<string, any>} row @returns {ForwardJob} */
export function toForwardJob(row) {
  const job = /** @type {Record<string, unknown>} */ ({ id: Number(row.id) });
  for (const name of INSERT_COLUMNS) job[name] = row[name] ?? null;
  job.forward_attempts = Number(row.forward_attempts ?? 0);
  return /** @type {ForwardJob} */ (job);
}

/**
 * The numbered plain-SQL migrations of one store (`migrations/<kind>/NNN_name.sql`), in order.
 * @param {'sqlite' | 'postgres'} kind @returns {{ version: number, name: string, sql: string }[]}
 */
export function migrations(kind) {
  const dir = new URL(`./migrations/${kind}/`, import.meta.url);
  return readdirSync(dir)
    .filter((name) => /^\d+_.*\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: parseInt(name, 10), name, sql: readFileSync(new URL(name, dir), 'utf8') }));
}

/** A start-up problem with `--data`: the message names the flag and says what to do. */
export class DataError extends Error {}
