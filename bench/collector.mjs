// @ts-check
/**
 * Collector throughput: collector/bench/throughput.mjs (`npm run bench:collector`) run
 * several times, for the spread — conversions/s and p50/p99 latency with durable writes,
 * the load generator (collector/bench/load.mjs) in this process, the collector in a child,
 * over loopback.
 */
import { measureThroughput } from '../collector/bench/throughput.mjs';
import { table } from './lib/markdown.mjs';
import { fmt, summarize } from './lib/stats.mjs';

/** @param {{ runs: number, seconds: number, connections: number, log?: (line: string) => void }} options */
export async function measureCollector({ runs, seconds, connections, log = () => {} }) {
  const results = [];
  for (let i = 1; i <= runs; i++) {
    const r = await measureThroughput({ seconds, connections });
    log(`collector run ${i}/${runs}: ${r.perSecond.toFixed(0)}/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`);
    results.push(r);
  }
  return { runs: results, seconds, connections };
}

/** @param {Awaited<ReturnType<typeof measureCollector>>} result */
export function collectorMarkdown({ runs, seconds, connections }) {
  const perSecond = summarize(runs.map((r) => r.perSecond));
  const p50 = summarize(runs.map((r) => r.latency.p50));
  const p99 = summarize(runs.map((r) => r.latency.p99));
  const total = runs.reduce((n, r) => n + r.stored, 0);
  /** @type {Record<string, number>} */
  const mix = {};
  for (const r of runs)
    for (const [status, count] of Object.entries(r.byStatus)) mix[status] = (mix[status] ?? 0) + count;
  const pct = (/** @type {number} */ n) => `${n.toLocaleString('en-US')} (${((100 * n) / total).toFixed(1)} %)`;
  const failures = runs.reduce((n, r) => n + r.errors + r.non2xx + r.timeouts, 0);
  const range = (/** @type {import('./lib/stats.mjs').Summary} */ s, d = 0) => `${fmt(s.min, d)}–${fmt(s.max, d)}`;
  return [
    `\`collector/bench/throughput.mjs\` (\`npm run bench:collector\`), ${runs.length} runs of ${seconds} s with ${connections} connections: the collector in its own process on a SQLite file (WAL fsynced before each answer, as \`synchronous=FULL\` does: every answer is durable), driven from the benchmark process over loopback by \`collector/bench/load.mjs\` (keep-alive connections, one request at a time on each, autocannon's bytes at a fraction of its CPU). Request mix: 60 % new orders, 25 % repeats, 15 % unknown click IDs; half GET pixels, half empty-body POST beacons.`,
    '',
    table(
      ['figure', 'median of runs', 'range over runs', 'per run'],
      [
        [
          'conversions/s (mean over a run)',
          fmt(perSecond.median, 0),
          range(perSecond),
          runs.map((r) => fmt(r.perSecond, 0)).join(' · '),
        ],
        ['latency p50 (ms)', fmt(p50.median, 0), range(p50), runs.map((r) => r.latency.p50).join(' · ')],
        ['latency p99 (ms)', fmt(p99.median, 0), range(p99), runs.map((r) => r.latency.p99).join(' · ')],
      ],
      'lrrl',
    ),
    '',
    `Stored, all runs: ${total.toLocaleString('en-US')} conversions — ${Object.entries(mix)
      .sort((a, b) => b[1] - a[1])
      .map(([status, n]) => `${status} ${pct(n)}`)
      .join(', ')}. Errors, non-2xx answers and timeouts: ${failures}.`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { options } = await import('./lib/options.mjs');
  const result = await measureCollector({
    runs: options.collectorRuns,
    seconds: options.collectorSeconds,
    connections: options.collectorConnections,
    log: console.error,
  });
  console.log(collectorMarkdown(result));
}
