// @ts-check
/**
 * Main-thread cost, from Chromium's own trace events (`devtools.timeline`): over N page
 * loads of each kind, each in a fresh browser context (cold storage, cold caches, its own
 * renderer process),
 *   - an empty page (no script at all): the reference;
 *   - a thank-you page with the snippet of docs/api.md (stub, queued `init`, async postclick.js, a
 *     click ID in the URL to capture), then a click on a button whose handler calls
 *     `postclick('conversion', …)`.
 * Per load: the page's main-thread work until `load` (top-level RunTask), postclick.js's
 * EvaluateScript (compile on the main thread + run, which captures), the snippet's inline
 * scripts, and for the conversion: call (a `performance.mark`) → ResourceSendRequest of the
 * beacon, and the whole task the call ran in (marks, send, callback). Each as wall time
 * (`dur`) and main-thread CPU time (`tdur`: what the thread itself spent, untouched by other
 * processes competing for the cores). Long tasks: ≥ 50 ms, from the trace and from an
 * in-page `PerformanceObserver('longtask')`.
 *
 *   node bench/main-thread.mjs [--loads=100]
 */
import { pages, startShop } from './lib/harness.mjs';
import { table } from './lib/markdown.mjs';
import { fmt, summarize } from './lib/stats.mjs';

/** @typedef {{ name: string, cat: string, ph: string, ts: number, dur?: number, tdur?: number, pid: number, tid: number, args?: any }} TraceEvent */

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'];
const CALL_MARK = 'postclick:call';
const LONG_TASK_MS = 50;
/** The checkout button, where the harness clicks. */
const BUTTON = '<button id="buy" style="position:fixed;left:0;top:0;width:100px;height:40px">Buy</button>';

/** @param {import('./lib/harness.mjs').BenchShop} shop */
function servePages(shop) {
  const { html, scriptTagPage } = pages;
  // The reference: no script at all. Its button has no handler: clicking it costs the
  // browser's input handling only, the reference for the conversion's click.
  shop.serve('/m/empty', html('', `<p>thank you</p>${BUTTON}`));
  const handler = `${BUTTON}<script>
var done = new Promise(function (resolve) { window.resolveResult = resolve });
document.getElementById('buy').onclick = function buy() {
  performance.mark(${JSON.stringify(CALL_MARK)});
  postclick('conversion', { orderId: new URLSearchParams(location.search).get('run'), amount: 49.99 }, function (result) { resolveResult(result) });
};
</script>`;
  shop.serve('/m/postclick', scriptTagPage({ init: { endpoint: shop.endpoint, offerId: '42' }, body: handler }));
}

/** Collects long tasks from the start of each document, in both kinds of page. */
const OBSERVE_LONG_TASKS = `window.__longTasks = [];
try { new PerformanceObserver(function (list) { list.getEntries().forEach(function (e) { window.__longTasks.push(e.duration) }) }).observe({ type: 'longtask', buffered: true }) } catch (e) {}`;

/**
 * The figures of one load, from the trace.
 * @param {TraceEvent[]} events @param {string} token  unique to this load's URL
 * @param {'empty' | 'postclick'} kind
 */
function analyse(events, token, kind) {
  const parse = events.find((e) => e.name === 'ParseHTML' && String(e.args?.beginData?.url ?? '').includes(token));
  if (!parse) throw new Error(`no ParseHTML for ${token} in the trace`);
  const { pid, tid } = parse;
  const thread = events.filter((e) => e.pid === pid && e.tid === tid);
  const navigation = thread.find(
    (e) => e.name === 'navigationStart' && String(e.args?.data?.documentLoaderURL ?? '').includes(token),
  );
  // The process first loaded the new tab's about:blank: count from this document's navigation.
  const start = navigation?.ts ?? parse.ts;
  const load = thread.find((e) => e.name === 'MarkLoad' && e.ts >= start);
  if (!load) throw new Error(`no load event for ${token} in the trace`);

  // Top-level tasks of the page's main thread (a RunTask inside another is not counted twice).
  const tasks = thread.filter((e) => e.name === 'RunTask' && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  /** @type {TraceEvent[]} */
  const topLevel = [];
  for (const task of tasks) {
    const last = topLevel[topLevel.length - 1];
    if (!last || task.ts >= last.ts + (last.dur ?? 0)) topLevel.push(task);
  }
  const within = (/** @type {TraceEvent} */ e, /** @type {number} */ ts) => e.ts <= ts && ts <= e.ts + (e.dur ?? 0);
  const ms = (/** @type {number | undefined} */ us) => (us ?? 0) / 1000;
  const sum = (/** @type {TraceEvent[]} */ list, /** @type {'dur' | 'tdur'} */ key) =>
    list.reduce((n, e) => n + ms(e[key]), 0);
  const untilLoad = topLevel.filter((e) => e.ts + (e.dur ?? 0) >= start && e.ts <= load.ts);
  /** @type {Record<string, { wall: number, cpu: number } | number>} */
  const figures = {
    load: { wall: sum(untilLoad, 'dur'), cpu: sum(untilLoad, 'tdur') },
  };
  // The click on the checkout button: the task that dispatched it, whole.
  const click = thread.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'click' && e.ts >= load.ts);
  const clickTask = click && topLevel.find((e) => within(e, click.ts));
  if (!clickTask) throw new Error(`no click task for ${token} in the trace`);
  figures.click = { wall: ms(clickTask.dur), cpu: ms(clickTask.tdur) };
  /** @type {TraceEvent[]} */
  let ours = [];
  if (kind === 'postclick') {
    const evaluate = thread.find(
      (e) => e.name === 'EvaluateScript' && String(e.args?.data?.url ?? '').endsWith('/dist/postclick.js'),
    );
    const inline = thread.filter((e) => e.name === 'EvaluateScript' && String(e.args?.data?.url ?? '').includes(token));
    const mark = thread.find((e) => e.name === CALL_MARK);
    if (!evaluate || !mark)
      throw new Error(`no ${evaluate ? 'call mark' : 'postclick.js evaluation'} for ${token} in the trace`);
    const sent = thread.find(
      (e) => e.name === 'ResourceSendRequest' && e.ts >= mark.ts && /\/c\?/.test(String(e.args?.data?.url ?? '')),
    );
    const task = within(clickTask, mark.ts) ? clickTask : undefined;
    const handler = thread.find(
      (e) => e.name === 'FunctionCall' && e.args?.data?.functionName === 'buy' && within(e, mark.ts),
    );
    if (!sent || !task || !handler) throw new Error(`conversion of ${token} not found in the trace`);
    figures.evaluate = { wall: ms(evaluate.dur), cpu: ms(evaluate.tdur) };
    figures.snippet = { wall: sum(inline, 'dur'), cpu: sum(inline, 'tdur') };
    figures.callToSent = ms(sent.ts - mark.ts);
    figures.handler = { wall: ms(handler.dur), cpu: ms(handler.tdur) };
    ours = [topLevel.find((e) => within(e, evaluate.ts)), task].filter((e) => !!e);
  }
  const long = (/** @type {TraceEvent[]} */ list, /** @type {'dur' | 'tdur'} */ key) =>
    list.filter((e) => ms(e[key]) >= LONG_TASK_MS).length;
  const sinceNavigation = topLevel.filter((e) => e.ts + (e.dur ?? 0) >= start);
  figures.longWall = long(sinceNavigation, 'dur');
  figures.longCpu = long(sinceNavigation, 'tdur');
  figures.oursLongWall = long(ours, 'dur');
  figures.oursLongCpu = long(ours, 'tdur');
  return figures;
}

/**
 * @param {{ loads: number, perTrace?: number, log?: (line: string) => void }} options
 *   loads of each kind; `perTrace` loads share one trace (start/stop is costly)
 */
export async function measureMainThread({ loads, perTrace = 20, log = () => {} }) {
  const shop = await startShop();
  try {
    servePages(shop);
    const clickId = await shop.clickId();
    const run = Date.now().toString(36);
    /** @type {{ kind: 'empty' | 'postclick', figures: ReturnType<typeof analyse>, inPageLongTasks: number }[]} */
    const samples = [];
    /** @type {string[]} */
    const problems = [];
    /** @type {('empty' | 'postclick')[]} */
    const plan = [];
    // Interleaved, and in alternating order, so both kinds meet the same machine.
    for (let i = 0; i < loads; i++)
      plan.push(
        ...(i % 2 ? /** @type {const} */ (['postclick', 'empty']) : /** @type {const} */ (['empty', 'postclick'])),
      );
    for (let first = 0; first < plan.length; first += perTrace) {
      const chunk = plan.slice(first, first + perTrace);
      /** @type {{ kind: 'empty' | 'postclick', token: string, inPageLongTasks: number }[]} */
      const done = [];
      await shop.browser.startTracing(undefined, { categories: CATEGORIES });
      try {
        for (const [i, kind] of chunk.entries()) {
          const token = `run=${run}-${first + i}`;
          const context = await shop.browser.newContext();
          try {
            await context.addInitScript(OBSERVE_LONG_TASKS);
            const page = await context.newPage();
            page.on('pageerror', (error) => problems.push(`${token}: ${error.message}`));
            await page.goto(`${shop.origin('www')}/m/${kind}?s1=${clickId}&${token}`);
            // The async bundle delays `load`, so it has run; a real mouse click (CDP input
            // events, not a synthetic event) on the button: a trusted click, as a shopper's.
            await page.mouse.click(50, 20);
            if (kind === 'postclick') {
              const status = await page.evaluate(() =>
                /** @type {any} */ (window).done.then((/** @type {any} */ r) => r.status),
              );
              if (status !== 'sent') problems.push(`${token}: conversion ${status}`);
            }
            const inPageLongTasks = await page.evaluate(() => /** @type {any} */ (window).__longTasks.length);
            done.push({ kind, token, inPageLongTasks });
          } catch (error) {
            problems.push(`${token}: ${String(/** @type {Error} */ (error).message).split('\n')[0]}`);
          } finally {
            await context.close();
          }
        }
      } finally {
        const trace = await shop.browser.stopTracing();
        /** @type {TraceEvent[]} */
        const events = JSON.parse(trace.toString('utf8')).traceEvents;
        for (const { kind, token, inPageLongTasks } of done) {
          try {
            samples.push({ kind, figures: analyse(events, token, kind), inPageLongTasks });
          } catch (error) {
            problems.push(String(/** @type {Error} */ (error).message));
          }
        }
      }
      log(`main thread: ${Math.min(first + perTrace, plan.length)}/${plan.length} loads`);
    }
    return { samples, problems, loads, chromium: shop.browser.version() };
  } finally {
    await shop.close();
  }
}

/** @param {Awaited<ReturnType<typeof measureMainThread>>} result */
export function mainThreadSummary({ samples }) {
  const of = (/** @type {'empty' | 'postclick'} */ kind) =>
    samples.filter((s) => s.kind === kind).map((s) => s.figures);
  const empty = of('empty');
  const postclick = of('postclick');
  const pair = (/** @type {typeof empty} */ list, /** @type {string} */ key) => ({
    wall: summarize(list.map((f) => /** @type {{ wall: number }} */ (f[key]).wall)),
    cpu: summarize(list.map((f) => /** @type {{ cpu: number }} */ (f[key]).cpu)),
  });
  const count = (/** @type {typeof empty} */ list, /** @type {string} */ key) =>
    list.reduce((n, f) => n + /** @type {number} */ (f[key]), 0);
  return {
    n: { empty: empty.length, postclick: postclick.length },
    emptyLoad: pair(empty, 'load'),
    postclickLoad: pair(postclick, 'load'),
    evaluate: pair(postclick, 'evaluate'),
    snippet: pair(postclick, 'snippet'),
    handler: pair(postclick, 'handler'),
    emptyClick: pair(empty, 'click'),
    conversionClick: pair(postclick, 'click'),
    callToSent: summarize(postclick.map((f) => /** @type {number} */ (f.callToSent))),
    longTasks: {
      emptyWall: count(empty, 'longWall'),
      emptyCpu: count(empty, 'longCpu'),
      postclickWall: count(postclick, 'longWall'),
      postclickCpu: count(postclick, 'longCpu'),
      oursWall: count(postclick, 'oursLongWall'),
      oursCpu: count(postclick, 'oursLongCpu'),
      inPageEmpty: samples.filter((s) => s.kind === 'empty').reduce((n, s) => n + s.inPageLongTasks, 0),
      inPagePostclick: samples.filter((s) => s.kind === 'postclick').reduce((n, s) => n + s.inPageLongTasks, 0),
    },
  };
}

/** @param {Awaited<ReturnType<typeof measureMainThread>>} result */
export function mainThreadMarkdown(result) {
  const s = mainThreadSummary(result);
  const ratio = (/** @type {number} */ value, /** @type {number} */ reference) => `${fmt(value / reference, 2)}×`;
  /** @param {string} name @param {{ wall: import('./lib/stats.mjs').Summary, cpu: import('./lib/stats.mjs').Summary }} m */
  const row = (name, m) => [
    name,
    fmt(m.cpu.median),
    fmt(m.cpu.p95),
    `${fmt(m.cpu.q1)}–${fmt(m.cpu.q3)}`,
    ratio(m.cpu.median, s.emptyLoad.cpu.median),
    fmt(m.wall.median),
    fmt(m.wall.p95),
    `${fmt(m.wall.q1)}–${fmt(m.wall.q3)}`,
    ratio(m.wall.median, s.emptyLoad.wall.median),
  ];
  const lt = s.longTasks;
  return [
    `${s.n.empty} loads of an empty page and ${s.n.postclick} of a thank-you page with the snippet of docs/api.md, interleaved, each in a fresh browser context (cold storage and caches, its own renderer process); figures from Chromium's trace events (\`devtools.timeline\`) of the page's main thread. **CPU** is the main thread's own time (\`tdur\`), **wall** its elapsed time (\`dur\`), which also counts waiting for the browser process and for the cores. Ratios are against the empty page's load (median to median).`,
    '',
    table(
      [
        'ms on the main thread',
        'CPU median',
        'CPU p95',
        'CPU IQR',
        'CPU ÷ empty page load',
        'wall median',
        'wall p95',
        'wall IQR',
        'wall ÷ empty page load',
      ],
      [
        row('empty page: load (reference)', s.emptyLoad),
        row('thank-you page with postclick: load', s.postclickLoad),
        row('postclick.js: evaluate + capture', s.evaluate),
        row('snippet: stub + queued `init` (inline)', s.snippet),
        row('click on the button, empty page (no handler): the whole task', s.emptyClick),
        row(
          'click on the button calling `conversion`: the whole task (call, send, marks, callback)',
          s.conversionClick,
        ),
        row('conversion: the click handler alone (call → `sendBeacon` returned)', s.handler),
        [
          'conversion: call → request sent (mark → ResourceSendRequest)',
          '',
          '',
          '',
          '',
          fmt(s.callToSent.median),
          fmt(s.callToSent.p95),
          `${fmt(s.callToSent.q1)}–${fmt(s.callToSent.q3)}`,
          ratio(s.callToSent.median, s.emptyLoad.wall.median),
        ],
      ],
      'lrrrrrrrr',
    ),
    '',
    `postclick's share of the click task (median with postclick − median without): ${fmt(s.conversionClick.cpu.median - s.emptyClick.cpu.median)} ms CPU, ${fmt(s.conversionClick.wall.median - s.emptyClick.wall.median)} ms wall. Of the page load: ${fmt(s.postclickLoad.cpu.median - s.emptyLoad.cpu.median)} ms CPU (${fmt(s.postclickLoad.cpu.median / s.emptyLoad.cpu.median)}× the empty page), ${fmt(s.postclickLoad.wall.median - s.emptyLoad.wall.median)} ms wall — loading and evaluating the bundle, the snippet, the button's script.`,
    '',
    `Long tasks (≥ ${LONG_TASK_MS} ms) in postclick's own tasks (the one that evaluated postclick.js, the conversion's): **${lt.oursCpu}** by CPU time, ${lt.oursWall} by wall time, over ${s.n.postclick} loads. On the whole page until the conversion: postclick page ${lt.postclickCpu} by CPU / ${lt.postclickWall} by wall; empty page ${lt.emptyCpu} / ${lt.emptyWall}; \`PerformanceObserver('longtask')\` in the page: postclick page ${lt.inPagePostclick}, empty page ${lt.inPageEmpty}.`,
    ...(result.problems.length
      ? ['', `Loads that could not be measured (${result.problems.length}): ${result.problems.slice(0, 5).join('; ')}`]
      : []),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { options } = await import('./lib/options.mjs');
  const started = Date.now();
  const result = await measureMainThread({ loads: options.loads, log: console.error });
  console.log(mainThreadMarkdown(result));
  console.error(`main thread: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
