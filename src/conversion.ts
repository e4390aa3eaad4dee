/** `conversion()` and `conversionUrl()`: fire one conversion, never twice (SPEC §5). */
import { readClick } from './clickStore';
import { log } from './debug';
import { deliver, enqueue, isFired, keyOf } from './outbox';
import { option, settings } from './settings';
import type { Conversion, Result } from './types';
import { buildUrl, checkEndpoint, wireParams } from './wire';

/** The conversion's URL and unique_id, or the Result that stops it before sending. */
function prepare(data: Conversion = {}): [url: string, uniqueId: string] | Result {
  const params = wireParams(
    (key) => (key == 'clickId' ? data.clickId || readClick() : option(key, data)),
    location.pathname + location.search,
  );
  const error = typeof params == 'string' ? params : checkEndpoint(option('endpoint', data));
  if (error) return { status: 'invalid', error };
  const { click_id, unique_id } = params as Record<string, string>;
  if (!click_id && option('requireClickId', data)) return { status: 'no_click_id', uniqueId: unique_id };
  return [buildUrl(option('endpoint', data)!, params as Record<string, string>), unique_id!];
}

function explain(result: Result): Result {
  log(result.status + (result.transport ? ' by ' + result.transport : ''), result.error || result.url || '');
  return result;
}

/**
 * Fires one conversion. The fired mark is written synchronously, before any await, so a
 * second call in the same task (React StrictMode) already finds it. Never rejects.
 */
export async function conversion(data?: Conversion): Promise<Result> {
  let prepared: ReturnType<typeof prepare>;
  try {
    prepared = prepare(data);
  } catch (error) {
    // A throwing getter, a hostile object: the input is at fault, and nothing is marked.
    prepared = { status: 'invalid', error: String(error) };
  }
  try {
    if (!Array.isArray(prepared)) return explain(prepared);
    const [url, uniqueId] = prepared;
    if (settings.consent == 'denied') return explain({ status: 'failed', url, uniqueId, error: 'consent refused' });
    if (isFired(uniqueId)) return explain({ status: 'duplicate', url, uniqueId });
    enqueue(uniqueId, url, option('transport', data)!);
    if (settings.consent == 'pending') return explain({ status: 'queued', url, uniqueId, error: 'consent pending' });
    return explain({ ...(await deliver(keyOf(uniqueId))), uniqueId });
  } catch (error) {
    return explain({ status: 'failed', error: String(error) });
  }
}

/** The URL `conversion()` would send for `data`, or null where it would not send. */
export function conversionUrl(data?: Conversion): string | null {
  try {
    const prepared = prepare(data);
    return Array.isArray(prepared) ? prepared[0] : null;
  } catch {
    return null;
  }
}
