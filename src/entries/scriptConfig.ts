/**
 * What a script-tag bundle starts with (SPEC §2 load order, step 1): the script element's
 * data attributes, then every queued `init` config, in order.
 */
import type { Config } from '../types';

/** The stub's queue: each entry is the `arguments` of one early `postclick(…)` call. */
export type Queue = ArrayLike<unknown>[];

/** The script element that loaded postclick (`currentScript` is null inside modules). */
const ownScript = (): HTMLElement | null =>
  (document.currentScript as HTMLElement | null) || document.querySelector('script[src*="postclick"]');

/** `data-endpoint`, `data-offer-id`, … as an `init` config. */
function dataAttributeConfig(): Config {
  const data = ownScript()?.dataset || {};
  const config: Record<string, unknown> = {};
  for (const key of ['endpoint', 'offerId', 'params', 'ttlDays', 'cookieDomain', 'attribution', 'debug']) {
    const value = data[key];
    if (value != null) {
      config[key] =
        key == 'params' ? value.split(/\s*,\s*/)
        : key == 'ttlDays' ? +value
        : key == 'debug' ? value != 'false'
        : value;
    }
  }
  return config;
}

export function scriptConfig(queue: Queue): Config {
  let config = dataAttributeConfig();
  // Spread, not Object.assign: a queued `{"__proto__": …}` stays a plain key.
  for (const args of queue) if (args[0] == 'init') config = { ...config, ...(args[1] as Config) };
  return config;
}
