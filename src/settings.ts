/**
 * The configuration `init` sets, and how a call's own options fall back to it, then to
 * their defaults (`DEFAULTS`, src/types.ts). Terser inlines each default where it is read,
 * so each bundle carries only the ones it uses.
 */
import { DEFAULTS, type Conversion } from './types';

/**
 * Settings from `init` and the script tag's data attributes. A null prototype, so that
 * `Object.assign` of a hostile `{"__proto__": …}` config defines a key instead of
 * replacing the prototype. `consent` also takes `'denied'`, after `consent(false)`.
 */
export const settings: Omit<Conversion, 'consent'> & { consent?: 'granted' | 'pending' | 'denied' } =
  Object.create(null);

/** An option of one `conversion()` call: its own value (never an inherited one), else `init`'s. */
export const option = <K extends keyof Conversion>(key: K, call?: Conversion): Conversion[K] => {
  try {
    // Own properties only: a polluted Object.prototype must not redirect or re-attribute a sale.
    const own = __FEATURE_OWN_OPTIONS__ ? {}.hasOwnProperty.call(call || {}, key) : Boolean(call);
    return (own ? call![key] : undefined) ?? (settings as Conversion)[key];
  } catch (error) {
    // eslint-disable-next-line preserve-caught-error -- ES2020 target: Error takes no `cause` option there
    throw new Error(key + ': ' + String(error));
  }
};

/** Whether storing and sending may happen now (consent granted, or never asked for). */
export const consented = (): boolean => !__FEATURE_CONSENT__ || (settings.consent || DEFAULTS.consent) === 'granted';

/**
 * `params` as a list; a `data-params` comma string works too. The default is read as text:
 * terser inlines a `DEFAULTS` entry only where no array of it can escape (`hoist_props`).
 */
export const clickParams = (): string[] => String(settings.params || String(DEFAULTS.params)).split(/\s*,\s*/);

/** `cookieName`; also the key of its localStorage mirror. */
export const cookieName = (): string => settings.cookieName || DEFAULTS.cookieName;

/** `cookieDomain`: the click-ID cookie's, and the site-wide outbox's (`''` is host-only). */
export const cookieDomain = (): string => settings.cookieDomain ?? DEFAULTS.cookieDomain;

/** `ttlDays` (a `data-ttl-days` string works in the arithmetic it feeds). */
export const ttlDays = (): number => settings.ttlDays || DEFAULTS.ttlDays;
