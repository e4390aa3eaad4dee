// @ts-check
/**
 * Group commit: writes that arrive together share one transaction, so one fsync answers
 * them all. `add(op)` queues an operation and resolves with its result once the
 * transaction that ran it is durable (or rejects with its own error, or the commit's).
 *
 * Every op read in one turn of the event loop joins the same batch. At most `inFlight`
 * batches are being flushed at a time; the ops that arrive meanwhile wait and form the
 * next batch. With the default of one, flushes never overlap, so operations run in arrival
 * order and a later batch sees everything an earlier one wrote. A store whose flushes run
 * in order by themselves (the SQLite writer thread takes batches one after another) may
 * let a second batch in while the first waits for its fsync.
 *
 * @template Op, Result
 * @param {(ops: Op[]) => Promise<(Result | Error)[]> | (Result | Error)[]} flush
 *   runs and commits a batch; one result (or Error) per op, in order
 * @param {{ inFlight?: number }} [options]
 */
export function createBatcher(flush, { inFlight = 1 } = {}) {
  /** @type {{ op: Op, resolve: (value: Result) => void, reject: (error: Error) => void }[]} */
  let queue = [];
  let flushing = 0;
  let scheduled = false;
  /** @type {(() => void)[]} */
  let waiting = [];

  function run() {
    scheduled = false;
    if (!queue.length || flushing >= inFlight) return;
    const batch = queue;
    queue = [];
    flushing++;
    /** @type {Promise<(Result | Error)[]> | (Result | Error)[]} */
    let outcome;
    try {
      outcome = flush(batch.map((entry) => entry.op));
    } catch (error) {
      outcome = Promise.reject(error);
    }
    void Promise.resolve(outcome)
      .then(
        (results) =>
          batch.forEach((entry, i) => {
            const result = results[i];
            if (result instanceof Error) entry.reject(result);
            else entry.resolve(/** @type {Result} */ (result));
          }),
        (error) => {
          for (const entry of batch) entry.reject(/** @type {Error} */ (error));
        },
      )
      .then(() => {
        flushing--;
        // What arrived while this batch was out goes at once: it has waited a turn already.
        if (queue.length) run();
        else if (!flushing) for (const resolve of waiting.splice(0)) resolve();
      });
  }

  return {
    /** @param {Op} op @returns {Promise<Result>} */
    add(op) {
      return new Promise((resolve, reject) => {
        queue.push({ op, resolve, reject });
        // setImmediate: every request read in this turn of the event loop joins the batch.
        if (!scheduled && flushing < inFlight) {
          scheduled = true;
          setImmediate(run);
        }
      });
    },
    /** Resolves once every operation added so far is committed (or failed). */
    idle() {
      if (!flushing && !queue.length) return Promise.resolve();
      return new Promise((resolve) => waiting.push(() => resolve(undefined)));
    },
  };
}
