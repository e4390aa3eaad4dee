/** The configuration `init` sets, and how a call's own options fall back to it. */
import type { Config, Conversion } from './types';

/** Consent as the SDK tracks it: the two `Config` values, plus a refusal from `consent(false)`. */
export type ConsentState = 'granted' | 'pending' | 'denied';

const DEFAULTS: Config = {
  params: ['s1', 'clickid', 'click_id'],
  ttlDays: 30,
  attribution: 'last',
  cookieName: '_postclick',
  cookieDomain: 'auto',
  transport: 'auto',
  requireClickId: true,
  consent: 'granted',
  decorate: [],
};

/**
 * Settings from `init` and the script tag's data attributes. A null prototype, so that
 * `Object.assign` of a hostile `{"__proto__": …}` config defines a key instead of
 * replacing the prototype.
 */
export const settings: Omit<Conversion, 'consent'> & { consent?: ConsentState } = Object.create(null);

/** Merges a config into the settings. */
export const configure = (config?: Config): void => void Object.assign(settings, config);

/** An option: the call's own value, else `init`'s, else the default. */
export const option = <K extends keyof Conversion>(key: K, call?: Conversion): Conversion[K] =>
  (call && call[key]) ?? (settings as Conversion)[key] ?? (DEFAULTS as Conversion)[key];

/** Whether storing and sending may happen now (consent granted, or never asked for). */
export const consented = (): boolean => !settings.consent || settings.consent == 'granted';
