// @ts-check
import { accessSync, closeSync, constants, fdatasync, mkdirSync, openSync, statSync } from 'node:fs';
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
  recordedConversion,
  toConversion,
  toForwardJob,
  toSummary,
} from './common.js';

/** @typedef {import('./common.js').Store} Store */
/** A statement in raw mode: rows as arrays of column values. @typedef {{ get(...args: unknown[]): any[] | undefined }} RawStatement */

/** The columns of a stored conversion, in the order insertRows binds them: the id is ours (see runBatch). */
const ROW_COLUMNS = ['id', ...INSERT_COLUMNS, 'forward_status', 'forward_attempts', 'forward_next_at'];
/** Most rows one INSERT statement carries; a batch's rows go in statements of 64, 32, …, 1 rows. */
const MAX_ROWS_PER_INSERT = 64;

/**
 * A write of the batch: a conversion (judged, deduplicated and inserted by runBatch) or any
 * other write, run as it is.
 * @typedef {{ input: import('./common.js').ConversionInput, now: number } | { run: () => unknown }} Write
 */

/**
 * The embedded store: SQLite through libsql (better-sqlite3's synchronous API). Writes are
 * group-committed: every write of a batch runs in one transaction, and one sync of the WAL
 * makes all of them durable before any is answered (one failing write does not fail the
 * others: see `writes`).
 * @param {string | undefined} file  undefined → in memory, gone on close
 * @param {import('./common.js').StoreOptions} options
 * @returns {Store}
 */
export function openSqlite(file, { sessionHours, forward }) {
  const db = openFile(file);
  // WAL: readers (the reports) never block the writer.
  db.exec('PRAGMA busy_timeout = 5000');
  const journal = /** @type {any[]} */ (db.prepare('PRAGMA journal_mode = WAL').raw().get())[0];
  migrate(db);
  const wal = file && journal === 'wal' ? openSync(`${file}-wal`, 'r+') : undefined;
  // Durability is synchronous=FULL's, with its fsync off the event loop. In WAL mode FULL
  // differs from NORMAL only by a sync of the WAL after each COMMIT: NORMAL still syncs the
  // WAL before a checkpoint copies it into the database, and the database before the WAL is
  // reused. So each batch commits under NORMAL and then syncs the WAL itself, on libuv's
  // thread pool (fdatasync, as SQLite does), and nothing of the batch is answered before that
  // sync is done: an answered request survives a power cut, not only a SIGKILL. Meanwhile
  // the event loop reads the next requests. The WAL file stays the same file while this
  // connection is open (SQLite deletes it only when the last connection closes), so one
  // descriptor serves. Without a WAL file (in memory, or a file system without WAL),
  // synchronous=FULL syncs inside COMMIT as before.
  db.exec(`PRAGMA synchronous = ${wal === undefined ? 'FULL' : 'NORMAL'}`);
  /** Resolves once everything committed so far is on disk. @returns {Promise<void> | undefined} */
  const synced = () =>
    wal === undefined
      ? undefined
      : new Promise((resolve, reject) => fdatasync(wal, (error) => (error ? reject(error) : resolve())));

  const stmt = {
    insertClick: db.prepare(`INSERT INTO clicks (click_id, offer_id, aff_id, url, created_at)
      VALUES (@click_id, @offer_id, @aff_id, @url, @created_at)`),
    // The click with the suppression entry that applies to it (the click's own before its
    // affiliate's, as in the PostgreSQL store), in one statement; raw: [aff_id, created_at, kind, value].
    findClick: /** @type {RawStatement} */ (
      db
        .prepare(
          `SELECT c.aff_id, c.created_at, s.kind, s.value FROM clicks AS c
      LEFT JOIN suppressions AS s ON s.rowid = (SELECT rowid FROM suppressions
        WHERE (kind = 'click_id' AND value = c.click_id) OR (kind = 'aff_id' AND value = c.aff_id)
        ORDER BY kind DESC LIMIT 1)
      WHERE c.click_id = ?`,
        )
        .raw()
    ),
    // The approved conversion that holds a dedup key; raw: [id].
    findCounted: /** @type {RawStatement} */ (
      db.prepare(`SELECT id FROM conversions WHERE offer_id = ? AND unique_id = ? AND status = 'approved'`).raw()
    ),
    lastConversionId: /** @type {RawStatement} */ (db.prepare('SELECT MAX(id) FROM conversions').raw()),
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

  /**
   * Runs a batch in one transaction. All-or-nothing: the fast path for a batch that fails
   * as a whole (the disk) or not at all, which is every batch of validated input.
   * @param {Write[]} ops
   */
  function inOneTransaction(ops) {
    stmt.begin.run();
    try {
      const results = runBatch(ops);
      stmt.commit.run();
      return results;
    } catch (error) {
      if (db.inTransaction) stmt.rollback.run();
      throw error;
    }
  }

  /**
   * Runs a batch, then makes it durable: its results (or errors), once the WAL is synced.
   * A failed sync fails the whole batch: none of it may be answered as stored.
   * @param {Write[]} ops @returns {Promise<unknown[]> | unknown[]}
   */
  function commitBatch(ops) {
    /** @type {unknown[]} */
    let results;
    try {
      results = inOneTransaction(ops);
    } catch (error) {
      if (ops.length === 1) return [error instanceof Error ? error : new Error(String(error))];
      // One op failed and took the batch down with it: nothing was committed, so run each
      // again on its own, and only the failing one fails.
      results = ops.map((op) => {
        try {
          return inOneTransaction([op])[0];
        } catch (opError) {
          return opError instanceof Error ? opError : new Error(String(opError));
        }
      });
    }
    const sync = synced();
    return sync ? sync.then(() => results) : results;
  }

  /** @type {ReturnType<typeof createBatcher<Write, unknown>>} */
  const writes = createBatcher(commitBatch);
  /** @template T @param {() => T} run @returns {Promise<T>} */
  const write = (run) => /** @type {Promise<T>} */ (writes.add({ run }));

  /**
   * The writes of one batch, in arrival order, inside its transaction. Conversions are
   * judged one by one as they come (a later one sees what an earlier one counted) but
   * written together: their rows wait in `rows` and go in a few multi-row INSERTs, before
   * any other write of the batch runs and at the end. Within the transaction (BEGIN
   * IMMEDIATE: no other process writes until COMMIT) the batch knows every approved key,
   * those in the table and those it is about to insert, so it numbers its rows itself
   * (MAX(id) + 1, …, as SQLite would) and never asks the unique index to refuse a row; the
   * index still holds, and a row it refused would fail the batch, which then runs op by op.
   * @param {Write[]} ops @returns {unknown[]}
   */
  function runBatch(ops) {
    /** @type {unknown[]} */
    const results = new Array(ops.length);
    /** @type {unknown[][]} rows waiting for their INSERT, in ROW_COLUMNS order */
    let rows = [];
    let nextId = 0;
    /** @type {Map<string, any[] | undefined>} click ID → findClick's row; valid until another write runs */
    const clicks = new Map();
    /** @type {Map<string, number>} dedup key → id of the row this batch counted */
    const counted = new Map();
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      if ('run' in op) {
        rows = insertRows(rows);
        clicks.clear();
        results[i] = op.run();
        continue;
      }
      const { input, now } = op;
      /** @type {any[] | undefined} */
      let found;
      if (input.click_id !== null) {
        found = clicks.get(input.click_id);
        if (found === undefined && !clicks.has(input.click_id)) {
          found = stmt.findClick.get(input.click_id);
          clicks.set(input.click_id, found);
        }
      }
      const click = found && {
        click_id: /** @type {string} */ (input.click_id),
        aff_id: found[0],
        created_at: found[1],
      };
      const suppression = found?.[2] ? { kind: found[2], value: found[3] } : undefined;
      let { status, reason } = judge({ clickId: input.click_id, click, suppression, now, sessionHours });
      // An approved row already holds this key: the sale was counted, this is a repeat.
      const key = input.unique_id === null ? null : `${input.offer_id}\u0000${input.unique_id}`;
      if (key !== null) {
        const countedId = counted.get(key) ?? stmt.findCounted.get(input.offer_id, input.unique_id)?.[0];
        if (countedId !== undefined) {
          status = 'duplicate';
          reason = duplicateReason(countedId);
        }
      }
      if (!nextId) nextId = (stmt.lastConversionId.get()?.[0] ?? 0) + 1;
      const id = nextId++;
      const approved = status === 'approved';
      if (approved && key !== null) counted.set(key, id);
      const queued = approved && forward;
      rows.push([
        id,
        input.offer_id,
        input.click_id,
        input.unique_id,
        input.order_id,
        input.amount,
        input.payout,
        input.revenue,
        input.adv1,
        input.adv2,
        input.adv3,
        input.adv4,
        input.adv5,
        input.event,
        input.currency,
        status,
        reason,
        now,
        queued ? 'pending' : null,
        queued ? 0 : null,
        queued ? now : null,
      ]);
      results[i] = recordedConversion(input, id, status, reason, found ? found[0] : null, now, forward);
    }
    insertRows(rows);
    return results;
  }

  /** @type {Map<number, any>} rows per statement → INSERT of that many rows */
  const inserts = new Map();
  /**
   * Inserts the rows in statements of 64, 32, …, 1 rows (a few shapes, each prepared once).
   * @param {unknown[][]} rows @returns {unknown[][]} a new empty list
   */
  function insertRows(rows) {
    for (let at = 0; at < rows.length;) {
      let n = MAX_ROWS_PER_INSERT;
      while (n > rows.length - at) n >>= 1;
      let statement = inserts.get(n);
      if (!statement) {
        const tuple = `(${ROW_COLUMNS.map(() => '?').join(', ')})`;
        statement = db.prepare(`INSERT INTO conversions (${ROW_COLUMNS}) VALUES ${Array(n).fill(tuple).join(', ')}`);
        inserts.set(n, statement);
      }
      statement.run(n === 1 ? rows[at] : rows.slice(at, at + n).flat());
      at += n;
    }
    return rows.length ? [] : rows;
  }

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

  return {
    insertClick: (click, now) => write(() => void stmt.insertClick.run({ ...click, created_at: now })),
    recordConversion: (input, now) =>
      /** @type {Promise<import('./common.js').Conversion>} */ (writes.add({ input, now })),
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
      if (wal !== undefined) closeSync(wal);
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
