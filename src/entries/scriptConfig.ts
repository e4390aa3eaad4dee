/**
 * What a script-tag bundle starts with (docs/api.md, Load order, step 1): the script element's
 * data attributes, then every queued `init` config, in order.
 */
import type { Config } from '../types';
import { ownScript } from './ownScript';

/** The stub's queue: each entry is the `arguments` of one early `postclick(…)` call. */
export type Queue = ArrayLike<unknown>[];

/** The `window.postclick` of docs/api.md: the stub with its queue, or the running bundle's function. */
export type Postclick = ((...args: unknown[]) => unknown) & { q?: Queue; loaded?: boolean };

export const page = window as { postclick?: Postclick };

/** The calls queued so far (none once a bundle has replaced the stub). */
export const queued = (): Queue => page.postclick?.q || [];

/** The config from the data attributes and `queue`'s `init` calls (by default the calls queued so far). */
export function scriptConfig(queue = queued()): Config {
  const data = ownScript()?.dataset;
  // The dataset is the config as it is: `data-offer-id` is `offerId`. A comma list works as
  // `params`, and `ttlDays` feeds only arithmetic. A bare `data-debug` is on, "false" off.
  // Spread, not Object.assign: a queued `{"__proto__": …}` stays a plain key.
  let config: Config = { ...data, debug: data?.debug !== undefined && data.debug !== 'false' };
  for (const args of queue) if (args[0] === 'init') config = { ...config, ...(args[1] as Config) };
  return config;
}
