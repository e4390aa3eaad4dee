import { isClickId } from '../clickId';

/**
 * The click ID in a `Cookie` request header, as the browser SDK stored it (docs/protocol.md, Capture): the
 * first cookie called `name` whose value is a valid click ID, else `null`.
 *
 * Parsing is forgiving in the way RFC 6265 §5.2 readers are: whitespace around names and
 * values is ignored, a value in double quotes is unquoted, and a pair without `=` or with
 * a value that is not a click ID (a macro such as `{clickid}`, markup, an overlong or
 * percent-encoded value) is skipped, not thrown on. Names are case-sensitive. Values are
 * not percent-decoded: the SDK writes the click ID as is, and every valid one is plain
 * ASCII, so an encoded value cannot be one.
 *
 * @example
 * clickIdFromCookie(req.headers.cookie)            // '8f3a9c21' or null
 * clickIdFromCookie(req.headers.cookie, 'my_click') // a custom `cookieName`
 */
export function clickIdFromCookie(cookieHeader: string | null | undefined, name = '_postclick'): string | null {
  if (typeof cookieHeader !== 'string' || typeof name !== 'string' || !name) return null;
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length > 1 && value[0] === '"' && value[value.length - 1] === '"') value = value.slice(1, -1);
    if (isClickId(value)) return value;
  }
  return null;
}
