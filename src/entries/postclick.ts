/**
 * `dist/postclick.js`: the script-tag bundle. Replays the stub's queue in the load order of docs/api.md,
 * then replaces the stub so later calls run at once. The only full-SDK code with side effects.
 */
import { attempt } from '../attempt';
import { capture, getClickId } from '../capture';
import { consent } from '../consent';
import { conversion, conversionUrl } from '../conversion';
import { log, PROBLEM } from '../debug';
import { init, reset } from '../init';
import { loadDebugBuild } from './debugBuild';
import type { Config } from '../types';
import { page, queued, scriptConfig, type Postclick } from './scriptConfig';

type Command = (...args: unknown[]) => unknown;

/** The commands by name; a null prototype, so `postclick('toString')` is unknown, not run. */
const commands = {
  __proto__: null,
  init,
  capture,
  getClickId,
  conversion,
  conversionUrl,
  reset,
  consent: __FEATURE_CONSENT__ && consent,
} as unknown as Record<string, Command | undefined>;

/** Debug build: runs the page's callback, and says so on the console if it throws. */
function callReporting(callback: Command, value: unknown, name: unknown): void {
  try {
    callback(value);
  } catch (error) {
    log(name + ' callback threw', error, PROBLEM);
  }
}

/** Runs one `postclick(name, …args[, callback])` call. Never throws into the page. */
const run = (call: ArrayLike<unknown>): unknown =>
  attempt(() => {
    const [name, ...args]: unknown[] = [].slice.call(call);
    const callback = typeof args[args.length - 1] === 'function' && (args.pop() as Command);
    const command = commands[name as string];
    if (!command) return log('unknown command', name, PROBLEM);
    const result = command(...args);
    // The callback is the page's code: its errors stay out of our promise chain, too; the
    // debug build names them (production keeps the plain guard, with no message to carry).
    if (callback)
      void Promise.resolve(result).then((value) =>
        __DEBUG__ ? callReporting(callback, value, name) : attempt(() => callback(value)),
      );
    return result;
  });

/**
 * The load order of docs/api.md: merge the data attributes and queued `init` configs, capture,
 * replay the other queued calls, replace the stub. A second copy of the script changes
 * nothing. Also the fallback when the debug twin fails to load, hence the queue read anew.
 */
const start = (config?: Config): unknown =>
  attempt(() => {
    if (page.postclick?.loaded) return;
    const queue = queued();
    init(config || scriptConfig(queue));
    for (const call of queue) if (call[0] !== 'init') run(call);
    const postclick: Postclick = (...args) => run(args);
    postclick.loaded = true;
    page.postclick = postclick;
  });

attempt(() => {
  if (page.postclick?.loaded) return;
  const config = scriptConfig();
  if (!loadDebugBuild(config, start)) start(config);
});
