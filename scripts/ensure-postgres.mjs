// Finds PostgreSQL's server binaries, installing Debian's `postgresql` package when we may
// (root on Debian), and starts a throw-away server in a temporary directory for the
// collector's tests and bench. A missing PostgreSQL is a loud failure with instructions,
// never a silently skipped suite.
//
//   node scripts/ensure-postgres.mjs          checks (and installs) only
//   import { startPostgres } from ...         a running server: { url, stop() }
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { aptInstall, mayInstall } from './apt.mjs';

const HOW_TO_GET_ONE = `PostgreSQL was not found. The collector's tests run against a real server; any of these works:
  - Debian/Ubuntu, as root:   apt-get update && apt-get install -y postgresql
  - another install:          POSTGRES_BIN=/path/to/postgresql/bin npm test   (the folder with initdb and pg_ctl)`;

/** The folder holding `initdb` and `pg_ctl`: `POSTGRES_BIN`, else Debian's newest, else the one on PATH. */
export function findPostgres(env = process.env) {
  const usable = (/** @type {string} */ dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  if (env.POSTGRES_BIN) {
    if (usable(env.POSTGRES_BIN)) return env.POSTGRES_BIN;
    throw new Error(`POSTGRES_BIN=${env.POSTGRES_BIN} has no initdb and pg_ctl.`);
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name) && usable(join(root, name, 'bin')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length) return join(root, versions[0], 'bin');
  // Homebrew, Postgres.app, other distributions: initdb on PATH.
  const onPath = (env.PATH ?? '').split(delimiter).find((dir) => dir && usable(dir));
  return onPath ?? null;
}

/** Finds PostgreSQL, installing Debian's package as root on Debian; otherwise throws saying how. */
export function ensurePostgres() {
  const found = findPostgres();
  if (found) return found;
  if (!mayInstall()) throw new Error(HOW_TO_GET_ONE);
  try {
    aptInstall('ensure-postgres', 'no PostgreSQL found', ['postgresql']);
  } catch {
    throw new Error('ensure-postgres: apt-get failed.\n' + HOW_TO_GET_ONE);
  }
  const installed = findPostgres();
  if (!installed) throw new Error('ensure-postgres: apt-get finished but initdb is still missing.\n' + HOW_TO_GET_ONE);
  return installed;
}

/** A TCP port nobody listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a throw-away PostgreSQL server (its own cluster in a temporary directory, on a free
 * port of 127.0.0.1, trust authentication for the user `postclick`) and resolves
 * `{ url, stop }`; `url` is `postgres://postclick@127.0.0.1:PORT/postgres`. PostgreSQL refuses
 * to run as root, so as root the cluster belongs to the `postgres` user Debian's package
 * creates, and its programs run through `runuser`.
 */
export async function startPostgres() {
  const bin = ensurePostgres();
  const dir = mkdtempSync(join(tmpdir(), 'postclick-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const asRoot = process.getuid?.() === 0;
  let owner = userInfo().username;
  if (asRoot) {
    owner = 'postgres';
    const ids = spawnSync('id', ['-u', owner], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', owner], { encoding: 'utf8' });
    if (ids.status !== 0)
      throw new Error(`ensure-postgres: running as root needs a "${owner}" user to own the server.`);
    chownSync(dir, Number(ids.stdout), Number(gid.stdout));
    chmodSync(dir, 0o700);
  }
  const run = (/** @type {string} */ program, /** @type {string[]} */ args) => {
    const [command, commandArgs] = asRoot
      ? ['runuser', ['-u', owner, '--', join(bin, program), ...args]]
      : [join(bin, program), args];
    const result = spawnSync(command, commandArgs, { encoding: 'utf8', cwd: dir });
    if (result.status !== 0) {
      const serverLog = existsSync(log) ? readFileSync(log, 'utf8') : '';
      throw new Error(`ensure-postgres: ${program} failed:\n${result.stderr}${result.stdout}${serverLog}`);
    }
  };
  const port = await freePort();
  // --no-sync: the cluster is thrown away; the server itself still fsyncs every commit.
  run('initdb', ['-D', data, '-U', 'postclick', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    log,
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
    'start',
  ]);
  let stopped = false;
  return {
    url: `postgres://postclick@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(`postgresql: ${ensurePostgres()}`);
  } catch (error) {
    console.error(/** @type {Error} */ (error).message);
    process.exit(1);
  }
}
