/**
 * `window.postclick`, the script-tag command form: `postclick(name, …args[, callback])` runs
 * the module export of that name; a function after the arguments receives its result (for
 * `conversion`, the resolved `Result`). Before the bundle loads, the stub queues the calls in `q`.
 */
import type { capture, getClickId } from './capture';
import type { consent } from './consent';
import type { conversion, conversionUrl } from './conversion';
import type { init, reset } from './init';
import type { Config, Conversion } from './types';

/** What a command's callback receives: its return value, awaited. */
type Callback<Command extends (...args: never[]) => unknown> = (result: Awaited<ReturnType<Command>>) => void;

export interface PostclickCommand {
  (command: 'init', config: Config, callback?: Callback<typeof init>): void;
  (command: 'capture', callback?: Callback<typeof capture>): void;
  (command: 'getClickId', callback?: Callback<typeof getClickId>): void;
  (command: 'conversion', callback?: Callback<typeof conversion>): void;
  (command: 'conversion', data: Conversion | undefined, callback?: Callback<typeof conversion>): void;
  (command: 'conversionUrl', callback?: Callback<typeof conversionUrl>): void;
  (command: 'conversionUrl', data: Conversion | undefined, callback?: Callback<typeof conversionUrl>): void;
  (command: 'reset', callback?: Callback<typeof reset>): void;
  (command: 'consent', granted: boolean, callback?: Callback<typeof consent>): void;
  /** The stub's queue: each entry is the `arguments` of one call made before the bundle loaded. */
  q?: ArrayLike<unknown>[];
}

declare global {
  interface Window {
    /** postclick's script-tag API: the stub until `postclick.js` loads, then the bundle's function. */
    postclick?: PostclickCommand;
  }
}
