/**
 * What a script-tag bundle starts with (SPEC §2 load order, step 1): the script element's
 * data attributes, then every queued `init` config, in order.
 */
import type { Config } from '../types';

/** The stub's queue: each entry is the `arguments` of one early `postclick(…)` call. */
export type Queue = ArrayLike<unknown>[];

export function scriptConfig(queue: Queue): Config {
  // `currentScript` is null in modules and event handlers; then find the tag by its src.
  const data = ((document.currentScript as HTMLElement | null) || document.querySelector('script[src*="postclick"]'))?.dataset;
  // `data-offer-id` is `offerId` in the dataset: the attributes are the options' names. A
  // comma list works as `params` as it is, and `ttlDays` is used only in arithmetic. A bare
  // `data-debug` is on; `data-debug="false"` is off.
  // Spread, not Object.assign: a queued `{"__proto__": …}` stays a plain key.
  let config: Config = { ...data, debug: !!data && 'debug' in data && data.debug != 'false' };
  for (const args of queue) if (args[0] == 'init') config = { ...config, ...(args[1] as Config) };
  return config;
}
