// @ts-check
import { conversionUrl, sendPostback } from 'postclick/server';

/**
 * The durable gateway's sender. The queue is the conversions table itself: an approved
 * conversion is stored `pending` in the transaction that stores it, and this loop claims
 * due rows, sends one postback each, and records the outcome:
 *
 * - 2xx → `forwarded`;
 * - another 4xx (or a 3xx that was not followed) → `failed`: the network refused it, and
 *   sending it again would be refused again;
 * - 408, 429, 5xx, a timeout or a network error → tried again after an exponential
 *   back-off with jitter, until `attempts` postbacks were sent → `failed`.
 *
 * A claim leases the row for longer than one attempt can take, so two collectors on one
 * database never send the same row at once, and a row whose collector died is taken up
 * again when its lease runs out. Postbacks carry `unique_id`, on which networks dedup.
 *
 * @typedef {object} ForwardOptions
 * @property {string} url  the network's postback URL or template (the SDK's template rules)
 * @property {number} [attempts]  postbacks per conversion at most (default 16)
 * @property {number} [baseDelayMs]  back-off before the 2nd attempt (default 1 s), doubling
 * @property {number} [maxDelayMs]  longest back-off (default 1 h)
 * @property {number} [timeoutMs]  time allowed for one attempt (default 5 s)
 * @property {number} [pollMs]  how often to look for due rows (default 1 s)
 */

export const FORWARD_DEFAULTS = {
  // 1, 2, 4 … 2048 s, then 1 h: the 16 attempts span 2–4 hours, a network's bad afternoon.
  attempts: 16,
  baseDelayMs: 1000,
  maxDelayMs: 60 * 60_000,
  timeoutMs: 5000,
  pollMs: 1000,
};
/** Rows claimed per round. */
const BATCH = 16;

/** A status worth another attempt: the request may not have been processed (as the SDK's outbox). */
const retryable = (/** @type {number | null} */ status) =>
  status === null || status === 408 || status === 429 || (status >= 500 && status < 600);

/**
 * @param {import('./store/common.js').Store} store
 * @param {ForwardOptions & { now?: () => number }} options
 */
export function createForwarder(store, options) {
  const { url, attempts, baseDelayMs, maxDelayMs, timeoutMs, pollMs } = { ...FORWARD_DEFAULTS, ...options };
  const now = options.now ?? Date.now;
  // Longer than an attempt can last, so the lease never runs out under a live sender.
  const leaseMs = timeoutMs * 2 + 1000;
  let running = false;
  let again = false;
  let stopped = false;
  /** @type {Promise<void>} */
  let current = Promise.resolve();

  /** @param {import('./store/common.js').ForwardJob} job */
  async function forwardOne(job) {
    const target = conversionUrl(url, {
      clickId: job.click_id ?? undefined,
      offerId: job.offer_id,
      amount: job.amount ?? undefined,
      payout: job.payout ?? undefined,
      revenue: job.revenue ?? undefined,
      orderId: job.order_id ?? undefined,
      uniqueId: job.unique_id ?? undefined,
      adv1: job.adv1 ?? undefined,
      adv2: job.adv2 ?? undefined,
      adv3: job.adv3 ?? undefined,
      adv4: job.adv4 ?? undefined,
      adv5: job.adv5 ?? undefined,
      event: job.event ?? undefined,
      currency: job.currency ?? undefined,
    });
    const sent = job.forward_attempts + 1;
    if (!target) {
      return store.finishForward(job.id, {
        status: 'failed',
        attempts: job.forward_attempts,
        nextAt: null,
        error: 'no postback URL could be built for this conversion',
      });
    }
    const result = await sendPostback(target, { retries: 0, timeoutMs });
    if (stopped) return; // the store may be closing; the lease brings the row back later
    if (result.ok)
      return store.finishForward(job.id, { status: 'forwarded', attempts: sent, nextAt: null, error: null });
    const error = result.error ?? `HTTP ${result.status}`;
    if (!retryable(result.status) || sent >= attempts) {
      return store.finishForward(job.id, { status: 'failed', attempts: sent, nextAt: null, error });
    }
    // Exponential back-off with "equal jitter": between half and all of the step, so
    // collectors that failed together do not retry together, and no retry comes at once.
    const step = Math.min(maxDelayMs, baseDelayMs * 2 ** (sent - 1));
    const nextAt = now() + Math.round(step / 2 + (Math.random() * step) / 2);
    return store.finishForward(job.id, { status: 'pending', attempts: sent, nextAt, error });
  }

  async function rounds() {
    running = true;
    try {
      do {
        again = false;
        const jobs = await store.claimForwards(BATCH, now(), leaseMs);
        await Promise.all(jobs.map(forwardOne));
        if (jobs.length === BATCH) again = true;
      } while (again && !stopped);
    } catch (error) {
      if (!stopped) console.error(`postclick-collector: forwarding: ${/** @type {Error} */ (error).message}`);
    } finally {
      running = false;
    }
  }

  /** Looks for due rows now (a new approved conversion, or the poll). */
  function poke() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    current = rounds();
  }

  const timer = setInterval(poke, pollMs);
  timer.unref();
  setImmediate(poke); // a restart resumes what was pending

  return {
    poke,
    /** Stops claiming; waits up to `waitMs` for the postbacks in flight. */
    async stop(waitMs = 1000) {
      stopped = true;
      clearInterval(timer);
      /** @type {NodeJS.Timeout | undefined} */
      let wait;
      await Promise.race([current, new Promise((resolve) => (wait = setTimeout(resolve, waitMs)))]);
      clearTimeout(wait);
    },
  };
}

/** @typedef {ReturnType<typeof createForwarder>} Forwarder */
