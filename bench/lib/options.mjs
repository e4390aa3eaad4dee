// @ts-check
/**
 * Benchmark knobs: each has a default (the full-run figures), an environment variable and a
 * `--flag=value`; the flag wins. `TRIALS=50 npm run bench` is a quick run.
 */
const flags = Object.fromEntries(
  process.argv
    .slice(2)
    .filter((arg) => arg.startsWith('--'))
    .map((arg) => {
      const [key, ...value] = arg.slice(2).split('=');
      return [key, value.length ? value.join('=') : 'true'];
    }),
);

/** @param {string} flag @param {string} env @param {number} fallback */
function number(flag, env, fallback) {
  const raw = flags[flag] ?? process.env[env];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${flag} / ${env} must be a positive integer, not ${JSON.stringify(raw)}`);
  return value;
}

export const options = {
  /** Reliability: trials per scenario and variant (full run: 200). */
  trials: number('trials', 'TRIALS', 200),
  /** Reliability: trials that share one browser context (each with its own order ID). */
  batch: number('batch', 'BATCH', 25),
  /** Reliability: browser contexts (batches) running at once. */
  parallel: number('parallel', 'PARALLEL', 2),
  /** Reliability: which scenarios (navigate, close, offline, racing, storm, error500, down, blocker, relayBlocker, site, tabs, slowLeave). */
  scenarios: String(
    flags.scenarios ??
      process.env.SCENARIOS ??
      'navigate,close,offline,racing,storm,error500,down,blocker,relayBlocker,site,tabs,slowLeave',
  )
    .split(',')
    .filter(Boolean),
  /** Main-thread cost: page loads of each kind (full run: 100). */
  loads: number('loads', 'LOADS', 100),
  /** Collector throughput: runs of collector/bench/throughput.mjs, and seconds each. */
  collectorRuns: number('collector-runs', 'COLLECTOR_RUNS', 3),
  collectorSeconds: number('collector-seconds', 'BENCH_SECONDS', 10),
  collectorConnections: number('collector-connections', 'BENCH_CONNECTIONS', 16),
  /** Also run the naive pixel on the rows where it is not required (racing tabs, refresh storms). */
  naiveEverywhere: ['1', 'true', 'all'].includes(String(flags.naive ?? process.env.NAIVE ?? '')),
  /** Sections to run: size, features, reliability, main-thread, engines, collector. */
  only: String(flags.only ?? process.env.ONLY ?? 'size,features,reliability,main-thread,engines,collector')
    .split(',')
    .filter(Boolean),
  /** Where `npm run bench` writes its report. */
  out: String(flags.out ?? process.env.BENCH_OUT ?? 'BENCHMARKS.md'),
};
