/**
 * Build-time flag: `true` in the debug bundles and the npm builds, `false` in the
 * production script-tag bundles, where every `log()` call and its message compile away.
 */
declare const __DEBUG__: boolean;

/**
 * Feature flags: `true` in every real build, so they cost nothing. The feature → bytes
 * bench (bench/features.mjs) sets one to `false` to measure what that behaviour weighs.
 * The table of flags, with the features not yet guarded by theirs, is scripts/features.mjs.
 */
declare const __FEATURE_DECORATE__: boolean;
declare const __FEATURE_DEBUG_TWIN__: boolean;
declare const __FEATURE_TRUSTED_TYPES__: boolean;
declare const __FEATURE_DERIVED_UNIQUE_ID__: boolean;
declare const __FEATURE_STRIP_PARAMS__: boolean;
declare const __FEATURE_COOKIE_DOMAIN_AUTO__: boolean;
declare const __FEATURE_IMAGE__: boolean;
declare const __FEATURE_FETCH__: boolean;
declare const __FEATURE_TEMPLATES__: boolean;
declare const __FEATURE_CONSENT__: boolean;
declare const __FEATURE_PLAIN_DECIMALS__: boolean;
declare const __FEATURE_URL_LIMIT__: boolean;
declare const __FEATURE_OUTBOX_BOUND__: boolean;
declare const __FEATURE_RETRY__: boolean;
declare const __FEATURE_OWN_OPTIONS__: boolean;
declare const __FEATURE_ACKNOWLEDGE__: boolean;
declare const __FEATURE_SITE_OUTBOX__: boolean;
declare const __FEATURE_RETRY_CLAIM__: boolean;
declare const __FEATURE_RETRY_BACKOFF__: boolean;
declare const __FEATURE_COOKIE_CLEANUP__: boolean;
declare const __FEATURE_REFERRER_POLICY__: boolean;
declare const __FEATURE_COOKIE_ENDPOINT__: boolean;
declare const __FEATURE_NODE_GUARD__: boolean;
