/**
 * A shopper with an ad blocker: the Ghostery engine (what Ghostery's own extension runs)
 * loaded with EasyList and EasyPrivacy as Debian ships them in uBlock Origin's package
 * (scripts/filterlists.mjs provisions them, or fails saying how). EasyPrivacy's
 * `$ping,third-party` drops every cross-site beacon; a conversion to another site's
 * endpoint must still arrive, and its Result must say what happened.
 */
import { readFileSync } from 'node:fs';
import { Request } from '@ghostery/adblocker';
import { PlaywrightBlocker } from '@ghostery/adblocker-playwright';
import type { Page } from 'playwright-core';
import { filterLists } from '../../scripts/filterlists.mjs';
import { js, page, type Result } from './support/pages';
import { describe, expect, expectConversions, test, type Shop } from './support/shop';

const OFFER = '42';
/** The network on another site: `*.pay.test` is mapped to the test server too. */
const crossSite = (shop: Shop) => `http://track.pay.test:${shop.port}/c`;

let blocker: PlaywrightBlocker;
const loadBlocker = () =>
  (blocker ??= PlaywrightBlocker.parse(
    filterLists()
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n'),
  ));

/** A tab with the blocker on, at `url`. */
async function blockedTab(shop: Shop, url: string): Promise<Page> {
  const tab = await shop.context.newPage();
  // The engine's cancellations are what the page sees; Chromium logs each as a console error.
  await loadBlocker().enableBlockingInPage(tab as never);
  await tab.goto(url);
  return tab;
}

const convert = (tab: Page, data: Record<string, unknown>): Promise<Result & { confirmed?: boolean }> =>
  tab.evaluate(`new Promise((resolve) => postclick('conversion', ${js(data)}, resolve))`);

describe('with EasyList + EasyPrivacy (Ghostery engine)', () => {
  test('the lists block what they say: a cross-site beacon, not a fetch (so the test can fail)', async ({ shop }) => {
    const request = (type: 'ping' | 'fetch') =>
      Request.fromRawDetails({ url: `${crossSite(shop)}?offer_id=1`, sourceUrl: `${shop.origin('www')}/thanks`, type });
    expect(loadBlocker().match(request('ping')).match).toBe(true);
    expect(loadBlocker().match(request('fetch')).match).toBe(false);
  });

  test('auto to a cross-site endpoint: the conversion arrives, and the Result says how', async ({ shop }) => {
    const init = { endpoint: crossSite(shop), offerId: OFFER };
    shop.serve('/thanks', page('script', { init }));
    const tab = await blockedTab(shop, `${shop.origin('www')}/thanks?s1=blocked-1`);
    const result = await convert(tab, { orderId: 'ADB-1', amount: 20 });
    const [hit] = await expectConversions(shop.collector, {
      expected: [{ order_id: 'ADB-1', click_id: 'blocked-1', amount: '20' }],
    });
    expect(result).toMatchObject({ status: 'sent', transport: hit!.query._ ? 'image' : 'fetch', confirmed: false });
    shop.takeProblems();
  });

  test('transport beacon, the one the lists drop: never reported as confirmed', async ({ shop }) => {
    const init = { endpoint: crossSite(shop), offerId: OFFER, transport: 'beacon' };
    shop.serve('/thanks', page('script', { init }));
    const tab = await blockedTab(shop, `${shop.origin('www')}/thanks?s1=blocked-2`);
    const result = await convert(tab, { orderId: 'ADB-2' });
    // sendBeacon reports only that it queued the request; its fate is unobservable (README says so).
    expect(result).toMatchObject({ status: 'sent', transport: 'beacon', confirmed: false });
    await expectConversions(shop.collector, { expected: [], quietMs: 1000 });
    shop.takeProblems();
  });
});
