// @ts-check
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { inject } from 'vitest';
import { startCollector } from '../src/index.js';

export const CLI = fileURLToPath(new URL('../bin/postclick-collector.js', import.meta.url));

/**
 * The store the suite runs against: the `collector` project uses the embedded SQLite, the
 * `collector-postgres` project sets POSTCLICK_TEST_STORE=postgres and a real server.
 */
export const STORE = process.env.POSTCLICK_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** A new, empty PostgreSQL database on the test server; resolves its URL. */
export async function newPostgresDatabase() {
  const admin = inject('postgresUrl');
  if (!admin) throw new Error('no PostgreSQL server: run this file in the collector-postgres project');
  const name = `postclick_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client(admin);
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.href;
}

/** Durable storage of the suite's kind, empty: a new SQLite file, or a new PostgreSQL database. */
export async function freshData() {
  return STORE === 'postgres' ? newPostgresDatabase() : join(tempDir(), 'collector.sqlite');
}

/**
 * A quiet collector on a free port: in memory, or on a new PostgreSQL database in the
 * postgres project (unless `data` is given).
 * @param {import('../src/index.js').CollectorOptions} [options]
 */
export async function start(options = {}) {
  const data = 'data' in options || STORE === 'sqlite' ? options.data : await newPostgresDatabase();
  return startCollector({ port: 0, host: '127.0.0.1', quiet: true, ...options, data });
}

/** A fresh temporary directory. */
export const tempDir = () => mkdtempSync(join(tmpdir(), 'postclick-collector-'));

/**
 * GET/POST against the collector without following redirects.
 * @param {{ url: string }} c @param {string} path @param {RequestInit} [init]
 */
export function request(c, path, init = {}) {
  return fetch(c.url + path, { redirect: 'manual', ...init });
}

/**
 * Follows a tracking link and returns the new click ID.
 * @param {{ url: string }} c @param {Record<string, string>} [params]
 */
export async function newClick(c, params = {}) {
  const query = new URLSearchParams({ offer_id: '42', aff_id: '7', url: 'https://shop.test/landing', ...params });
  const res = await request(c, `/click?${query}`);
  if (res.status !== 302) throw new Error(`/click answered ${res.status}: ${await res.text()}`);
  return /** @type {string} */ (
    new URL(/** @type {string} */ (res.headers.get('location'))).searchParams.get(params.param ?? 's1')
  );
}

/**
 * Sends one conversion as a GET with these query parameters; resolves the HTTP status and
 * the stored status (from the X-Postclick-Status header).
 * @param {{ url: string }} c @param {Record<string, string>} params @param {RequestInit} [init]
 */
export async function convert(c, params, init = {}) {
  const res = await request(c, `/c?${new URLSearchParams(params)}`, init);
  const body = res.headers.get('content-type')?.startsWith('application/json')
    ? await res.json()
    : await res.arrayBuffer();
  return { http: res.status, status: res.headers.get('x-postclick-status'), body, res };
}

/**
 * Runs the CLI as a child process. `firstLine` resolves with the first line it prints.
 * @param {string[]} args @param {Record<string, string>} [env]
 */
export function spawnCli(args, env = {}) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout });
  const firstLine = new Promise((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`collector exited with ${code} before printing: ${stderr}`)));
  });
  firstLine.catch(() => {}); // awaited only by the tests that want it
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal, stderr }));
  return { child, firstLine: /** @type {Promise<string>} */ (firstLine), exited };
}

/**
 * A child process running fixtures/collector-child.js with these options; resolves its URL.
 * @param {import('../src/index.js').CollectorOptions} options
 */
export async function spawnChild(options) {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./fixtures/collector-child.js', import.meta.url)), JSON.stringify(options)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = once(child, 'exit');
  const line = await Promise.race([
    once(createInterface({ input: child.stdout }), 'line').then(([first]) => String(first)),
    exited.then(([code]) => {
      throw new Error(`the collector child exited with ${code}`);
    }),
  ]);
  return { child, url: line.replace('listening on ', ''), exited };
}

/**
 * A stand-in for an affiliate network's postback endpoint: records every request and
 * answers `status()` (200 unless changed). `down()` stops listening (connections are
 * refused), `up()` listens again on the same port.
 * @param {{ status?: (url: URL) => number }} [options]
 */
export async function startNetwork({ status = () => 200 } = {}) {
  const { createServer } = await import('node:http');
  /** @type {URL[]} */
  const hits = [];
  const network = {
    status,
    hits,
    port: 0,
    url: '',
    server: createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://network.test');
      hits.push(url);
      res.writeHead(network.status(url)).end();
    }),
    async up() {
      network.server.listen(network.port, '127.0.0.1');
      await once(network.server, 'listening');
      network.port = /** @type {import('node:net').AddressInfo} */ (network.server.address()).port;
      network.url = `http://127.0.0.1:${network.port}`;
    },
    async down() {
      network.server.closeAllConnections();
      await new Promise((resolve) => network.server.close(resolve));
    },
  };
  await network.up();
  return network;
}

/** Polls `check` until it returns a truthy value (10 s at most); resolves that value. @template T @param {() => Promise<T> | T} check */
export async function waitFor(check, timeoutMs = 15_000) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${check}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
