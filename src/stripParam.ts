/**
 * `stripParams`: remove the click-ID parameter from the address bar once it is stored, so a
 * shared or bookmarked URL does not carry it. `replaceState` adds no history entry. The query
 * is edited as text: re-serialising it through URLSearchParams would re-encode the page's
 * other parameters.
 */
// Without the feature (a bench build only, scripts/features.mjs) it does nothing; a ternary
// rather than an early return, which would cost the release build 2 bytes of braces.
export const stripParam = __FEATURE_STRIP_PARAMS__
  ? (param: string): void =>
      history.replaceState(
        history.state,
        '',
        location.pathname +
          location.search.replace(RegExp('[?&]' + param + '=[^&]*', 'g'), '').replace(/^&/, '?') +
          location.hash,
      )
  : (): void => {};
