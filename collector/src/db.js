// @ts-check
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';

/**
 * @typedef {'approved' | 'duplicate' | 'scrubbed' | 'rejected'} Status
 * @typedef {{ status: Status, reason: string | null }} Verdict
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
 * @typedef {ConversionInput & Verdict & { id: number, created_at: string }} Conversion  as /reports/conversions shows it
 * @typedef {{ click_id: string, offer_id: string | null, aff_id: string | null, url: string, created_at: string }} Click
 * @typedef {{ click_id: string, aff_id: string | null, created_at: number }} StoredClick
 * @typedef {{ kind: 'click_id' | 'aff_id', value: string }} Suppression
 * @typedef {{ offer_id: string, conversions: number, amount: number, payout: number, revenue: number }} OfferTotals
 */

// Times are stored as epoch milliseconds (cheap to compare for session expiry) and
// turned into ISO 8601 only on the way out.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS clicks (
  id         INTEGER PRIMARY KEY,
  click_id   TEXT NOT NULL UNIQUE,
  offer_id   TEXT,
  aff_id     TEXT,
  url        TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS conversions (
  id         INTEGER PRIMARY KEY,
  offer_id   TEXT NOT NULL,
  click_id   TEXT,
  unique_id  TEXT,
  order_id   TEXT,
  amount     REAL,
  payout     REAL,
  revenue    REAL,
  adv1 TEXT, adv2 TEXT, adv3 TEXT, adv4 TEXT, adv5 TEXT,
  event      TEXT,
  currency   TEXT,
  status     TEXT NOT NULL CHECK (status IN ('approved', 'duplicate', 'scrubbed', 'rejected')),
  reason     TEXT,
  created_at INTEGER NOT NULL
);
-- The dedup rule lives here, not in a read-then-write: at most one *approved* row per
-- (offer_id, unique_id). Repeats are still stored, as 'duplicate', for the reports.
-- NULL unique_ids never collide, so a conversion without one is not deduplicated.
CREATE UNIQUE INDEX IF NOT EXISTS conversions_counted_once
  ON conversions (offer_id, unique_id) WHERE status = 'approved';
CREATE TABLE IF NOT EXISTS suppressions (
  kind       TEXT NOT NULL CHECK (kind IN ('click_id', 'aff_id')),
  value      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (kind, value)
);
`;

const CONVERSION_COLUMNS = [
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
];

/**
 * Opens (and creates) the store. `file` undefined → an in-memory database, gone on close.
 * @param {string | undefined} file
 */
export function openDb(file) {
  if (file) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file ?? ':memory:');
  // WAL: readers (the reports) never block the writer. synchronous=FULL fsyncs the WAL at
  // every commit, so an answered conversion survives a power cut, not only a SIGKILL.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
  db.exec(SCHEMA);

  const stmt = {
    insertClick: db.prepare(`INSERT INTO clicks (click_id, offer_id, aff_id, url, created_at)
      VALUES (@click_id, @offer_id, @aff_id, @url, @created_at)`),
    findClick: db.prepare('SELECT click_id, aff_id, created_at FROM clicks WHERE click_id = ?'),
    // ON CONFLICT only fires for the partial index, i.e. for a second 'approved' row.
    insertConversion: db.prepare(`INSERT INTO conversions (${CONVERSION_COLUMNS})
      VALUES (${CONVERSION_COLUMNS.map((c) => '@' + c)})
      ON CONFLICT (offer_id, unique_id) WHERE status = 'approved' DO NOTHING`),
    findCounted: db.prepare(`SELECT id FROM conversions
      WHERE offer_id = ? AND unique_id = ? AND status = 'approved'`),
    conversions: db.prepare('SELECT * FROM conversions ORDER BY id DESC LIMIT ?'),
    clicks: db.prepare('SELECT click_id, offer_id, aff_id, url, created_at FROM clicks ORDER BY id DESC LIMIT ?'),
    suppress: db.prepare('INSERT OR IGNORE INTO suppressions (kind, value, created_at) VALUES (?, ?, ?)'),
    findSuppression: db.prepare(`SELECT kind, value FROM suppressions
      WHERE (kind = 'click_id' AND value = ?) OR (kind = 'aff_id' AND value = ?) LIMIT 1`),
    totals: db.prepare(`SELECT offer_id, COUNT(*) AS conversions, TOTAL(amount) AS amount,
      TOTAL(payout) AS payout, TOTAL(revenue) AS revenue
      FROM conversions WHERE status = 'approved' GROUP BY offer_id ORDER BY offer_id`),
    statusCounts: db.prepare('SELECT status, COUNT(*) AS n FROM conversions GROUP BY status'),
    clickCount: db.prepare('SELECT COUNT(*) AS n FROM clicks'),
  };

  // Rows are typed by the JSDoc of each method below.
  /** @param {any} statement @param {...unknown} args @returns {any[]} */
  const all = (statement, ...args) => statement.all(...args);
  // libsql's Statement#get() adds a `_metadata` field to the row; all() does not.
  /** @param {any} statement @param {...unknown} args */
  const first = (statement, ...args) => all(statement, ...args)[0];

  return {
    /** @param {Omit<Click, 'created_at'>} click @param {number} now */
    insertClick(click, now) {
      stmt.insertClick.run({ ...click, created_at: now });
    },

    /** @param {string} clickId @returns {StoredClick | undefined} */
    findClick: (clickId) => first(stmt.findClick, clickId),

    /**
     * @param {string} clickId @param {string | null} affId
     * @returns {Suppression | undefined}
     */
    findSuppression: (clickId, affId) => first(stmt.findSuppression, clickId, affId),

    /** @param {Suppression['kind']} kind @param {string} value @param {number} now */
    suppress(kind, value, now) {
      stmt.suppress.run(kind, value, now);
    },

    /**
     * Stores a conversion with its verdict. A repeat of an approved (offer_id, unique_id)
     * is stored as 'duplicate' whatever its own verdict: the sale was already counted.
     * @param {ConversionInput} input @param {Verdict} verdict @param {number} now
     * @returns {Conversion}
     */
    insertConversion(input, verdict, now) {
      const row = { ...input, ...verdict, created_at: now };
      /** @returns {number | undefined} id of the approved conversion with the same key */
      const countedId = () =>
        input.unique_id === null ? undefined : first(stmt.findCounted, input.offer_id, input.unique_id)?.id;
      // Approved: just insert; the unique index refuses a second one (changes = 0).
      // Other verdicts never conflict, so look the key up to label a repeat.
      const counted = verdict.status === 'approved' ? undefined : countedId();
      let result = counted === undefined ? stmt.insertConversion.run(row) : { changes: 0, lastInsertRowid: 0 };
      if (!result.changes) {
        row.status = 'duplicate';
        row.reason = `same offer_id and unique_id as conversion #${counted ?? countedId()}, already counted`;
        result = stmt.insertConversion.run(row);
      }
      return toConversion({ id: Number(result.lastInsertRowid), ...row });
    },

    /** Newest first. @param {number} [limit] @returns {Conversion[]} */
    conversions: (limit = -1) => all(stmt.conversions, limit).map(toConversion),

    /** Newest first. @param {number} [limit] @returns {Click[]} */
    clicks: (limit = -1) => all(stmt.clicks, limit).map(withIsoTime),

    /** Approved totals per offer. @returns {OfferTotals[]} */
    totals: () => all(stmt.totals),

    /** Clicks, and conversions per status. @returns {Record<'clicks' | Status, number>} */
    counts() {
      const counts = { clicks: first(stmt.clickCount).n, approved: 0, duplicate: 0, scrubbed: 0, rejected: 0 };
      for (const { status, n } of all(stmt.statusCounts)) counts[/** @type {Status} */ (status)] = n;
      return counts;
    },

    close: () => db.close(),
  };
}

/** @typedef {ReturnType<typeof openDb>} Db */

/** @template {{ created_at: number }} T @param {T} row */
function withIsoTime(row) {
  return { ...row, created_at: new Date(row.created_at).toISOString() };
}

/** @param {any} row @returns {Conversion} */
const toConversion = (row) => withIsoTime(row);
