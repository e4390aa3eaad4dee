// @ts-check
/**
 * Group commit: writes that arrive together share one transaction, so one fsync answers
 * them all. `add(op)` queues an operation and resolves with its result once the
 * transaction that ran it is committed (or rejects with its own error, or the commit's).
 *
 * While a flush runs, new operations wait for the next one: flushes never overlap, so
 * operations run in arrival order, and a later batch sees everything an earlier one wrote.
 * A flush resolves once its batch is durable (the SQLite store syncs its WAL on libuv's
 * thread pool, PostgreSQL answers COMMIT over the network): the event loop reads the
 * requests that arrive meanwhile, and they form the next batch.
 *
 * @template Op, Result
 * @param {(ops: Op[]) => Promise<(Result | Error)[]> | (Result | Error)[]} flush
 *   runs and commits a batch; one result (or Error) per op, in order
 */
export function createBatcher(flush) {
  /** @type {{ op: Op, resolve: (value: Result) => void, reject: (error: Error) => void }[]} */
  let queue = [];
  let running = false;
  /** @type {(() => void)[]} */
  let waiting = [];

  async function run() {
    running = true;
    while (queue.length) {
      const batch = queue;
      queue = [];
      try {
        const results = await flush(batch.map((entry) => entry.op));
        batch.forEach((entry, i) => {
          const result = results[i];
          if (result instanceof Error) entry.reject(result);
          else entry.resolve(/** @type {Result} */ (result));
        });
      } catch (error) {
        for (const entry of batch) entry.reject(/** @type {Error} */ (error));
      }
    }
    running = false;
    for (const resolve of waiting.splice(0)) resolve();
  }

  return {
    /** @param {Op} op @returns {Promise<Result>} */
    add(op) {
      return new Promise((resolve, reject) => {
        queue.push({ op, resolve, reject });
        // setImmediate: every request read in this turn of the event loop joins the batch.
        if (!running && queue.length === 1) setImmediate(run);
      });
    },
    /** Resolves once every operation added so far is committed (or failed). */
    idle() {
      if (!running && !queue.length) return Promise.resolve();
      return new Promise((resolve) => waiting.push(() => resolve(undefined)));
    },
  };
}
