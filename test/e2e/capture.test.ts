/**
 * docs/protocol.md's capture rules in Chromium: the click ID captured on one subdomain converts on another through
 * the `_postclick` cookie on the site's domain; invalid values are never stored.
 */
import type { Page } from 'playwright-core';
import { page, results } from './support/pages';
import { expect, expectConversions, test, type Shop } from './support/shop';

const OFFER = '42';
const DAY = 86400;

function serveShop(shop: Shop) {
  const init = { endpoint: shop.endpoint, offerId: OFFER };
  shop.serve('/landing', page('script', { init }));
  shop.serve('/thanks', page('script', { init, conversions: [{ amount: 15 }] }));
}

const clickCookies = async (shop: Shop) => (await shop.context.cookies()).filter((c) => c.name === '_postclick');

/** Everything the landing origin keeps in localStorage, as one string. */
const localStorageText = (tab: Page) => tab.evaluate(() => JSON.stringify({ ...localStorage }));

test('captured on www.shop.test, converted on checkout.shop.test: the cookie is on the site', async ({ shop }) => {
  serveShop(shop);
  const tab = await shop.open(`${shop.origin('www')}/landing?s1=cross-sub.1~a:b_c`);

  const cookies = await shop.context.cookies();
  // Only the click ID: the eTLD+1 probe cookies are cleaned up.
  expect(cookies.map((c) => c.name)).toEqual(['_postclick']);
  const [cookie] = cookies;
  expect(cookie).toMatchObject({
    value: 'cross-sub.1~a:b_c',
    domain: '.shop.test',
    path: '/',
    sameSite: 'Lax',
    secure: false, // http: Secure only on https
    httpOnly: false,
  });
  expect(cookie!.expires - Date.now() / 1000).toBeGreaterThan(30 * DAY - 120);
  expect(cookie!.expires - Date.now() / 1000).toBeLessThan(30 * DAY + 120);

  // checkout.shop.test has no localStorage mirror: only the cookie can carry the ID there.
  // (The conversion's own outbox record, which holds its URL, is not a mirror.)
  await tab.goto(`${shop.origin('checkout')}/thanks`);
  expect(await tab.evaluate(() => localStorage.getItem('_postclick'))).toBeNull();
  await expectConversions(shop.collector, {
    expected: [
      { click_id: 'cross-sub.1~a:b_c', offer_id: OFFER, amount: '15', $referer: `${shop.origin('checkout')}/` },
    ],
  });
  expect(await results(tab)).toEqual([expect.objectContaining({ status: 'sent' })]);
});

const INVALID = {
  'an unreplaced macro': '{clickid}',
  'a percent-encoded macro': '%7Bclickid%7D',
  markup: '<script>',
  '129 characters': 'a'.repeat(129),
  'a space': 'abc def',
  'a quote and semicolon': 'x";path=/',
};

test('invalid click IDs are never stored, and an earlier valid one is kept', async ({ shop }) => {
  serveShop(shop);
  const tab = await shop.open(`${shop.origin('www')}/landing?s1=good-1`);
  expect((await clickCookies(shop)).map((c) => c.value)).toEqual(['good-1']);

  for (const [what, value] of Object.entries(INVALID)) {
    await tab.goto(
      `${shop.origin('www')}/landing?s1=${encodeURIComponent(value)}&clickid=${encodeURIComponent(value)}`,
    );
    expect(
      (await clickCookies(shop)).map((c) => c.value),
      what,
    ).toEqual(['good-1']);
    expect(await localStorageText(tab), what).not.toContain(JSON.stringify(value).slice(1, -1));
  }
  // Also when the network sends the macro unencoded, as it was typed into the link.
  await tab.goto(`${shop.origin('www')}/landing?s1={clickid}`);
  expect((await clickCookies(shop)).map((c) => c.value)).toEqual(['good-1']);
  expect(await localStorageText(tab)).toContain('good-1');

  await tab.goto(`${shop.origin('checkout')}/thanks`);
  await expectConversions(shop.collector, { expected: [{ click_id: 'good-1' }] });
});

test('with only invalid click IDs nothing is stored and nothing is sent', async ({ shop }) => {
  serveShop(shop);
  const tab = await shop.open(`${shop.origin('www')}/landing?s1=%7Bclickid%7D&clickid=${'b'.repeat(129)}`);
  expect(await clickCookies(shop)).toEqual([]);
  expect(await localStorageText(tab)).not.toMatch(/clickid|bbbb/);

  await tab.goto(`${shop.origin('www')}/thanks`);
  expect(await results(tab)).toEqual([expect.objectContaining({ status: 'no_click_id' })]);
  await expectConversions(shop.collector, { expected: [] });
});

test('the first of params with a valid value wins; 128 characters is still valid', async ({ shop }) => {
  serveShop(shop);
  const long = 'L'.repeat(128);
  const tab = await shop.open(`${shop.origin('www')}/landing?s1=%3Cb%3E&clickid=${long}&click_id=third`);
  expect((await clickCookies(shop)).map((c) => c.value)).toEqual([long]);

  await tab.goto(`${shop.origin('checkout')}/thanks`);
  await expectConversions(shop.collector, { expected: [{ click_id: long }] });
});
