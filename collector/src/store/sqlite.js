// @ts-check
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'libsql';
import { createBatcher } from './batch.js';
import {
  clicksSql,
  conversionsSql,
  DataError,
  duplicateReason,
  INSERT_COLUMNS,
  judge,
  migrations,
  summarySql,
  toClick,
  toConversion,
  toForwardJob,
  toSummary,
} from './common.js';

/** @typedef {import('./common.js').Store} Store */

const ROW_COLUMNS = [...INSERT_COLUMNS, 'forward_status', 'forward_attempts', 'forward_next_at'];

/**
 * The embedded store: SQLite through libsql (better-sqlite3's synchronous API). Writes are
 * group-committed: every write of a batch runs in one transaction and the COMMIT fsyncs once
 * for all of them (one failing write does not fail the others: see `writes`).
 * @param {string | undefined} file  undefined → in memory, gone on close
 * @param {import('./common.js').StoreOptions} options
 * @returns {Store}
 */
export function openSqlite(file, { sessionHours, forward }) {
  const db = openFile(file);
  // WAL: readers (the reports) never block the writer. synchronous=FULL fsyncs the WAL at
  // every commit, so an answered request survives a power cut, not only a SIGKILL.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
  migrate(db);

  const stmt = {
    insertClick: db.prepare(`INSERT INTO clicks (click_id, offer_id, aff_id, url, created_at)
      VALUES (@click_id, @offer_id, @aff_id, @url, @created_at)`),
    // The click with the suppression entry that applies to it (the click's own before its
    // affiliate's, as in the PostgreSQL store), in one statement.
    findClick: db.prepare(`SELECT c.click_id, c.aff_id, c.created_at, s.kind, s.value FROM clicks AS c
      LEFT JOIN suppressions AS s ON s.rowid = (SELECT rowid FROM suppressions
        WHERE (kind = 'click_id' AND value = c.click_id) OR (kind = 'aff_id' AND value = c.aff_id)
        ORDER BY kind DESC LIMIT 1)
      WHERE c.click_id = ?`),
    // ON CONFLICT only fires for the partial index, i.e. for a second 'approved' row.
    insertConversion:
      db.prepare(`INSERT INTO conversions (${INSERT_COLUMNS}, forward_status, forward_attempts, forward_next_at)
      VALUES (${INSERT_COLUMNS.map((c) => '@' + c)}, @forward_status, @forward_attempts, @forward_next_at)
      ON CONFLICT (offer_id, unique_id) WHERE status = 'approved' DO NOTHING`),
    findCounted: db.prepare(`SELECT id FROM conversions
      WHERE offer_id = ? AND unique_id = ? AND status = 'approved'`),
    clicks: db.prepare('SELECT click_id, offer_id, aff_id, url, created_at FROM clicks ORDER BY id DESC LIMIT ?'),
    suppress: db.prepare('INSERT OR IGNORE INTO suppressions (kind, value, created_at) VALUES (?, ?, ?)'),
    totals: db.prepare(`SELECT offer_id, COUNT(*) AS conversions, TOTAL(amount) AS amount,
      TOTAL(payout) AS payout, TOTAL(revenue) AS revenue
      FROM conversions WHERE status = 'approved' GROUP BY offer_id ORDER BY offer_id`),
    statusCounts: db.prepare('SELECT status, COUNT(*) AS n FROM conversions GROUP BY status'),
    clickCount: db.prepare('SELECT COUNT(*) AS n FROM clicks'),
    claimForwards: db.prepare(`UPDATE conversions SET forward_next_at = ?
      WHERE id IN (SELECT id FROM conversions WHERE forward_status = 'pending' AND forward_next_at <= ?
        ORDER BY forward_next_at, id LIMIT ?)
      RETURNING *`),
    finishForward: db.prepare(`UPDATE conversions SET forward_status = ?, forward_attempts = ?,
      forward_next_at = ?, forward_error = ? WHERE id = ?`),
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
  };

  // Rows are typed by the Store typedef.
  /** @param {any} statement @param {...unknown} args @returns {any[]} */
  const all = (statement, ...args) => statement.all(...args);
  // libsql's Statement#get() adds a `_metadata` field to the row (all() does not): fine
  // where the row is only read, and get() costs half of all().
  /** @param {any} statement @param {...unknown} args @returns {any} */
  const first = (statement, ...args) => statement.get(...args);

  /**
   * Runs ops in one transaction. All-or-nothing: the fast path for a batch that fails as a
   * whole (the disk) or not at all, which is every batch of validated input.
   * @param {(() => unknown)[]} ops
   */
  function inOneTransaction(ops) {
    stmt.begin.run();
    try {
      const results = ops.map((op) => op());
      stmt.commit.run();
      return results;
    } catch (error) {
      if (db.inTransaction) stmt.rollback.run();
      throw error;
    }
  }

  /** @type {ReturnType<typeof createBatcher<() => unknown, unknown>>} */
  const writes = createBatcher((ops) => {
    try {
      return inOneTransaction(ops);
    } catch (error) {
      if (ops.length === 1) return [error instanceof Error ? error : new Error(String(error))];
      // One op failed and took the batch down with it: nothing was committed, so run each
      // again on its own, and only the failing one fails.
      return ops.map((op) => {
        try {
          return inOneTransaction([op])[0];
        } catch (opError) {
          return opError instanceof Error ? opError : new Error(String(opError));
        }
      });
    }
  });
  /** @template T @param {() => T} op @returns {Promise<T>} */
  const write = (op) => /** @type {Promise<T>} */ (writes.add(op));

  // Report queries vary with their filters; prepared on demand, kept per SQL text (a
  // handful of shapes: each filter is either present or not).
  /** @type {Map<string, any>} */
  const prepared = new Map();
  /** @param {{ sql: string, values: unknown[] }} query @returns {any[]} */
  function query({ sql, values }) {
    let statement = prepared.get(sql);
    if (!statement) prepared.set(sql, (statement = db.prepare(sql)));
    return all(statement, ...values);
  }
  const placeholder = () => '?';

  /** @param {import('./common.js').ConversionFilter} filter @param {import('./common.js').ConversionPage} page */
  function findConversions(filter, page = {}) {
    const rows = query(conversionsSql(filter, page, placeholder)).map((row) => toConversion(row, forward));
    return page.after === undefined ? rows : rows.reverse();
  }

  /**
   * One conversion, inside the batch's transaction: look the click up, judge it, insert it.
   * An approved row that the unique index refuses, and any row whose key an approved row
   * holds, is stored as 'duplicate': the sale was already counted.
   * @param {import('./common.js').ConversionInput} input @param {number} now
   */
  function storeConversion(input, now) {
    const found = input.click_id === null ? undefined : first(stmt.findClick, input.click_id);
    const click = found && { click_id: found.click_id, aff_id: found.aff_id, created_at: found.created_at };
    const suppression = found?.kind ? { kind: found.kind, value: found.value } : undefined;
    const verdict = judge({ clickId: input.click_id, click, suppression, now, sessionHours });
    const approved = verdict.status === 'approved';
    const row = {
      ...input,
      ...verdict,
      created_at: now,
      forward_status: approved && forward ? 'pending' : null,
      forward_attempts: approved && forward ? 0 : null,
      forward_next_at: approved && forward ? now : null,
    };
    /** @returns {number | undefined} id of the approved conversion with the same key */
    const countedId = () =>
      input.unique_id === null ? undefined : first(stmt.findCounted, input.offer_id, input.unique_id)?.id;
    // Approved: just insert; the unique index refuses a second one (changes = 0).
    // Other verdicts never conflict, so look the key up to label a repeat.
    const counted = approved ? undefined : countedId();
    /** @type {Record<string, unknown>} */
    const values = row;
    const insert = () => stmt.insertConversion.run(ROW_COLUMNS.map((name) => values[name]));
    let result = counted === undefined ? insert() : { changes: 0, lastInsertRowid: 0 };
    if (!result.changes) {
      Object.assign(row, {
        status: 'duplicate',
        reason: duplicateReason(/** @type {number} */ (counted ?? countedId())),
        forward_status: null,
        forward_attempts: null,
        forward_next_at: null,
      });
      result = insert();
    }
    return toConversion({ ...row, id: Number(result.lastInsertRowid) }, forward);
  }

  return {
    insertClick: (click, now) => write(() => void stmt.insertClick.run({ ...click, created_at: now })),
    recordConversion: (input, now) => write(() => storeConversion(input, now)),
    suppress: (kind, value, now) => write(() => void stmt.suppress.run(kind, value, now)),
    conversions: async (limit) => findConversions({}, { limit }),
    clicks: async (limit = -1) => all(stmt.clicks, limit).map(toClick),
    totals: async () => all(stmt.totals),
    async counts() {
      const counts = { clicks: all(stmt.clickCount)[0].n, approved: 0, duplicate: 0, scrubbed: 0, rejected: 0 };
      for (const { status, n } of all(stmt.statusCounts))
        counts[/** @type {import('./common.js').Status} */ (status)] = n;
      return counts;
    },
    findConversions: async (filter, page) => findConversions(filter, page),
    findClicks: async (filter, limit) => query(clicksSql(filter, limit, placeholder)).map(toClick),
    countClicks: async (filter) => query(clicksSql(filter, undefined, placeholder))[0].n,
    summarizeByOffer: async (filter) => query(summarySql(filter, 'offer', placeholder)).map(toSummary),
    summarizeByDay: async (filter) => query(summarySql(filter, 'day', placeholder)).map(toSummary),
    claimForwards: (limit, now, leaseMs) =>
      write(() => all(stmt.claimForwards, now + leaseMs, now, limit).map(toForwardJob)),
    finishForward: (id, { status, attempts, nextAt, error }) =>
      write(() => void stmt.finishForward.run(status, attempts, nextAt, error, id)),
    async close() {
      // Writes queued before close() still commit: the batcher runs on setImmediate.
      await writes.idle();
      db.close();
    },
  };
}

/**
 * Opens the file, turning the usual mistakes into a message that names --data and the fix.
 * @param {string | undefined} file
 */
function openFile(file) {
  if (!file) return new Database(':memory:');
  try {
    mkdirSync(dirname(file), { recursive: true });
    const info = statSync(file, { throwIfNoEntry: false });
    if (info?.isDirectory()) {
      throw new DataError(`--data: ${file} is a folder: name a file in it, such as ${join(file, 'collector.sqlite')}`);
    }
    // SQLite writes the file and its -wal and -shm companions next to it.
    accessSync(info ? file : dirname(file), constants.R_OK | constants.W_OK);
    const db = new Database(file);
    // Opening is lazy: touch the file now, so a bad path fails at start-up, not at the first sale.
    db.exec('PRAGMA user_version');
    return db;
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`--data: ${describeFileError(file, error)}`);
  }
}

/** @param {string} file @param {unknown} error */
function describeFileError(file, error) {
  const { code = '', message = String(error) } = /** @type {{ code?: string, message?: string }} */ (error);
  if (code === 'EACCES' || code === 'EPERM' || /readonly|permission/i.test(message))
    return `cannot write ${file} (permission denied): pick a folder this user may write, or change its permissions`;
  if (code === 'EROFS') return `cannot write ${file} (read-only file system): pick a writable folder`;
  if (code === 'ENOTDIR' || code === 'EEXIST') return `cannot use ${file} (a part of its path is a file, not a folder)`;
  if (/NOTADB|not a database/i.test(code + message))
    return `cannot use ${file} (it is not a SQLite database): pick another file name`;
  return `cannot use ${file} (${message})`;
}

/**
 * Applies the numbered migrations this file has not seen, each in its own transaction.
 * Checked inside the transaction: two processes starting on one file apply each once.
 * @param {any} db
 */
function migrate(db) {
  db.exec(
    'CREATE TABLE IF NOT EXISTS postclick_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER)',
  );
  const seen = db.prepare('SELECT 1 FROM postclick_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO postclick_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const { version, name, sql } of migrations('sqlite')) {
    db.exec('BEGIN IMMEDIATE');
    try {
      if (!seen.all(version).length) {
        db.exec(sql);
        record.run(version, name, Date.now());
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
