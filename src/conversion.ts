/** `conversion()` and `conversionUrl()`: fire one conversion, never twice (SPEC §5). */
import { attempt } from './attempt';
import { readClick } from './clickStore';
import { log } from './debug';
import { deliver, enqueue, isFired, keyOf } from './outbox';
import { consented, option, settings } from './settings';
import type { Conversion, Result } from './types';
import { buildUrl, checkEndpoint, wireParams } from './wire';

/**
 * The conversion's URL and unique_id, and whether it lacks a click ID that it requires;
 * throws why the input is invalid.
 */
function prepare(data: Conversion = {}): [url: string, uniqueId: string, noClickId: boolean] {
  const params = wireParams(
    (key) => (key == 'clickId' ? option(key, data) || readClick() : option(key, data)),
    location.pathname + location.search,
  );
  const endpoint = option('endpoint', data);
  checkEndpoint(endpoint);
  return [buildUrl(endpoint, params), params.unique_id!, !params.click_id && option('requireClickId', data) !== false];
}

/**
 * Fires one conversion. The fired mark is written synchronously, before any await, so a
 * second call in the same task (React StrictMode) already finds it. Never rejects, and
 * never waits on consent.
 */
export async function conversion(data?: Conversion): Promise<Result> {
  // Until prepare() succeeds, whatever throws is the input's fault: nothing is marked.
  const result: Result = { status: 'invalid' };
  // Consent pending: the record is kept for consent(true), not marked as being sent.
  const sending = consented();
  try {
    const [url, uniqueId, noClickId] = prepare(data);
    result.url = url;
    result.uniqueId = uniqueId;
    result.status =
      noClickId ? 'no_click_id'
      : settings.consent == 'denied' ? ((result.error = 'consent refused'), 'failed')
      : isFired(uniqueId) ? 'duplicate'
      : (enqueue(uniqueId, url, option('transport', data) || 'auto', sending), sending) ? await deliver(keyOf(uniqueId), result)
      : ((result.error = 'consent pending'), 'queued');
  } catch (error) {
    if (result.url) result.status = 'failed';
    result.error = String(error);
  }
  log(
    {
      sent: 'sent by ' + result.transport,
      duplicate: 'duplicate: this unique_id was already fired from this browser; nothing sent',
      no_click_id: 'no_click_id: no click ID stored or given (requireClickId); nothing sent',
      invalid: 'invalid: ' + result.error + '; nothing sent or marked',
      queued: 'queued (' + result.error + '): kept in the outbox, retried at the next page load and on `online`',
      failed: 'failed: ' + result.error + '; dropped',
    }[result.status],
    result,
  );
  return result;
}

/** The URL `conversion()` would send for `data`, or null where it would not send. */
export const conversionUrl = (data?: Conversion): string | null =>
  attempt(() => {
    const [url, , noClickId] = prepare(data);
    if (!noClickId) return url;
  }) || null;
