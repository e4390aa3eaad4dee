/// <reference types="node" />
/**
 * `postclick`, the package's command-line tool (docs/snippet.md). Built to `dist/cli.mjs`, the
 * package's `bin`. One command for now: `postclick snippet`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_SRC, snippet } from './cli/snippet';
import { formatAmount } from './number';
import { isHttpUrl } from './server/httpUrl';
import { clean } from './text';

const HELP = `Usage: postclick snippet --endpoint URL --offer-id ID [options]

Prints the thank-you page snippet: the postclick stub, the 'init' and
'conversion' calls, the script tag, and a <noscript> image for visitors without
JavaScript. Every value is escaped for where it stands (JavaScript string, HTML
attribute, URL), and the output is plain ASCII. Paste it into the page.

Options:
  --endpoint URL   conversion endpoint, an absolute http(s) URL; a template with
                   {click_id}-style placeholders or a REPLACE value works too (required)
  --offer-id ID    the offer ID (required)
  --amount X       sale amount, a number >= 0 such as 49.99
  --order-id Y     order ID: the conversion's unique_id, so the sale counts once
  --src URL        where the page loads postclick.js from (default ${DEFAULT_SRC}:
                   copy node_modules/postclick/dist/postclick.js to your site root)
  -h, --help       show this help
  -v, --version    show the version

Example:
  postclick snippet --endpoint https://track.shop.example/c --offer-id 42 \\
    --amount 49.99 --order-id A-1001
`;

/** A mistake in the command line: printed with a pointer to --help, exit status 2. */
class UsageError extends Error {}

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
      src: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return HELP;
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const { endpoint, 'offer-id': offerId, amount, 'order-id': orderId, src } = values;
  if (!endpoint) throw new UsageError('--endpoint: missing (an absolute http(s) URL)');
  if (!isHttpUrl(endpoint)) throw new UsageError(`--endpoint: not an absolute http(s) URL: ${endpoint}`);
  if (offerId === undefined || !clean(offerId).trim()) throw new UsageError('--offer-id: missing');
  if (orderId !== undefined && !clean(orderId).trim()) throw new UsageError('--order-id: empty');
  const plainAmount = amount === undefined ? undefined : formatAmount(amount);
  if (amount !== undefined && plainAmount === undefined) throw new UsageError(`--amount: not a number >= 0: ${amount}`);
  if (src !== undefined && (!src || /[\0-\x20\x7f]/.test(src) || /^(?!https?:)[a-z][\w+.-]*:/i.test(src))) {
    throw new UsageError(`--src: not an http(s) URL or path: ${src}`);
  }
  if (orderId === undefined) {
    process.stderr.write(
      'postclick: note: without --order-id the <noscript> image sends the same unique_id for every order,\n' +
        'so the endpoint counts one no-JavaScript conversion per offer; print the order ID into the page.\n',
    );
  }
  return snippet({ endpoint, offerId, amount: plainAmount, orderId, src });
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
