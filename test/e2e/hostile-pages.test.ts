/**
 * Pages that make life hard: a strict Content-Security-Policy (as a header and as a meta
 * tag), and storage that throws. postclick must convert with zero CSP violations and
 * without an exception reaching the page (the fixture fails a test on either).
 */
import type { Page } from './support/driver';
import { html, js, page, RECORD_RESULT, results, STUB, type Mode } from './support/pages';
import { describe, expect, expectConversions, test, type Shop } from './support/shop';

const OFFER = '42';

/** The thank-you page's calls, from a file of the shop's own ('self'): no inline script. */
function serveSetup(shop: Shop, mode: Mode) {
  const init = { endpoint: shop.endpoint, offerId: OFFER };
  const conversions = [
    { orderId: 'CSP-beacon', transport: 'beacon' },
    { orderId: 'CSP-fetch', transport: 'fetch' },
    { orderId: 'CSP-image', transport: 'image' },
  ];
  shop.serve('/setup.js', {
    type: 'text/javascript',
    body:
      mode === 'script'
        ? `${STUB}\npostclick('init', ${js(init)});\n` +
          conversions.map((c) => `postclick('conversion', ${js(c)}, ${RECORD_RESULT});`).join('\n')
        : `import { init, conversion } from '/dist/postclick.mjs';\nconst record = ${RECORD_RESULT};\n` +
          `init(${js(init)});\nfor (const data of ${js(conversions)}) conversion(data).then(record);`,
  });
  return mode === 'script'
    ? '<script src="/setup.js"></script><script async src="/dist/postclick.js"></script>'
    : '<script type="module" src="/setup.js"></script>';
}

describe.each<Mode>(['script', 'module'])('%s build', (mode) => {
  test("a strict CSP header (script-src 'self', Trusted Types) converts by every transport with zero violations", async ({
    shop,
  }) => {
    const track = shop.origin('track');
    const policy =
      `default-src 'self'; script-src 'self'; connect-src 'self' ${track}; img-src 'self' ${track}; ` +
      `require-trusted-types-for 'script'; trusted-types 'none'`;
    shop.serve('/thanks', { body: html('', serveSetup(shop, mode)), headers: { 'Content-Security-Policy': policy } });

    const tab = await shop.open(`${shop.origin('www')}/thanks?s1=csp-header-${mode}`);
    await expectConversions(shop.collector, {
      expected: ['beacon', 'fetch', 'image'].map((t) => ({ order_id: `CSP-${t}`, click_id: `csp-header-${mode}` })),
    });
    expect((await results(tab, 3)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });

  test("a CSP meta tag (script-src 'self') converts with zero violations", async ({ shop }) => {
    const meta = `<meta http-equiv="Content-Security-Policy" content="script-src 'self'">`;
    shop.serve('/thanks', html(meta, serveSetup(shop, mode)));

    const tab = await shop.open(`${shop.origin('www')}/thanks?s1=csp-meta-${mode}`);
    await expectConversions(shop.collector, {
      expected: ['beacon', 'fetch', 'image'].map((t) => ({ order_id: `CSP-${t}`, click_id: `csp-meta-${mode}` })),
    });
    expect((await results(tab, 3)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });
});

/** Init scripts that make storage throw the way a browser with it blocked does. */
const BLOCK = {
  cookies: `Object.defineProperty(Document.prototype, 'cookie', { configurable: true,
    get: function () { throw new DOMException('cookies are disabled', 'SecurityError') },
    set: function () { throw new DOMException('cookies are disabled', 'SecurityError') } });`,
  localStorage: `Object.defineProperty(window, 'localStorage', { configurable: true,
    get: function () { throw new DOMException('access denied', 'SecurityError') } });`,
};

/** Proves the blocking took effect, so a passing test cannot be a test of nothing. */
async function expectBlocked(tab: Pick<Page, 'evaluate'>, what: (keyof typeof BLOCK)[]) {
  const outcome = await tab.evaluate(() => {
    const attempt = (f: () => unknown) => {
      try {
        f();
        return 'works';
      } catch (error) {
        return (error as Error).name;
      }
    };
    return { cookies: attempt(() => document.cookie), localStorage: attempt(() => localStorage.length) };
  });
  for (const name of ['cookies', 'localStorage'] as const) {
    expect(outcome[name], name).toBe(what.includes(name) ? 'SecurityError' : 'works');
  }
}

function serveShop(shop: Shop) {
  const init = { endpoint: shop.endpoint, offerId: OFFER };
  shop.serve('/landing', page('script', { init }));
  shop.serve('/thanks', page('script', { init, conversions: [{ orderId: 'S-1', amount: 3 }] }));
  // Landing and thank-you in one: with no storage at all, memory lasts the page's life.
  shop.serve(
    '/one-page',
    page('script', {
      init,
      conversions: [
        { orderId: 'S-1', amount: 3 },
        { orderId: 'S-1', amount: 3 },
      ],
    }),
  );
}

test('cookies throwing: the localStorage mirror carries the click ID', async ({ shop }) => {
  await shop.context.addInitScript(BLOCK.cookies);
  serveShop(shop);
  const tab = await shop.open(`${shop.origin('www')}/landing?s1=no-cookies`);
  await expectBlocked(tab, ['cookies']);
  await tab.goto(`${shop.origin('www')}/thanks`);
  await expectConversions(shop.collector, { expected: [{ click_id: 'no-cookies', order_id: 'S-1' }] });
  expect(await results(tab)).toEqual([expect.objectContaining({ status: 'sent' })]);
});

test('localStorage throwing: the cookie carries the click ID, across subdomains too', async ({ shop }) => {
  await shop.context.addInitScript(BLOCK.localStorage);
  serveShop(shop);
  const tab = await shop.open(`${shop.origin('www')}/landing?s1=no-local-storage`);
  await expectBlocked(tab, ['localStorage']);
  await tab.goto(`${shop.origin('checkout')}/thanks`);
  await expectConversions(shop.collector, { expected: [{ click_id: 'no-local-storage', order_id: 'S-1' }] });
  expect(await results(tab)).toEqual([expect.objectContaining({ status: 'sent' })]);
});

test('cookies and localStorage both throwing: memory still converts once on the page', async ({ shop }) => {
  await shop.context.addInitScript(BLOCK.cookies + BLOCK.localStorage);
  serveShop(shop);
  const tab = await shop.open(`${shop.origin('www')}/one-page?s1=memory-only`);
  await expectBlocked(tab, ['cookies', 'localStorage']);
  // Callbacks run as results resolve: the duplicate, decided at once, may come first.
  expect((await results(tab, 2)).map((r) => r.status).sort()).toEqual(['duplicate', 'sent']);
  await expectConversions(shop.collector, { expected: [{ click_id: 'memory-only', order_id: 'S-1' }] });
});
