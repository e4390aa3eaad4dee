// @ts-check
import { duplicateReason, INPUT_FIELDS, INSERT_COLUMNS, judge, toForwardJob } from './common.js';

/**
 * The writes of the embedded store, on one SQLite connection: a batch at a time, each in
 * one transaction. Plain data in and out, so that they run either on the event loop's own
 * connection or in the writer thread (sqliteWorker.js).
 *
 * @typedef {{ type: 'conversion', input: import('./common.js').ConversionInput, now: number }
 *   | { type: 'click', click: Omit<import('./common.js').Click, 'created_at'>, now: number }
 *   | { type: 'suppress', kind: import('./common.js').Suppression['kind'], value: string, now: number }
 *   | { type: 'claimForwards', limit: number, now: number, leaseMs: number }
 *   | { type: 'finishForward', id: number, outcome: import('./common.js').ForwardOutcome }} Write
 * @typedef {[id: number, status: import('./common.js').Status, reason: string | null, affId: string | null]} Recorded
 *   what a conversion write returns (an array: it crosses back in JSON); recordedConversion() makes the answer of it
 * @typedef {{ error: { message: string, code?: string } }} WriteError  a write that failed, as plain data
 * @typedef {Recorded | import('./common.js').ForwardJob[] | undefined | WriteError} WriteResult
 * @typedef {{ get(...args: unknown[]): any[] | undefined }} RawStatement  rows as arrays of column values
 */

/**
 * A batch as the writer thread receives it, in JSON: a conversion as an array
 * [now, ...its input in INPUT_FIELDS order] (most of a batch, and a third of the size of
 * its object form to write and read), every other write as it is.
 * @param {Write[]} ops @returns {string}
 */
export function encodeWrites(ops) {
  return JSON.stringify(
    ops.map((op) => {
      if (op.type !== 'conversion') return op;
      const { input } = op;
      return [
        op.now,
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
      ];
    }),
  );
}

/** @param {string} text  from encodeWrites @returns {Write[]} */
export function decodeWrites(text) {
  return JSON.parse(text).map((/** @type {any} */ op) => {
    if (!Array.isArray(op)) return op;
    /** @type {Record<string, unknown>} */
    const input = {};
    INPUT_FIELDS.forEach((name, i) => (input[name] = op[i + 1]));
    return { type: 'conversion', input, now: op[0] };
  });
}

/** The columns of a stored conversion, in the order runBatch lists them: the id is ours. */
const ROW_COLUMNS = ['id', ...INSERT_COLUMNS, 'forward_status', 'forward_attempts', 'forward_next_at'];
/** Most rows one INSERT statement carries; a batch's rows go in statements of 64, 32, …, 1 rows. */
const MAX_ROWS_PER_INSERT = 64;
/** Prepared INSERTs kept (shape × rows per statement) before the cache starts again. */
const MAX_INSERT_SHAPES = 256;

/**
 * @param {any} db  a libsql Database, migrated
 * @param {import('./common.js').StoreOptions} options
 */
export function createWriter(db, { sessionHours, forward }) {
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
    suppress: db.prepare('INSERT OR IGNORE INTO suppressions (kind, value, created_at) VALUES (?, ?, ?)'),
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

  /**
   * Runs a batch in one transaction. All-or-nothing: the fast path for a batch that fails
   * as a whole (the disk) or not at all, which is every batch of validated input.
   * @param {Write[]} ops @returns {WriteResult[]}
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
   * The writes of one batch, in arrival order, inside its transaction. Conversions are
   * judged one by one as they come (a later one sees what an earlier one counted) but
   * written together: their rows wait in `rows` and go in a few multi-row INSERTs, before
   * any other write of the batch runs and at the end. Within the transaction (BEGIN
   * IMMEDIATE: no other connection writes until COMMIT) the batch knows every approved key,
   * those in the table and those it is about to insert, so it numbers its rows itself
   * (MAX(id) + 1, …, as SQLite would) and never asks the unique index to refuse a row; the
   * index still holds, and a row it refused would fail the batch, which then runs op by op.
   * @param {Write[]} ops @returns {WriteResult[]}
   */
  function runBatch(ops) {
    /** @type {WriteResult[]} */
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
      if (op.type !== 'conversion') {
        rows = insertRows(rows);
        clicks.clear();
        results[i] = runOther(op);
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
      results[i] = [id, status, reason, found ? found[0] : null];
    }
    insertRows(rows);
    return results;
  }

  /** @param {Exclude<Write, { type: 'conversion' }>} op @returns {WriteResult} */
  function runOther(op) {
    switch (op.type) {
      case 'click':
        stmt.insertClick.run({ ...op.click, created_at: op.now });
        return undefined;
      case 'suppress':
        stmt.suppress.run(op.kind, op.value, op.now);
        return undefined;
      case 'claimForwards':
        return stmt.claimForwards.all(op.now + op.leaseMs, op.now, op.limit).map(toForwardJob);
      case 'finishForward': {
        const { status, attempts, nextAt, error } = op.outcome;
        stmt.finishForward.run(status, attempts, nextAt, error, op.id);
        return undefined;
      }
    }
  }

  /** @type {Map<string, any>} "columns:rows" → an INSERT of that many rows of those columns */
  const inserts = new Map();
  /**
   * Inserts the rows. Only the columns a row has a value for are named (the others default
   * to NULL): binding a NULL costs about what binding a value does, and most of a
   * conversion's 21 columns are NULL. Rows with the same columns go together, in statements
   * of 64, 32, …, 1 rows (a few shapes, each prepared once); the ids are the rows' own, so
   * the order of the statements does not matter.
   * @param {unknown[][]} rows  in ROW_COLUMNS order @returns {unknown[][]} a new empty list
   */
  function insertRows(rows) {
    /** @type {Map<number, unknown[][]>} bit i set: ROW_COLUMNS[i] has a value */
    const byShape = new Map();
    for (const row of rows) {
      let shape = 0;
      for (let i = 0; i < row.length; i++) if (row[i] !== null) shape |= 1 << i;
      const group = byShape.get(shape);
      if (group) group.push(row);
      else byShape.set(shape, [row]);
    }
    for (const [shape, group] of byShape) {
      const columns = ROW_COLUMNS.flatMap((_, i) => (shape & (1 << i) ? [i] : []));
      for (let at = 0; at < group.length;) {
        let n = MAX_ROWS_PER_INSERT;
        while (n > group.length - at) n >>= 1;
        const key = `${shape}:${n}`;
        let statement = inserts.get(key);
        if (!statement) {
          // Shapes are few (which of the optional fields a sale carries); a bound all the same.
          if (inserts.size >= MAX_INSERT_SHAPES) inserts.clear();
          const tuple = `(${columns.map(() => '?').join(', ')})`;
          statement = db.prepare(
            `INSERT INTO conversions (${columns.map((i) => ROW_COLUMNS[i])}) VALUES ${Array(n).fill(tuple).join(', ')}`,
          );
          inserts.set(key, statement);
        }
        /** @type {unknown[]} */
        const values = [];
        for (let r = at; r < at + n; r++) for (const i of columns) values.push(group[r][i]);
        statement.run(values);
        at += n;
      }
    }
    return rows.length ? [] : rows;
  }

  return {
    /**
     * Runs and commits a batch; one result per op, in order. One op that fails takes the
     * batch down with it (nothing is committed), so then each runs again on its own, and
     * only the failing one fails.
     * @param {Write[]} ops @returns {WriteResult[]}
     */
    flush(ops) {
      try {
        return inOneTransaction(ops);
      } catch (error) {
        if (ops.length === 1) return [failure(error)];
        return ops.map((op) => {
          try {
            return inOneTransaction([op])[0];
          } catch (opError) {
            return failure(opError);
          }
        });
      }
    },
    /** Nothing to release: the connection is the caller's. */
    close() {},
  };
}

/** @param {unknown} error @returns {WriteError} */
function failure(error) {
  const { message = String(error), code } = /** @type {{ message?: string, code?: unknown }} */ (error);
  return { error: typeof code === 'string' ? { message, code } : { message } };
}
