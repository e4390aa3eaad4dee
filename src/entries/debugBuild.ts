/**
 * The production bundles carry no debug explanations. When a page asks for debug
 * (`?postclick_debug=1`, `data-debug`, or a queued `init` with `debug: true`), the bundle
 * hands over to its `.debug.js` twin beside it — same code, with every decision explained —
 * before doing anything itself, so the twin finds the page exactly as it was: the same
 * data attributes, the stub's queue untouched.
 */
import { attempt } from '../attempt';
import type { Config } from '../types';
import { ownScript } from './ownScript';

/**
 * Whether the debug twin was asked for and is loading; false in the twin itself. When it
 * fails to load (a site that deployed only the production file), `fallback` runs the
 * production bundle after all: asking for debug never switches tracking off.
 */
export const loadDebugBuild = (config: Config, fallback: () => unknown): unknown =>
  __FEATURE_DEBUG_TWIN__ &&
  !__DEBUG__ &&
  (config.debug || /[?&]postclick_debug=1/.test(location.search)) &&
  attempt(() => {
    const own = ownScript()!;
    const src = own.src.replace(/\.js(?=[?#]|$)/, '.debug.js');
    // A src without `.js` has no twin to find: stay in production mode rather than load itself.
    if (src === own.src) return;
    const twin = document.createElement('script');
    // Under Trusted Types enforcement a script URL must come from a policy; sites allow ours by name.
    type Types = { createPolicy(name: string, rules: object): { createScriptURL(url: string): string } };
    twin.src = __FEATURE_TRUSTED_TYPES__
      ? ((self as { trustedTypes?: Types }).trustedTypes
          ?.createPolicy('postclick', { createScriptURL: () => src })
          .createScriptURL('') ?? src)
      : src;
    Object.assign(twin.dataset, own.dataset);
    twin.onerror = () => fallback();
    document.head.append(twin);
    return 1;
  });
