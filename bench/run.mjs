// @ts-check
/**
 * `npm run bench`: every benchmark in one go — size, delivery under unload and
 * the reliability report, main-thread cost, collector throughput — and
 * BENCHMARKS.md with the figures, their spread, and the machine they came from.
 *
 *   npm run bench                                   the default trial counts
 *   TRIALS=50 LOADS=30 COLLECTOR_RUNS=1 npm run bench   a quick run
 *   npm run bench -- --only=size,main-thread        some sections (BENCHMARKS.md says which)
 *
 * Knobs (env or --flag=value): TRIALS (200), BATCH (25), PARALLEL (2) and SCENARIOS for reliability, NAIVE=all for
 * a naive pixel on every row, LOADS (100) for main-thread cost, COLLECTOR_RUNS (3),
 * BENCH_SECONDS (10) and BENCH_CONNECTIONS (16) for the collector, BENCH_OUT (BENCHMARKS.md).
 * It measures the built `dist/`: run `npm run build` first after changing src/.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { collectorMarkdown, measureCollector } from './collector.mjs';
import { machine } from './lib/machine.mjs';
import { table } from './lib/markdown.mjs';
import { options } from './lib/options.mjs';
import { mainThreadMarkdown, mainThreadSummary, measureMainThread } from './main-thread.mjs';
import { measureReliability, reliabilityMarkdown } from './reliability.mjs';
import { featuresMarkdown, measureFeatures } from './features.mjs';
import { enginesMarkdown, measureEngines } from './engines.mjs';
import { measureSizes, sizeMarkdown } from './size.mjs';

const log = (/** @type {string} */ line) =>
  console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const started = Date.now();
const loadBefore = os.loadavg();
const want = new Set(options.only);

/** @type {Record<string, string>} */
const sections = {};
/** @type {Record<string, string>} */
const durations = {};
/** @type {string[]} */
const failures = [];
let chromium = '';

/** Runs one section; a failure is reported in BENCHMARKS.md and the exit code, and the rest still run. @param {string} name @param {() => Promise<string>} body */
async function section(name, body) {
  if (!want.has(name)) return;
  const t0 = Date.now();
  log(`${name}…`);
  try {
    sections[name] = await body();
  } catch (error) {
    const message = /** @type {Error} */ (error).stack ?? String(error);
    failures.push(`${name}: ${message.split('\n')[0]}`);
    sections[name] = `**Failed:** \`${message.split('\n')[0]}\``;
    console.error(message);
  }
  durations[name] = `${((Date.now() - t0) / 1000).toFixed(0)} s`;
  log(`${name} done in ${durations[name]}`);
}

/** @type {ReturnType<typeof mainThreadSummary> | undefined} */
let mainThread;
/** @type {Awaited<ReturnType<typeof measureReliability>> | undefined} */
let reliability;

await section('size', async () => sizeMarkdown(await measureSizes()));
await section('features', async () => featuresMarkdown(await measureFeatures()));
await section('reliability', async () => {
  reliability = await measureReliability({
    trials: options.trials,
    batch: options.batch,
    parallel: options.parallel,
    naiveEverywhere: options.naiveEverywhere,
    scenarios: options.scenarios,
    log,
  });
  chromium = reliability.chromium;
  return reliabilityMarkdown(reliability);
});
await section('main-thread', async () => {
  const result = await measureMainThread({ loads: options.loads, log });
  chromium ||= result.chromium;
  mainThread = mainThreadSummary(result);
  return mainThreadMarkdown(result);
});
await section('engines', async () =>
  enginesMarkdown(await measureEngines({ trials: options.trials, loads: options.loads, log })),
);
await section('collector', async () =>
  collectorMarkdown(
    await measureCollector({
      runs: options.collectorRuns,
      seconds: options.collectorSeconds,
      connections: options.collectorConnections,
      log,
    }),
  ),
);

const m = machine({ chromium: chromium ? `Chromium ${chromium} (headless, the browser tests' flags)` : undefined });
const total = `${((Date.now() - started) / 1000).toFixed(0)} s`;
const fmtLoad = (/** @type {number[]} */ l) => l.map((n) => n.toFixed(2)).join(' / ');

const report = [
  '# postclick benchmarks',
  '',
  `Written by \`npm run bench\` (\`bench/run.mjs\`) — every figure below comes from that one run. Reproduce with \`npm install && npm run build && npm run bench\`; \`TRIALS=50 LOADS=30 COLLECTOR_RUNS=1 npm run bench\` is a quick run. Everything runs on this machine over loopback (127.0.0.1), Chromium headless.`,
  '',
  table(
    ['', ''],
    [
      ['date', m.date],
      ['commit', m.commit],
      ['CPU', m.cpu],
      ['memory', m.memory],
      ['OS', m.os],
      ['Node', m.node],
      ['browser', m.chromium],
      ['driver', m.playwright],
      ['measured build', builtAt()],
      ['load average (1 / 5 / 15 min)', `${fmtLoad(loadBefore)} at the start, ${fmtLoad(os.loadavg())} at the end`],
      [
        'settings',
        `${options.trials} trials per reliability row (${options.batch} per browser context, ${options.parallel} contexts at a time); ${options.loads} page loads of each kind; ${options.collectorRuns} collector run(s) of ${options.collectorSeconds} s with ${options.collectorConnections} connections`,
      ],
      [
        'run time',
        `${total} (${Object.entries(durations)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})`,
      ],
    ],
    'll',
  ),
  '',
  ...(mainThread || reliability ? ['## Summary', '', ...summary(), ''] : []),
  ...(want.has('size') ? ['## Size', '', sections.size, ''] : []),
  ...(want.has('features') ? ['## Feature → bytes', '', sections.features, ''] : []),
  ...(want.has('reliability')
    ? [
        '## Delivery under unload, and the reliability report',
        '',
        `Each trial converts its own order ID (\`unique_id\`), so the collector's hit log and \`/reports/conversions\` are counted per trial. **delivered**: trials with an \`approved\` conversion at the collector. **extra hits**: requests for a trial beyond its first. **\`duplicate\` at collector**: conversions the collector stored as \`duplicate\` (a second request with the same \`unique_id\`, never counted twice). **page errors**: uncaught exceptions (\`pageerror\`). postclick rows use the built \`dist/postclick.js\` with the default \`auto\` transport; the naive rows a hand-written \`new Image().src = endpoint + '?offer_id=…&click_id=…&order_id=…'\`, the baseline a site would otherwise write. Variants of a scenario take turns batch by batch in the same run. Click IDs come from the collector's own \`/click\`, so a delivered conversion is \`approved\`.`,
        '',
        sections.reliability,
        '',
        ...reliabilityNotes(),
        '',
      ]
    : []),
  ...(want.has('main-thread') ? ['## Main-thread cost', '', sections['main-thread'], ''] : []),
  ...(want.has('engines') ? ['## Per engine: unload and main thread', '', sections.engines, ''] : []),
  ...(want.has('collector') ? ['## Collector throughput', '', sections.collector, ''] : []),
  '## Method notes',
  '',
  '- Timings are medians with p95 and interquartile range (main thread, over page loads) or with the range over repeated runs (collector); counts and bytes are exact.',
  "- The benchmarks use the browser tests' own harness: `test/e2e/support/browser.ts` (launcher and flags), `pages.ts` (page builders), `server.ts` (collector serving `dist/` and the pages on `*.shop.test` → 127.0.0.1), imported through `bench/lib/ts-hooks.mjs`.",
  '- Wall-clock figures depend on what else the machine runs (see the load average above); main-thread CPU time (`tdur`) much less so.',
  '- No figure here is asserted by the test suite; `npm test` keeps the size budgets and the reproducible-build check.',
  ...(failures.length ? ['', `**Sections that failed:** ${failures.join('; ')}`] : []),
  '',
].join('\n');

writeFileSync(options.out, report);
log(`wrote ${options.out} in ${total}`);
if (failures.length) process.exitCode = 1;

/** When dist/ was built, and whether src/ changed since (then these figures are of the old build). */
function builtAt() {
  const root = new URL('..', import.meta.url);
  const built = statSync(new URL('dist/postclick.js', root)).mtimeMs;
  const src = new URL('src/', root);
  const newer = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && statSync(new URL(f, src)).mtimeMs > built,
  );
  return `\`dist/\` built ${new Date(built).toISOString().replace(/\.\d+Z$/, 'Z')}${newer.length ? ` — **older than src/${newer[0]}**: run \`npm run build\` and bench again` : ', up to date with src/'}`;
}

/** A few lines with the headline figures. */
function summary() {
  const lines = [];
  if (reliability) {
    const rows = reliability.rows;
    const by = (/** @type {string} */ scenario, /** @type {string} */ variant) =>
      rows.find((r) => r.scenario === scenario && r.variant === variant);
    for (const scenario of ['navigate', 'close', 'offline', 'racing', 'storm']) {
      const pc = by(scenario, 'postclick');
      const naive = by(scenario, 'naive');
      if (!pc) continue;
      const name = {
        navigate: 'navigation right after the call',
        close: 'tab closed right after the call',
        offline: 'offline, then online',
        racing: 'two racing tabs',
        storm: 'refresh storms',
      }[scenario];
      const counted = pc.extraHits
        ? ` (the collector stored ${pc.duplicateStatus} as \`duplicate\`: counted once)`
        : '';
      lines.push(
        `- ${name}: postclick delivered **${pc.delivered}/${pc.trials}**, ${pc.extraHits} extra hits${counted}, ${pc.pageErrors} page errors` +
          (naive ? `; naive pixel ${naive.delivered}/${naive.trials}, ${naive.extraHits} extra hits` : '') +
          '.',
      );
    }
  }
  if (mainThread) {
    const s = mainThread;
    const r = (/** @type {number} */ a, /** @type {number} */ b) => (a / b).toFixed(2);
    lines.push(
      `- Main thread (CPU median over ${s.n.postclick} loads): postclick.js evaluate + capture ${s.evaluate.cpu.median.toFixed(2)} ms = ${r(s.evaluate.cpu.median, s.emptyLoad.cpu.median)}× an empty page's load (${s.emptyLoad.cpu.median.toFixed(2)} ms); the conversion's click handler ${s.handler.cpu.median.toFixed(2)} ms = ${r(s.handler.cpu.median, s.emptyLoad.cpu.median)}×; call → request sent ${s.callToSent.median.toFixed(2)} ms wall; long tasks in postclick's tasks: ${s.longTasks.oursCpu} (CPU) / ${s.longTasks.oursWall} (wall).`,
    );
  }
  return lines;
}

/** What the reliability table means where the browser could not deliver. */
function reliabilityNotes() {
  if (!reliability) return [];
  const notes = [];
  for (const row of reliability.rows) {
    if (row.scenario === 'racing' && row.variant === 'postclick' && row.extraHits) {
      notes.push(
        `- Racing tabs: in ${row.extraHits} of ${row.trials} trials both tabs sent (results: ${Object.entries(
          row.client,
        )
          .map(([k, n]) => `${k} ${n}`)
          .join(
            ', ',
          )}). Both tabs found no fired mark in \`localStorage\`: neither's write was visible to the other yet (\`localStorage\` has no cross-tab check-and-set). Both requests carried the same deterministic \`unique_id\`, so the collector stored the second as \`duplicate\`: ${row.delivered} of ${row.trials} orders were counted exactly once.`,
      );
    }
    if (row.delivered === row.trials) continue;
    const failed = Object.entries(row.requestsFailed)
      .map(([why, n]) => `${n} × ${why}`)
      .join(', ');
    if (row.scenario === 'offline' && row.variant === 'naive') {
      notes.push(
        `- Offline, the naive pixel's image fails (${failed || 'no request reported'}) and nothing retries it: ${row.trials - row.delivered} of ${row.trials} conversions lost. postclick keeps the conversion in its outbox (\`queued\`) and sends it when the browser is back online.`,
      );
    } else if (row.scenario === 'close') {
      notes.push(
        `- Tab closed, ${row.variant === 'naive' ? 'naive pixel' : 'postclick'}: ${row.trials - row.delivered} of ${row.trials} not delivered. Chromium reported starting the request in ${row.requestsStarted} of ${row.trials} trials${failed ? ` and failing ${failed}` : ''}, but it never reached the collector: the tab closed before the request left, and Chromium cancelled it with the page — the browser could not deliver it. A \`new Image()\` request belongs to its page; \`sendBeacon\` and \`fetch(…, { keepalive: true })\` are handed to the browser and outlive it.`,
      );
    } else {
      notes.push(
        `- ${row.scenario} / ${row.variant}: ${row.trials - row.delivered} of ${row.trials} not delivered; Chromium reported starting ${row.requestsStarted} requests${failed ? `, failing ${failed}` : ''}${row.harness.length ? `; the harness could not drive ${row.harness.length} trial(s) as planned (${row.harness[0]})` : ''}.`,
      );
    }
  }
  return notes;
}
