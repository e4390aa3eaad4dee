// @ts-check
/**
 * The writer thread of the embedded store on a file: its own connection runs each batch
 * (sqliteWrites.js) and commits it with synchronous=FULL, the WAL fsynced inside COMMIT,
 * before it posts the results back. The fsync and the SQL block this thread only: the
 * event loop keeps reading requests meanwhile, and they form the next batch.
 *
 * In: workerData { file, options }; messages: a batch (Write[]) as JSON, one at a time, or
 * null to close. Out: the batch's WriteResult[] as JSON, in order. JSON rather than the
 * structured clone: a string crosses as one copy, where cloning objects field by field cost
 * the event loop more than the batch's SQL.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'libsql';
import { createWriter } from './sqliteWrites.js';

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
const { file, options } = /** @type {{ file: string, options: import('./common.js').StoreOptions }} */ (workerData);

const db = new Database(file);
// The file is in WAL mode already (the store's own connection set it); FULL: a COMMIT
// returns once the WAL is on disk, so an answered request survives a power cut too.
db.exec('PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;');
const writer = createWriter(db, options);

port.on('message', (/** @type {string | null} */ ops) => {
  if (ops === null) {
    db.close();
    port.close();
    return;
  }
  port.postMessage(JSON.stringify(writer.flush(JSON.parse(ops))));
});
