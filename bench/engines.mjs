// @ts-check
/**
 * The same two figures in every engine the browser tests drive (Chromium, Firefox, WebKit),
 * through the tests' own driver layer (test/e2e/support/driver.ts), so the numbers compare:
 *   - **unload**: a button calls `postclick('conversion', …)` and sets `location.href` in
 *     the same task, the tracker 200 ms away; N trials, each its own order ID; delivered =
 *     order IDs the collector received within 10 s of the last trial.
 *   - **main thread**: the production `dist/postclick.js` inlined between two
 *     `performance.now()` marks on a thank-you page that queued `init` and a conversion and
 *     carries a click ID: compile + run + capture + the conversion's synchronous part, per
 *     load (the bundle's text gets a unique comment per load, so no engine reuses a
 *     compilation); and the synchronous cost of one `postclick('conversion', …)` call after
 *     load. Engines clamp `performance.now()` (Firefox and WebKit to 1 ms here without
 *     cross-origin isolation), so their medians are coarse; Chromium's trace-based figures
 *     are in bench/main-thread.mjs.
 * Each engine runs in a child process (the driver picks its engine at import time).
 *
 *   node bench/engines.mjs [--trials=200] [--loads=100]      POSTCLICK_ENGINES=firefox,webkit to choose
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { table } from './lib/markdown.mjs';
import { options } from './lib/options.mjs';
import { fmt, summarize } from './lib/stats.mjs';

const SELF = fileURLToPath(import.meta.url);
const BATCH = 25;

/** @typedef {{ engine: string, version: string, trials: number, delivered: number, extraHits: number, loads: number, evaluateMs: number[], callMs: number[], seconds: number }} EngineResult */

/** One engine, in this process: `POSTCLICK_ENGINE` says which. @returns {Promise<EngineResult>} */
async function measureHere(/** @type {{ trials: number, loads: number }} */ { trials, loads }) {
  const { browserSupport, pages, serverSupport } = await import('./lib/harness.mjs');
  const engine = process.env.POSTCLICK_ENGINE || 'chromium';
  const started = Date.now();
  const server = await serverSupport.startServer();
  const browser = await browserSupport.launchBrowser({ server });
  const { collector, routes, delays } = server;
  const origin = `http://www.shop.test:${collector.port}`;
  const endpoint = `http://track.shop.test:${collector.port}/c`;
  const init = { endpoint, offerId: '42' };
  const { html, js, STUB } = pages;
  try {
    // Unload: the tracker 200 ms away, the page gone at once.
    delays.set('/c', 200);
    routes.set(
      '/buy',
      html(
        '',
        `<button id="buy">Buy</button><script src="/dist/postclick.js"></script>
<script>postclick('init', ${js(init)});
document.getElementById('buy').onclick = function () {
  var order = new URLSearchParams(location.search).get('order');
  postclick('conversion', { orderId: order, amount: 5 });
  location.href = '/next?order=' + order;
};</script>`,
      ),
    );
    routes.set('/next', html('', '<p>thanks</p>'));
    collector.clearHits();
    const orders = [];
    for (let first = 0; first < trials; first += BATCH) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      for (let i = first; i < Math.min(first + BATCH, trials); i++) {
        const order = `E-${engine}-${i}`;
        orders.push(order);
        await tab.goto(`${origin}/buy?s1=bench-${engine}&order=${order}`);
        await Promise.all([tab.waitForURL(`**/next?order=${order}`), tab.click('#buy')]);
      }
      await context.close();
    }
    const received = () => new Set(collector.hits.map((hit) => ({ ...hit.query, ...hit.body }).order_id));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && orders.some((order) => !received().has(order)))
      await new Promise((resolve) => setTimeout(resolve, 100));
    const delivered = orders.filter((order) => received().has(order)).length;
    const extraHits = collector.hits.length - received().size;
    delays.delete('/c');

    // Main thread: the bundle inlined between two marks.
    const bundle = readFileSync(new URL('../dist/postclick.js', import.meta.url), 'utf8');
    const MARK = 'window.__t0 = performance.now();';
    routes.set('/load', (url) =>
      html(
        '',
        `<script>${STUB}
postclick('init', ${js(init)});
postclick('conversion', ${js({ orderId: url.searchParams.get('order'), amount: 9 })});
${MARK}</script><script>${bundle.replace(/<\/script/gi, '<\\/script')}\n//${url.searchParams.get('order')}</script>
<script>window.__evaluateMs = performance.now() - window.__t0;</script>`,
      ),
    );
    const evaluateMs = [];
    const callMs = [];
    for (let first = 0; first < loads; first += BATCH) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      for (let i = first; i < Math.min(first + BATCH, loads); i++) {
        await tab.goto(`${origin}/load?s1=main-${engine}&order=M-${engine}-${i}`);
        evaluateMs.push(await tab.evaluate(() => /** @type {any} */ (window).__evaluateMs));
        callMs.push(
          await tab.evaluate((order) => {
            const t0 = performance.now();
            /** @type {any} */ (window).postclick('conversion', { orderId: order, amount: 9 });
            return performance.now() - t0;
          }, `C-${engine}-${i}`),
        );
      }
      await context.close();
    }
    return {
      engine,
      version: await browserVersion(engine),
      trials,
      delivered,
      extraHits,
      loads,
      evaluateMs,
      callMs,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await browser.close().catch(() => {});
    await collector.close();
  }
}

/** The engine's version, from its executable. @param {string} engine */
async function browserVersion(engine) {
  const { findChromium } = await import('../scripts/ensure-chromium.mjs');
  const { findFirefox, findWebKit } = await import('../scripts/ensure-engines.mjs');
  try {
    if (engine === 'chromium') return execFileSync(String(findChromium()), ['--version'], { encoding: 'utf8' }).trim();
    if (engine === 'firefox') return execFileSync(String(findFirefox()), ['--version'], { encoding: 'utf8' }).trim();
    // MiniBrowser wants a display even for --version.
    const miniBrowser = String(findWebKit()?.miniBrowser);
    return execFileSync('xvfb-run', ['-a', miniBrowser, '--version'], { encoding: 'utf8' }).trim();
  } catch {
    return engine;
  }
}

/**
 * Every engine `POSTCLICK_ENGINES` names (all three by default), one child process each.
 * @param {{ trials: number, loads: number, log?: (line: string) => void }} settings
 * @returns {Promise<EngineResult[]>}
 */
export async function measureEngines({ trials, loads, log = () => {} }) {
  const { wantedEngines } = await import('../scripts/ensure-engines.mjs');
  const results = [];
  for (const engine of wantedEngines()) {
    log(`engines: ${engine}…`);
    const output = execFileSync(process.execPath, [SELF, `--child`, `--trials=${trials}`, `--loads=${loads}`], {
      env: { ...process.env, POSTCLICK_ENGINE: engine },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * 1024 * 1024,
    });
    results.push(JSON.parse(output.trim().split('\n').pop() ?? ''));
  }
  return results;
}

/** @param {EngineResult[]} results */
export function enginesMarkdown(results) {
  const ms = (/** @type {number[]} */ values) => {
    const s = summarize(values);
    return `${fmt(s.median)} (p95 ${fmt(s.p95)})`;
  };
  return [
    "The same pages in each engine, through the browser tests' driver layer (`bench/engines.mjs`). **unload**: conversion and `location.href` in one task, the tracker 200 ms away. **evaluate**: inlined `dist/postclick.js` compiled and run with a queued `init` and conversion and a click ID to capture, ms per load. **call**: one `postclick('conversion', …)` after load, ms. Firefox and WebKit clamp `performance.now()` (1 ms steps here), so their timings are coarse.",
    '',
    table(
      [
        'engine',
        'unload: delivered',
        'extra hits',
        'evaluate ms, median (p95)',
        'call ms, median (p95)',
        'loads',
        'run time',
      ],
      results.map((r) => [
        r.version,
        `${r.delivered} / ${r.trials}`,
        String(r.extraHits),
        ms(r.evaluateMs),
        ms(r.callMs),
        String(r.loads),
        `${r.seconds.toFixed(0)} s`,
      ]),
      'lrrrrrr',
    ),
  ].join('\n');
}

if (process.argv.includes('--child')) {
  const result = await measureHere({ trials: options.trials, loads: options.loads });
  process.stdout.write(JSON.stringify(result) + '\n');
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await measureEngines({ trials: options.trials, loads: options.loads, log: console.error });
  console.log(enginesMarkdown(results));
}
