// @ts-check
/**
 * Delivery under unload and the reliability report: N trials of each
 * scenario in headless Chromium against the reference collector on 127.0.0.1, for
 * postclick's `auto` transport and, where it makes the comparison, a naive hand-written
 * `new Image().src = url` pixel. Each trial converts a unique order ID, so the collector's
 * hit log and its `/reports/conversions` say, per trial, what arrived and how it was counted.
 *
 *   npm run bench:reliability            prints the table (TRIALS=50 for a quick run)
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Request } from '@ghostery/adblocker';
import { PlaywrightBlocker } from '@ghostery/adblocker-playwright';
import { relay, toNodeListener } from 'postclick/server';
import { filterLists } from '../scripts/filterlists.mjs';
import { options } from './lib/options.mjs';
import { conversionsSupport, pages, startShop } from './lib/harness.mjs';
import { table } from './lib/markdown.mjs';
import { summarize } from './lib/stats.mjs';

/** @typedef {import('./lib/harness.mjs').BenchShop} BenchShop */
/** @typedef {import('playwright-core').BrowserContext} BrowserContext */
/** @typedef {import('playwright-core').Page} Page */
/**
 * `relay` and `direct` are postclick too, for the relay row: through the shop's own
 * first-party relay, or straight to the network's host.
 * @typedef {'postclick' | 'naive' | 'relay' | 'direct'} Variant
 */

const OFFER = '42';
const AMOUNT = 5;
const { html, js, scriptTagPage, BLANK, results } = pages;
const { paramsOf } = conversionsSupport;

/**
 * The naive pixel a user would otherwise write: the click ID from the landing URL (here the
 * page's own `s1`, as a server template would print it), the order, one image request.
 * @param {string} endpoint
 */
const naivePixel = (endpoint) =>
  `new Image().src = ${js(endpoint)} + '?offer_id=${OFFER}&click_id=' + encodeURIComponent(new URLSearchParams(location.search).get('s1')) + ` +
  `'&order_id=' + encodeURIComponent(new URLSearchParams(location.search).get('order')) + '&amount=${AMOUNT}';`;

/**
 * What the tracker does to particular orders: answer 500 once (`failOnce`), or cut the
 * connection while they are `down`. Every other request reaches the collector as usual.
 */
const trouble = { failOnce: new Set(), down: new Set() };

/** A tracker on its own port that holds each request `delayMs`, then hands it to the collector. @param {BenchShop} shop */
async function startSlowTracker(shop, delayMs = 3000) {
  const server = createServer((req, res) => {
    setTimeout(() => {
      void fetch(shop.collector.url + (req.url ?? '/'), { headers: { cookie: req.headers.cookie ?? '' } })
        .catch(() => {})
        .finally(() => res.writeHead(200, { 'Content-Type': 'image/gif', 'Cache-Control': 'no-store' }).end());
    }, delayMs);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    endpoint: `http://track.shop.test:${port}/c`,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** @type {PlaywrightBlocker | undefined} */
let blocker;
/** The Ghostery engine with EasyList + EasyPrivacy (scripts/filterlists.mjs provisions them). */
const loadBlocker = () =>
  (blocker ??= PlaywrightBlocker.parse(
    filterLists()
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n'),
  ));

/**
 * A real affiliate network's host that EasyPrivacy lists (`||awin1.com^$third-party`),
 * played by the test server (test/e2e/support/browser.ts maps it to 127.0.0.1).
 */
const LISTED_HOST = 'www.awin1.com';
/** Where the shop mounts the first-party relay, on each of its hosts. */
const RELAY_PATH = '/postclick/c';

/**
 * Checks, with the engine the row runs, that the lists block the network's host and not
 * the shop's relay: else the relay row would compare nothing.
 * @param {BenchShop} shop
 */
function checkListed(shop) {
  const page = `${shop.origin('www')}/r/relay-thanks`;
  const blocks = (/** @type {string} */ url, /** @type {'fetch' | 'image'} */ type) =>
    loadBlocker().match(Request.fromRawDetails({ url, sourceUrl: page, type })).match;
  const direct = `http://${LISTED_HOST}:${shop.collector.port}/c?offer_id=${OFFER}`;
  const relayed = `${shop.origin('www')}${RELAY_PATH}?offer_id=${OFFER}`;
  if (!blocks(direct, 'fetch') || !blocks(direct, 'image'))
    throw new Error(`the filter lists do not block ${direct}: the relay row needs a host they list`);
  if (blocks(relayed, 'fetch')) throw new Error(`the filter lists block the relay itself, ${relayed}`);
}

/** Routes of the reliability pages. @param {BenchShop} shop @param {string} slowEndpoint */
function servePages(shop, slowEndpoint) {
  const init = { endpoint: shop.endpoint, offerId: OFFER };
  const crossSite = `http://track.pay.test:${shop.collector.port}/c`;
  // The first-party relay (postclick/server, built), on every host of the shop; the
  // collector plays the network it forwards to (a plain postback URL).
  shop.serve(RELAY_PATH, { raw: toNodeListener(relay({ forward: `${shop.collector.url}/c` })) });
  shop.serve('/r/relay-thanks', (url) =>
    scriptTagPage({ init: { ...init, endpoint: RELAY_PATH }, conversions: [{ orderId: order(url), amount: AMOUNT }] }),
  );
  // The same conversion, straight to the network's listed host.
  shop.serve('/r/listed-thanks', (url) =>
    scriptTagPage({
      init: { ...init, endpoint: `http://${LISTED_HOST}:${shop.collector.port}/c` },
      conversions: [{ orderId: order(url), amount: AMOUNT }],
    }),
  );
  shop.serve('/c', (url) => {
    const order = url.searchParams.get('order_id') ?? '';
    if (trouble.down.has(order)) return 'drop';
    if (!trouble.failOnce.delete(order)) return null;
    const cors = { 'Access-Control-Allow-Origin': shop.origin('www'), 'Access-Control-Allow-Credentials': 'true' };
    return { status: 500, type: 'text/plain', body: 'busy', headers: cors };
  });
  // An endpoint that answers CORS (the collector does) is read with `acknowledge: true`.
  shop.serve('/r/ack-thanks', (url) =>
    scriptTagPage({ init: { ...init, acknowledge: true }, conversions: [{ orderId: order(url), amount: AMOUNT }] }),
  );
  // The network on another site, as an ad blocker sees it.
  shop.serve('/r/xsite-thanks', (url) =>
    scriptTagPage({ init: { ...init, endpoint: crossSite }, conversions: [{ orderId: order(url), amount: AMOUNT }] }),
  );
  shop.serve('/r/xsite-naive', html('', `<p>thank you</p><script>${naivePixel(crossSite)}</script>`));
  // A slow tracker, and a shopper who leaves at once.
  shop.serve('/r/slow', (url) => {
    const call =
      url.searchParams.get('variant') === 'naive'
        ? naivePixel(slowEndpoint)
        : `postclick('init', ${js({ ...init, endpoint: slowEndpoint })});\npostclick('conversion', ${js({ orderId: order(url), amount: AMOUNT })});`;
    const bundle = url.searchParams.get('variant') === 'naive' ? '' : '<script src="/dist/postclick.js"></script>';
    return html(
      '',
      `${bundle}<script>\n${call}\nlocation.href = '/r/next?order=' + ${js(encodeURIComponent(order(url)))};\n</script>`,
    );
  });
  const order = (/** @type {URL} */ url) => url.searchParams.get('order') ?? '';

  // Unload rows: the bundle loads synchronously, so the call and what follows it run in one
  // task, as in a checkout button's handler: `conversion(); location.href = …`, or the tab
  // closed right after (the page signals the harness, which closes it at once).
  shop.serve('/r/unload', (url) => {
    const variant = url.searchParams.get('variant');
    const call =
      variant === 'naive'
        ? naivePixel(shop.endpoint)
        : `postclick('init', ${js(init)});\npostclick('conversion', ${js({ orderId: order(url), amount: AMOUNT })});`;
    const after =
      url.searchParams.get('then') === 'navigate'
        ? `location.href = '/r/next?order=' + encodeURIComponent(${js(order(url))});`
        : `window.__called(${js(order(url))});`;
    const bundle = variant === 'naive' ? '' : '<script src="/dist/postclick.js"></script>';
    return html('', `<p>thank you</p>${bundle}<script>\n${call}\n${after}\n</script>`);
  });
  shop.serve('/r/next', BLANK);
  // Landing page and "any other page of the shop": the snippet of docs/api.md, capture and outbox retry.
  shop.serve('/r/home', scriptTagPage({ init }));
  // Thank-you page: the snippet of docs/api.md with one queued conversion of this URL's order.
  shop.serve('/r/thanks', (url) => scriptTagPage({ init, conversions: [{ orderId: order(url), amount: AMOUNT }] }));
  shop.serve('/r/thanks-naive', () => html('', `<p>thank you</p><script>${naivePixel(shop.endpoint)}</script>`));
}

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Converts on `tab` while the browser is offline, as the variant does; returns how it ended. @param {Page} tab @param {Variant} variant @param {BenchShop} shop @param {string} clickId @param {string} order */
function convertNow(tab, variant, shop, clickId, order) {
  if (variant === 'postclick')
    return tab.evaluate(
      (data) =>
        new Promise((resolve) =>
          /** @type {any} */ (window).postclick('conversion', data, (/** @type {{ status: string }} */ r) =>
            resolve(r.status),
          ),
        ),
      { orderId: order, amount: AMOUNT },
    );
  return tab.evaluate(
    ({ endpoint, clickId, order, amount }) =>
      new Promise((resolve) => {
        const image = new Image();
        image.onload = () => resolve('image load');
        image.onerror = () => resolve('image error');
        image.src = `${endpoint}?offer_id=42&click_id=${encodeURIComponent(clickId)}&order_id=${encodeURIComponent(order)}&amount=${amount}`;
      }),
    { endpoint: shop.endpoint, clickId, order, amount: AMOUNT },
  );
}

/** The thank-you page of the variant, and what its conversion came to (postclick). @param {Page} tab @param {Row} row @param {string} page @param {string} naivePage @param {string} clickId @param {string} order @param {BenchShop} shop */
async function thankYou(tab, row, page, naivePage, clickId, order, shop) {
  if (row.variant === 'postclick') {
    await tab.goto(`${shop.origin('www')}${page}?order=${order}`);
    countStatus(row, (await results(tab, 1, 10_000))[0]?.status);
  } else {
    await tab.goto(`${shop.origin('www')}${naivePage}?s1=${clickId}&order=${order}`);
    await tab.waitForLoadState('load');
  }
}

/**
 * One browser context for a batch of trials, with every page's uncaught exceptions counted
 * and every request to the conversion endpoint noted (started / failed, by order ID).
 * @param {BenchShop} shop @param {Row} row
 */
async function openContext(shop, row) {
  const context = await shop.browser.newContext();
  context.on('page', (page) =>
    page.on('pageerror', (error) => row.pageErrors.push(String(error.message).slice(0, 200))),
  );
  // The conversion endpoint: the network's `/c`, or the relay's `/postclick/c`.
  const isEndpoint = (/** @type {URL} */ url) => url.pathname === '/c' || url.pathname === RELAY_PATH;
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (isEndpoint(url)) row.requests.started.add(url.searchParams.get('order_id') ?? '');
  });
  context.on('requestfailed', (request) => {
    const url = new URL(request.url());
    if (!isEndpoint(url)) return;
    const why = request.failure()?.errorText ?? 'failed';
    row.requests.failed[why] = (row.requests.failed[why] ?? 0) + 1;
  });
  return context;
}

/**
 * @typedef {object} Row
 * @property {string} scenario
 * @property {Variant} variant
 * @property {string[]} orders  one per trial
 * @property {Record<string, number>} client  statuses the pages' callbacks got (postclick)
 * @property {string[]} pageErrors
 * @property {{ started: Set<string>, failed: Record<string, number> }} requests
 * @property {string[]} harness  trials the harness itself could not run as planned
 * @property {Map<string, number>} closedAt  close rows: when the harness began closing the tab (epoch ms)
 */

/** @param {string} scenario @param {Variant} variant @returns {Row} */
const newRow = (scenario, variant) => ({
  scenario,
  variant,
  orders: [],
  client: {},
  pageErrors: [],
  requests: { started: new Set(), failed: {} },
  harness: [],
  closedAt: new Map(),
});

/** @param {Row} row @param {string | undefined} status */
const countStatus = (row, status) => void (row.client[status ?? 'none'] = (row.client[status ?? 'none'] ?? 0) + 1);

const RUN = Date.now().toString(36);
let serial = 0;
/** A fresh order ID: unique per trial, per run. @param {string} scenario @param {Variant} variant */
const orderId = (scenario, variant) => `${scenario}-${variant}-${RUN}-${++serial}`;

/**
 * Runs `trial` for each trial of `row` in this batch; a trial that throws is recorded and
 * the run goes on (its conversion is simply counted, or not, at the collector).
 * @param {Row} row @param {number} count @param {(order: string, i: number) => Promise<void>} trial
 */
async function trials(row, count, trial) {
  for (let i = 0; i < count; i++) {
    const order = orderId(row.scenario, row.variant);
    row.orders.push(order);
    try {
      await trial(order, i);
    } catch (error) {
      row.harness.push(`${order}: ${String(/** @type {Error} */ (error).message).split('\n')[0]}`);
    }
  }
}

/**
 * A reload as soon as the last navigation committed. Right after a commit Chromium may
 * still be swapping the page's frame, and Playwright answers "Not attached to an active
 * page": try again a few milliseconds later, as a second press of F5 would.
 * @param {Page} tab
 */
async function reloadNow(tab) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await tab.reload({ waitUntil: 'commit', timeout: 10_000 });
    } catch (error) {
      if (attempt >= 10 || !/Not attached to an active page/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** The scenarios; each runs `count` trials of one variant in a fresh context. */
const SCENARIOS = {
  /** `conversion()` then `location.href = …` in the same task. */
  async navigate(
    /** @type {BenchShop} */ shop,
    /** @type {Row} */ row,
    /** @type {number} */ count,
    /** @type {string} */ clickId,
  ) {
    const context = await openContext(shop, row);
    try {
      const tab = await context.newPage();
      await trials(row, count, async (order) => {
        const url = `${shop.origin('www')}/r/unload?variant=${row.variant}&then=navigate&s1=${clickId}&order=${order}`;
        await Promise.all([
          tab.waitForURL(`**/r/next?order=${order}`, { timeout: 10_000 }),
          tab.goto(url, { waitUntil: 'commit' }),
        ]);
      });
    } finally {
      await context.close();
    }
  },

  /** `conversion()`, then the tab closed at once: `page.close({ runBeforeUnload: false })`. */
  async close(
    /** @type {BenchShop} */ shop,
    /** @type {Row} */ row,
    /** @type {number} */ count,
    /** @type {string} */ clickId,
  ) {
    const context = await openContext(shop, row);
    // The page calls this right after the conversion call, in the same task; the harness
    // closes the tab as soon as it hears it (one CDP round trip later).
    await context.exposeBinding('__called', ({ page }, /** @type {string} */ order) => {
      row.closedAt.set(order, Date.now());
      void page.close({ runBeforeUnload: false }).catch(() => {});
    });
    try {
      await trials(row, count, async (order) => {
        const tab = await context.newPage();
        const closed = tab.waitForEvent('close', { timeout: 10_000 });
        tab
          .goto(`${shop.origin('www')}/r/unload?variant=${row.variant}&then=close&s1=${clickId}&order=${order}`)
          .catch(() => {});
        try {
          await closed;
        } finally {
          if (!tab.isClosed()) await tab.close();
        }
      });
    } finally {
      await context.close();
    }
  },

  /**
   * Offline (`context.setOffline`), convert, back online, then a second page load that runs
   * postclick. postclick should answer `queued` and deliver once, from its outbox.
   */
  async offline(
    /** @type {BenchShop} */ shop,
    /** @type {Row} */ row,
    /** @type {number} */ count,
    /** @type {string} */ clickId,
  ) {
    const context = await openContext(shop, row);
    try {
      const tab = await context.newPage();
      await tab.goto(`${shop.origin('www')}/r/home?s1=${clickId}`);
      await trials(row, count, async (order) => {
        await context.setOffline(true);
        try {
          if (row.variant === 'postclick') {
            const status = await tab.evaluate(
              (data) =>
                new Promise((resolve) =>
                  /** @type {any} */ (window).postclick('conversion', data, (/** @type {{ status: string }} */ r) =>
                    resolve(r.status),
                  ),
                ),
              { orderId: order, amount: AMOUNT },
            );
            countStatus(row, String(status));
          } else {
            // The naive pixel, as written; the harness only watches how its image ends.
            const ending = await tab.evaluate(
              ({ endpoint, clickId, order, amount }) =>
                new Promise((resolve) => {
                  const image = new Image();
                  image.onload = () => resolve('load');
                  image.onerror = () => resolve('error');
                  image.src = `${endpoint}?offer_id=42&click_id=${encodeURIComponent(clickId)}&order_id=${encodeURIComponent(order)}&amount=${amount}`;
                }),
              { endpoint: shop.endpoint, clickId, order, amount: AMOUNT },
            );
            countStatus(row, `image ${ending}`);
          }
        } finally {
          await context.setOffline(false);
        }
        await tab.goto(`${shop.origin('www')}/r/home`);
      });
    } finally {
      await context.close();
    }
  },

  /** Two tabs open the same thank-you page at the same moment. */
  async racing(
    /** @type {BenchShop} */ shop,
    /** @type {Row} */ row,
    /** @type {number} */ count,
    /** @type {string} */ clickId,
  ) {
    const context = await openContext(shop, row);
    try {
      const [a, b] = [await context.newPage(), await context.newPage()];
      await a.goto(`${shop.origin('www')}/r/home?s1=${clickId}`);
      await trials(row, count, async (order) => {
        const url =
          row.variant === 'postclick'
            ? `${shop.origin('www')}/r/thanks?order=${order}`
            : `${shop.origin('www')}/r/thanks-naive?s1=${clickId}&order=${order}`;
        await Promise.all([a.goto(url), b.goto(url)]);
        if (row.variant === 'postclick')
          for (const [r] of await Promise.all([results(a), results(b)])) countStatus(row, r?.status);
      });
    } finally {
      await context.close();
    }
  },

  /** The thank-you page, then five quick reloads (each as soon as the last one commits). */
  async storm(
    /** @type {BenchShop} */ shop,
    /** @type {Row} */ row,
    /** @type {number} */ count,
    /** @type {string} */ clickId,
  ) {
    const context = await openContext(shop, row);
    try {
      const tab = await context.newPage();
      await tab.goto(`${shop.origin('www')}/r/home?s1=${clickId}`);
      await trials(row, count, async (order) => {
        const url =
          row.variant === 'postclick'
            ? `${shop.origin('www')}/r/thanks?order=${order}`
            : `${shop.origin('www')}/r/thanks-naive?s1=${clickId}&order=${order}`;
        await tab.goto(url, { waitUntil: 'commit' });
        for (let i = 0; i < 5; i++) await reloadNow(tab);
        await tab.waitForLoadState('load');
        if (row.variant === 'postclick') countStatus(row, (await results(tab))[0]?.status);
      });
    } finally {
      await context.close();
    }
  },

  /** The tracker answers 500 to each conversion's first request, then recovers; the shopper browses on. */
  async error500(
    /** @type {BenchShop} */ shop,
    /** @type {Row} */ row,
    /** @type {number} */ count,
    /** @type {string} */ clickId,
  ) {
    const context = await openContext(shop, row);
    try {
      const tab = await context.newPage();
      await tab.goto(`${shop.origin('www')}/r/home?s1=${clickId}`);
      await trials(row, count, async (order) => {
        trouble.failOnce.add(order);
        await thankYou(tab, row, '/r/ack-thanks', '/r/thanks-naive', clickId, order, shop);
        // The next page of the shop: its outbox retry needs a moment before the shopper moves on.
        await tab.goto(`${shop.origin('www')}/r/home`);
        await sleep(500);
      });
    } finally {
      await context.close();
    }
  },

  /** The tracker refuses connections for 10 s around a batch of conversions; then the shopper comes back. */
  async down(
    /** @type {BenchShop} */ shop,
    /** @type {Row} */ row,
    /** @type {number} */ count,
    /** @type {string} */ clickId,
  ) {
    const context = await openContext(shop, row);
    try {
      await context.clock.install();
      const tab = await context.newPage();
      await tab.goto(`${shop.origin('www')}/r/home?s1=${clickId}`);
      const started = Date.now();
      const batch = /** @type {string[]} */ ([]);
      await trials(row, count, async (order) => {
        trouble.down.add(order);
        batch.push(order);
        await thankYou(tab, row, '/r/thanks', '/r/thanks-naive', clickId, order, shop);
      });
      await sleep(Math.max(0, started + 10_000 - Date.now()));
      for (const order of batch) trouble.down.delete(order);
      // The shopper's next visit, a few minutes on: retries back off after a second failure.
      await context.clock.fastForward('05:00');
      await tab.goto(`${shop.origin('www')}/r/home`);
      await sleep(2000);
    } finally {
      await context.close();
    }
  },

  /** A shopper with EasyList + EasyPrivacy in the Ghostery engine; the network's endpoint on another site. */
  async blocker(
    /** @type {BenchShop} */ shop,
    /** @type {Row} */ row,
    /** @type {number} */ count,
    /** @type {string} */ clickId,
  ) {
    const engine = loadBlocker();
    const context = await openContext(shop, row);
    try {
      const tab = await context.newPage();
      await engine.enableBlockingInPage(/** @type {any} */ (tab));
      await tab.goto(`${shop.origin('www')}/r/home?s1=${clickId}`);
      await trials(row, count, (order) =>
        thankYou(tab, row, '/r/xsite-thanks', '/r/xsite-naive', clickId, order, shop),
      );
    } finally {
      await context.close();
    }
  },

  /**
   * The same blocker; postclick's thank-you page sends through the shop's first-party relay
   * (`relay`), or straight to a network host that EasyPrivacy lists (`direct`).
   */
  async relayBlocker(
    /** @type {BenchShop} */ shop,
    /** @type {Row} */ row,
    /** @type {number} */ count,
    /** @type {string} */ clickId,
  ) {
    const engine = loadBlocker();
    const context = await openContext(shop, row);
    try {
      const tab = await context.newPage();
      await engine.enableBlockingInPage(/** @type {any} */ (tab));
      await tab.goto(`${shop.origin('www')}/r/home?s1=${clickId}`);
      const thanks = row.variant === 'relay' ? '/r/relay-thanks' : '/r/listed-thanks';
      await trials(row, count, async (order) => {
        await tab.goto(`${shop.origin('www')}${thanks}?order=${order}`);
        countStatus(row, (await results(tab, 1, 10_000))[0]?.status);
      });
      // The blocker is Playwright request interception: a request still paused in it when its
      // page or context closes is let go by Chromium, unblocked (measured: 5 of 30 keepalive
      // fetches to the listed host arrived when the page closed right after sending them, none
      // when it navigated). An extension blocks in the network stack and lets nothing go, so
      // the batch ends on a page without postclick, after the last outbox retries have settled.
      await tab.goto(`${shop.origin('www')}/r/next`);
      await sleep(1000);
    } finally {
      await context.close();
    }
  },

  /** Offline on checkout.: convert, leave; online again, the shopper's next page is on www. */
  async site(
    /** @type {BenchShop} */ shop,
    /** @type {Row} */ row,
    /** @type {number} */ count,
    /** @type {string} */ clickId,
  ) {
    const context = await openContext(shop, row);
    try {
      await trials(row, count, async (order) => {
        const checkout = await context.newPage();
        await checkout.goto(`${shop.origin('checkout')}/r/home?s1=${clickId}`);
        await context.setOffline(true);
        try {
          countStatus(row, String(await convertNow(checkout, row.variant, shop, clickId, order)));
          await checkout.close();
        } finally {
          await context.setOffline(false);
        }
        const www = await context.newPage();
        await www.goto(`${shop.origin('www')}/r/home`);
        await sleep(600);
        await www.close();
      });
    } finally {
      await context.close();
    }
  },

  /** Three tabs of the shop open while offline; the conversion queued in one; back online. */
  async tabs(
    /** @type {BenchShop} */ shop,
    /** @type {Row} */ row,
    /** @type {number} */ count,
    /** @type {string} */ clickId,
  ) {
    const context = await openContext(shop, row);
    try {
      /** @type {Page[]} */
      const tabs = [];
      for (let i = 0; i < 3; i++) {
        const tab = await context.newPage();
        await tab.goto(`${shop.origin('www')}/r/home${i ? '' : `?s1=${clickId}`}`);
        tabs.push(tab);
      }
      await trials(row, count, async (order) => {
        await context.setOffline(true);
        try {
          countStatus(row, String(await convertNow(tabs[0], row.variant, shop, clickId, order)));
        } finally {
          await context.setOffline(false);
        }
        await sleep(700);
      });
    } finally {
      await context.close();
    }
  },

  /**
   * A tracker that answers after 3 s, and a shopper who leaves the thank-you page at once;
   * then (the browser clock moved on two minutes) the shopper's next page of the shop.
   */
  async slowLeave(
    /** @type {BenchShop} */ shop,
    /** @type {Row} */ row,
    /** @type {number} */ count,
    /** @type {string} */ clickId,
  ) {
    const context = await openContext(shop, row);
    try {
      await context.clock.install();
      const tab = await context.newPage();
      await tab.goto(`${shop.origin('www')}/r/home?s1=${clickId}`);
      await trials(row, count, async (order) => {
        await Promise.all([
          tab.waitForURL(`**/r/next?order=${encodeURIComponent(order)}`, { timeout: 10_000 }),
          tab.goto(`${shop.origin('www')}/r/slow?variant=${row.variant}&s1=${clickId}&order=${order}`, {
            waitUntil: 'commit',
          }),
        ]);
      });
      await sleep(3500);
      await context.clock.fastForward('02:00');
      await tab.goto(`${shop.origin('www')}/r/home`);
      await sleep(1500);
    } finally {
      await context.close();
    }
  },
};

/** @typedef {keyof typeof SCENARIOS} Scenario */

/** What each scenario is called in the table. @type {Record<Scenario, string>} */
export const SCENARIO_NAMES = {
  navigate: 'conversion, then `location.href = …` in the same task',
  close: 'conversion, then the tab closed (`page.close({ runBeforeUnload: false })`)',
  offline: 'offline (`context.setOffline`) → convert → online → second page load',
  racing: 'two tabs open the same thank-you page at once',
  storm: 'refresh storm: thank-you page + 5 quick reloads',
  error500: 'the tracker answers 500 once, then recovers; the shopper browses on (postclick: `acknowledge: true`)',
  down: 'the tracker down (connection refused) for 10 s while the shopper browses; the next visit 5 min later',
  blocker: 'a blocker (Ghostery engine, EasyList + EasyPrivacy); the endpoint on another site',
  relayBlocker: `blocker with EasyPrivacy: via first-party relay vs direct to the network's host (\`${LISTED_HOST}\`, listed \`||awin1.com^$third-party\`)`,
  site: 'queued offline on `checkout.`, delivered from the next page on `www.`',
  tabs: 'three tabs open, the conversion queued offline in one, back online',
  slowLeave: 'a slow tracker (3 s) and the shopper leaves at once; the next page two minutes later',
};

/** What each variant is called in the table. @type {Record<Variant, string>} */
const VARIANT_NAMES = {
  postclick: 'postclick `auto`',
  naive: 'naive `new Image().src`',
  relay: `postclick \`auto\` via the relay (\`${RELAY_PATH}\`, same origin)`,
  direct: `postclick \`auto\` straight to \`${LISTED_HOST}\``,
};

/**
 * Waits until the collector has stopped receiving hits for these orders (nothing new for
 * `quietMs`, at most `timeoutMs`), so late beacons are counted before the table is made.
 * @param {BenchShop} shop @param {Set<string>} orders
 */
async function settle(shop, orders, quietMs = 750, timeoutMs = 8000) {
  const count = () => shop.collector.hits.filter((hit) => orders.has(paramsOf(hit).order_id ?? '')).length;
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let since = Date.now();
  while (Date.now() < deadline) {
    const now = count();
    if (now !== last) [last, since] = [now, Date.now()];
    else if (Date.now() - since >= quietMs) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Per trial, at the collector: hits received, and the statuses it stored.
 * @param {BenchShop} shop @param {Row} row
 */
async function tally(shop, row) {
  const orders = new Set(row.orders);
  await settle(shop, orders);
  /** @type {Map<string, number>} */
  const hits = new Map();
  /** @type {Map<string, number>} first arrival per order (epoch ms, the collector's clock = ours) */
  const firstAt = new Map();
  /** @type {Record<string, number>} */
  const methods = {};
  for (const hit of shop.collector.hits) {
    const order = paramsOf(hit).order_id;
    if (!order || !orders.has(order)) continue;
    hits.set(order, (hits.get(order) ?? 0) + 1);
    if (!firstAt.has(order)) firstAt.set(order, hit.at);
    methods[hit.method] = (methods[hit.method] ?? 0) + 1;
  }
  /** @type {{ order_id: string | null, status: string }[]} */
  const stored = await (await fetch(`${shop.collector.url}/reports/conversions`)).json();
  /** @type {Record<string, number>} */
  const statuses = {};
  const approved = new Set();
  for (const conversion of stored) {
    if (!conversion.order_id || !orders.has(conversion.order_id)) continue;
    statuses[conversion.status] = (statuses[conversion.status] ?? 0) + 1;
    if (conversion.status === 'approved') approved.add(conversion.order_id);
  }
  const extra = [...hits.values()].reduce((n, h) => n + h - 1, 0);
  // Close rows: when the request arrived, relative to the moment the harness began closing.
  const arrivals = [...row.closedAt]
    .filter(([order]) => firstAt.has(order))
    .map(([order, at]) => /** @type {number} */ (firstAt.get(order)) - at);
  return {
    scenario: row.scenario,
    variant: row.variant,
    trials: row.orders.length,
    delivered: approved.size,
    reached: hits.size,
    extraHits: extra,
    duplicateStatus: statuses.duplicate ?? 0,
    statuses,
    methods,
    pageErrors: row.pageErrors.length,
    pageErrorSamples: [...new Set(row.pageErrors)].slice(0, 3),
    client: row.client,
    requestsStarted: [...row.requests.started].filter((o) => orders.has(o)).length,
    requestsFailed: row.requests.failed,
    harness: row.harness,
    closeTimings: row.closedAt.size
      ? {
          closed: row.closedAt.size,
          arrivedBeforeClose: arrivals.filter((d) => d <= 0).length,
          arrivalVsClose: summarize(arrivals),
        }
      : undefined,
  };
}
/** @typedef {Awaited<ReturnType<typeof tally>>} Tally */

/** Runs `jobs`, at most `limit` at once. @param {(() => Promise<void>)[]} jobs @param {number} limit */
async function pool(jobs, limit) {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

/**
 * Runs every scenario: `trials` per row, in contexts of `batch` trials; the variants of a
 * scenario take turns batch by batch, so both meet the same machine.
 * Batches run `parallel` at a time, each in its own context (its own storage): a trial
 * shares nothing with the trials of other batches but the browser and the collector.
 * @param {{ trials: number, batch: number, parallel?: number, naiveEverywhere?: boolean, scenarios?: string[], log?: (line: string) => void }} options
 */
export async function measureReliability({
  trials: perRow,
  batch,
  parallel = 1,
  naiveEverywhere = false,
  scenarios,
  log = () => {},
}) {
  const shop = await startShop();
  const slow = await startSlowTracker(shop);
  try {
    servePages(shop, slow.endpoint);
    if (!scenarios || scenarios.includes('relayBlocker')) checkListed(shop);
    const chromium = shop.browser.version();
    /** @type {Tally[]} */
    const rows = [];
    /** @type {[Scenario, Variant[]][]} */
    const plan = [
      ['navigate', ['postclick', 'naive']],
      ['close', ['postclick', 'naive']],
      ['offline', ['postclick', 'naive']],
      ['racing', naiveEverywhere ? ['postclick', 'naive'] : ['postclick']],
      ['storm', naiveEverywhere ? ['postclick', 'naive'] : ['postclick']],
      ['error500', ['postclick', 'naive']],
      ['down', ['postclick', 'naive']],
      ['blocker', ['postclick', 'naive']],
      ['relayBlocker', ['relay', 'direct']],
      ['site', ['postclick', 'naive']],
      ['tabs', ['postclick', 'naive']],
      ['slowLeave', ['postclick', 'naive']],
    ];
    for (const [scenario, variants] of plan.filter(([name]) => !scenarios || scenarios.includes(name))) {
      const started = Date.now();
      const clickId = await shop.clickId(OFFER);
      const scenarioRows = variants.map((variant) => newRow(scenario, variant));
      /** @type {(() => Promise<void>)[]} */
      const jobs = [];
      for (let done = 0; done < perRow; done += batch) {
        for (const row of scenarioRows) {
          const count = Math.min(batch, perRow - done);
          jobs.push(() =>
            SCENARIOS[scenario](shop, row, count, clickId).catch((error) => {
              row.harness.push(`a batch of ${count}: ${String(error.message).split('\n')[0]}`);
            }),
          );
        }
      }
      await pool(jobs, parallel);
      for (const row of scenarioRows) {
        const t = await tally(shop, row);
        rows.push(t);
        log(
          `${scenario} / ${row.variant}: delivered ${t.delivered}/${t.trials}, extra hits ${t.extraHits}, duplicate ${t.duplicateStatus}, page errors ${t.pageErrors}`,
        );
      }
      log(`${scenario}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      shop.collector.clearHits();
    }
    return { rows, chromium, trials: perRow, batch, parallel };
  } finally {
    slow.close();
    await shop.close();
  }
}

const list = (/** @type {Record<string, number>} */ counts) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

/** A row's notes: what the pages were told, how it travelled, what the browser reported. @param {Tally} t */
function notes(t) {
  const parts = [];
  if (Object.keys(t.client).length) parts.push(`${t.variant === 'naive' ? 'image' : 'results'}: ${list(t.client)}`);
  if (Object.keys(t.methods).length) parts.push(`hits by method: ${list(t.methods)}`);
  const other = Object.fromEntries(Object.entries(t.statuses).filter(([s]) => s !== 'approved' && s !== 'duplicate'));
  if (Object.keys(other).length) parts.push(`other statuses: ${list(other)}`);
  if (t.closeTimings) {
    const { closed, arrivedBeforeClose, arrivalVsClose: d } = t.closeTimings;
    parts.push(
      `of ${closed} tabs closed, the request reached the collector before the close began in ${arrivedBeforeClose}, after it in ${d.n - arrivedBeforeClose}, never in ${closed - d.n}` +
        (d.n
          ? ` (arrival − start of close: median ${d.median.toFixed(0)} ms, range ${d.min.toFixed(0)} to ${d.max.toFixed(0)} ms)`
          : ''),
    );
  }
  if (t.scenario === 'close' || t.delivered < t.trials) {
    parts.push(`requests Chromium reported starting: ${t.requestsStarted}/${t.trials}`);
    if (Object.keys(t.requestsFailed).length) parts.push(`reported failed: ${list(t.requestsFailed)}`);
  }
  if (t.pageErrorSamples.length) parts.push(`errors: ${t.pageErrorSamples.join(' / ')}`);
  if (t.harness.length)
    parts.push(`${t.harness.length} trial(s) the harness could not drive as planned, e.g. ${t.harness[0]}`);
  return parts.join('; ');
}

/** The reliability table. @param {Awaited<ReturnType<typeof measureReliability>>} result */
export function reliabilityMarkdown({ rows }) {
  return table(
    ['scenario', 'variant', 'trials', 'delivered', 'extra hits', '`duplicate` at collector', 'page errors', 'notes'],
    rows.map((t) => [
      SCENARIO_NAMES[/** @type {Scenario} */ (t.scenario)],
      VARIANT_NAMES[t.variant],
      t.trials,
      `${t.delivered} (${((100 * t.delivered) / t.trials).toFixed(1)} %)`,
      t.extraHits,
      t.duplicateStatus,
      t.pageErrors,
      notes(t),
    ]),
    'llrrrrrl',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  const result = await measureReliability({
    trials: options.trials,
    batch: options.batch,
    parallel: options.parallel,
    naiveEverywhere: options.naiveEverywhere,
    scenarios: options.scenarios,
    log: console.error,
  });
  console.log(
    `Chromium ${result.chromium}, ${result.trials} trials per row, ${result.batch} per browser context, ${result.parallel} contexts at a time\n`,
  );
  console.log(reliabilityMarkdown(result));
  console.error(`reliability: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
