/**
 * Escapers for the snippet tool: each value is escaped for the context it is printed in.
 * Both keep the output plain ASCII, so the snippet means the same in a page served as
 * UTF-8, windows-1252 or anything else.
 */

const hex4 = (c: string): string => '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

/**
 * A single-quoted JavaScript string literal that is safe inside an inline `<script>`:
 * `<` and `>` are escaped, so neither `</script>` nor `<!--` can end or alter the script
 * element (HTML §4.12.1.3); U+2028/U+2029 are escaped, as engines before ES2019 end a
 * string at them; control characters, non-ASCII and lone surrogates become `\uXXXX`.
 */
export const jsString = (value: string): string =>
  "'" + value.replace(/[\\']/g, '\\$&').replace(/[^\x20-\x7e]|[<>&]/g, hex4) + "'";

/**
 * A double-quoted HTML attribute value: `& < > " '` as character references, and every
 * non-ASCII or control character as a numeric one (by code point).
 */
export const htmlAttribute = (value: string): string =>
  '"' +
  value.replace(/[&<>"']|[^\x20-\x7e]/gu, (c) =>
    c === '&'
      ? '&amp;'
      : c === '<'
        ? '&lt;'
        : c === '>'
          ? '&gt;'
          : c === '"'
            ? '&quot;'
            : '&#x' + c.codePointAt(0)!.toString(16).toUpperCase() + ';',
  ) +
  '"';
