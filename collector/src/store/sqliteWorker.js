// @ts-check
/**
 * The writer thread of the embedded store on a file: its own connection runs the batches
 * (sqliteWrites.js), one transaction at a time in arrival order, and posts their results
 * back only once they are on disk. The SQL and the fsync block this thread only: the event
 * loop keeps reading requests meanwhile.
 *
 * Durability is synchronous=FULL's, with the fsync taken out of COMMIT so that the next
 * batch can commit while this one's fsync runs. In WAL mode FULL differs from NORMAL only
 * by a sync of the WAL after each COMMIT (NORMAL still syncs the WAL before a checkpoint
 * copies it into the database, and the database before the WAL is reused). So batches
 * commit under NORMAL, and this thread syncs the WAL itself (fdatasync, as SQLite does) on
 * libuv's thread pool: one sync at a time, each covering every batch committed before it
 * began, and no batch is answered before a sync that began after its COMMIT has returned.
 * The WAL file stays the same file while connections are open (SQLite deletes it only when
 * the last one closes), so one descriptor serves.
 *
 * In: workerData { file, options }; messages: a batch (encodeWrites), or null to close.
 * Out: { results: WriteResult[][] } (the next batches in order, durable), or { error } (the
 * sync failed: the next batches are not known to be durable), as JSON. JSON rather than the
 * structured clone: a string crosses as one copy, where cloning objects field by field cost
 * the event loop more than the batch's SQL.
 */
import { closeSync, fdatasync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'libsql';
import { createWriter, decodeWrites } from './sqliteWrites.js';

/**
 * Serves the writes of `file` on `port` until it gets null. Exported for the tests, which
 * hold the sync to see that nothing is answered before it.
 * @param {object} options
 * @param {import('node:worker_threads').MessagePort} options.port
 * @param {string} options.file  a SQLite file in WAL mode
 * @param {import('./common.js').StoreOptions} options.options
 * @param {(fd: number, done: (error: Error | null) => void) => void} [options.sync]  fdatasync
 */
export function serveWrites({ port, file, options, sync: syncFile = fdatasync }) {
  const db = new Database(file);
  // The file is in WAL mode already: the store's own connection set it, and keeps the WAL file.
  db.exec('PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;');
  const wal = openSync(`${file}-wal`, 'r+');
  const writer = createWriter(db, options);

  /** @type {import('./sqliteWrites.js').Write[][]} batches received, not yet run */
  let received = [];
  /** @type {import('./sqliteWrites.js').WriteResult[][]} batches committed, waiting for a sync */
  let committed = [];
  let syncing = false;

  port.on('message', (/** @type {string | null} */ batch) => {
    if (batch === null) {
      // The store closes once nothing is in flight: every batch has been answered.
      db.close();
      closeSync(wal);
      port.close();
      return;
    }
    // Batches that arrived together run as one transaction: one commit, one sync.
    if (received.push(decodeWrites(batch)) === 1) setImmediate(commit);
  });

  function commit() {
    const batches = received;
    received = [];
    const results = writer.flush(batches.flat());
    let at = 0;
    for (const batch of batches) {
      committed.push(results.slice(at, at + batch.length));
      at += batch.length;
    }
    sync();
  }

  /** Starts a sync for what is committed, unless one is running: its end starts the next. */
  function sync() {
    if (syncing || !committed.length) return;
    syncing = true;
    const covered = committed;
    committed = [];
    syncFile(wal, (error) => {
      syncing = false;
      port.postMessage(
        JSON.stringify(error ? { error: error.message, batches: covered.length } : { results: covered }),
      );
      sync();
    });
  }
}

// Run as the store's writer thread (sqlite.js marks its workerData).
if (parentPort && workerData?.postclickWriter) {
  serveWrites({ port: parentPort, file: workerData.file, options: workerData.options });
}
