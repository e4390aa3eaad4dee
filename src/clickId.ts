/**
 * The click-ID validity rule (docs/protocol.md, Capture): 1–128 characters of `A–Z a–z 0–9 . _ ~ : -`.
 * Anything else — an unreplaced `{clickid}` macro, markup, an overlong value — is not a
 * click ID, so it is never stored nor sent. (`\w` without the `u` flag is `[A-Za-z0-9_]`.)
 */
export const isClickId = (value: unknown): value is string =>
  typeof value === 'string' && /^[\w.~:-]{1,128}$/.test(value);
