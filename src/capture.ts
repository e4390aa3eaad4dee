/** `capture()`: read the click ID from the landing URL into first-party storage (SPEC §4). */
import { isClickId } from './clickId';
import { readClick, storeClick } from './clickStore';
import { log } from './debug';
import { option } from './settings';
import { stripParam } from './stripParam';

/** The first of `params` in the query with a valid value, and its parameter name. */
function clickIdInUrl(search: string): [string, string] | undefined {
  const query = new URLSearchParams(search);
  for (const param of option('params')!) {
    for (const value of query.getAll(param)) {
      if (isClickId(value)) return [value, param];
      log('ignored ' + param + ': not a valid click ID', value);
    }
  }
}

/** Reads the click ID from `location`, stores it, and returns the current one (or null). */
export function capture(): string | null {
  try {
    const found = clickIdInUrl(location.search);
    if (found) {
      const [clickId, param] = found;
      const current = readClick();
      if (current && current != clickId && option('attribution') == 'first') {
        log('kept the first click ID', current);
      } else {
        storeClick(clickId);
        log('captured', clickId);
      }
      if (option('stripParams')) stripParam(param);
    }
    return readClick();
  } catch (error) {
    log('error', error);
    return null;
  }
}

/** `getClickId()`: the stored, unexpired click ID. */
export function getClickId(): string | null {
  try {
    return readClick();
  } catch {
    return null;
  }
}
