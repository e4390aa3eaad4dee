/**
 * `stripParams`: remove the click-ID parameter from the address bar once it is stored, so a
 * shared or bookmarked URL does not carry it. `replaceState` adds no history entry. The query
 * is edited as text: re-serialising it through URLSearchParams would re-encode the page's
 * other parameters.
 */
export function stripParam(param: string): void {
  const kept = location.search
    .slice(1)
    .split('&')
    .filter((pair) => pair.split('=')[0] != param)
    .join('&');
  history.replaceState(history.state, '', location.pathname + (kept && '?' + kept) + location.hash);
}
