/// <reference types="node" />
/**
 * `postclick`, the package's command-line tool. Built to `dist/cli.mjs`, the
 * package's `bin`. One command for now: `postclick snippet`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { NETWORKS, recipeEndpoint } from './cli/networks';
import { DEFAULT_SRC, endpointShape, hasPlaceholder, snippet } from './cli/snippet';
import { formatAmount } from './number';
import { isHttpUrl } from './server/httpUrl';
import { clean } from './text';

const HELP = `Usage: postclick snippet --endpoint URL --offer-id ID [options]
       postclick snippet --landing [--params a,b] [--network NAME]

Prints the thank-you page snippet: the postclick stub, the 'init' and 'conversion'
calls, the script tag, and a <noscript> image for visitors without JavaScript. With
--landing, prints the landing page's instead: one script tag that captures the click ID.
Every value is escaped for where it stands (JavaScript string, HTML attribute, URL),
and the output is plain ASCII. Paste it into the page.

Options:
  --endpoint URL   conversion endpoint: an absolute http(s) URL or a root-relative
                   path (/c), without #fragment; a template with {click_id}-style
                   placeholders or a REPLACE value works too (required)
  --offer-id ID    the offer ID (required)
  --amount X       sale amount, a number >= 0 such as 49.99
  --order-id Y     order ID: the conversion's unique_id, so the sale counts once
  --currency C     ISO 4217 currency code of the amount, such as EUR
  --transport T    auto (default), beacon, fetch or image
  --params a,b     landing-URL parameters that carry the click ID
                   (default s1,clickid,click_id)
  --network NAME   cake, everflow or tune: that network's recipe (docs/recipes.md):
                   its click-ID parameter, transport 'image', and its postback URL's
                   template form, completed from --endpoint; prints what it assumed
  --landing        the landing page's snippet (capture only) instead
  --src URL        where the page loads postclick.js from (default ${DEFAULT_SRC}:
                   copy node_modules/postclick/dist/postclick.js to your site root)
  -h, --help       show this help
  -v, --version    show the version

Values may be your server's template placeholders - {{order.id}}, {order_id},
<%= order.id %> - which are printed as written, for your template engine to fill
(in the endpoint, {name} is postclick's own placeholder; see docs/recipes.md).

Examples:
  postclick snippet --endpoint https://track.shop.example/c --offer-id 42 \\
    --amount 49.99 --order-id A-1001
  postclick snippet --network cake --endpoint 'https://track.network.example/p.ashx?o=42&e=7' \\
    --offer-id 42 --amount '{{order.total}}' --order-id '{{order.id}}'
  postclick snippet --landing --network cake
`;

/** A mistake in the command line: printed with a pointer to --help, exit status 2. */
class UsageError extends Error {}

const TRANSPORTS = ['auto', 'beacon', 'fetch', 'image'];

/** Writes a note to stderr, each line prefixed, so stdout holds the snippet alone. */
const note = (text: string): void =>
  void process.stderr.write(
    text
      .split('\n')
      .map((line, index) => (index ? '  ' : 'postclick: note: ') + line)
      .join('\n') + '\n',
  );

/** `--endpoint`'s value checked: what is wrong with it, or nothing. */
function endpointProblem(endpoint: string): string | undefined {
  const shape = endpointShape(endpoint);
  // The browser never sends what follows '#', and the SDK appends the parameters after it.
  if (shape.includes('#'))
    return `has a #fragment, which never reaches the server (the parameters would follow it): ${endpoint}`;
  const rootRelative = /^\/(?![/\\])[^\0-\x20\x7f]*$/.test(shape);
  if (!rootRelative && !isHttpUrl(shape))
    return `not an absolute http(s) URL or a root-relative path (/c): ${endpoint}`;
}

/** The snippet for `postclick snippet …`'s arguments; throws a UsageError naming the flag. */
function snippetCommand(args: string[]): string {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      endpoint: { type: 'string' },
      'offer-id': { type: 'string' },
      amount: { type: 'string' },
      'order-id': { type: 'string' },
      currency: { type: 'string' },
      transport: { type: 'string' },
      params: { type: 'string' },
      network: { type: 'string' },
      landing: { type: 'boolean' },
      src: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return HELP;
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const { 'offer-id': offerId, amount, 'order-id': orderId, src, landing, network } = values;
  let { endpoint, transport, currency } = values;

  const recipe = network === undefined ? undefined : NETWORKS[network.toLowerCase()];
  if (network !== undefined && !recipe)
    throw new UsageError(`--network: unknown network '${network}' (one of ${Object.keys(NETWORKS).join(', ')})`);

  if (landing) {
    for (const flag of ['amount', 'order-id', 'currency'] as const)
      if (values[flag] !== undefined)
        throw new UsageError(`--${flag}: belongs on the thank-you page; leave it out with --landing`);
  } else {
    if (!endpoint) throw new UsageError('--endpoint: missing (an absolute http(s) URL, or a path such as /c)');
    if (offerId === undefined || !clean(offerId).trim()) throw new UsageError('--offer-id: missing');
  }
  if (endpoint !== undefined) {
    const problem = endpointProblem(endpoint);
    if (problem) throw new UsageError(`--endpoint: ${problem}`);
  }
  if (offerId !== undefined && !clean(offerId).trim()) throw new UsageError('--offer-id: empty');
  if (orderId !== undefined && !clean(orderId).trim()) throw new UsageError('--order-id: empty');
  const plainAmount = amount === undefined || hasPlaceholder(amount) ? amount : formatAmount(amount);
  if (amount !== undefined && plainAmount === undefined) throw new UsageError(`--amount: not a number >= 0: ${amount}`);
  if (currency !== undefined && !hasPlaceholder(currency)) {
    if (!/^[a-z]{3}$/i.test(currency)) throw new UsageError(`--currency: not a 3-letter ISO 4217 code: ${currency}`);
    currency = currency.toUpperCase();
  }
  if (transport !== undefined && !TRANSPORTS.includes(transport))
    throw new UsageError(`--transport: not one of ${TRANSPORTS.join(', ')}: ${transport}`);
  let params = values.params?.split(',').map((param) => param.trim());
  if (params && !params.every((param) => /^[\w.~-]+$/.test(param)))
    throw new UsageError(`--params: not a comma list of URL parameter names: ${values.params}`);
  const srcShape = src === undefined ? undefined : endpointShape(src);
  if (
    srcShape !== undefined &&
    (!srcShape || /[\0-\x20\x7f]/.test(srcShape) || /^(?!https?:)[a-z][\w+.-]*:/i.test(srcShape))
  ) {
    throw new UsageError(`--src: not an http(s) URL or path: ${src}`);
  }

  if (recipe) {
    const assumed: string[] = [];
    if (!params) {
      params = recipe.params;
      assumed.push(`params    ${params.join(',')}: ${recipe.paramsWhy} (--params to change)`);
    }
    // On a landing page the transport matters only to retries, which need the endpoint.
    if (transport === undefined && endpoint !== undefined) {
      transport = 'image';
      assumed.push(`transport image: a pixel URL is a GET, which a beacon is not (--transport to change)`);
    }
    if (endpoint !== undefined) {
      const filled = recipeEndpoint(recipe, endpoint, {
        amount: amount !== undefined,
        orderId: orderId !== undefined,
      });
      assumed.push(
        filled === endpoint ? `endpoint  ${endpoint}: a template already, kept as written` : `endpoint  ${filled}`,
      );
      const [required, what] = recipe.requires || [];
      if (required && !new RegExp(`[?&]${required}=`).test(filled))
        throw new UsageError(`--endpoint: ${recipe.title}'s postback needs ${what}: ${endpoint}`);
      endpoint = filled;
    }
    note(
      `--network ${network} assumed ${recipe.title}'s recipe (docs/recipes.md); check it against the\n` +
        `postback URL your ${recipe.title} account gives you:\n` +
        assumed.join('\n'),
    );
  }

  const { html, notes } = snippet({
    endpoint,
    offerId,
    amount: plainAmount,
    orderId,
    currency,
    transport,
    params,
    src,
    landing,
  });
  notes.forEach(note);
  return html;
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    if (!command) {
      process.stderr.write(HELP);
      return 2;
    }
    if (command === '-h' || command === '--help' || command === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (command === '-v' || command === '--version') {
      const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
        version: string;
      };
      process.stdout.write(version + '\n');
      return 0;
    }
    if (command !== 'snippet') throw new UsageError(`unknown command '${command}'`);
    process.stdout.write(snippetCommand(rest));
    return 0;
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    // node:util parseArgs errors: an unknown flag, or a flag without its value.
    if (!(error instanceof UsageError) && !/^ERR_PARSE_ARGS_/.test(code || '')) throw error;
    const flag = /'(?:-\w, )?(-[\w-]+)/.exec(message)?.[1];
    const text =
      code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `unknown flag ${flag}`
        : /ambiguous/.test(message)
          ? `${flag}: missing value (for a value that starts with '-', write ${flag}=VALUE)`
          : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
            ? `${flag}: ${/missing/.test(message) ? 'missing value' : 'takes no value'}`
            : message;
    process.stderr.write(`postclick: ${text}\nRun 'postclick snippet --help' for usage.\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
