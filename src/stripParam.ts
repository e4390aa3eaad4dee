/**
 * `stripParams`: remove the click-ID parameter from the address bar once it is stored, so a
 * shared or bookmarked URL does not carry it. `replaceState` adds no history entry. The query
 * is edited as text: re-serialising it through URLSearchParams would re-encode the page's
 * other parameters.
 */
export const stripParam = (param: string): void =>
  history.replaceState(
    history.state,
    '',
    location.pathname +
      location.search.replace(RegExp('[?&]' + param + '=[^&]*', 'g'), '').replace(/^&/, '?') +
      location.hash,
  );
