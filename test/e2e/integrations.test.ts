/**
 * The integrations of docs/api.md and docs/snippet.md in Chromium, against the built bundles: consent held in
 * memory, links decorated for a cross-domain checkout, a clean address bar, and the snippet
 * tool's output pasted into a page, with JavaScript on and off. Each asserts on what a
 * server received: the collector's `/c`, or the other site's own pages.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { BLANK, html, page, results } from './support/pages';
import { describe, expect, expectConversions, test, type Shop } from './support/shop';

const OFFER = '42';
const CLI = fileURLToPath(new URL('../../dist/cli.mjs', import.meta.url));

/** What the page's storage holds: the `_postclick` cookie (or null) and every localStorage key. */
const storage = (tab: Page) =>
  tab.evaluate(() => ({
    cookie: /(?:^|; )_postclick=([^;]*)/.exec(document.cookie)?.[1] ?? null,
    localStorage: Object.keys(localStorage),
  }));

/** Runs `postclick(name, …args)` on the page and resolves with what its callback receives. */
const call = (tab: Page, name: string, ...args: unknown[]) =>
  tab.evaluate(
    ([name, args]) =>
      new Promise((resolve) =>
        (window as unknown as { postclick: (...a: unknown[]) => void }).postclick(name, ...args, resolve),
      ),
    [name, args] as const,
  );

describe("consent: 'pending'", () => {
  /** A landing-and-thank-you page in one: capture, then a conversion, both before consent. */
  async function pendingPage(shop: Shop, clickId: string, orderId: string) {
    const init = { endpoint: shop.endpoint, offerId: OFFER, consent: 'pending' };
    shop.serve('/thanks', page('script', { init, conversions: [{ orderId, amount: 30 }] }));
    const tab = await shop.open(`${shop.origin('www')}/thanks?s1=${clickId}`);
    const [result] = await results(tab);
    expect(result).toMatchObject({ status: 'queued', uniqueId: orderId });
    // Held in memory only: the SDK knows the click ID, the browser's storage has nothing.
    expect(await call(tab, 'getClickId')).toBe(clickId);
    expect(await storage(tab)).toEqual({ cookie: null, localStorage: [] });
    expect(await tab.context().cookies()).toEqual([]);
    await expectConversions(shop.collector, { expected: [] });
    return tab;
  }

  test('consent(true) stores the click ID and sends the held conversion, once', async ({ shop }) => {
    const tab = await pendingPage(shop, 'consent-yes', 'C-yes');

    await call(tab, 'consent', true);
    await expectConversions(shop.collector, {
      expected: [{ click_id: 'consent-yes', order_id: 'C-yes', unique_id: 'C-yes', offer_id: OFFER, amount: '30' }],
    });
    const stored = await storage(tab);
    expect(stored.cookie).toBe('consent-yes');
    expect(stored.localStorage).toContain('_postclick');
    expect(stored.localStorage).toContain('postclick:C-yes');

    // Stored for real: a reload (consent is asked again, but the marks persisted) sends nothing more.
    await tab.reload();
    expect(await results(tab)).toEqual([expect.objectContaining({ status: 'duplicate', uniqueId: 'C-yes' })]);
    await expectConversions(shop.collector, { expected: [{ order_id: 'C-yes' }] });
  });

  test('consent(false) drops the click ID and the conversion', async ({ shop }) => {
    const tab = await pendingPage(shop, 'consent-no', 'C-no');

    await call(tab, 'consent', false);
    expect(await call(tab, 'getClickId')).toBeNull();
    expect(await storage(tab)).toEqual({ cookie: null, localStorage: [] });
    // A conversion after refusal is not even queued, with a click ID of its own or without one.
    expect(await call(tab, 'conversion', { orderId: 'C-no-2', clickId: 'explicit-1' })).toMatchObject({
      status: 'failed',
    });
    expect(await call(tab, 'conversion', { orderId: 'C-no-3' })).toMatchObject({ status: 'no_click_id' });
    // Nothing survives into the next page either: no click ID to attribute its conversion to.
    await tab.goto(`${shop.origin('www')}/thanks`);
    expect(await results(tab)).toEqual([expect.objectContaining({ status: 'no_click_id' })]);
    expect(await call(tab, 'getClickId')).toBeNull();
    await expectConversions(shop.collector, { expected: [] });
  });

  test("a click captured while pending replaces an older stored one (attribution 'last')", async ({ shop }) => {
    // A returning visitor: an earlier visit, with consent, stored `old-1`.
    shop.serve('/landing', page('script', { init: { endpoint: shop.endpoint, offerId: OFFER } }));
    const tab = await shop.open(`${shop.origin('www')}/landing?s1=old-1`);
    expect((await storage(tab)).cookie).toBe('old-1');

    // Today they arrive from a new click, and the consent banner has not been answered yet.
    const init = { endpoint: shop.endpoint, offerId: OFFER, consent: 'pending' };
    shop.serve('/thanks', page('script', { init, conversions: [{ orderId: 'C-last' }] }));
    await tab.goto(`${shop.origin('www')}/thanks?s1=new-1`);
    expect(await results(tab)).toEqual([
      expect.objectContaining({ status: 'queued', url: expect.stringContaining('click_id=new-1&') }),
    ]);
    expect(await call(tab, 'getClickId')).toBe('new-1');

    await call(tab, 'consent', true);
    await expectConversions(shop.collector, { expected: [{ click_id: 'new-1', order_id: 'C-last' }] });
    expect((await storage(tab)).cookie).toBe('new-1');
  });
});

describe("decorate: ['pay.test']", () => {
  /** The other sites' pages: each records the full URL it was asked for, and answers a page. */
  function checkoutSite(shop: Shop) {
    const received: string[] = [];
    for (const path of ['/pay', '/other']) {
      shop.serve(path, (url) => {
        received.push(url.href);
        return html('', `<p>${url.hostname}${path}</p>`);
      });
    }
    return received;
  }

  /** The shop's page with the links and forms, after capture of `clickId`. */
  async function shopPage(shop: Shop, clickId: string) {
    const pay = `http://checkout.pay.test:${shop.port}/pay`;
    const init = { endpoint: shop.endpoint, offerId: OFFER, decorate: ['pay.test'] };
    const body = `
      <a id="pay" href="${pay}?step=1&amp;note=a%20b%2Bc">pay</a>
      <a id="own" href="${shop.origin('checkout')}/other?step=1">own checkout</a>
      <a id="lookalike" href="http://pay.test.shop.test:${shop.port}/other?step=1">lookalike</a>
      <form id="get" method="get" action="${pay}?dropped=1"><input name="q" value="x y"><button>get</button></form>
      <form id="post" method="post" action="${pay}?form=post"><input name="q" value="x"><button>post</button></form>`;
    shop.serve('/shop', page('script', { init, body }));
    const tab = await shop.open(`${shop.origin('www')}/shop?s1=${clickId}`);
    const ready = () => tab.waitForFunction(() => (window as { postclick?: { loaded?: number } }).postclick?.loaded);
    await ready();
    /**
     * Back to the shop page. A fresh load rather than `goBack()`: going back across sites
     * swaps renderer processes, and Playwright then sometimes finds the page detached.
     */
    const back = async () => {
      await tab.goto(`${shop.origin('www')}/shop`);
      return ready();
    };
    return { tab, pay, back };
  }

  /** Follows whatever `act` does on the shop page; resolves with the URL the other site received. */
  async function follow(received: string[], act: () => Promise<unknown>) {
    const before = received.length;
    await act();
    await expect.poll(() => received.length).toBe(before + 1);
    return received[before]!;
  }

  test('a link, a link added after load and a middle click carry s1 to the other site', async ({ shop }) => {
    const received = checkoutSite(shop);
    const { tab, pay, back } = await shopPage(shop, 'deco-1');

    // The target's own parameters are kept as written (no re-encoding of %20 or %2B).
    expect(await follow(received, () => tab.click('#pay'))).toBe(`${pay}?step=1&note=a%20b%2Bc&s1=deco-1`);

    await back();
    await tab.evaluate((href) => {
      const link = Object.assign(document.createElement('a'), { id: 'late', href, textContent: 'late' });
      document.body.append(link);
    }, `${pay}?late=1`);
    expect(await follow(received, () => tab.click('#late'))).toBe(`${pay}?late=1&s1=deco-1`);

    await back();
    // A middle click opens a new tab through `auxclick`, never through `click`.
    const [opened, url] = await Promise.all([
      tab.context().waitForEvent('page'),
      follow(received, () => tab.click('#pay', { button: 'middle' })),
    ]);
    expect(url).toBe(`${pay}?step=1&note=a%20b%2Bc&s1=deco-1`);
    await opened.close();
  });

  test('a GET form and a POST form carry s1 to the other site', async ({ shop }) => {
    const received = checkoutSite(shop);
    const { tab, pay, back } = await shopPage(shop, 'deco-2');

    // A GET form replaces the action's query with its fields: the click ID comes as a field.
    const get = await follow(received, () => tab.click('#get button'));
    expect(get).toBe(`${pay}?q=x+y&s1=deco-2`);

    await back();
    const [request] = await Promise.all([
      tab.waitForRequest((r) => r.method() === 'POST' && r.url().startsWith(pay)),
      follow(received, () => tab.click('#post button')),
    ]);
    expect(request.url()).toBe(`${pay}?form=post&s1=deco-2`);
    expect(received.at(-1)).toBe(`${pay}?form=post&s1=deco-2`);
    expect(request.postData()).toBe('q=x');
  });

  test('decorate set by a later init() call, after the bundle has loaded, takes effect', async ({ shop }) => {
    const received = checkoutSite(shop);
    const pay = `http://checkout.pay.test:${shop.port}/pay`;
    // The bundle loads (and runs its own init) first; the shop's init comes after it.
    shop.serve(
      '/shop',
      html(
        '',
        `<a id="pay" href="${pay}?step=1">pay</a>
<script src="/dist/postclick.js"></script>
<script>postclick('init', { endpoint: ${JSON.stringify(shop.endpoint)}, decorate: ['pay.test'] });</script>`,
      ),
    );
    const tab = await shop.open(`${shop.origin('www')}/shop?s1=deco-4`);
    expect(await call(tab, 'getClickId')).toBe('deco-4');
    expect(await follow(received, () => tab.click('#pay'))).toBe(`${pay}?step=1&s1=deco-4`);
  });

  test('links to other hosts, a lookalike among them, are left alone', async ({ shop }) => {
    const received = checkoutSite(shop);
    const { tab, back } = await shopPage(shop, 'deco-3');

    expect(await follow(received, () => tab.click('#own'))).toBe(`${shop.origin('checkout')}/other?step=1`);
    await back();
    expect(await follow(received, () => tab.click('#lookalike'))).toBe(
      `http://pay.test.shop.test:${shop.port}/other?step=1`,
    );
    await back();
    expect(await tab.getAttribute('#own', 'href')).toBe(`${shop.origin('checkout')}/other?step=1`);
  });
});

describe('stripParams: true', () => {
  test('removes s1 from the address bar without a history entry; the rest stays byte for byte', async ({ shop }) => {
    const init = { endpoint: shop.endpoint, offerId: OFFER, stripParams: true };
    shop.serve('/start', BLANK);
    shop.serve('/landing', page('script', { init }));
    const start = `${shop.origin('www')}/start`;
    const rest = 'utm_source=news%20letter&x=%E2%9C%93&plus=a+b&empty=&flag&s1x=keep';

    const tab = await shop.open(start);
    const historyBefore = await tab.evaluate(() => history.length);
    await tab.goto(
      `${shop.origin('www')}/landing?utm_source=news%20letter&x=%E2%9C%93&s1=strip-1&plus=a+b&empty=&flag&s1x=keep#top`,
    );
    await tab.waitForFunction(() => !/[?&]s1=/.test(location.search));

    expect(await tab.evaluate(() => location.href)).toBe(`${shop.origin('www')}/landing?${rest}#top`);
    // One entry for the landing page, none for the strip: back leads to where the visitor came from.
    expect(await tab.evaluate(() => history.length)).toBe(historyBefore + 1);
    expect(await call(tab, 'getClickId')).toBe('strip-1');
    expect((await storage(tab)).cookie).toBe('strip-1');
    await tab.goBack();
    expect(tab.url()).toBe(start);
  });

  test('a URL whose only parameter is the click ID ends with no query at all', async ({ shop }) => {
    shop.serve('/landing', page('script', { init: { endpoint: shop.endpoint, stripParams: true } }));
    const tab = await shop.open(`${shop.origin('www')}/landing?s1=strip-2`);
    await tab.waitForFunction(() => !/[?&]s1=/.test(location.search));
    expect(await tab.evaluate(() => location.href)).toBe(`${shop.origin('www')}/landing`);
    expect(await call(tab, 'getClickId')).toBe('strip-2');
  });
});

describe('the snippet tool’s output (docs/snippet.md), pasted into a thank-you page', () => {
  const snippet = (shop: Shop, orderId: string) =>
    execFileSync(
      process.execPath,
      [
        CLI,
        'snippet',
        '--endpoint',
        shop.endpoint,
        '--offer-id',
        OFFER,
        '--amount',
        '49.99',
        '--order-id',
        orderId,
        '--src',
        '/dist/postclick.js',
      ],
      { encoding: 'utf8' },
    );

  const reported = async (shop: Shop, clickId: string) =>
    ((await (await fetch(`${shop.collector.url}/reports/conversions`)).json()) as Record<string, unknown>[]).filter(
      (conversion) => conversion.click_id === clickId,
    );

  test('converts with JavaScript on: one hit, with the click ID captured on landing', async ({ shop }) => {
    shop.serve('/landing', html('', '<script async src="/dist/capture.js"></script>'));
    shop.serve('/thanks', html('', snippet(shop, 'A-1')));
    const { clickId, landing } = await shop.click(OFFER, `${shop.origin('www')}/landing`);

    const tab = await shop.open(landing);
    await tab.waitForFunction(() => /(?:^|; )_postclick=/.test(document.cookie));
    // The server-side click above set no cookie in this browser: the landing page did.
    await tab.goto(`${shop.origin('www')}/thanks`);
    const [hit] = await expectConversions(shop.collector, {
      expected: [{ click_id: clickId, offer_id: OFFER, amount: '49.99', order_id: 'A-1', unique_id: 'A-1' }],
    });
    expect(Object.keys(hit!.query).sort()).toEqual(['amount', 'click_id', 'offer_id', 'order_id', 'unique_id']);
    expect(await reported(shop, clickId)).toEqual([expect.objectContaining({ unique_id: 'A-1', status: 'approved' })]);
  });

  test('with JavaScript off, the <noscript> image converts through the collector’s cookie', async ({ shop }) => {
    shop.serve('/landing', html('', '<p>landing</p>'));
    shop.serve('/thanks', html('', snippet(shop, 'A-2')));
    const context = await shop.context.browser()!.newContext({ javaScriptEnabled: false });
    try {
      const tab = await context.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (error) => errors.push(error.message));
      // The tracking link, followed in the browser: the collector sets `_postclick` for shop.test.
      await tab.goto(
        `${shop.origin('track')}/click?offer_id=${OFFER}&aff_id=7&url=${encodeURIComponent(`${shop.origin('www')}/landing`)}`,
      );
      const clickId = new URL(tab.url()).searchParams.get('s1');
      expect(clickId).toMatch(/^[\w.~:-]+$/);

      await tab.goto(`${shop.origin('www')}/thanks`);
      const [hit] = await expectConversions(shop.collector, {
        expected: [
          { $method: 'GET', click_id: null, offer_id: OFFER, amount: '49.99', order_id: 'A-2', unique_id: 'A-2' },
        ],
      });
      expect(hit!.cookie).toContain(`_postclick=${clickId}`);
      expect(await reported(shop, clickId!)).toEqual([
        expect.objectContaining({ order_id: 'A-2', status: 'approved' }),
      ]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

/** The smallest transparent GIF: what a network's pixel endpoint answers an image with. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

describe.each([
  // The recipe's landing parameter, the endpoint as a user would give it, and the path it
  // gets; the expected requests are written by hand from docs/recipes.md.
  {
    network: 'cake',
    param: 's2',
    endpoint: (origin: string) => `${origin}/p.ashx?o=${OFFER}&e=7`,
    path: '/p.ashx',
    sent: (clickId: string, orderId: string) => ({ o: OFFER, e: '7', f: 'img', r: clickId, t: orderId, p: '49.99' }),
  },
  {
    network: 'everflow',
    param: '_ef_transaction_id',
    endpoint: (origin: string) => `${origin}/?nid=5`,
    path: '/',
    sent: (clickId: string, orderId: string) => ({
      nid: '5',
      transaction_id: clickId,
      amount: '49.99',
      order_id: orderId,
    }),
  },
  {
    network: 'tune',
    param: 'transaction_id',
    endpoint: (origin: string) => origin,
    path: '/aff_lsr',
    sent: (clickId: string, orderId: string) => ({
      offer_id: OFFER,
      transaction_id: clickId,
      amount: '49.99',
      adv_unique1: orderId,
    }),
  },
])(
  'postclick snippet --network $network, pasted into the landing and thank-you pages',
  ({ network, param, endpoint, path, sent }) => {
    const cli = (...args: string[]) => {
      const { status, stdout, stderr } = spawnSync(
        process.execPath,
        [CLI, 'snippet', '--network', network, '--src', '/dist/postclick.js', ...args],
        { encoding: 'utf8' },
      );
      expect(status, stderr).toBe(0);
      return { stdout, stderr };
    };

    /** Serves the network's pixel endpoint on every host; returns the queries it received. */
    const pixelEndpoint = (shop: Shop) => {
      const received: Record<string, string>[] = [];
      shop.serve(path, (url) => {
        if (url.hostname.startsWith('track.')) received.push(Object.fromEntries(url.searchParams));
        return { body: GIF, type: 'image/gif' };
      });
      return received;
    };

    test('JavaScript on: the landing snippet captures the network’s parameter, the thank-you snippet converts', async ({
      shop,
    }) => {
      const received = pixelEndpoint(shop);
      shop.serve('/landing', html('', cli('--landing').stdout));
      shop.serve(
        '/thanks',
        html(
          '',
          cli(
            '--endpoint',
            endpoint(shop.origin('track')),
            '--offer-id',
            OFFER,
            '--amount',
            '49.99',
            '--order-id',
            `${network}-1`,
          ).stdout,
        ),
      );
      const clickId = `${network}-click.1`;
      const tab = await shop.open(`${shop.origin('www')}/landing?${param}=${clickId}`);
      await tab.waitForFunction(() => /(?:^|; )_postclick=/.test(document.cookie));
      await tab.goto(`${shop.origin('www')}/thanks`);
      await expect.poll(() => received.length).toBe(1);
      // The image transport adds its cache-buster `_`.
      expect(received[0]).toEqual({ ...sent(clickId, `${network}-1`), _: expect.stringMatching(/^\d+$/) });
    });

    test('JavaScript off: the <noscript> image fires, without the click ID it warned about', async ({ shop }) => {
      const received = pixelEndpoint(shop);
      const { stdout, stderr } = cli(
        '--endpoint',
        endpoint(shop.origin('track')),
        '--offer-id',
        OFFER,
        '--amount',
        '49.99',
        '--order-id',
        `${network}-2`,
      );
      expect(stderr).toMatch(/the <noscript> image cannot fill \w+= \(\{click_id\}\)/);
      shop.serve('/thanks', html('', stdout));
      const context = await shop.context.browser()!.newContext({ javaScriptEnabled: false });
      try {
        const tab = await context.newPage();
        await tab.goto(`${shop.origin('www')}/thanks`);
        await expect.poll(() => received.length).toBe(1);
        expect(received[0]).toEqual(sent('', `${network}-2`));
      } finally {
        await context.close();
      }
    });
  },
);
