/**
 * docs/protocol.md, "Storage that is missing or throws degrades to what works, down to memory for
 * the page's life", in every engine, for each combination a shopper's browser can present:
 * cookies disabled (the engine's own switch: driver.ts), `localStorage` throwing, `localStorage` full,
 * and a sandboxed frame where both throw natively. In each, capture and conversion work
 * (across pages where some storage persists, within the page where none does), a second
 * call is a duplicate, nothing reaches the page as an exception (the fixture checks), and
 * debug mode says where the click ID went. hostile-pages.test.ts covers storage that
 * throws through an init script; this file does not repeat those.
 */
import type { Frame, Page } from './support/driver';
import { reportedStatuses } from './support/conversions';
import { attr, html, page, type Result } from './support/pages';
import { describe, expect, expectConversions, test, type Shop } from './support/shop';

const OFFER = '42';

/** Makes `localStorage` throw on access, as when site data is blocked. */
const LOCAL_STORAGE_THROWS = `Object.defineProperty(window, 'localStorage', { configurable: true,
  get: function () { throw new DOMException('access denied', 'SecurityError') } });`;

/**
 * Fills this origin's `localStorage` to its quota before any page script runs: 1 MB values
 * until one is refused, then halves down to a single character, so no write of postclick's
 * can fit. Once full, a page only probes.
 */
const LOCAL_STORAGE_FULL = `(function () {
  try {
    var storage = window.localStorage;
    try { storage.setItem('fill-probe', 'x'); storage.removeItem('fill-probe'); } catch (full) { return; }
    var chunk = new Array((1 << 20) + 1).join('x');
    for (var i = 0; ; i++) try { storage.setItem('fill-' + i, chunk); } catch (full) { break; }
    for (var size = 1 << 19; size >= 1; size >>= 1) try { storage.setItem('fill-' + size + '-', chunk.slice(0, size)); } catch (full) {}
  } catch (blocked) {}
})();`;

type Cookies = 'enabled' | 'disabled';
type Local = 'works' | 'throws' | 'full';

/** Switches the engine's cookies off for this test: first, before any page or init script. */
async function setCookies(shop: Shop, cookies: Cookies, local: Local): Promise<void> {
  if (cookies !== 'disabled') return;
  // Where the engine's switch blocks localStorage as well, only "throws" can be set up.
  if (local !== 'throws') shop.requires('cookies off alone');
  await shop.disableCookies();
}

const openTab = async (shop: Shop): Promise<Page> => (await shop.context.newPage()) as unknown as Page;

/** What the page's storage does, so a passing test cannot be a test of nothing. */
const probeStorage = (target: Page | Frame) =>
  target.evaluate(() => {
    const outcome = (task: () => unknown) => {
      try {
        return task();
      } catch (error) {
        return (error as Error).name;
      }
    };
    return {
      cookies: outcome(() => {
        document.cookie = 'probe=1';
        return /probe=1/.test(document.cookie) ? 'works' : 'ignored';
      }),
      localStorage: outcome(() => {
        localStorage.setItem('probe-write', 'x'.repeat(16));
        localStorage.removeItem('probe-write');
        return 'works';
      }),
    };
  });

const expectedProbe = {
  enabled: 'works',
  disabled: 'ignored',
  works: 'works',
  throws: 'SecurityError',
  full: 'QuotaExceededError',
};

/** The pages: a landing, a thank-you page, and one page that is both and converts twice. */
function serveShop(shop: Shop, orderId: string) {
  const init = { endpoint: shop.endpoint, offerId: OFFER };
  const order = { orderId, amount: 4 };
  shop.serve('/landing', page('script', { init }));
  shop.serve('/thanks', page('script', { init, conversions: [order] }));
  shop.serve('/one-page', page('script', { init, conversions: [order, order] }));
}

/** What debug mode says about where a captured click ID was stored. */
const storedIn = (shop: Shop) =>
  shop.console.filter((m) => /^postclick: stored in /.test(m.text)).map((m) => m.text.trim());

async function resultsOf(target: Page | Frame, count: number): Promise<Result[]> {
  await target.waitForFunction((n) => ((window as { results?: unknown[] }).results || []).length >= n, count);
  return target.evaluate(() => (window as unknown as { results: Result[] }).results);
}

// Where some storage survives the page, the click ID crosses from landing to thank-you. The
// fired mark lives in localStorage only (postclick writes no cookie but its click ID's): where
// localStorage fails, a reload of the thank-you page sends again, and the network dedups it.
describe.each<[Cookies, Local, string]>([
  ['disabled', 'works', 'postclick: stored in localStorage'],
  ['enabled', 'full', 'postclick: stored in cookie + memory (localStorage unavailable or consent pending)'],
  ['enabled', 'throws', 'postclick: stored in cookie + memory (localStorage unavailable or consent pending)'],
])('cookies %s, localStorage %s', (cookies, local, said) => {
  test('the click ID survives from landing to thank-you; the network counts one; debug says where it was stored', async ({
    shop,
  }) => {
    await setCookies(shop, cookies, local);
    if (local === 'full') await shop.context.addInitScript(LOCAL_STORAGE_FULL);
    if (local === 'throws') await shop.context.addInitScript(LOCAL_STORAGE_THROWS);
    const orderId = `HS-${cookies}-${local}`;
    serveShop(shop, orderId);
    const { clickId, landing } = await shop.click(OFFER, `${shop.origin('www')}/landing?postclick_debug=1`);

    const tab = await openTab(shop);
    await tab.goto(landing);
    expect(await probeStorage(tab)).toEqual({ cookies: expectedProbe[cookies], localStorage: expectedProbe[local] });
    expect(storedIn(shop)).toEqual([said]);

    // The production bundle from here on.
    await tab.goto(`${shop.origin('www')}/thanks`);
    expect(await resultsOf(tab, 1)).toEqual([expect.objectContaining({ status: 'sent' })]);
    await tab.reload();
    const marked = local === 'works';
    expect(await resultsOf(tab, 1)).toEqual([expect.objectContaining({ status: marked ? 'duplicate' : 'sent' })]);
    await expectConversions(shop.collector, {
      expected: Array.from({ length: marked ? 1 : 2 }, () => ({
        click_id: clickId,
        order_id: orderId,
        unique_id: orderId,
      })),
    });
    expect(await reportedStatuses(shop.collector, orderId)).toEqual(marked ? ['approved'] : ['approved', 'duplicate']);
  });
});

// Where nothing survives the page, memory carries the click ID and the fired mark for its life.
describe.each<[Cookies, Local]>([
  ['disabled', 'throws'],
  ['disabled', 'full'],
])('cookies %s, localStorage %s', (cookies, local) => {
  test('capture and conversion work within the page, a second call is a duplicate; debug says memory', async ({
    shop,
  }) => {
    await setCookies(shop, cookies, local);
    await shop.context.addInitScript(local === 'full' ? LOCAL_STORAGE_FULL : LOCAL_STORAGE_THROWS);
    const orderId = `HS-${cookies}-${local}`;
    serveShop(shop, orderId);

    const tab = await openTab(shop);
    await tab.goto(`${shop.origin('www')}/one-page?s1=memory-debug&postclick_debug=1`);
    expect(await probeStorage(tab)).toEqual({ cookies: expectedProbe[cookies], localStorage: expectedProbe[local] });
    // The duplicate is decided at once and may resolve first.
    expect((await resultsOf(tab, 2)).map((r) => r.status).sort()).toEqual(['duplicate', 'sent']);
    expect(storedIn(shop)).toEqual(['postclick: stored in memory (localStorage unavailable or consent pending)']);

    // The production bundle: the same, and a new page starts from nothing (no_click_id).
    await tab.goto(`${shop.origin('www')}/one-page?s1=memory-prod`);
    expect((await resultsOf(tab, 2)).map((r) => r.status).sort()).toEqual(['duplicate', 'sent']);
    await tab.goto(`${shop.origin('www')}/thanks`);
    expect(await resultsOf(tab, 1)).toEqual([expect.objectContaining({ status: 'no_click_id' })]);

    await expectConversions(shop.collector, {
      expected: [
        { click_id: 'memory-debug', order_id: orderId },
        { click_id: 'memory-prod', order_id: orderId },
      ],
    });
  });
});

test('a sandboxed iframe without allow-same-origin (both storages throw natively) converts once from memory', async ({
  shop,
}) => {
  shop.requires('frames');
  serveShop(shop, 'HS-sandbox');
  const frameUrl = (clickId: string, debug: boolean) => `/one-page?s1=${clickId}${debug ? '&postclick_debug=1' : ''}`;
  shop.serve('/host', (url) =>
    html(
      '',
      `<iframe sandbox="allow-scripts" src="${attr(frameUrl(url.searchParams.get('click')!, url.searchParams.has('debug')))}"></iframe>`,
    ),
  );

  for (const [clickId, debug] of [
    ['sandbox-debug', true],
    ['sandbox-prod', false],
  ] as const) {
    const tab = await shop.open(`${shop.origin('www')}/host?click=${clickId}${debug ? '&debug' : ''}`);
    const frame = (tab as unknown as Page).frames().find((f) => f.url() !== tab.url())!;
    expect(await probeStorage(frame)).toEqual({ cookies: 'SecurityError', localStorage: 'SecurityError' });
    expect((await resultsOf(frame, 2)).map((r) => r.status).sort()).toEqual(['duplicate', 'sent']);
    await tab.close();
  }
  expect(storedIn(shop)).toEqual(['postclick: stored in memory (localStorage unavailable or consent pending)']);
  await expectConversions(shop.collector, {
    expected: [
      { click_id: 'sandbox-debug', order_id: 'HS-sandbox' },
      { click_id: 'sandbox-prod', order_id: 'HS-sandbox' },
    ],
  });
});

test('storage cleared between landing and thank-you: no_click_id, nothing sent', async ({ shop }) => {
  serveShop(shop, 'HS-cleared');
  const tab = await shop.open(`${shop.origin('www')}/landing?s1=cleared-1`);
  expect((await shop.context.cookies()).map((c) => c.name)).toContain('_postclick');
  // What "clear browsing data" does between the two visits.
  await shop.context.clearCookies();
  await tab.evaluate(() => localStorage.clear());

  await tab.goto(`${shop.origin('www')}/thanks`);
  expect(await resultsOf(tab, 1)).toEqual([expect.objectContaining({ status: 'no_click_id' })]);
  await expectConversions(shop.collector, { expected: [] });
});
