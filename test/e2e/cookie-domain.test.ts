/**
 * `cookieDomain: 'auto'` on shops under a multi-label public suffix, in every engine. The
 * probe tries candidates from the shortest up; the browser refuses the public suffix
 * (`co.uk`, `github.io`) and accepts the site. Firefox reports each refused cookie as a
 * console error, "Cookie “_postclick_probe” has been rejected for invalid domain." —
 * measured: for the suffix candidate only, whether set or deleted, and never for an
 * accepted one; Chromium and WebKit say nothing. Any probe that finds the site without a
 * suffix list must try the suffix, so the message stays; a shop avoids it by naming its
 * domain (`cookieDomain: 'shop.co.uk'`), which skips the probe. README says so.
 */
import { html, page } from './support/pages';
import { expect, expectConversions, test, type Shop } from './support/shop';

const OFFER = '42';

const REFUSED = /Cookie “_postclick_probe” has been rejected for invalid domain/;

/** The probe's refusals, as this engine reports them: Firefox only, once per capture. */
function expectProbeReports(shop: Shop, captures: number) {
  const problems = shop.takeProblems();
  if (shop.engine === 'firefox')
    expect(problems).toEqual(Array.from({ length: captures }, () => expect.stringMatching(REFUSED)));
  else expect(problems).toEqual([]);
}

function serveShop(shop: Shop, cookieDomain?: string) {
  const init = { endpoint: shop.endpoint, offerId: OFFER, ...(cookieDomain ? { cookieDomain } : {}) };
  shop.serve('/landing', page('script', { init }));
  shop.serve('/thanks', page('script', { init, conversions: [{ orderId: 'PS-1' }] }));
  shop.serve('/peek', html('', '<p>another site</p>'));
}

const at = (shop: Shop, host: string, path: string) => `http://${host}:${shop.port}${path}`;

test('www.shop.co.uk: the cookie is on shop.co.uk, so checkout.shop.co.uk converts', async ({ shop }) => {
  serveShop(shop);
  const tab = await shop.open(at(shop, 'www.shop.co.uk', '/landing?s1=psl-couk'));
  expectProbeReports(shop, 1);
  await tab.goto(at(shop, 'checkout.shop.co.uk', '/thanks'));
  await expectConversions(shop.collector, { expected: [{ click_id: 'psl-couk', order_id: 'PS-1' }] });
  // And not on co.uk: another shop there does not see it.
  await tab.goto(at(shop, 'www.other.co.uk', '/peek'));
  expect(await tab.evaluate(() => document.cookie)).not.toContain('_postclick');
  // The thank-you page writes the site-wide outbox record on the same 'auto' domain: one probe.
  expectProbeReports(shop, 1);
});

test('user.github.io: the cookie stays on user.github.io, away from other.github.io', async ({ shop }) => {
  serveShop(shop);
  const tab = await shop.open(at(shop, 'user.github.io', '/landing?s1=psl-github'));
  expectProbeReports(shop, 1);
  expect(await tab.evaluate(() => document.cookie)).toContain('_postclick=psl-github');
  await tab.goto(at(shop, 'other.github.io', '/peek'));
  expect(await tab.evaluate(() => document.cookie)).not.toContain('_postclick');
});

test("cookieDomain: 'shop.co.uk' skips the probe: no refusal to report, in any engine", async ({ shop }) => {
  serveShop(shop, 'shop.co.uk');
  const tab = await shop.open(at(shop, 'www.shop.co.uk', '/landing?s1=psl-named'));
  expectProbeReports(shop, 0);
  await tab.goto(at(shop, 'checkout.shop.co.uk', '/thanks'));
  await expectConversions(shop.collector, { expected: [{ click_id: 'psl-named', order_id: 'PS-1' }] });
});
