// @ts-check
import { stringify } from 'csv-stringify/sync';

/**
 * Conversions as CSV for a spreadsheet (RFC 4180): a header row of the field names, CRLF
 * after every record, and fields quoted when they hold `"`, `,`, CR or LF.
 *
 * Formula injection (https://owasp.org/www-community/attacks/CSV_Injection): a text field
 * that starts with `=`, `+`, `-`, `@`, a tab or a CR is written with a leading `'`, so
 * Excel, LibreOffice and Google Sheets show it as text instead of evaluating it. adv1–adv5
 * and order IDs come from the shop's page (and a click ID may start with `-`). Numbers are
 * never negative here, so amounts are left alone; the JSON route has every value unchanged.
 *
 * @param {Record<string, unknown>[]} rows  /reports/conversions objects
 * @param {string[]} fields  the columns, in order (the header even when there is no row)
 */
export function conversionsCsv(rows, fields) {
  return stringify(rows, {
    header: true,
    columns: fields,
    record_delimiter: 'windows',
    escape_formulas: true,
    // csv-stringify quotes a field only when it holds the whole record delimiter (CRLF);
    // RFC 4180 wants a lone CR or LF quoted too, or a parser splits the record there.
    quoted_match: /[\r\n]/,
  });
}
