import { isHttpUrl } from './httpUrl';

export interface PostbackOptions {
  /** Retries after the first attempt, an integer ≥ 0. Default 3, so at most 4 requests. */
  retries?: number;
  /** Time allowed for each attempt, until the response headers arrive, in ms. Default 5000. */
  timeoutMs?: number;
  /**
   * Back-off before retry *n* (1, 2, …) is a random delay in `[0, baseDelayMs · 2^(n-1)]`
   * ("full jitter"), capped by `maxDelayMs`. Default 500. Mostly for tests, which set it low.
   */
  baseDelayMs?: number;
  /**
   * Longest back-off, and longest `Retry-After` honoured, in ms. Default 10 000. A 429 or
   * 503 that asks for a longer wait ends the retries (see {@link sendPostback}).
   */
  maxDelayMs?: number;
}

/** The defaults of {@link PostbackOptions}. */
const POSTBACK_DEFAULTS: Required<PostbackOptions> = {
  retries: 3,
  timeoutMs: 5000,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
};

export interface PostbackResult {
  /** The endpoint answered 2xx. */
  ok: boolean;
  /** HTTP status of the last attempt; `null` when it got no response (network error, timeout) or none was made. */
  status: number | null;
  /** Requests made: 0 when the arguments were rejected. */
  attempts: number;
  /** Why it is not `ok`: the argument at fault, the network error, `'timeout'`, or `'HTTP 404'`. */
  error?: string;
}

/** Statuses worth another try: rate limiting and server errors (docs/server.md). */
const retryable = (status: number): boolean => status === 429 || (status >= 500 && status < 600);

const isCount = (value: unknown, min: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `Retry-After` in ms when given in seconds (the HTTP-date form is ignored), else 0. */
function retryAfterMs(response: Response): number {
  const header = response.headers.get('retry-after');
  return header && /^\s*\d+\s*$/.test(header) ? +header * 1000 : 0;
}

/** The reason a fetch failed, short: `'timeout'`, or the network error's code or message. */
function describe(error: unknown): string {
  const { name, message, cause } = (error || {}) as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  return cause?.code || cause?.message || message || String(error);
}

/**
 * Sends a server-to-server postback: a GET of `url` with Node's `fetch` (Node ≥ 18), with
 * bounded retries (docs/server.md). Build `url` with {@link conversionUrl}; the network dedups on
 * its `unique_id`, so a retry of a request that did arrive is not counted twice.
 *
 * - Each attempt has its own timeout (`timeoutMs`, via `AbortSignal.timeout`).
 * - Network errors, timeouts, 429 and 5xx are retried, up to `retries` times, after an
 *   exponential back-off with full jitter (see {@link PostbackOptions.baseDelayMs}).
 *   Other statuses — 4xx, and a 3xx that `fetch` did not follow — are final.
 * - On 429 and 503, a `Retry-After` in seconds up to `maxDelayMs` is waited for (at
 *   least); a longer one ends the retries, so that a queue of your own can try again
 *   later instead of this call blocking for it.
 * - The response body is discarded.
 *
 * Never rejects and never throws. Invalid arguments — `url` not an absolute http(s) URL,
 * `retries` not an integer ≥ 0, `timeoutMs` not a number > 0 — make no request and
 * resolve `{ ok: false, status: null, attempts: 0, error }`, `error` naming the argument.
 *
 * @example
 * const { ok, status, attempts } = await sendPostback(url, { retries: 5, timeoutMs: 3000 });
 */
export async function sendPostback(url: string, options: PostbackOptions = {}): Promise<PostbackResult> {
  let attempts = 0;
  let status: number | null = null;
  let error: string | undefined;
  try {
    const {
      retries = POSTBACK_DEFAULTS.retries,
      timeoutMs = POSTBACK_DEFAULTS.timeoutMs,
      baseDelayMs = POSTBACK_DEFAULTS.baseDelayMs,
      maxDelayMs = POSTBACK_DEFAULTS.maxDelayMs,
    } = options || {};
    const invalid = !isHttpUrl(url)
      ? 'url: not an absolute http(s) URL'
      : !isCount(retries, 0)
        ? 'retries: not an integer ≥ 0'
        : !(timeoutMs > 0 && timeoutMs < Infinity)
          ? 'timeoutMs: not a number > 0'
          : !(baseDelayMs >= 0 && baseDelayMs < Infinity)
            ? 'baseDelayMs: not a number ≥ 0'
            : !(maxDelayMs >= 0 && maxDelayMs < Infinity)
              ? 'maxDelayMs: not a number ≥ 0'
              : undefined;
    if (invalid) return { ok: false, status, attempts, error: invalid };

    for (;;) {
      attempts++;
      let wait = 0;
      try {
        const response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
        status = response.status;
        // Free the connection; a postback's answer (a pixel, "OK") carries nothing we need.
        await response.body?.cancel().catch(() => {});
        if (response.ok) return { ok: true, status, attempts };
        error = 'HTTP ' + status;
        if (!retryable(status)) break;
        if (status === 429 || status === 503) {
          wait = retryAfterMs(response);
          if (wait > maxDelayMs) {
            error += ', Retry-After ' + wait / 1000 + ' s';
            break;
          }
        }
      } catch (failure) {
        status = null;
        error = describe(failure);
      }
      if (attempts > retries) break;
      const backOff = Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempts - 1));
      await sleep(Math.max(wait, backOff));
    }
  } catch (failure) {
    // Only a hostile options object (a throwing getter) gets here.
    error = String(failure);
  }
  return { ok: false, status, attempts, error };
}
