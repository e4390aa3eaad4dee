// @ts-check
/**
 * Conversions per second with durable writes: the collector runs as a child process on a
 * SQLite file (WAL, fsynced before every answer: synchronous=FULL's promise), or with BENCH_STORE=postgres on a throw-away
 * PostgreSQL server (scripts/ensure-postgres.mjs); a load generator drives it from this
 * process over loopback for BENCH_SECONDS (default 10) with BENCH_CONNECTIONS (default 16)
 * connections — a comma-separated list (1,2,4,…,128) gives one row per value, the curve.
 * Mix: 60 % new orders (approved), 25 % repeats (duplicate), 15 % unknown clicks (rejected),
 * half as GET pixels, half as empty-body POST beacons.
 *
 * The generator is load.mjs (keep-alive sockets, one request at a time per connection, the
 * same bytes autocannon sends), which costs a fraction of autocannon's CPU per request: on
 * a 2-core machine the generator's CPU is taken from the collector. BENCH_CLIENT=autocannon
 * runs autocannon instead, as the figures before 2026-12 were measured.
 *
 *   npm run bench:collector
 *   BENCH_STORE=postgres BENCH_CONNECTIONS=1,4,16,64,128 npm run bench:collector
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runLoad } from './load.mjs';

const cli = fileURLToPath(new URL('../bin/postclick-collector.js', import.meta.url));

/**
 * CPU time (user + system, ms) a process, or one of its threads, has used so far, where
 * /proc tells (Linux). The main thread's id is the process id: its time is the event loop's.
 * @param {number | undefined} pid @param {number} [tid]
 */
function cpuMs(pid, tid) {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks, USER_HZ = 100
  } catch {
    return NaN;
  }
}

/** This process's CPU time so far, ms: the generator's. */
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * One run; resolves with its figures (bench/ at the root runs it several times for the
 * spread). The collector child and its data directory are gone when it resolves.
 * @param {{ seconds?: number, connections?: number, data?: string }} [options]
 *   data: where the collector keeps its data (a postgres:// URL); default a new SQLite file
 */
export async function measureThroughput({
  seconds = Number(process.env.BENCH_SECONDS ?? 10),
  connections = Number(process.env.BENCH_CONNECTIONS ?? 16),
  data,
} = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'postclick-bench-'));
  const child = spawn(process.execPath, [cli, '--port', '0', '--data', data ?? join(dir, 'bench.sqlite'), '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [line] = await once(createInterface({ input: child.stdout }), 'line');
    const base = String(line).replace('listening on ', '');
    /** @type {string[]} */
    const clickIds = [];
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${base}/click?offer_id=42&aff_id=${i % 5}&url=https://shop.test/`, {
        redirect: 'manual',
      });
      clickIds.push(String(new URL(String(res.headers.get('location'))).searchParams.get('s1')));
    }

    let orders = 0;
    let sent = 0;
    const next = () => {
      const r = Math.random();
      const repeat = r >= 0.6 && r < 0.85 && orders > 0;
      const clickId = r < 0.85 ? clickIds[sent % clickIds.length] : 'unknown-click';
      const orderId = repeat ? `o-${Math.floor(Math.random() * orders)}` : `o-${orders++}`;
      const beacon = sent++ % 2 === 1;
      return {
        method: beacon ? 'POST' : 'GET',
        path: `/c?offer_id=42&click_id=${clickId}&order_id=${orderId}&amount=49.99`,
      };
    };
    const cpuBefore = cpuMs(child.pid);
    const loopBefore = cpuMs(child.pid, child.pid);
    const ownBefore = ownCpuMs();
    const result =
      process.env.BENCH_CLIENT === 'autocannon'
        ? await autocannon(base, connections, seconds, next)
        : await runLoad({ url: base, connections, seconds, next });
    const loop = cpuMs(child.pid, child.pid) - loopBefore;
    const own = ownCpuMs() - ownBefore;
    const cpu = cpuMs(child.pid) - cpuBefore;
    /** @type {{ status: string }[]} */
    const rows = await (await fetch(`${base}/reports/conversions`)).json();
    const byStatus = rows.reduce((/** @type {Record<string, number>} */ n, r) => {
      n[r.status] = (n[r.status] ?? 0) + 1;
      return n;
    }, {});
    return {
      seconds,
      connections,
      /** mean requests per second over the run */
      perSecond: result.perSecond,
      answered: result.ok,
      latency: result.latency,
      /** the collector process's CPU time per answered conversion, µs: much less load-dependent than the rate */
      cpuPerConversionUs: (cpu * 1000) / result.ok,
      /** of which its main thread's (the event loop: parsing, answering; one core at most) */
      loopCpuPerConversionUs: (loop * 1000) / result.ok,
      /** the load generator's (this process's) CPU time per answered conversion, µs */
      clientCpuPerConversionUs: (own * 1000) / result.ok,
      stored: rows.length,
      byStatus,
      errors: result.errors,
      non2xx: result.non2xx,
      timeouts: result.timeouts,
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const postgres = process.env.BENCH_STORE === 'postgres';
  const connectionCounts = String(process.env.BENCH_CONNECTIONS ?? 16)
    .split(',')
    .map(Number);
  /** @type {{ url: string, stop(): void } | undefined} */
  let server;
  if (postgres) {
    const { startPostgres } = await import('../../scripts/ensure-postgres.mjs');
    server = await startPostgres();
  }
  try {
    const store = postgres
      ? 'PostgreSQL (a local server, synchronous_commit on)'
      : 'SQLite (WAL fsynced before each answer)';
    const client = process.env.BENCH_CLIENT === 'autocannon' ? 'autocannon' : 'load.mjs';
    console.log(
      `postclick-collector throughput — durable ${store}, ${client}, load average ${loadavg()[0].toFixed(1)}`,
    );
    let failed = false;
    for (const connections of connectionCounts) {
      const data = server ? await newDatabase(server.url) : undefined;
      const r = await measureThroughput({ connections, data });
      console.log(`  ${r.seconds} s, ${r.connections} connections`);
      console.log(`  conversions/s   ${r.perSecond.toFixed(0)} mean (${r.answered} answered 200)`);
      console.log(`  latency         p50 ${r.latency.p50} ms · p99 ${r.latency.p99} ms · max ${r.latency.max} ms`);
      console.log(
        `  collector CPU   ${r.cpuPerConversionUs.toFixed(0)} µs per conversion (event loop ${r.loopCpuPerConversionUs.toFixed(0)} µs); generator ${r.clientCpuPerConversionUs.toFixed(0)} µs`,
      );
      console.log(
        `  stored          ${r.stored} (${Object.entries(r.byStatus)
          .map(([s, n]) => `${s} ${n}`)
          .join(', ')})`,
      );
      console.log(`  errors          ${r.errors} · non-2xx ${r.non2xx} · timeouts ${r.timeouts}`);
      if (r.stored < r.answered || r.non2xx || r.errors) failed = true;
    }
    if (failed) process.exitCode = 1;
  } finally {
    server?.stop();
  }
}

/** A new database on the throw-away server, for one run. @param {string} adminUrl */
async function newDatabase(adminUrl) {
  const { default: pg } = await import('pg');
  const client = new pg.Client(adminUrl);
  await client.connect();
  const name = `bench_${Date.now()}`;
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

/**
 * The same run driven by autocannon (BENCH_CLIENT=autocannon), in load.mjs's result shape.
 * @param {string} url @param {number} connections @param {number} seconds
 * @param {() => { method: string, path: string }} next
 * @returns {Promise<import('./load.mjs').LoadResult>}
 */
async function autocannon(url, connections, seconds, next) {
  // @ts-expect-error: autocannon ships no types
  const { default: run } = await import('autocannon');
  const result = await run({
    url,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (/** @type {object} */ req) => ({ ...req, ...next() }) }],
  });
  return {
    seconds,
    requests: result.requests.total,
    perSecond: result.requests.average,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latency: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  };
}
