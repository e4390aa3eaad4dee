/**
 * Debug output. Silent unless `debug: true` or `?postclick_debug=1`: without debug,
 * postclick writes nothing to the console (docs/api.md, Debug). The production script-tag bundles
 * carry none of it: when debug is asked for, they load their `.debug.js` twin instead
 * (src/entries/debugBuild.ts), so shoppers never download the explanations.
 */
import { attempt } from './attempt';
import { settings } from './settings';

export const log = (message: string, detail?: unknown): void =>
  void (
    __DEBUG__ &&
    attempt(
      () =>
        (settings.debug || /[?&]postclick_debug=1/.test(location.search)) &&
        console.warn('postclick: ' + message, detail ?? ''),
    )
  );
