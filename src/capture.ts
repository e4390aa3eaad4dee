/** `capture()` and `getClickId()`: read the click ID from the landing URL into storage (SPEC §4). */
import { attempt } from './attempt';
import { isClickId } from './clickId';
import { readClick, storeClick } from './clickStore';
import { log, PROBLEM } from './debug';
import { clickParams, settings } from './settings';
import { stripParam } from './stripParam';

/** Reads the click ID from `location`, stores it, and returns the current one (or null). */
export const capture = (): string | null =>
  attempt(() => {
    const query = new URLSearchParams(location.search);
    for (const param of clickParams()) {
      for (const clickId of query.getAll(param)) {
        if (!isClickId(clickId)) {
          log('ignored ' + param + ': not a click ID (1–128 of A–Z a–z 0–9 . _ ~ : -)', clickId, PROBLEM);
          continue;
        }
        // The stored ID is read only where it decides something: attribution 'first'.
        const kept = settings.attribution === 'first' && readClick();
        if (kept) log("attribution 'first': kept " + kept + ', ignored', clickId);
        else {
          log('captured ' + clickId + ' from ?' + param);
          storeClick(clickId);
        }
        if (__FEATURE_STRIP_PARAMS__ && settings.stripParams) stripParam(param);
        return readClick();
      }
    }
    return readClick();
  }) || null;

/** The stored, unexpired click ID. */
export const getClickId = (): string | null => attempt(readClick) || null;
