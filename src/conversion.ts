/**
 * `conversion()` and `conversionUrl()`: fire one conversion, never twice. A
 * pipeline: the call's data → a prepared conversion → `fire()` → its outcome → one Result.
 */
import { attempt } from './attempt';
import { readClick } from './clickStore';
import { log, PROBLEM } from './debug';
import { fire, type Firing, type Outcome } from './outbox';
import { option, settings } from './settings';
import { acknowledgeByDefault, DEFAULTS, type Conversion, type Result } from './types';
import { buildUrl, checkEndpoint, wireParams } from './wire';

/** A conversion ready to fire, and whether it lacks a click ID that it requires. */
interface Prepared extends Firing {
  _noClickId: boolean;
}

/** The message of whatever was thrown. */
const why = (error: unknown): string => (error as Error)?.message || String(error);

/** Validates `data` and builds its URL; throws why the input is invalid. */
function prepare(data: Conversion | undefined): Prepared {
  if (__FEATURE_NODE_GUARD__ && typeof location === 'undefined') {
    throw new Error('conversion() runs in browsers; on a server, use postclick/server');
  }
  const params = wireParams(
    (key) => (key === 'clickId' ? option(key, data) || readClick() : option(key, data)),
    location.pathname + location.search,
  );
  const endpoint = checkEndpoint(option('endpoint', data));
  const acknowledge = option('acknowledge', data);
  return {
    _url: buildUrl(endpoint, params),
    _uniqueId: params.unique_id!,
    _noClickId: !params.click_id && (option('requireClickId', data) ?? DEFAULTS.requireClickId),
    _transport: option('transport', data) || DEFAULTS.transport,
    _acknowledge: __FEATURE_ACKNOWLEDGE__ && (acknowledge ?? acknowledgeByDefault(endpoint)),
  };
}

/**
 * Fires one conversion and resolves with what happened. The fired mark is written
 * synchronously, before any await, so a second call in the same task (React StrictMode)
 * already finds it. Never rejects, and never waits on consent.
 */
export async function conversion(data?: Conversion): Promise<Result> {
  let prepared: Prepared;
  try {
    prepared = prepare(data);
  } catch (error) {
    // Whatever throws before the conversion is prepared is the input's fault: nothing is marked.
    return report({ status: 'invalid', error: why(error) });
  }
  let outcome: Outcome | { status: 'no_click_id' };
  try {
    if (prepared._noClickId) outcome = { status: 'no_click_id' };
    else if (__FEATURE_CONSENT__ && settings.consent === 'denied')
      outcome = { status: 'failed', error: 'consent refused' };
    else outcome = await fire(prepared);
  } catch (error) {
    outcome = { status: 'failed', error: why(error) };
  }
  return report({ ...outcome, url: prepared._url, uniqueId: prepared._uniqueId });
}

/** Explains `result` in debug mode, and returns it. */
function report(result: Result): Result {
  if (__DEBUG__) {
    const error = 'error' in result ? result.error : '';
    log(
      {
        sent:
          'sent by ' +
          ('transport' in result && result.transport) +
          ('confirmed' in result && result.confirmed ? ', confirmed by a 2xx answer' : ''),
        duplicate: 'duplicate: this unique_id was already fired from this browser; nothing sent',
        no_click_id: 'no_click_id: no click ID stored or given (requireClickId); nothing sent',
        invalid: 'invalid: ' + error + '; nothing sent or marked',
        refused: 'refused (' + error + '): the endpoint will not take it; not retried, not marked',
        queued: 'queued (' + error + '): kept in the outbox, retried at the next page load and on `online`',
        failed: 'failed: ' + error + '; dropped',
      }[result.status],
      result,
      // Sent and duplicate are explanations; every other status is a conversion not sent: a problem.
      result.status === 'sent' || result.status === 'duplicate' ? undefined : PROBLEM,
    );
  }
  return result;
}

/** The URL `conversion()` would send for `data`, or null where it would not send. */
export const conversionUrl = (data?: Conversion): string | null =>
  attempt(() => {
    const prepared = prepare(data);
    return prepared._noClickId ? null : prepared._url;
  }) || null;
