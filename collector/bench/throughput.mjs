// @ts-check
/**
 * Conversions per second with durable writes: the collector runs as a child process on a
 * SQLite file (WAL, synchronous=FULL); autocannon drives it from this process over
 * loopback for BENCH_SECONDS (default 10) with BENCH_CONNECTIONS (default 16) connections.
 * Mix: 60 % new orders (approved), 25 % repeats (duplicate), 15 % unknown clicks (rejected),
 * half as GET pixels, half as empty-body POST beacons.
 *
 *   npm run bench:collector
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
// @ts-ignore: autocannon ships no types
import autocannon from 'autocannon';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const cli = fileURLToPath(new URL('../bin/postclick-collector.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'postclick-bench-'));

const child = spawn(process.execPath, [cli, '--port', '0', '--data', join(dir, 'bench.sqlite'), '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = await once(createInterface({ input: child.stdout }), 'line');
const base = String(line).replace('listening on ', '');

try {
  /** @type {string[]} */
  const clickIds = [];
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${base}/click?offer_id=42&aff_id=${i % 5}&url=https://shop.test/`, { redirect: 'manual' });
    clickIds.push(String(new URL(String(res.headers.get('location'))).searchParams.get('s1')));
  }

  let orders = 0;
  let sent = 0;
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest(/** @type {object} */ req) {
          const r = Math.random();
          const repeat = r >= 0.6 && r < 0.85 && orders > 0;
          const clickId = r < 0.85 ? clickIds[sent % clickIds.length] : 'unknown-click';
          const orderId = repeat ? `o-${Math.floor(Math.random() * orders)}` : `o-${orders++}`;
          const beacon = sent++ % 2 === 1;
          return {
            ...req,
            method: beacon ? 'POST' : 'GET',
            path: `/c?offer_id=42&click_id=${clickId}&order_id=${orderId}&amount=49.99`,
          };
        },
      },
    ],
  });

  /** @type {{ status: string }[]} */
  const rows = await (await fetch(`${base}/reports/conversions`)).json();
  const byStatus = rows.reduce((/** @type {Record<string, number>} */ n, r) => ((n[r.status] = (n[r.status] ?? 0) + 1), n), {});
  const answered = result['2xx'];

  console.log(`postclick-collector throughput — ${seconds} s, ${connections} connections, durable SQLite (WAL, synchronous=FULL)`);
  console.log(`  conversions/s   ${result.requests.average.toFixed(0)} mean (${answered} answered 200)`);
  console.log(`  latency         p50 ${result.latency.p50} ms · p99 ${result.latency.p99} ms · max ${result.latency.max} ms`);
  console.log(`  stored          ${rows.length} (${Object.entries(byStatus).map(([s, n]) => `${s} ${n}`).join(', ')})`);
  console.log(`  errors          ${result.errors} · non-2xx ${result.non2xx} · timeouts ${result.timeouts}`);
  if (rows.length < answered || result.non2xx || result.errors) process.exitCode = 1;
} finally {
  child.kill('SIGTERM');
  await once(child, 'exit');
  rmSync(dir, { recursive: true, force: true });
}
