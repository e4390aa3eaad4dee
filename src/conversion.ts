/** `conversion()` and `conversionUrl()`: fire one conversion, never twice (SPEC §5). */
import { attempt } from './attempt';
import { readClick } from './clickStore';
import { log, PROBLEM } from './debug';
import { fire } from './outbox';
import { option, settings } from './settings';
import type { Conversion, Result } from './types';
import { buildUrl, checkEndpoint, wireParams } from './wire';

/**
 * Sets the conversion's `url` and `uniqueId` on `result`, and says whether it lacks a
 * click ID that it requires; throws why the input is invalid, having set nothing.
 */
function prepare(data: Conversion | undefined, result: Partial<Result>): boolean {
  const params = wireParams(
    (key) => (key == 'clickId' ? option(key, data) || readClick() : option(key, data)),
    location.pathname + location.search,
  );
  const url = buildUrl(checkEndpoint(option('endpoint', data)), params);
  const noClickId = !params.click_id && option('requireClickId', data) !== false;
  result.url = url;
  result.uniqueId = params.unique_id;
  return noClickId;
}

/**
 * Fires one conversion. The fired mark is written synchronously, before any await, so a
 * second call in the same task (React StrictMode) already finds it. Never rejects, and
 * never waits on consent.
 */
export async function conversion(data?: Conversion): Promise<Result> {
  // Until prepare() succeeds, whatever throws is the input's fault: nothing is marked.
  const result: Result = { status: 'invalid' };
  try {
    result.status = prepare(data, result)
      ? 'no_click_id'
      : settings.consent == 'denied'
        ? ((result.error = 'consent refused'), 'failed')
        : await fire(option('transport', data) || 'auto', result);
  } catch (error) {
    if (result.url) result.status = 'failed';
    result.error = String(error);
  }
  // Sent and duplicate are explanations; every other status is a conversion not sent: a problem.
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
    result.status === 'sent' || result.status === 'duplicate' ? undefined : PROBLEM,
  );
  return result;
}

/** The URL `conversion()` would send for `data`, or null where it would not send. */
export const conversionUrl = (data?: Conversion): string | null =>
  attempt(() => {
    const result: Partial<Result> = {};
    if (!prepare(data, result)) return result.url;
  }) || null;
