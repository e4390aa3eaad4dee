/**
 * docs/protocol.md: string values lose control characters (U+0000–U+001F, U+007F) before encoding.
 * Lone surrogates go too: `encodeURIComponent` throws a URIError on them, and a value cut
 * at 255 code units can leave one behind. (With the `u` flag a surrogate *pair* is one
 * code point outside the class, so only lone halves match.)
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const clean = (text: string): string => text.replace(/[\0-\x1f\x7f]|[\ud800-\udfff]/gu, '');
