/**
 * What a script-tag bundle starts with (SPEC §2 load order, step 1): the script element's
 * data attributes, then every queued `init` config, in order.
 */
import type { Config } from '../types';
import { ownScript } from './ownScript';

/** The stub's queue: each entry is the `arguments` of one early `postclick(…)` call. */
export type Queue = ArrayLike<unknown>[];

export function scriptConfig(queue: Queue): Config {
  const data = ownScript()?.dataset;
  // The dataset is the config as it is: `data-offer-id` is `offerId`. A comma list works as
  // `params`, and `ttlDays` feeds only arithmetic. A bare `data-debug` is on, "false" off.
  // Spread, not Object.assign: a queued `{"__proto__": …}` stays a plain key.
  let config: Config = { ...data, debug: !!data && 'debug' in data && data.debug != 'false' };
  for (const args of queue) if (args[0] == 'init') config = { ...config, ...(args[1] as Config) };
  return config;
}
