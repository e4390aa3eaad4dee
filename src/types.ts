/** Public types of postclick (SPEC §3), and the defaults of its options beside them. */

export type Transport = 'auto' | 'beacon' | 'fetch' | 'image';

export interface Config {
  /** Conversion URL, or a template with `{name}` placeholders / a `REPLACE` value. Required to fire. */
  endpoint?: string;
  /** Default `offer_id`. */
  offerId?: string | number;
  /** URL parameters to read the click ID from, first match wins. Default `['s1', 'clickid', 'click_id']`. */
  params?: string[];
  /** How long a captured click ID stays valid, in days. Default 30. */
  ttlDays?: number;
  /** `'last'` (default): a new click ID replaces the stored one; `'first'`: keep an unexpired one. */
  attribution?: 'last' | 'first';
  /** First-party cookie holding the click ID. Default `'_postclick'`. */
  cookieName?: string;
  /** `'auto'` (default): widest domain the browser accepts; an explicit domain; or `''` for host-only. */
  cookieDomain?: string;
  /** Default `'auto'`: keepalive fetch, then an image (beacon only where keepalive fetch is missing). A named transport is the only one tried. */
  transport?: Transport;
  /**
   * Read the endpoint's answer (a CORS fetch): only a 2xx counts as delivered. Default: on
   * for a same-origin `endpoint`, off otherwise.
   */
  acknowledge?: boolean;
  /**
   * A relay's `/click` route: after a capture, postclick asks it to set the click-ID cookie
   * from the server, which outlives the caps browsers put on cookies written by scripts.
   */
  cookieEndpoint?: string;
  /** Without a click ID, do not fire (status `no_click_id`). Default true. */
  requireClickId?: boolean;
  /** Explain every decision on the console (also on with `?postclick_debug=1`). */
  debug?: boolean;
  /** `'pending'`: memory only until `consent(true)`; default `'granted'`. */
  consent?: 'granted' | 'pending';
  /** Other sites' hostnames whose links and forms get the click ID appended when followed. */
  decorate?: string[];
  /** After capture, remove the click-ID parameter from the address bar. */
  stripParams?: boolean;
}

/**
 * The type of {@link DEFAULTS}: every option but those without a default (`endpoint`,
 * `offerId`, `cookieEndpoint`) and `acknowledge`, whose default depends on the endpoint
 * ({@link acknowledgeByDefault}), so a new option must add its default to the table.
 * Four defaults are what leaving the option out means — the code acts only on another
 * value (`'first'`, `true`, a list of hosts) — and their types pin them: changing one
 * here without changing that code does not compile.
 */
type Defaults = Required<Omit<Config, 'endpoint' | 'offerId' | 'cookieEndpoint' | 'acknowledge'>> & {
  attribution: 'last';
  debug: false;
  decorate: [];
  stripParams: false;
};

/**
 * Every option's default (docs/api.md, Options), in one table: each use of an option falls
 * back to it, and the server's cookie options (src/server/clickCookie.ts) reuse it, so a
 * cookie the relay sets matches one the browser sets. Terser inlines each entry where it is
 * read, so a bundle carries only the defaults it uses.
 */
export const DEFAULTS: Defaults = {
  params: ['s1', 'clickid', 'click_id'],
  ttlDays: 30,
  attribution: 'last',
  cookieName: '_postclick',
  cookieDomain: 'auto',
  transport: 'auto',
  requireClickId: true,
  debug: false,
  consent: 'granted',
  decorate: [],
  stripParams: false,
};

/** `acknowledge`'s default: on for an `endpoint` on the page's own origin, whose answer a fetch can always read. */
export const acknowledgeByDefault = (endpoint: string): boolean =>
  new URL(endpoint, location.href).origin === location.origin;

export interface Conversion extends Config {
  clickId?: string;
  amount?: number | string;
  payout?: number | string;
  revenue?: number | string;
  orderId?: string | number;
  uniqueId?: string | number;
  adv1?: string | number;
  adv2?: string | number;
  adv3?: string | number;
  adv4?: string | number;
  adv5?: string | number;
  event?: string;
  currency?: string;
}

export type Status = 'sent' | 'duplicate' | 'no_click_id' | 'invalid' | 'refused' | 'queued' | 'failed';

/** The transport a conversion left by (`transport` minus `'auto'`). */
export type SentBy = Exclude<Transport, 'auto'>;

/** What every result of a conversion that got as far as a URL carries. */
interface Prepared {
  /** The conversion URL (without the image cache-buster). */
  url: string;
  /** The `unique_id` it was (or would have been) fired under. */
  uniqueId: string;
}

/** Handed to the browser for delivery; `confirmed` when the endpoint's 2xx answer was read. */
export interface SentResult extends Prepared {
  status: 'sent';
  transport: SentBy;
  confirmed: boolean;
}

/** Fired before from this browser (same `unique_id`): nothing sent. */
export interface DuplicateResult extends Prepared {
  status: 'duplicate';
}

/** No click ID stored or given while `requireClickId` holds: nothing sent. */
export interface NoClickIdResult extends Prepared {
  status: 'no_click_id';
}

/** The input is wrong (`error` says which field and why): nothing sent or marked. */
export interface InvalidResult {
  status: 'invalid';
  error: string;
}

/** The endpoint answered a 4xx other than 408/429: `error` is `HTTP <status>: <reason>`. Nothing stays marked. */
export interface RefusedResult extends Prepared {
  status: 'refused';
  transport: SentBy;
  error: string;
}

/** Kept in the outbox for a later page load or `online`: `error` says why (offline, blocked, 5xx, consent pending…). */
export interface QueuedResult extends Prepared {
  status: 'queued';
  error: string;
}

/** Dropped: attempts exhausted, or consent refused. */
export interface FailedResult extends Prepared {
  status: 'failed';
  error: string;
}

/** What `conversion()` resolves with: a union on `status`, each with exactly its fields. */
export type Result =
  SentResult | DuplicateResult | NoClickIdResult | InvalidResult | RefusedResult | QueuedResult | FailedResult;
