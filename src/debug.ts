/**
 * Debug output. Silent unless `debug: true` or `?postclick_debug=1`: without debug,
 * postclick writes nothing to the console (docs/api.md, Debug). Explanations go to `console.info`; problems
 * (an ignored click ID, a conversion not sent, an unknown command) pass `PROBLEM` and go to
 * `console.warn`, so the console's level filter tells them apart. The production
 * script-tag bundles carry none of it: when debug is asked for, they load their `.debug.js`
 * twin instead (src/entries/debugBuild.ts), so shoppers never download the explanations.
 */
import { attempt } from './attempt';
import { settings } from './settings';

/** `log`'s third argument for a problem: something was ignored, refused, not sent. */
export const PROBLEM = 'warn';

export const log = (message: string, detail?: unknown, level: 'info' | typeof PROBLEM = 'info'): void =>
  void (
    __DEBUG__ &&
    attempt(
      () =>
        (settings.debug || /[?&]postclick_debug=1/.test(location.search)) &&
        console[level]('postclick: ' + message, detail ?? ''),
    )
  );
