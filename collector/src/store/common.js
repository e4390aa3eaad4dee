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
 * @typedef {ConversionInput & Verdict & { id: number, aff_id: string | null, created_at: string,
 *   forward_status?: ForwardStatus | null, forward_attempts?: number | null }} Conversion
 *   as /reports/conversions shows it (aff_id is its click's; the forward fields only with forwarding on)
 * @typedef {{ click_id: string, offer_id: string | null, aff_id: string | null, url: string, created_at: string }} Click
 * @typedef {{ click_id: string, aff_id: string | null, created_at: number }} StoredClick
 * @typedef {{ kind: 'click_id' | 'aff_id', value: string }} Suppression
 * @typedef {{ offer_id: string, conversions: number, amount: number, payout: number, revenue: number }} OfferTotals
 *
 * @typedef {object} ConversionFilter  what the reports may be narrowed to; absent = any
 * @property {Status} [status]
 * @property {string} [offer_id]
 * @property {string} [aff_id]  the affiliate of the conversion's click
 * @property {number} [from]  epoch ms, inclusive
 * @property {number} [to]  epoch ms, exclusive
 * @typedef {object} ConversionPage  a slice of the newest-first list; absent = all
 * @property {number} [limit]
 * @property {number} [before]  only ids below this one (older rows)
 * @property {number} [after]  only ids above this one (newer rows): the slice just above it
 * @typedef {{ offer_id: string, currency: string | null, status: Status, conversions: number,
 *   amount: number | null, payout: number | null, revenue: number | null }} OfferSummary
 *   sums are null when no row of the group has that value
 * @typedef {{ day: string, currency: string | null, status: Status, conversions: number,
 *   amount: number | null, payout: number | null, revenue: number | null }} DaySummary
 *   day: YYYY-MM-DD (UTC)
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
 * @property {(filter: ConversionFilter, page?: ConversionPage) => Promise<Conversion[]>} findConversions
 *   newest first
 * @property {(filter: ConversionFilter, limit: number) => Promise<Click[]>} findClicks
 *   newest first; status does not apply to clicks
 * @property {(filter: ConversionFilter) => Promise<number>} countClicks
 * @property {(filter: ConversionFilter) => Promise<OfferSummary[]>} summarizeByOffer
 *   per offer, currency and status, in no particular order
 * @property {(filter: ConversionFilter) => Promise<DaySummary[]>} summarizeByDay
 *   per UTC day, currency and status, in no particular order
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

/** The fields of a ConversionInput (validate.js), in the order the stores and reports list them. */
export const INPUT_FIELDS = /** @type {const} */ ([
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
]);

/** The order of /reports/conversions fields, whatever the database's column order. */
const CONVERSION_FIELDS = /** @type {const} */ (['id', ...INPUT_FIELDS, 'status', 'reason', 'created_at']);

/** The columns a conversion is inserted with (id is the database's). */
export const INSERT_COLUMNS = CONVERSION_FIELDS.filter((name) => name !== 'id');

/** The reports' field order: aff_id, which is its click's, next to the click ID. */
const REPORT_FIELDS = CONVERSION_FIELDS.flatMap((name) => (name === 'click_id' ? [name, 'aff_id'] : [name]));

/** The fields of a /reports/conversions object, in order. @param {boolean} forward */
export const reportFields = (forward) =>
  forward ? [...REPORT_FIELDS, 'forward_status', 'forward_attempts'] : [...REPORT_FIELDS];

const DAY_MS = 86_400_000;

/**
 * The WHERE clause of a report query over `conversions AS v LEFT JOIN clicks AS k`, with
 * its values. `placeholder(n)` spells the n-th parameter in the store's dialect.
 * @param {ConversionFilter} filter @param {(n: number) => string} placeholder
 * @param {{ clicks?: boolean }} [options]  clicks: filter `clicks AS k` alone (status does not apply)
 * @returns {{ where: string, values: unknown[] }}
 */
export function filterSql(filter, placeholder, { clicks = false } = {}) {
  /** @type {string[]} */
  const conditions = [];
  /** @type {unknown[]} */
  const values = [];
  /** @param {string} sql @param {unknown} value */
  const add = (sql, value) => {
    values.push(value);
    conditions.push(sql.replace('?', placeholder(values.length)));
  };
  const table = clicks ? 'k' : 'v';
  if (filter.status !== undefined && !clicks) add('v.status = ?', filter.status);
  if (filter.offer_id !== undefined) add(`${table}.offer_id = ?`, filter.offer_id);
  if (filter.aff_id !== undefined) add('k.aff_id = ?', filter.aff_id);
  if (filter.from !== undefined) add(`${table}.created_at >= ?`, filter.from);
  if (filter.to !== undefined) add(`${table}.created_at < ?`, filter.to);
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', values };
}

/**
 * The SELECT of findConversions for both stores: filters, then the page's cursor, newest
 * first (oldest first for `after`, which the caller reverses), then the limit.
 * @param {ConversionFilter} filter @param {ConversionPage} page @param {(n: number) => string} placeholder
 */
export function conversionsSql(filter, page, placeholder) {
  const { where, values } = filterSql(filter, placeholder);
  const conditions = where ? [where.slice('WHERE '.length)] : [];
  if (page.before !== undefined) {
    values.push(page.before);
    conditions.push(`v.id < ${placeholder(values.length)}`);
  }
  if (page.after !== undefined) {
    values.push(page.after);
    conditions.push(`v.id > ${placeholder(values.length)}`);
  }
  let sql = `SELECT v.*, k.aff_id FROM conversions AS v LEFT JOIN clicks AS k ON k.click_id = v.click_id
    ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
    ORDER BY v.id ${page.after === undefined ? 'DESC' : 'ASC'}`;
  if (page.limit !== undefined) {
    values.push(page.limit);
    sql += ` LIMIT ${placeholder(values.length)}`;
  }
  return { sql, values };
}

/**
 * The grouped SELECT of the summaries: `groupBy` is `v.offer_id` or the UTC day number
 * (integer division of epoch ms in both databases).
 * @param {ConversionFilter} filter @param {'offer' | 'day'} by @param {(n: number) => string} placeholder
 */
export function summarySql(filter, by, placeholder) {
  const { where, values } = filterSql(filter, placeholder);
  const key = by === 'offer' ? 'v.offer_id' : `CAST(v.created_at / ${DAY_MS} AS INTEGER)`;
  const sql = `SELECT ${key} AS ${by === 'offer' ? 'offer_id' : 'day'}, v.currency, v.status,
      COUNT(*) AS conversions, SUM(v.amount) AS amount, SUM(v.payout) AS payout, SUM(v.revenue) AS revenue
    FROM conversions AS v LEFT JOIN clicks AS k ON k.click_id = v.click_id
    ${where} GROUP BY ${key}, v.currency, v.status`;
  return { sql, values };
}

/**
 * A summary row as both stores return it: numbers as numbers, the day as YYYY-MM-DD.
 * @param {Record<string, any>} row @returns {any} an OfferSummary or a DaySummary, as queried
 */
export function toSummary(row) {
  /** @param {unknown} n */
  const number = (n) => (n === null || n === undefined ? null : Number(n));
  /** @type {Record<string, unknown>} */
  const out = {
    ...row,
    conversions: Number(row.conversions),
    amount: number(row.amount),
    payout: number(row.payout),
    revenue: number(row.revenue),
  };
  if ('day' in row) out.day = new Date(Number(row.day) * DAY_MS).toISOString().slice(0, 10);
  return out;
}

/**
 * The SELECT of findClicks (with a limit) or countClicks (without) for both stores.
 * @param {ConversionFilter} filter @param {number | undefined} limit @param {(n: number) => string} placeholder
 */
export function clicksSql(filter, limit, placeholder) {
  const { where, values } = filterSql(filter, placeholder, { clicks: true });
  if (limit === undefined) return { sql: `SELECT COUNT(*) AS n FROM clicks AS k ${where}`, values };
  values.push(limit);
  const sql = `SELECT k.click_id, k.offer_id, k.aff_id, k.url, k.created_at FROM clicks AS k ${where}
    ORDER BY k.id DESC LIMIT ${placeholder(values.length)}`;
  return { sql, values };
}

/**
 * A stored row as the reports show it: ISO time, fields in the documented order, and the
 * forward fields only when this collector forwards.
 * @param {Record<string, any>} row @param {boolean} forward @returns {Conversion}
 */
export function toConversion(row, forward) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const name of REPORT_FIELDS) out[name] = row[name] ?? null;
  out.id = Number(row.id);
  out.created_at = new Date(Number(row.created_at)).toISOString();
  if (forward) {
    out.forward_status = row.forward_status ?? null;
    out.forward_attempts = row.status === 'approved' ? Number(row.forward_attempts ?? 0) : null;
  }
  return /** @type {Conversion} */ (out);
}

/**
 * What recordConversion resolves with: the stored row as the reports show it, built from
 * what the store already holds rather than read back (the same fields and order as
 * toConversion; `aff_id` is the click's).
 * @param {ConversionInput} input @param {number} id @param {Status} status @param {string | null} reason
 * @param {string | null} affId @param {number} now @param {boolean} forward
 * @returns {Conversion}
 */
export function recordedConversion(input, id, status, reason, affId, now, forward) {
  /** @type {Conversion} */
  const out = {
    id,
    offer_id: input.offer_id,
    click_id: input.click_id,
    aff_id: affId,
    unique_id: input.unique_id,
    order_id: input.order_id,
    amount: input.amount,
    payout: input.payout,
    revenue: input.revenue,
    adv1: input.adv1,
    adv2: input.adv2,
    adv3: input.adv3,
    adv4: input.adv4,
    adv5: input.adv5,
    event: input.event,
    currency: input.currency,
    status,
    reason,
    created_at: new Date(now).toISOString(),
  };
  if (forward) {
    out.forward_status = status === 'approved' ? 'pending' : null;
    out.forward_attempts = status === 'approved' ? 0 : null;
  }
  return out;
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
