/** The thank-you page snippet of docs/api.md, printed by `postclick snippet` (docs/snippet.md). */
import { conversionUrl } from '../server/conversionUrl';
import { htmlAttribute, jsString } from './escape';

export interface SnippetOptions {
  /** Absolute http(s) conversion endpoint (or template), as for `init`. */
  endpoint: string;
  offerId: string;
  /** Already checked and written as a plain decimal (`formatAmount`). */
  amount?: string;
  orderId?: string;
  /** The bundle's URL. Default `/postclick.js`: served from the site itself. */
  src?: string;
}

/** Where the bundle is loaded from unless `--src` says otherwise: first-party, as in docs/api.md. */
export const DEFAULT_SRC = '/postclick.js';

/**
 * The snippet, one line per statement, ending with a newline. Deterministic: the same
 * options always print the same bytes. The `<noscript>` image's URL is built by the wire
 * code (`postclick/server`'s `conversionUrl`) without a click ID — the endpoint may take it
 * from its own first-party cookie, as the reference collector does — and with the same
 * `unique_id` the script path sends when an order ID is given.
 */
export function snippet({ endpoint, offerId, amount, orderId, src = DEFAULT_SRC }: SnippetOptions): string {
  const init = [`endpoint: ${jsString(endpoint)}`, `offerId: ${jsString(offerId)}`];
  const data: string[] = [];
  // amount is a checked plain decimal (digits and one dot), so it is a valid JS number literal.
  if (amount !== undefined) data.push(`amount: ${amount}`);
  if (orderId !== undefined) data.push(`orderId: ${jsString(orderId)}`);
  const pixel = conversionUrl(endpoint, { offerId, amount, orderId, requireClickId: false })!;
  return [
    '<script>',
    '  window.postclick = window.postclick || function () { (postclick.q = postclick.q || []).push(arguments) };',
    `  postclick('init', { ${init.join(', ')} });`,
    `  postclick('conversion'${data.length ? `, { ${data.join(', ')} }` : ''});`,
    '</script>',
    `<script async src=${htmlAttribute(src)}></script>`,
    `<noscript><img src=${htmlAttribute(pixel)} width="1" height="1" alt=""></noscript>`,
    '',
  ].join('\n');
}
