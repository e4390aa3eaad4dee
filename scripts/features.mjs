// @ts-check
/**
 * The SDK's optional behaviours, each behind a compile-time flag: a global such as
 * `__FEATURE_DECORATE__` (declared in src/globals.d.ts) that every real build replaces with
 * `true` (rollup.config.mjs, vitest.config.mjs), so it costs nothing. Only the feature → bytes
 * bench (bench/features.mjs) builds with one set to `false`, to measure what that behaviour
 * costs dist/postclick.js and dist/capture.js. In src/ a flag guards the feature's code:
 *
 *   if (!__FEATURE_STRIP_PARAMS__) return;
 *
 * A feature whose code lives in a file not yet guarded is `pending`: the bench lists it as
 * not measured. Guard its code in src/ with the flag and drop `pending` to measure it.
 */

/**
 * @typedef {object} Feature
 * @property {string} flag    the global replaced at build time
 * @property {string} name    what the behaviour is, for the table
 * @property {string} doc     where the contract describes it (a file under docs/)
 * @property {boolean} [pending]  no src/ code is guarded by the flag yet
 * @property {string} [partly]   a call site not guarded yet, so the cost measured is a little low
 */

/** @type {Feature[]} */
export const FEATURES = [
  {
    flag: '__FEATURE_DECORATE__',
    name: '`decorate` (link and form decoration)',
    doc: 'api.md `decorate`',
  },
  {
    flag: '__FEATURE_DEBUG_TWIN__',
    name: 'debug: loading the `.debug.js` twin',
    doc: 'api.md Debug',
  },
  {
    flag: '__FEATURE_TRUSTED_TYPES__',
    name: 'Trusted Types policy for the twin',
    doc: 'api.md Debug',
  },
  {
    flag: '__FEATURE_DERIVED_UNIQUE_ID__',
    name: 'derived `unique_id` (hash of offer, click, page)',
    doc: 'protocol.md `unique_id`',
  },
  {
    flag: '__FEATURE_STRIP_PARAMS__',
    name: '`stripParams` (clean URLs)',
    doc: 'api.md `stripParams`',
  },
  {
    flag: '__FEATURE_COOKIE_DOMAIN_AUTO__',
    name: "`cookieDomain: 'auto'` (eTLD+1 probe)",
    doc: 'api.md `cookieDomain`',
  },
  { flag: '__FEATURE_IMAGE__', name: 'image transport', doc: 'protocol.md Delivery' },
  { flag: '__FEATURE_FETCH__', name: 'fetch keepalive transport', doc: 'protocol.md Delivery' },
  {
    flag: '__FEATURE_TEMPLATES__',
    name: 'templates (`{name}`, `REPLACE`)',
    doc: 'protocol.md Templates',
  },
  { flag: '__FEATURE_CONSENT__', name: "consent (`'pending'`, `consent()`)", doc: 'api.md `consent`' },
  {
    flag: '__FEATURE_PLAIN_DECIMALS__',
    name: 'plain decimals for ≥ 1e21 and < 1e-6',
    doc: 'protocol.md Parameters',
  },
  { flag: '__FEATURE_URL_LIMIT__', name: '8 KB URL limit', doc: 'protocol.md Parameters' },
  {
    flag: '__FEATURE_OUTBOX_BOUND__',
    name: 'outbox bound (50 records)',
    doc: 'protocol.md Nothing lost',
  },
  {
    flag: '__FEATURE_RETRY__',
    name: 'retry at load and on `online`',
    doc: 'protocol.md Nothing lost',
  },
  {
    flag: '__FEATURE_OWN_OPTIONS__',
    name: 'options from own properties only',
    doc: 'api.md Options',
  },
  {
    flag: '__FEATURE_ACKNOWLEDGE__',
    name: 'acknowledged delivery (cors fetch, reading the answer, `refused`)',
    doc: 'protocol.md Delivery',
  },
  {
    flag: '__FEATURE_SITE_OUTBOX__',
    name: 'site-wide outbox (shared cookie record, delivered by `capture.js`)',
    doc: 'protocol.md Nothing lost',
  },
  {
    flag: '__FEATURE_RETRY_CLAIM__',
    name: 'retry claim (one tab sends a retry)',
    doc: 'protocol.md Nothing lost',
  },
  { flag: '__FEATURE_RETRY_BACKOFF__', name: 'retry back-off (5 s, 10 s, 20 s)', doc: 'protocol.md Nothing lost' },
  {
    flag: '__FEATURE_COOKIE_CLEANUP__',
    name: 'host-only and domain cookie cleanup',
    doc: 'protocol.md The cookie and storage',
  },
  { flag: '__FEATURE_REFERRER_POLICY__', name: 'referrer-policy handling', doc: 'protocol.md Delivery' },
  { flag: '__FEATURE_COOKIE_ENDPOINT__', name: '`cookieEndpoint` request', doc: 'api.md Options' },
  {
    flag: '__FEATURE_NODE_GUARD__',
    name: 'Node-environment guard in `conversion()`',
    doc: 'api.md Module API',
  },
];

/**
 * The replacements of one build: every flag `true` (a release), or with `off` set to
 * `false` (a bench cut). With `debug`, `__DEBUG__` too (src/globals.d.ts).
 * @param {{ debug?: boolean, off?: string[] }} [options]
 * @returns {Record<string, string>}
 */
export const defines = ({ debug, off = [] } = {}) => ({
  ...(debug === undefined ? {} : { __DEBUG__: String(debug) }),
  ...Object.fromEntries(FEATURES.map(({ flag }) => [flag, String(!off.includes(flag))])),
});
