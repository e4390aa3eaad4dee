/**
 * Debug output. Silent unless `debug: true` or `?postclick_debug=1`: without debug,
 * postclick writes nothing to the console (SPEC §2).
 */
import { attempt } from './attempt';
import { settings } from './settings';

export const log = (message: string, detail?: unknown): void =>
  void attempt(
    () =>
      (settings.debug || /[?&]postclick_debug=1/.test(location.search)) &&
      console.warn('postclick: ' + message, detail ?? ''),
  );
