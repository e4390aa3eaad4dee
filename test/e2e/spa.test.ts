/**
 * The SPA example (examples/spa/, built by `npm run build:spa`): React in StrictMode,
 * client-side routes, postclick imported from npm through the `exports` map. StrictMode
 * mounts the thank-you route twice; the collector must receive one conversion. As in the
 * demo, the app sends to the shop's relay on its own origin (`/postclick/c`), which
 * forwards to the collector's `/c`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { relay, toNodeListener } from 'postclick/server';
import { describe, expect, expectConversions, test } from './support/shop';

const SPA = fileURLToPath(new URL('../../examples/spa/', import.meta.url));

function spaFile(path: string): string {
  if (!existsSync(SPA + path))
    throw new Error(`examples/spa/${path} not built: run \`npm run build\` (or \`npm run build:spa\`) first.`);
  return readFileSync(SPA + path, 'utf8');
}

/**
 * The statuses the thank-you route displays, one per conversion() call in the order of the
 * calls (not of their answers), once there are `count`.
 */
async function statuses(tab: Page, count: number): Promise<string[]> {
  await tab.waitForFunction((n) => document.querySelectorAll('#results .result').length >= n, count);
  return tab.$$eval('#results .result', (items) => items.map((item) => item.getAttribute('data-status')!));
}

describe('SPA checkout (React StrictMode)', () => {
  test('product → checkout → thank-you fires exactly one conversion; a reload fires none', async ({ shop }) => {
    shop.serve('/spa/', spaFile('index.html'));
    shop.serve('/spa/dist/app.js', { type: 'text/javascript', body: spaFile('dist/app.js') });
    shop.serve('/demo.css', { type: 'text/css', body: spaFile('../demo.css') });
    const shopRelay = { raw: toNodeListener(relay({ forward: `${shop.collector.url}/c` })) };
    shop.serve('/postclick/c', shopRelay);
    shop.serve('/postclick/click', shopRelay);

    const { clickId, landing } = await shop.click('42', `${shop.origin('www')}/spa/`);
    const tab = await shop.open(landing);
    await expect.poll(() => tab.textContent('#click-id')).toContain(clickId);
    // stripParams: the click ID left the address bar.
    expect(tab.url()).toBe(`${shop.origin('www')}/spa/`);

    await tab.click('#buy');
    await tab.waitForURL('**/spa/?view=checkout');
    await tab.click('#place-order');
    await tab.waitForURL('**/spa/?view=thank-you&order=*');
    const orderId = await tab.textContent('#order-id');

    // The effect ran twice (StrictMode): the first call sent, the second found the mark; the
    // duplicate answers first, yet the page lists the calls in the order they were made.
    expect(await statuses(tab, 2)).toEqual(['sent', 'duplicate']);
    await expectConversions(shop.collector, {
      expected: [{ click_id: clickId, offer_id: '42', order_id: orderId, unique_id: orderId, amount: '49.99' }],
    });
    // It came through the relay: server-to-server, without the browser's cookie or page.
    expect(shop.collector.hits).toEqual([expect.objectContaining({ cookie: null, referer: null })]);

    await tab.reload();
    expect(await statuses(tab, 2)).toEqual(['duplicate', 'duplicate']);
    // The routes are history entries: back is the checkout again, and it sends nothing.
    await tab.goBack();
    await tab.waitForSelector('#place-order');
    await expectConversions(shop.collector, { expected: [{ order_id: orderId }] });

    const reports = (await (await fetch(`${shop.collector.url}/reports/conversions`)).json()) as Record<
      string,
      unknown
    >[];
    expect(reports).toEqual([expect.objectContaining({ click_id: clickId, unique_id: orderId, status: 'approved' })]);
  });
});
