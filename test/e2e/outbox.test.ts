/**
 * docs/protocol.md, "Nothing lost": a conversion that cannot be delivered — the browser offline, the
 * connection cut — stays in the first-party outbox (`queued`) and is delivered exactly once
 * later, with the same `unique_id`: at the next page load that runs postclick, or on the
 * page's `online` event. Attempts are bounded, and so is what the outbox keeps in storage.
 */
import type { Page } from 'playwright-core';
import { reportedStatuses } from './support/conversions';
import { js, page, type Mode, type Result } from './support/pages';
import { describe, expect, expectConversions, takeFailedLoads, test, type Shop } from './support/shop';

const OFFER = '42';

/**
 * Calls `conversion(data)` on a page that runs postclick, in the page's own build: the
 * script tag's `postclick()` with a callback, or the ES module (the page's instance).
 */
function convert(tab: Page, mode: Mode, data: Record<string, unknown>): Promise<Result> {
  // Source text, not a function: vitest would rewrite a function's import() for Node.
  return tab.evaluate(
    mode === 'script'
      ? `new Promise((resolve) => postclick('conversion', ${js(data)}, resolve))`
      : `import('/dist/postclick.mjs').then((sdk) => sdk.conversion(${js(data)}))`,
  );
}

/**
 * A shop where every page runs postclick, and a real click on it (so the network approves).
 * An inline icon: Chromium fetches /favicon.ico after `load`, and offline that is a console error.
 */
async function shopWithClick(shop: Shop, mode: Mode, init: Record<string, unknown> = {}) {
  const head = '<link rel="icon" href="data:,">';
  shop.serve('/shop', page(mode, { head, init: { endpoint: shop.endpoint, offerId: OFFER, ...init } }));
  const { clickId, landing } = await shop.click(OFFER, `${shop.origin('www')}/shop`);
  return { clickId, landing, next: `${shop.origin('www')}/shop?page=next` };
}

async function goOffline(shop: Shop, tab: Page) {
  await shop.context.setOffline(true);
  // The SDK trusts navigator.onLine; the test must know the browser said so.
  await expect.poll(() => tab.evaluate(() => navigator.onLine)).toBe(false);
}

describe.each<Mode>(['script', 'module'])('%s build', (mode) => {
  test('offline: queued, nothing sent; the next page load delivers it exactly once', async ({ shop }) => {
    shop.requires('offline');
    const { clickId, landing, next } = await shopWithClick(shop, mode);
    const orderId = `OFF-${mode}`;
    const tab = await shop.open(landing);
    await goOffline(shop, tab);

    // Offline, sendBeacon says true and loses the request: the SDK must not trust it.
    const queued = await convert(tab, mode, { orderId, amount: 10 });
    expect(queued).toMatchObject({ status: 'queued', uniqueId: orderId, error: expect.stringMatching(/offline/) });
    await expectConversions(shop.collector, { expected: [] });

    // Closed while offline, so only the next page load can deliver it (not `online` here).
    await tab.close();
    await shop.context.setOffline(false);
    const later = await shop.open(next);
    const [hit] = await expectConversions(shop.collector, {
      expected: [{ click_id: clickId, order_id: orderId, unique_id: orderId, amount: '10' }],
    });
    // The very URL that was queued, sent now.
    expect(queued.url).toBe(shop.endpoint + hit!.url.slice('/c'.length));

    // Delivered means gone from the outbox: more page loads send nothing more.
    await later.reload();
    await shop.open(next);
    await expectConversions(shop.collector, { expected: [{ unique_id: orderId }], quietMs: 500 });
    expect(await reportedStatuses(shop.collector, orderId)).toEqual(['approved']);
  });

  test('offline then online on the same page: the `online` event delivers it exactly once', async ({ shop }) => {
    shop.requires('offline');
    const { clickId, landing } = await shopWithClick(shop, mode);
    const orderId = `ONLINE-${mode}`;
    const tab = await shop.open(landing);
    await goOffline(shop, tab);
    expect(await convert(tab, mode, { orderId })).toMatchObject({ status: 'queued' });
    await expectConversions(shop.collector, { expected: [] });

    await shop.context.setOffline(false);
    await expectConversions(shop.collector, { expected: [{ click_id: clickId, unique_id: orderId }] });
    // A call on the same page now, and a reload: the fired mark holds.
    expect(await convert(tab, mode, { orderId })).toMatchObject({ status: 'duplicate' });
    await tab.reload();
    await expectConversions(shop.collector, { expected: [{ unique_id: orderId }], quietMs: 500 });
    expect(await reportedStatuses(shop.collector, orderId)).toEqual(['approved']);
  });
});

/**
 * A `/c` that cuts the connection without an answer while `failing` is on: a network error
 * as the browser sees it (fetch rejects, the image fires `error`). Counted by whether any
 * request was dropped, not how many: Chromium may retry a request whose socket was reset.
 */
function flakyCollector(shop: Shop) {
  const state = { failing: true, dropped: 0 };
  shop.serve('/c', () => {
    if (!state.failing) return null;
    state.dropped++;
    return 'drop';
  });
  return state;
}

/** The network errors Chromium logs for the dropped requests, taken so the fixture allows them. */
const takeNetworkErrors = (shop: Shop) =>
  takeFailedLoads(shop, /console error on .*: Failed to load resource: net::ERR_/);

describe.each(['fetch', 'image'])('transport %s', (transport) => {
  test('a network error at delivery: queued, and the next page load delivers it exactly once', async ({ shop }) => {
    const collector = flakyCollector(shop);
    const { clickId, landing, next } = await shopWithClick(shop, 'script', { transport });
    const orderId = `NETERR-${transport}`;
    const tab = await shop.open(landing);
    const queued = await convert(tab, 'script', { orderId, amount: 7 });
    expect(queued).toMatchObject({
      status: 'queued',
      uniqueId: orderId,
      error: `${transport} failed: blocked, or a network error`,
    });
    expect(collector.dropped).toBeGreaterThan(0);
    await takeNetworkErrors(shop);

    collector.failing = false;
    await tab.goto(next);
    await expectConversions(shop.collector, {
      expected: [{ click_id: clickId, unique_id: orderId, amount: '7', _: transport === 'image' ? /^\w+$/ : null }],
    });
    await tab.goto(next);
    await expectConversions(shop.collector, { expected: [{ unique_id: orderId }], quietMs: 500 });
    expect(await reportedStatuses(shop.collector, orderId)).toEqual(['approved']);
  });
});

test('attempts are bounded: after 5 failed deliveries the conversion is dropped, not retried forever', async ({
  shop,
}) => {
  const collector = flakyCollector(shop);
  const { landing, next } = await shopWithClick(shop, 'script', { transport: 'image' });
  const orderId = 'BOUNDED';
  // Retries back off (5 s, 10 s, 20 s after the second failure): a clock the test moves on.
  await shop.context.clock.install();
  // Debug mode says when each retry has finished, so no page is left while one is in flight.
  const tab = await shop.open(landing + '&postclick_debug=1');
  expect(await convert(tab, 'script', { orderId })).toMatchObject({ status: 'queued' });
  const retried = () => shop.console.filter((m) => m.text.startsWith(`postclick: retried ${orderId} from the outbox`));
  for (let attempt = 2; attempt <= 5; attempt++) {
    await shop.context.clock.fastForward('01:00');
    await tab.goto(next + '&postclick_debug=1');
    // The retry waits up to 0.7 s in real time (jitter, claim: Firefox's and WebKit's clock
    // moves Date only, driver.ts), and WebKit's console is collected every 250 ms.
    await expect.poll(() => retried().length, { timeout: 10_000 }).toBe(attempt - 1);
  }
  expect(retried().map((m) => m.text.split(': ').pop()!.trim())).toEqual(['queued', 'queued', 'queued', 'failed']);
  await takeNetworkErrors(shop);

  // The collector works again, but the conversion had its 5 attempts: nothing is sent.
  collector.failing = false;
  await tab.goto(next);
  await shop.open(next);
  await expectConversions(shop.collector, { expected: [], quietMs: 500 });
});

test('storage stays bounded: 120 conversions, sent and queued, leave at most 50 records', async ({ shop }) => {
  shop.requires('offline');
  const { landing } = await shopWithClick(shop, 'module');
  const tab = await shop.open(landing);
  const convertMany = (from: number, to: number): Promise<string[]> =>
    tab.evaluate(`(async () => {
      const { conversion } = await import('/dist/postclick.mjs');
      const statuses = [];
      for (let i = ${from}; i < ${to}; i++) statuses.push((await conversion({ orderId: 'BOUND-' + i, adv1: 'x'.repeat(200) })).status);
      return statuses;
    })()`);
  const storage = () =>
    tab.evaluate(() => ({ keys: localStorage.length, chars: JSON.stringify({ ...localStorage }).length }));

  expect(new Set(await convertMany(0, 60))).toEqual(new Set(['sent']));
  // Arrived before the network goes: a beacon still in flight then is lost (SECURITY.md).
  await expectConversions(shop.collector, {
    expected: Array.from({ length: 60 }, (_, i) => ({ order_id: `BOUND-${i}` })),
    timeoutMs: 10_000,
  });
  await goOffline(shop, tab);
  // Queued records carry their whole URL: the biggest kind.
  expect(new Set(await convertMany(60, 120))).toEqual(new Set(['queued']));

  const { keys, chars } = await storage();
  // 50 records and the click ID's mirror; each queued record is ~400 characters here.
  expect(keys).toBeLessThanOrEqual(51);
  expect(chars).toBeLessThan(51 * 600);
  // The newest are kept (a duplicate), the oldest went first.
  expect((await convert(tab, 'module', { orderId: 'BOUND-119' })).status).toBe('duplicate');
});
