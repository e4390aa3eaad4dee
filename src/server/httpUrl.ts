/**
 * Whether `value` is an absolute http(s) URL, written out in full (`https://host…`):
 * server code has no page to resolve a relative or protocol-relative URL against, and the
 * URL is used exactly as written, so a form that only `new URL()` repairs (`http:host`,
 * leading spaces, raw whitespace) is refused rather than sent.
 */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !/^https?:\/\/[^\s/?#]+[^\s]*$/i.test(value)) return false;
  try {
    return !!new URL(value).hostname;
  } catch {
    return false;
  }
}
