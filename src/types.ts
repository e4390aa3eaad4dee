/** Public types of postclick (SPEC §3). */

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
  /** Default `'auto'`: beacon, then fetch keepalive, then image. */
  transport?: Transport;
  /** URL of a relay's `/click` route: after a capture, ask it to set the click-ID cookie from the server too. */
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

export type Status = 'sent' | 'duplicate' | 'no_click_id' | 'invalid' | 'queued' | 'failed';

export interface Result {
  status: Status;
  /** How the request left, for `sent`. */
  transport?: Exclude<Transport, 'auto'>;
  /** The conversion URL (without the image cache-buster). */
  url?: string;
  uniqueId?: string;
  /** What was wrong, for `invalid` and `failed`. */
  error?: string;
}
