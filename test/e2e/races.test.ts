/**
 * docs/protocol.md, "Exactly once" against the ways a real browser runs a thank-you page twice: two
 * tabs at the same moment, the back/forward cache, a browser restart that restores the tab,
 * a double call in one task (React StrictMode). The network must count one conversion each
 * time; where the client guard cannot see the other copy (storage blocked in both tabs),
 * the deterministic `unique_id` lets the collector answer the second one `duplicate`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath, launchBrowser } from './support/browser';
import { reportedStatuses } from './support/conversions';
import { BLANK, html, js, page, RECORD_RESULT, results, type Mode } from './support/pages';
import { describe, expect, expectConversions, test, watch, type Shop } from './support/shop';

const OFFER = '42';

/** Records every `pageshow`, and whether the page came from the back/forward cache. */
const RECORD_PAGESHOW = `<script>addEventListener('pageshow', function (e) { (window.shows = window.shows || []).push(e.persisted) })</script>`;

/** A landing and a thank-you page (one conversion, `order`) with a real click on the landing. */
async function serveCheckout(shop: Shop, order: Record<string, unknown>, { head = '', mode = 'script' as Mode } = {}) {
  const init = { endpoint: shop.endpoint, offerId: OFFER };
  shop.serve('/landing', page(mode, { init }));
  shop.serve('/thanks', {
    body: page(mode, { init, head, conversions: [order] }),
    headers: { 'Cache-Control': 'no-cache' },
  });
  shop.serve('/next', BLANK);
  const { clickId, landing } = await shop.click(OFFER, `${shop.origin('www')}/landing`);
  return { clickId, landing, thanks: `${shop.origin('www')}/thanks?order=1` };
}

describe.each([
  ['an order ID', { orderId: 'RACE-order', amount: 30 }],
  ['the derived unique_id', { amount: 31 }],
])('with %s', (_, order) => {
  test('two tabs opening the thank-you page at the same moment: the network counts one', async ({ shop }) => {
    const { clickId, landing, thanks } = await serveCheckout(shop, order);
    await shop.open(landing);
    const [a, b] = await Promise.all([shop.context.newPage(), shop.context.newPage()]);
    await Promise.all([a.goto(thanks), b.goto(thanks)]);

    const [first, second] = [(await results(a))[0]!, (await results(b))[0]!];
    expect(second.uniqueId).toBe(first.uniqueId);
    // The client guard usually stops the second tab (`duplicate`), but two renderers can
    // both pass it before either's mark reaches the other: then both send.
    expect([first.status, second.status].sort()).toEqual(expect.arrayContaining(['sent']));
    expect([first.status, second.status].filter((s) => s !== 'sent' && s !== 'duplicate')).toEqual([]);
    // What counts: one approved, and at most a duplicate beside it (and nothing else).
    await expectConversions(shop.collector, {
      expected: [{ click_id: clickId, unique_id: first.uniqueId! }],
      exact: false,
      quietMs: 500,
    });
    const statuses = await reportedStatuses(shop.collector, first.uniqueId!);
    expect([['approved'], ['approved', 'duplicate']]).toContainEqual(statuses);
    expect(shop.collector.hits).toHaveLength(statuses.length);
  });
});

test("another tab's outbox retry never re-sends a conversion this tab is delivering", async ({ shop }) => {
  // Tab A converts nothing: it only retries the outbox, as every page load does, here as
  // often as it can (the `online` event, as on a flapping mobile network). Tab B fires 100
  // conversions meanwhile. Any hit beyond B's 100 is A re-sending one of B's.
  const init = { endpoint: shop.endpoint, offerId: OFFER };
  shop.serve('/shop', page('script', { init }));
  const b = await shop.open(`${shop.origin('www')}/shop?s1=flush-race`);
  const a = await shop.open(`${shop.origin('www')}/shop`);
  await a.evaluate(
    `(function retry() { dispatchEvent(new Event('online')); if (!window.stopRetrying) setTimeout(retry) })()`,
  );
  const statuses: string[] = await b.evaluate(`(async () => {
    const statuses = [];
    for (let i = 0; i < 100; i++) {
      statuses.push(await new Promise((resolve) => postclick('conversion', { orderId: 'FLUSH-' + i }, (r) => resolve(r.status))));
    }
    return statuses;
  })()`);
  await a.evaluate('window.stopRetrying = true');
  expect(new Set(statuses)).toEqual(new Set(['sent']));
  await expectConversions(shop.collector, {
    expected: Array.from({ length: 100 }, (_, i) => ({ unique_id: `FLUSH-${i}` })),
    timeoutMs: 10_000,
    quietMs: 1000,
  });
});

test('two racing tabs whose storage is blocked both send; the collector approves one, the other is a duplicate', async ({
  shop,
}) => {
  // Both storages throw: each tab has only its own memory, so the client guard cannot work.
  await shop.context.addInitScript(`
    Object.defineProperty(Document.prototype, 'cookie', { configurable: true,
      get: function () { throw new DOMException('blocked', 'SecurityError') },
      set: function () { throw new DOMException('blocked', 'SecurityError') } });
    Object.defineProperty(window, 'localStorage', { configurable: true,
      get: function () { throw new DOMException('blocked', 'SecurityError') } });`);
  const init = { endpoint: shop.endpoint, offerId: OFFER };
  // Landing and thank-you in one page (no storage carries the ID between pages), no order ID.
  shop.serve('/one-page', page('script', { init, conversions: [{ amount: 12 }] }));
  const { clickId, landing } = await shop.click(OFFER, `${shop.origin('www')}/one-page`);

  const [a, b] = await Promise.all([shop.context.newPage(), shop.context.newPage()]);
  await Promise.all([a.goto(landing), b.goto(landing)]);
  const [first, second] = [(await results(a))[0]!, (await results(b))[0]!];
  expect([first.status, second.status]).toEqual(['sent', 'sent']);
  // The same page, offer and click: the same derived unique_id, computed in two tabs.
  expect(second.uniqueId).toBe(first.uniqueId);
  await expectConversions(shop.collector, {
    expected: [
      { click_id: clickId, unique_id: first.uniqueId!, amount: '12' },
      { click_id: clickId, unique_id: first.uniqueId!, amount: '12' },
    ],
  });
  expect(await reportedStatuses(shop.collector, first.uniqueId!)).toEqual(['approved', 'duplicate']);
});

test('back/forward cache: the restored thank-you page (pageshow persisted) sends nothing again', async ({ shop }) => {
  // Playwright turns Chromium's back/forward cache off; a shopper's browser has it on.
  const browser = await launchBrowser({ backForwardCache: true });
  try {
    const context = await browser.newContext();
    await watch(context, shop.problems, shop.console);
    const { clickId, landing, thanks } = await serveCheckout(shop, { orderId: 'BFCACHE-1' }, { head: RECORD_PAGESHOW });
    const tab = await context.newPage();
    await tab.goto(landing);
    await tab.goto(thanks);
    expect(await results(tab)).toEqual([expect.objectContaining({ status: 'sent' })]);
    await expectConversions(shop.collector, { expected: [{ click_id: clickId, unique_id: 'BFCACHE-1' }], quietMs: 0 });

    for (let visit = 2; visit <= 3; visit++) {
      await tab.goto(`${shop.origin('www')}/next`);
      // A page restored from the cache fires no `load`: wait for the commit, then its pageshow.
      await tab.goBack({ waitUntil: 'commit' });
      await tab.waitForFunction((n) => ((window as { shows?: boolean[] }).shows || []).length >= n, visit);
      // Restored, not reloaded: the same document, its scripts not run again.
      expect(await tab.evaluate(() => (window as unknown as { shows: boolean[] }).shows)).toEqual([
        false,
        ...Array(visit - 1).fill(true),
      ]);
      expect(await results(tab)).toHaveLength(1);
    }
    await expectConversions(shop.collector, { expected: [{ unique_id: 'BFCACHE-1' }], quietMs: 500 });
  } finally {
    await browser.close();
  }
});

test('back to a thank-you page the cache does not keep: it runs again and is a duplicate', async ({ shop }) => {
  // The fixture's browser has no back/forward cache: going back loads and runs the page anew.
  const { clickId, landing, thanks } = await serveCheckout(shop, { orderId: 'BACK-1' }, { head: RECORD_PAGESHOW });
  const tab = await shop.open(landing);
  await tab.goto(thanks);
  expect(await results(tab)).toEqual([expect.objectContaining({ status: 'sent' })]);
  await tab.goto(`${shop.origin('www')}/next`);
  await tab.goBack();
  expect(await tab.evaluate(() => (window as unknown as { shows: boolean[] }).shows)).toEqual([false]);
  expect(await results(tab)).toEqual([expect.objectContaining({ status: 'duplicate', uniqueId: 'BACK-1' })]);
  await expectConversions(shop.collector, { expected: [{ click_id: clickId, unique_id: 'BACK-1' }], quietMs: 500 });
});

test('a browser restart that restores the thank-you tab runs it again: a duplicate, no second hit', async ({
  shop,
}) => {
  const profile = mkdtempSync(join(tmpdir(), 'postclick-profile-'));
  const launch = async (args: string[] = []) => {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      args: [...CHROMIUM_ARGS, ...args],
    });
    await watch(context, shop.problems, shop.console);
    return context;
  };
  try {
    const { clickId, landing, thanks } = await serveCheckout(shop, { orderId: 'RESTART-1', amount: 5 });
    let context = await launch();
    const tab = context.pages()[0] || (await context.newPage());
    await tab.goto(landing);
    await tab.goto(thanks);
    expect(await results(tab)).toEqual([expect.objectContaining({ status: 'sent' })]);
    await expectConversions(shop.collector, { expected: [{ click_id: clickId, unique_id: 'RESTART-1' }], quietMs: 0 });
    // A clean shutdown, as when the shopper quits: storage is written to the profile.
    await context.close();

    // Chromium's "continue where you left off": the thank-you tab comes back and runs again.
    context = await launch(['--restore-last-session']);
    let restored: Page | undefined;
    await expect.poll(() => (restored = context.pages().find((p) => p.url() === thanks))).toBeTruthy();
    expect(await results(restored!)).toEqual([expect.objectContaining({ status: 'duplicate', uniqueId: 'RESTART-1' })]);
    // And opened by hand, too.
    const again = await context.newPage();
    await again.goto(thanks);
    expect(await results(again)).toEqual([expect.objectContaining({ status: 'duplicate' })]);
    // The click ID came back from the profile as well: the conversion was refused only as a repeat.
    expect(await again.evaluate(() => document.cookie)).toContain(`_postclick=${clickId}`);
    await context.close();

    await expectConversions(shop.collector, { expected: [{ unique_id: 'RESTART-1' }], quietMs: 500 });
    expect(await reportedStatuses(shop.collector, 'RESTART-1')).toEqual(['approved']);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});

describe.each<Mode>(['script', 'module'])('%s build', (mode) => {
  test('the same conversion called twice in one task (StrictMode double effects): sent + duplicate, one hit', async ({
    shop,
  }) => {
    const order = { orderId: `STRICT-${mode}`, amount: 8 };
    const init = { endpoint: shop.endpoint, offerId: OFFER };
    const twice =
      mode === 'script'
        ? `<script src="/dist/postclick.js"></script><script>
postclick('init', ${js(init)});
document.getElementById('buy').onclick = function () {
  postclick('conversion', ${js(order)}, ${RECORD_RESULT});
  postclick('conversion', ${js(order)}, ${RECORD_RESULT});
};</script>`
        : `<script type="module">
import { init, conversion } from '/dist/postclick.mjs';
const record = ${RECORD_RESULT};
init(${js(init)});
document.getElementById('buy').onclick = () => {
  conversion(${js(order)}).then(record);
  conversion(${js(order)}).then(record);
};</script>`;
    shop.serve('/thanks', html('', `<button id="buy">Buy</button>${twice}`));
    const { clickId, landing } = await shop.click(OFFER, `${shop.origin('www')}/thanks`);
    const tab = await shop.open(landing);
    // After load, in one click handler: the bundle runs each call at once, in one task.
    await tab.click('#buy');
    // The duplicate is decided at once and may resolve first.
    expect((await results(tab, 2)).map((r) => r.status).sort()).toEqual(['duplicate', 'sent']);
    await expectConversions(shop.collector, { expected: [{ click_id: clickId, unique_id: order.orderId }] });
  });
});
