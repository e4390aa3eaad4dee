/** `conversion()` and `conversionUrl()`: fire one conversion, never twice (SPEC §5). */
import { attempt } from './attempt';
import { readClick } from './clickStore';
import { log } from './debug';
import { deliver, enqueue, isFired, keyOf } from './outbox';
import { consented, option, settings } from './settings';
import type { Conversion, Result } from './types';
import { buildUrl, checkEndpoint, wireParams } from './wire';

/** The conversion's URL and unique_id, or the Result that stops it before anything is sent. */
function prepare(data: Conversion = {}): [url: string, uniqueId: string] | Result {
  const params = wireParams(
    (key) => (key == 'clickId' ? data.clickId || readClick() : option(key, data)),
    location.pathname + location.search,
  );
  const endpoint = option('endpoint', data);
  const error = typeof params == 'string' ? params : checkEndpoint(endpoint);
  if (error) return { status: 'invalid', error };
  const uniqueId = (params as Record<string, string>).unique_id!;
  if (!(params as Record<string, string>).click_id && option('requireClickId', data)) return { status: 'no_click_id', uniqueId };
  return [buildUrl(endpoint!, params as Record<string, string>), uniqueId];
}

/** Says what happened in debug mode, and returns the result. */
function explain(result: Result): Result {
  log(result.status + (result.transport ? ' by ' + result.transport : ''), result.error || result.url);
  return result;
}

/**
 * Fires one conversion. The fired mark is written synchronously, before any await, so a
 * second call in the same task (React StrictMode) already finds it. Never rejects, and
 * never waits on consent.
 */
export async function conversion(data?: Conversion): Promise<Result> {
  let prepared: ReturnType<typeof prepare>;
  try {
    prepared = prepare(data);
  } catch (error) {
    // A throwing getter, a hostile object: the input is at fault, and nothing is marked.
    prepared = { status: 'invalid', error: String(error) };
  }
  if (!Array.isArray(prepared)) return explain(prepared);
  const [url, uniqueId] = prepared;
  try {
    return explain(
      settings.consent == 'denied' ? { status: 'failed', url, uniqueId, error: 'consent refused' }
      : isFired(uniqueId) ? { status: 'duplicate', url, uniqueId }
      : (enqueue(uniqueId, url, option('transport', data)!), !consented())
        ? { status: 'queued', url, uniqueId, error: 'consent pending' }
        : { ...(await deliver(keyOf(uniqueId))), uniqueId },
    );
  } catch (error) {
    return explain({ status: 'failed', url, uniqueId, error: String(error) });
  }
}

/** The URL `conversion()` would send for `data`, or null where it would not send. */
export function conversionUrl(data?: Conversion): string | null {
  const prepared = attempt(() => prepare(data));
  return Array.isArray(prepared) ? prepared[0] : null;
}
