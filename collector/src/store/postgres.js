// @ts-check
import pg from 'pg';
import { createBatcher } from './batch.js';
import {
  clicksSql,
  conversionsSql,
  DataError,
  DUPLICATE_REASON,
  judge,
  migrations,
  recordedConversion,
  summarySql,
  toClick,
  toConversion,
  toForwardJob,
  toSummary,
} from './common.js';
import { redact } from './index.js';

/** @typedef {import('./common.js').Store} Store */

/** Deadlock and serialization failures: the whole batch is simply run again. */
const RETRY_CODES = new Set(['40P01', '40001']);
// An arbitrary constant: collectors starting together on one database migrate one at a time.
const MIGRATION_LOCK = 7_301_114;
const CONNECT_TIMEOUT_MS = 5000;

// BIGINT (ids, epoch ms, counts) as a JS number: every value here is far below 2^53.
/** @type {any} */
const types = {
  getTypeParser: (/** @type {number} */ oid, /** @type {any} */ format) =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format),
};

/**
 * @typedef {{ kind: 'click', click: Omit<import('./common.js').Click, 'created_at'>, now: number }
 *   | { kind: 'conversion', input: import('./common.js').ConversionInput, now: number }} Write
 */

/**
 * The shared store: PostgreSQL through `pg`, for several collectors behind one load
 * balancer. Same tables and semantics as the embedded store; the dedup rule is the same
 * partial unique index, which holds across every process on the database. Writes are
 * group-committed: a batch's clicks go in one INSERT, its conversions are judged in one
 * lookup and stored in arrival order by one function call, all in one transaction.
 * @param {string} url  postgres://USER[:PASSWORD]@HOST[:PORT]/DB
 * @param {import('./common.js').StoreOptions} options
 * @returns {Promise<Store>}
 */
export async function openPostgres(url, { sessionHours, forward }) {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, types });
  // An idle connection that the server drops must not crash the process; the next query reconnects.
  pool.on('error', (/** @type {Error} */ error) => console.error(`postclick-collector: PostgreSQL: ${error.message}`));
  try {
    const client = await pool.connect();
    try {
      await migrate(client);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DataError(`--data: cannot use ${redact(url)} (${describeConnectError(error)})`);
  }

  /**
   * Runs ops in one transaction on one connection; a deadlock with another collector's
   * batch (they lock the same keys in another order) runs it again.
   * @param {Write[]} ops
   */
  async function inOneTransaction(ops) {
    const client = await pool.connect();
    /** @type {Error | undefined} */
    let broken;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await client.query('BEGIN');
          const results = await runBatch(client, ops);
          await client.query('COMMIT');
          return results;
        } catch (error) {
          await client.query('ROLLBACK').catch((/** @type {Error} */ rollbackError) => (broken = rollbackError));
          if (!broken && attempt < 5 && RETRY_CODES.has(/** @type {any} */ (error).code)) continue;
          throw error;
        }
      }
    } finally {
      client.release(broken);
    }
  }

  /** @type {ReturnType<typeof createBatcher<Write, unknown>>} */
  const writes = createBatcher(async (ops) => {
    try {
      return await inOneTransaction(ops);
    } catch (error) {
      if (ops.length === 1) return [/** @type {Error} */ (error)];
      // One op failed and took the batch down with it: nothing was committed, so run each
      // again on its own, and only the failing one fails.
      const results = [];
      for (const op of ops)
        results.push(
          await inOneTransaction([op]).then(
            (r) => r[0],
            (e) => /** @type {Error} */ (e),
          ),
        );
      return results;
    }
  });

  /** @param {pg.PoolClient} client @param {Write[]} ops @returns {Promise<unknown[]>} */
  async function runBatch(client, ops) {
    /** @type {unknown[]} */
    const results = new Array(ops.length).fill(undefined);
    const clicks = ops.flatMap((op) => (op.kind === 'click' ? [{ ...op.click, created_at: op.now }] : []));
    if (clicks.length) {
      await client.query(
        `INSERT INTO clicks (click_id, offer_id, aff_id, url, created_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])`,
        [
          clicks.map((c) => c.click_id),
          clicks.map((c) => c.offer_id),
          clicks.map((c) => c.aff_id),
          clicks.map((c) => c.url),
          clicks.map((c) => c.created_at),
        ],
      );
    }
    const conversions = ops.flatMap((op, index) => (op.kind === 'conversion' ? [{ ...op, index }] : []));
    if (!conversions.length) return results;

    // Every click of the batch, with the suppression entry that applies to it (the click's
    // own before its affiliate's, as in the embedded store).
    const clickIds = [...new Set(conversions.flatMap((c) => (c.input.click_id === null ? [] : [c.input.click_id])))];
    const { rows: found } = await client.query(
      `SELECT c.click_id, c.aff_id, c.created_at, s.kind, s.value FROM clicks AS c
       LEFT JOIN LATERAL (SELECT kind, value FROM suppressions
         WHERE (kind = 'click_id' AND value = c.click_id) OR (kind = 'aff_id' AND value = c.aff_id)
         ORDER BY kind DESC LIMIT 1) AS s ON true
       WHERE c.click_id = ANY($1::text[])`,
      [clickIds],
    );
    const byId = new Map(found.map((/** @type {any} */ row) => [row.click_id, row]));
    // The rows as jsonb_populate_record reads them (column names), in arrival order.
    const items = conversions.map(({ input, now }) => {
      const row = input.click_id === null ? undefined : byId.get(input.click_id);
      const click = row && { click_id: row.click_id, aff_id: row.aff_id, created_at: row.created_at };
      const suppression = row?.kind ? { kind: row.kind, value: row.value } : undefined;
      const { status, reason } = judge({ clickId: input.click_id, click, suppression, now, sessionHours });
      const queued = forward && status === 'approved';
      return {
        offer_id: input.offer_id,
        click_id: input.click_id,
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
        created_at: now,
        forward_status: queued ? 'pending' : null,
        forward_attempts: queued ? 0 : null,
        forward_next_at: queued ? now : null,
      };
    });
    const { rows } = await client.query('SELECT * FROM postclick_insert_conversions($1::jsonb, $2)', [
      JSON.stringify(items),
      DUPLICATE_REASON,
    ]);
    rows.forEach((/** @type {any} */ row, /** @type {number} */ i) => {
      const { input, now, index } = conversions[i];
      const affId = input.click_id === null ? null : (byId.get(input.click_id)?.aff_id ?? null);
      results[index] = recordedConversion(
        input,
        row.conversion_id,
        row.final_status,
        row.final_reason,
        affId,
        now,
        forward,
      );
    });
    return results;
  }

  /** @param {string} text @param {unknown[]} [values] @returns {Promise<any[]>} */
  const rows = async (text, values) => (await pool.query(text, values)).rows;
  /** @param {{ sql: string, values: unknown[] }} query */
  const query = ({ sql, values }) => rows(sql, values);
  const placeholder = (/** @type {number} */ n) => `$${n}`;

  /** @param {import('./common.js').ConversionFilter} filter @param {import('./common.js').ConversionPage} page */
  async function findConversions(filter, page = {}) {
    const found = (await query(conversionsSql(filter, page, placeholder))).map((row) => toConversion(row, forward));
    return page.after === undefined ? found : found.reverse();
  }

  return {
    insertClick: async (click, now) => void (await writes.add({ kind: 'click', click, now })),
    recordConversion: async (input, now) =>
      /** @type {import('./common.js').Conversion} */ (await writes.add({ kind: 'conversion', input, now })),
    async suppress(kind, value, now) {
      await pool.query(
        'INSERT INTO suppressions (kind, value, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [kind, value, now],
      );
    },
    conversions: (limit) => findConversions({}, { limit }),
    clicks: async (limit) =>
      (await rows('SELECT * FROM clicks ORDER BY id DESC LIMIT $1', [limit ?? null])).map(toClick),
    totals: () =>
      rows(`SELECT offer_id, COUNT(*) AS conversions, COALESCE(SUM(amount), 0) AS amount,
        COALESCE(SUM(payout), 0) AS payout, COALESCE(SUM(revenue), 0) AS revenue
        FROM conversions WHERE status = 'approved' GROUP BY offer_id ORDER BY offer_id`),
    async counts() {
      const [[{ n }], statuses] = await Promise.all([
        rows('SELECT COUNT(*) AS n FROM clicks'),
        rows('SELECT status, COUNT(*) AS n FROM conversions GROUP BY status'),
      ]);
      const counts = { clicks: n, approved: 0, duplicate: 0, scrubbed: 0, rejected: 0 };
      for (const row of statuses) counts[/** @type {import('./common.js').Status} */ (row.status)] = row.n;
      return counts;
    },
    findConversions,
    findClicks: async (filter, limit) => (await query(clicksSql(filter, limit, placeholder))).map(toClick),
    countClicks: async (filter) => (await query(clicksSql(filter, undefined, placeholder)))[0].n,
    summarizeByOffer: async (filter) => (await query(summarySql(filter, 'offer', placeholder))).map(toSummary),
    summarizeByDay: async (filter) => (await query(summarySql(filter, 'day', placeholder))).map(toSummary),
    // SKIP LOCKED: two collectors claiming at once take different rows; the lease
    // (forward_next_at in the future) keeps a row away from every other claim until this
    // collector has recorded its attempt, or has died and the lease has run out.
    claimForwards: async (limit, now, leaseMs) =>
      (
        await rows(
          `UPDATE conversions SET forward_next_at = $1
           WHERE id IN (SELECT id FROM conversions WHERE forward_status = 'pending' AND forward_next_at <= $2
             ORDER BY forward_next_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
           RETURNING *`,
          [now + leaseMs, now, limit],
        )
      ).map(toForwardJob),
    async finishForward(id, { status, attempts, nextAt, error }) {
      await pool.query(
        `UPDATE conversions SET forward_status = $1, forward_attempts = $2, forward_next_at = $3, forward_error = $4
         WHERE id = $5`,
        [status, attempts, nextAt, error, id],
      );
    },
    async close() {
      await writes.idle();
      await pool.end();
    },
  };
}

/**
 * Creates or updates the tables. An advisory lock makes collectors that start together on
 * one database take turns; each migration runs once, in the same transaction as its record.
 * @param {pg.PoolClient} client
 */
async function migrate(client) {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS postclick_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at BIGINT)',
    );
    const { rows } = await client.query('SELECT version FROM postclick_migrations');
    const applied = new Set(rows.map((row) => row.version));
    for (const { version, name, sql } of migrations('postgres')) {
      if (applied.has(version)) continue;
      await client.query(sql);
      await client.query('INSERT INTO postclick_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        version,
        name,
        Date.now(),
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** @param {unknown} error */
function describeConnectError(error) {
  const { code = '', message = String(error) } = /** @type {{ code?: string, message?: string }} */ (error);
  if (code === 'ECONNREFUSED') return 'connection refused: is PostgreSQL running on that host and port?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host: check the HOST part';
  if (/terminated unexpectedly/i.test(message))
    return 'the connection was closed at once: is that a PostgreSQL server?';
  if (/timeout/i.test(message)) return `no answer within ${CONNECT_TIMEOUT_MS / 1000} s: is the host reachable?`;
  if (code === '3D000') return `${message}: create it first (createdb NAME)`;
  if (code === '28P01' || code === '28000') return `${message}: check USER and PASSWORD`;
  return message;
}
