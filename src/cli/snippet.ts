/** The page snippets of the README, printed by `postclick snippet`. */
import { buildUrl, wireParams, type WireParams } from '../wire';
import { htmlAttribute, jsString } from './escape';
import { isTemplate } from './networks';

export interface SnippetOptions {
  /** An absolute http(s) or root-relative conversion endpoint (or template), as for `init`. Checked. */
  endpoint?: string;
  offerId?: string;
  /** A plain decimal (`formatAmount`), or a server-template placeholder. */
  amount?: string;
  orderId?: string;
  /** An upper-case ISO 4217 code, or a server-template placeholder. */
  currency?: string;
  transport?: string;
  params?: string[];
  /** The bundle's URL. Default `/postclick.js`: served from the site itself. */
  src?: string;
  /** The landing page's snippet (capture only) instead of the thank-you page's. */
  landing?: boolean;
}

export interface Snippet {
  /** The HTML to paste, ending with a newline. */
  html: string;
  /** What the user should know about it: where the `<noscript>` image cannot do what the script does. */
  notes: string[];
}

/** Where the bundle is loaded from unless `--src` says otherwise: first-party, as in the README. */
export const DEFAULT_SRC = '/postclick.js';

/**
 * Placeholders of the shop's own template engine in a value: `{{order.id}}` (Liquid,
 * Handlebars, Jinja), `{order_id}` (format strings), `<%= … %>` (ERB, EJS). They are
 * printed as written, so the engine finds and fills them.
 */
const VALUE_PLACEHOLDER = /\{\{[\s\S]*?\}\}|\{[\w.]+\}|<%[\s\S]*?%>/g;
/** In the endpoint, `{name}` is postclick's own placeholder (filled by the SDK), so only the other forms. */
const ENDPOINT_PLACEHOLDER = /\{\{[\s\S]*?\}\}|<%[\s\S]*?%>/g;

/** `endpoint` with its server-template placeholders replaced by a letter, to check the URL around them. */
export const endpointShape = (endpoint: string): string => endpoint.replace(ENDPOINT_PLACEHOLDER, 'x');

/** Whether `value` holds a server-template placeholder. */
export const hasPlaceholder = (value: string): boolean => new RegExp(VALUE_PLACEHOLDER.source).test(value);

/**
 * Hides server-template placeholders behind ASCII letters and digits, which every escaper
 * (JS string, HTML attribute, URL) leaves as they are, and puts them back in the finished
 * text. The marker is made long enough that no input contains it.
 */
function placeholders(inputs: string[]) {
  let marker = 'TPL';
  while (inputs.some((input) => input.includes(marker))) marker += 'X';
  const found: string[] = [];
  return {
    hide: (value: string, pattern: RegExp): string =>
      value.replace(pattern, (placeholder) => marker + (found.push(placeholder) - 1) + marker),
    has: (value: string | undefined): boolean => value !== undefined && value.includes(marker),
    show: (text: string): string =>
      text.replace(new RegExp(marker + '(\\d+)' + marker, 'g'), (_, index: string) => found[Number(index)]!),
  };
}

/** A JS array literal of strings. */
const jsArray = (values: string[]): string => '[' + values.map(jsString).join(', ') + ']';

/**
 * The snippet, one line per statement, ending with a newline. Deterministic: the same
 * options always print the same bytes. The thank-you snippet's `<noscript>` image URL is
 * built by the wire code (the same as `postclick/server`'s `conversionUrl`) without a click
 * ID — the endpoint may take it from its own first-party cookie, as the reference collector
 * does — and with the same `unique_id` the script path sends when an order ID is given.
 */
export function snippet(options: SnippetOptions): Snippet {
  const { offerId, amount, orderId, currency, transport, params, src = DEFAULT_SRC, landing } = options;
  const given = [options.endpoint, offerId, amount, orderId, currency, src, ...(params || [])];
  const template = placeholders(given.filter((value): value is string => value !== undefined));
  const hide = (value: string | undefined) =>
    value === undefined ? undefined : template.hide(value, VALUE_PLACEHOLDER);
  const endpoint = options.endpoint === undefined ? undefined : template.hide(options.endpoint, ENDPOINT_PLACEHOLDER);
  const hiddenOffer = hide(offerId);
  const hiddenAmount = hide(amount);
  const hiddenOrder = hide(orderId);
  const hiddenCurrency = hide(currency);
  const hiddenSrc = template.hide(src, ENDPOINT_PLACEHOLDER);

  if (landing) {
    // Data attributes configure the bundle without inline code: one tag.
    const attributes = [`src=${htmlAttribute(hiddenSrc)}`];
    if (params) attributes.push(`data-params=${htmlAttribute(params.map(hide).join(','))}`);
    if (endpoint !== undefined) attributes.push(`data-endpoint=${htmlAttribute(endpoint)}`);
    if (hiddenOffer !== undefined) attributes.push(`data-offer-id=${htmlAttribute(hiddenOffer)}`);
    if (transport !== undefined && endpoint !== undefined)
      attributes.push(`data-transport=${htmlAttribute(transport)}`);
    return { html: template.show(`<script async ${attributes.join(' ')}></script>\n`), notes: [] };
  }
  if (endpoint === undefined || hiddenOffer === undefined) throw new Error('snippet: endpoint and offerId required');

  const init = [`endpoint: ${jsString(endpoint)}`, `offerId: ${jsString(hiddenOffer)}`];
  if (params) init.push(`params: ${jsArray(params.map((param) => hide(param)!))}`);
  if (transport !== undefined) init.push(`transport: ${jsString(transport)}`);
  const data: string[] = [];
  // A checked amount is a plain decimal (digits and one dot), so a valid JS number literal; a
  // placeholder goes in a string, so an engine that fills it with nothing leaves '' (no amount).
  const amountIsTemplate = template.has(hiddenAmount);
  if (hiddenAmount !== undefined) data.push(`amount: ${amountIsTemplate ? jsString(hiddenAmount) : hiddenAmount}`);
  if (hiddenOrder !== undefined) data.push(`orderId: ${jsString(hiddenOrder)}`);
  if (hiddenCurrency !== undefined) data.push(`currency: ${jsString(hiddenCurrency)}`);

  const currencyIsTemplate = template.has(hiddenCurrency);
  const fields: Record<string, string | undefined> = {
    offerId: hiddenOffer,
    amount: amountIsTemplate ? undefined : hiddenAmount,
    orderId: hiddenOrder,
    currency: currencyIsTemplate ? undefined : hiddenCurrency,
  };
  // No click ID: none is known when the page is written. unique_id is derived as on a server.
  const wire = wireParams((key) => fields[key], '');
  // A placeholder amount or currency is no number or code yet: placed where the wire order puts them.
  const pixelParams: WireParams = Object.create(null);
  for (const name of Object.keys(wire)) {
    pixelParams[name] = wire[name]!;
    if (name === 'offer_id' && amountIsTemplate) pixelParams.amount = hiddenAmount!;
  }
  if (currencyIsTemplate) pixelParams.currency = hiddenCurrency!;
  const pixel = buildUrl(endpoint, pixelParams);

  const html = [
    '<script>',
    '  window.postclick = window.postclick || function () { (postclick.q = postclick.q || []).push(arguments) };',
    `  postclick('init', { ${init.join(', ')} });`,
    `  postclick('conversion'${data.length ? `, { ${data.join(', ')} }` : ''});`,
    '</script>',
    `<script async src=${htmlAttribute(hiddenSrc)}></script>`,
    `<noscript><img src=${htmlAttribute(pixel)} width="1" height="1" alt=""></noscript>`,
    '',
  ].join('\n');
  const said = notes(template.show(endpoint), pixelParams, options);
  if (template.has(html))
    said.push(
      'template placeholders are printed as written: have your template engine escape each value\n' +
        'for where it stands (JavaScript string, HTML attribute, URL), as this tool does for the others.',
    );
  return { html: template.show(html), notes: said };
}

/** Where the `<noscript>` image sends less than the script would. */
function notes(endpoint: string, params: WireParams, { amount, orderId, currency }: SnippetOptions): string[] {
  const said: string[] = [];
  if (!isTemplate(endpoint)) {
    if (orderId === undefined)
      said.push(
        'without --order-id the <noscript> image sends the same unique_id for every order,\n' +
          'so the endpoint counts one no-JavaScript conversion per offer; print the order ID into the page.',
      );
    return said;
  }
  const names = Array.from(endpoint.matchAll(/([\w.~-]*)=?\{(\w+)\}/g), ([, param, name]) => [param, name!]);
  const replace = /([\w.~-]*)=REPLACE(?=[&#]|$)/.exec(endpoint);
  if (replace) names.push([replace[1], 'click_id']);
  for (const [param, name] of names) {
    if (params[name!]) continue;
    const where = param ? `${param}= ({${name}})` : `{${name}}`;
    said.push(
      name === 'click_id'
        ? `the <noscript> image cannot fill ${where}: without JavaScript there is no click ID to put there,\n` +
            'so it is sent empty and the network can attribute that conversion only by a cookie of its own.'
        : `the <noscript> image sends ${where} empty: no value was given for it.`,
    );
  }
  const placed = (...wanted: string[]) => names.some(([, name]) => wanted.includes(name!));
  if (amount !== undefined && !placed('amount'))
    said.push('--amount: the endpoint template has no {amount}: not sent.');
  if (orderId !== undefined && !placed('order_id', 'unique_id'))
    said.push('--order-id: the endpoint template has no {order_id} or {unique_id}: not sent.');
  if (currency !== undefined && !placed('currency'))
    said.push('--currency: the endpoint template has no {currency}: not sent.');
  return said;
}
