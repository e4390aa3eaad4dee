// @ts-check
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'libsql';
import { createBatcher } from './batch.js';
import {
  clicksSql,
  conversionsSql,
  DataError,
  migrations,
  recordedConversion,
  summarySql,
  toClick,
  toConversion,
  toSummary,
} from './common.js';
import { createWriter, encodeWrites } from './sqliteWrites.js';

/**
 * @typedef {import('./common.js').Store} Store
 * @typedef {import('./sqliteWrites.js').Write} Write
 * @typedef {import('./sqliteWrites.js').WriteResult} WriteResult
 * @typedef {{ flush(ops: Write[]): Promise<WriteResult[]> | WriteResult[], close(): Promise<void> | void }} Writer
 */

/** Batches in the writer thread at a time: one committing while another waits for its fsync. */
const WRITER_IN_FLIGHT = 2;

/**
 * The embedded store: SQLite through libsql (better-sqlite3's synchronous API). Writes are
 * group-committed: the writes that arrive together run in one transaction, and one fsync
 * of the WAL makes them durable before any is answered (one failing write does not fail the
 * others: see sqliteWrites.js). On a file they run in a writer thread with its own
 * connection (sqliteWorker.js, which also says how its fsync keeps synchronous=FULL's
 * promise), so neither their SQL nor the fsync holds up the event loop; this connection
 * reads (the reports: WAL readers never wait for the writer). In memory, or without WAL,
 * this connection writes too, with synchronous=FULL.
 * @param {string | undefined} file  undefined → in memory, gone on close
 * @param {import('./common.js').StoreOptions} options
 * @returns {Store}
 */
export function openSqlite(file, options) {
  const { forward } = options;
  const db = openFile(file);
  db.exec('PRAGMA busy_timeout = 5000');
  const journal = /** @type {any[]} */ (db.prepare('PRAGMA journal_mode = WAL').raw().get())[0];
  // FULL: every commit is fsynced, so an answered request survives a power cut, not only a
  // SIGKILL (this connection writes only in memory, without WAL, and for the migrations).
  db.exec('PRAGMA synchronous = FULL');
  migrate(db);
  // Memory is this connection's alone; without WAL a second connection would wait for locks.
  const threaded = Boolean(file) && journal === 'wal';
  /** @type {Writer} */
  const writer = threaded ? writerThread(/** @type {string} */ (file), options) : createWriter(db, options);

  const writes = createBatcher(
    async (/** @type {Write[]} */ ops) => {
      const results = await writer.flush(ops);
      return results.map((result, i) => {
        if (result && 'error' in result) return Object.assign(new Error(result.error.message), result.error);
        const op = ops[i];
        if (op.type !== 'conversion') return result ?? undefined; // JSON turns undefined into null
        const [id, status, reason, affId] = /** @type {import('./sqliteWrites.js').Recorded} */ (result);
        return recordedConversion(op.input, id, status, reason, affId, op.now, forward);
      });
    },
    // The thread runs batches in order by itself: a second one may commit while the first
    // one's fsync runs (sqliteWorker.js).
    { inFlight: threaded ? WRITER_IN_FLIGHT : 1 },
  );
  /** @template T @param {Write} op @returns {Promise<T>} */
  const write = (op) => /** @type {Promise<T>} */ (writes.add(op));

  const stmt = {
    clicks: db.prepare('SELECT click_id, offer_id, aff_id, url, created_at FROM clicks ORDER BY id DESC LIMIT ?'),
    totals: db.prepare(`SELECT offer_id, COUNT(*) AS conversions, TOTAL(amount) AS amount,
      TOTAL(payout) AS payout, TOTAL(revenue) AS revenue
      FROM conversions WHERE status = 'approved' GROUP BY offer_id ORDER BY offer_id`),
    statusCounts: db.prepare('SELECT status, COUNT(*) AS n FROM conversions GROUP BY status'),
    clickCount: db.prepare('SELECT COUNT(*) AS n FROM clicks'),
  };

  // Rows are typed by the Store typedef.
  /** @param {any} statement @param {...unknown} args @returns {any[]} */
  const all = (statement, ...args) => statement.all(...args);

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
    insertClick: (click, now) => write({ type: 'click', click, now }),
    recordConversion: (input, now) => write({ type: 'conversion', input, now }),
    suppress: (kind, value, now) => write({ type: 'suppress', kind, value, now }),
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
    claimForwards: (limit, now, leaseMs) => write({ type: 'claimForwards', limit, now, leaseMs }),
    finishForward: (id, outcome) => write({ type: 'finishForward', id, outcome }),
    async close() {
      // Writes queued before close() still commit: the batcher runs on setImmediate.
      await writes.idle();
      await writer.close();
      db.close();
    },
  };
}

/**
 * The writer thread (sqliteWorker.js) on `file`: batches go to it as they come (the batcher
 * sends at most WRITER_IN_FLIGHT at a time) and come back in order, each once it is on disk.
 * Started by the first write, so that it does not compete with the start-up for the CPU;
 * it keeps the process alive only while a batch is in it.
 * @param {string} file @param {import('./common.js').StoreOptions} options @returns {Writer}
 */
function writerThread(file, options) {
  /** @type {Worker | undefined} */
  let worker;
  /** @type {Promise<unknown> | undefined} */
  let exited;
  /** @type {{ resolve: (results: WriteResult[]) => void, reject: (error: Error) => void }[]} in order */
  const inFlight = [];
  /** @type {Error | undefined} once the thread has died or been closed */
  let stopped;
  /** @param {Error} error */
  const stop = (error) => {
    stopped ??= error;
    for (const batch of inFlight.splice(0)) batch.reject(stopped);
  };

  function start() {
    // execArgv: none of the process's own flags (`--input-type`, say) need apply to the
    // thread, and some would stop it.
    const thread = new Worker(new URL('./sqliteWorker.js', import.meta.url), {
      workerData: { postclickWriter: true, file, options },
      execArgv: [],
    });
    exited = new Promise((resolve) => thread.once('exit', resolve));
    thread.on('message', (/** @type {string} */ message) => {
      /** @type {{ results: WriteResult[][] } | { error: string, batches: number }} */
      const answer = JSON.parse(message);
      if ('error' in answer) {
        const error = new Error(`cannot sync the database to disk: ${answer.error}`);
        for (const batch of inFlight.splice(0, answer.batches)) batch.reject(error);
      } else {
        for (const results of answer.results) inFlight.shift()?.resolve(results);
      }
      if (!inFlight.length) thread.unref();
    });
    thread.on('error', (error) => stop(new Error(`the SQLite writer thread failed: ${error.message}`)));
    void exited.then((code) => stop(new Error(`the SQLite writer thread stopped (exit code ${code})`)));
    return thread;
  }

  return {
    flush(ops) {
      if (stopped) return Promise.reject(stopped);
      const thread = (worker ??= start());
      thread.ref();
      return new Promise((resolve, reject) => {
        inFlight.push({ resolve, reject });
        thread.postMessage(encodeWrites(ops));
      });
    },
    async close() {
      if (worker && !stopped) {
        // Referenced again: the process waits for the thread to close its connection.
        worker.ref();
        worker.postMessage(null);
      }
      stop(new Error('the store is closed'));
      await exited;
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
