// @ts-check
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startCollector } from './index.js';
import { isPostgresUrl, redact } from './store/index.js';

export const USAGE = `Usage: postclick-collector [options]

The postclick reference collector: tracking links, conversions, reports.

Options:
  --port N             port to listen on (default 8787, or $PORT); 0 picks a free one
  --host HOST          interface to listen on (default 127.0.0.1)
  --data FILE          SQLite database file; without it, data lives in memory
  --data postgres://USER[:PASSWORD]@HOST[:PORT]/DB
                       keep everything in PostgreSQL instead, shared by several
                       collectors behind one load balancer (the database must exist)
  --session-hours H    how long after its click a conversion is paid (default 720);
                       a positive number, fractions allowed
  --forward URL        send each approved conversion server-to-server to this postback
                       URL or template, from a durable queue, retried until it is taken
  --static PREFIX=DIR  also serve files of DIR under the URL prefix (repeatable)
  --quiet              no request log
  -h, --help           show this help

The first line printed is "listening on http://HOST:PORT".
Routes: /click, /c, /reports, /reports/conversions, /reports/clicks, /suppression, /healthz`;

/** A command-line mistake: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

/**
 * @param {string[]} argv  arguments after the program name
 * @param {Record<string, string | undefined>} [env]
 * @returns {{ help: true } | { help: false, options: import('./index.js').CollectorOptions }}
 */
export function parseCli(argv, env = process.env) {
  /** @type {ReturnType<typeof parseArgs>['values']} */
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        forward: { type: 'string' },
        'session-hours': { type: 'string' },
        static: { type: 'string', multiple: true },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(/** @type {Error} */ (error).message);
  }
  if (values.help) return { help: true };

  const port = values.port ?? env.PORT ?? '8787';
  if (!/^\d{1,5}$/.test(String(port)) || Number(port) > 65535) {
    const source = values.port === undefined ? 'PORT' : '--port';
    throw new UsageError(`${source} must be a port number from 0 to 65535, got "${port}"`);
  }
  const hours = values['session-hours'] ?? '720';
  // Number('') is 0 and Number(' 1') is 1: insist on a plain decimal.
  if (!/^\d*\.?\d+$/.test(String(hours)) || !(Number(hours) > 0)) {
    throw new UsageError(`--session-hours must be a positive number of hours, got "${hours}"`);
  }
  const host = String(values.host ?? '127.0.0.1');
  if (!host) throw new UsageError('--host must not be empty');

  const data = values.data === undefined ? undefined : String(values.data);
  if (data === '') throw new UsageError('--data must not be empty: give a file or postgres://…');
  if (data !== undefined && isPostgresUrl(data)) checkPostgresUrl(data);
  const forward = values.forward === undefined ? undefined : String(values.forward);
  if (forward !== undefined && !/^https?:\/\/[^/?#]/i.test(forward)) {
    throw new UsageError(`--forward must be an absolute http(s) URL, got "${forward}"`);
  }

  /** @type {Record<string, string>} */
  const mounts = {};
  for (const spec of /** @type {string[]} */ (values.static ?? [])) {
    const eq = spec.indexOf('=');
    if (eq < 1 || !spec.startsWith('/') || eq === spec.length - 1) {
      throw new UsageError(`--static must look like /prefix/=directory, got "${spec}"`);
    }
    mounts[spec.slice(0, eq)] = resolve(spec.slice(eq + 1));
  }

  return {
    help: false,
    options: {
      port: Number(port),
      host,
      data: data === undefined || isPostgresUrl(data) ? data : resolve(data),
      sessionHours: Number(hours),
      ...(forward === undefined ? {} : { forward }),
      static: mounts,
      quiet: Boolean(values.quiet),
    },
  };
}

/** A PostgreSQL URL must name a host and a database; the rest has defaults. @param {string} data */
function checkPostgresUrl(data) {
  const shape = 'postgres://USER[:PASSWORD]@HOST[:PORT]/DB';
  /** @type {URL} */
  let url;
  try {
    url = new URL(data);
  } catch {
    throw new UsageError(`--data must look like ${shape}, got "${redact(data)}"`);
  }
  if (!url.hostname) throw new UsageError(`--data: ${redact(data)} names no host (${shape})`);
  if (url.pathname.length < 2) throw new UsageError(`--data: ${redact(data)} names no database (${shape})`);
}

/**
 * Runs the CLI: prints `listening on …` first, stops cleanly on SIGINT/SIGTERM.
 * Resolves the collector (or null after --help); sets process.exitCode on failure.
 * @param {string[]} argv
 */
export async function main(argv) {
  try {
    const parsed = parseCli(argv);
    if (parsed.help) {
      console.log(USAGE);
      return null;
    }
    const collector = await startCollector({ ...parsed.options, recordHits: false });
    const stop = () => {
      process.off('SIGINT', stop).off('SIGTERM', stop);
      void collector.close().then(() => process.exit(0));
    };
    // Handlers first: whoever reads the line below may signal at once.
    process.on('SIGINT', stop).on('SIGTERM', stop);
    console.log(`listening on ${collector.url}`);
    return collector;
  } catch (error) {
    const usage = error instanceof UsageError;
    console.error(`postclick-collector: ${/** @type {Error} */ (error).message}${usage ? '\nTry --help.' : ''}`);
    process.exitCode = usage ? 2 : 1;
    return null;
  }
}
