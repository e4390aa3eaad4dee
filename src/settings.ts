/** The configuration `init` sets, and how a call's own options fall back to it. */
import type { Config, Conversion } from './types';

/** Defaults of SPEC §3 that are not simply "absent" (absent `attribution` is `'last'`, …). */
const DEFAULTS: Config = {
  params: ['s1', 'clickid', 'click_id'],
  ttlDays: 30,
  cookieName: '_postclick',
  cookieDomain: 'auto',
  transport: 'auto',
  requireClickId: true,
  decorate: [],
};

/**
 * Settings from `init` and the script tag's data attributes. A null prototype, so that
 * `Object.assign` of a hostile `{"__proto__": …}` config defines a key instead of
 * replacing the prototype. `consent` also takes `'denied'`, after `consent(false)`.
 */
export const settings: Omit<Conversion, 'consent'> & { consent?: 'granted' | 'pending' | 'denied' } =
  Object.create(null);

/** An option: the call's own value, else `init`'s, else the default. */
export const option = <K extends keyof Conversion>(key: K, call?: Conversion): Conversion[K] =>
  (call?.[key] ?? (settings as Conversion)[key] ?? DEFAULTS[key as keyof Config]) as Conversion[K];

/** Whether storing and sending may happen now (consent granted, or never asked for). */
export const consented = (): boolean => (settings.consent || 'granted') == 'granted';

/** `params` as a list; a `data-params` comma string works as well as an array. */
export const clickParams = (): string[] => String(option('params')).split(/\s*,\s*/);
