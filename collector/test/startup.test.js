// @ts-check
// Start-up mistakes: each exits non-zero at once with a message that names the flag and
// says what to do; none hangs.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, newPostgresDatabase, spawnCli, STORE, tempDir } from './helpers.js';

/** Runs the CLI to its exit (10 s at most). @param {string[]} args */
async function fails(args) {
  const { child, exited } = spawnCli(['--port', '0', '--quiet', ...args]);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const { code, stderr } = await exited;
  clearTimeout(timer);
  return { code, stderr: stderr.trim() };
}

/** A port with nobody listening. */
async function closedPort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.runIf(STORE === 'sqlite')('start-up errors', () => {
  it('--data under a file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    const data = join(dir, 'file', 'db.sqlite');
    expect(await fails(['--data', data])).toEqual({
      code: 1,
      stderr: `postclick-collector: --data: cannot use ${data} (a part of its path is a file, not a folder)`,
    });
  });

  it('--data naming a folder', async () => {
    const dir = tempDir();
    expect(await fails(['--data', dir])).toEqual({
      code: 1,
      stderr: `postclick-collector: --data: ${dir} is a folder: name a file in it, such as ${join(dir, 'collector.sqlite')}`,
    });
  });

  it('--data naming a file that is not a database', async () => {
    const data = join(tempDir(), 'notes.txt');
    writeFileSync(data, 'not a database, but long enough to be read as a header. '.repeat(4));
    expect(await fails(['--data', data])).toEqual({
      code: 1,
      stderr: `postclick-collector: --data: cannot use ${data} (it is not a SQLite database): pick another file name`,
    });
  });

  it('--data in a folder this user may not write', async () => {
    const dir = join(tempDir(), 'locked');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    const data = join(dir, 'db.sqlite');
    // root may write anywhere: run the collector as `nobody` then.
    const asRoot = process.getuid?.() === 0;
    chmodSync(join(dir, '..'), 0o755);
    const [command, args] = asRoot
      ? ['runuser', ['-u', 'nobody', '--', process.execPath, CLI, '--port', '0', '--data', data]]
      : [process.execPath, [CLI, '--port', '0', '--data', data]];
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    expect([code, stderr.trim()]).toEqual([
      1,
      `postclick-collector: --data: cannot write ${data} (permission denied): pick a folder this user may write, or change its permissions`,
    ]);
  });

  it.each([
    ['postgres://', '--data: postgres:// names no host (postgres://USER[:PASSWORD]@HOST[:PORT]/DB)'],
    [
      'postgres://u:secret@db.test/',
      '--data: postgres://u:***@db.test/ names no database (postgres://USER[:PASSWORD]@HOST[:PORT]/DB)',
    ],
    ['postgres://[x/db', '--data must look like postgres://USER[:PASSWORD]@HOST[:PORT]/DB, got "postgres://[x/db"'],
  ])('a malformed PostgreSQL URL %s is a usage error', async (url, message) => {
    expect(await fails(['--data', url])).toEqual({
      code: 2,
      stderr: `postclick-collector: ${message}\nTry --help.`,
    });
  });

  it('--data with a PostgreSQL server that is not there exits at once, password hidden', async () => {
    const url = `postgres://u:secret@127.0.0.1:${await closedPort()}/db`;
    const started = Date.now();
    expect(await fails(['--data', url])).toEqual({
      code: 1,
      stderr: `postclick-collector: --data: cannot use ${url.replace('secret', '***')} (connection refused: is PostgreSQL running on that host and port?)`,
    });
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('--static with a missing folder', async () => {
    const missing = join(tempDir(), 'nope');
    expect(await fails(['--static', `/x/=${missing}`])).toEqual({
      code: 1,
      stderr: `postclick-collector: --static: ${missing} is not a folder (mounted at /x/)`,
    });
  });

  it('--forward that is not an http(s) URL', async () => {
    expect(await fails(['--forward', 'ftp://network.test/p'])).toEqual({
      code: 2,
      stderr: 'postclick-collector: --forward must be an absolute http(s) URL, got "ftp://network.test/p"\nTry --help.',
    });
  });
});

describe.runIf(STORE === 'postgres')('start-up errors with a PostgreSQL server', () => {
  it('--data naming a database that does not exist says how to create it', async () => {
    const url = new URL(await newPostgresDatabase());
    url.pathname = '/no_such_database';
    expect(await fails(['--data', url.href])).toEqual({
      code: 1,
      stderr: `postclick-collector: --data: cannot use ${url.href} (database "no_such_database" does not exist: create it first (createdb NAME))`,
    });
  });

  it('a good URL starts, and creates the tables once for two collectors starting together', async () => {
    const data = await newPostgresDatabase();
    const [a, b] = [
      spawnCli(['--port', '0', '--quiet', '--data', data]),
      spawnCli(['--port', '0', '--quiet', '--data', data]),
    ];
    try {
      expect(await a.firstLine).toMatch(/^listening on /);
      expect(await b.firstLine).toMatch(/^listening on /);
    } finally {
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      expect([(await a.exited).code, (await b.exited).code]).toEqual([0, 0]);
    }
  });
});
