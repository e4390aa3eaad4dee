// @ts-check
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFreshDist } from '../../scripts/dist-stamp.mjs';
import { start } from './helpers.js';

const path = (/** @type {string} */ relative) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));
const SCREENSHOT = path('test-results/collector-reports.png');

/** @type {import('../src/index.js').Collector} */
let c;
/** @type {import('playwright-core').Browser} */
let browser;

beforeAll(async () => {
  assertFreshDist();
  // The same mounts as scripts/demo.mjs (npm start).
  c = await start({ static: { '/dist/': path('dist'), '/': path('examples') } });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await c?.close();
});

describe('demo click-through', () => {
  it('tracking link → landing → product → thank-you → approved on /reports', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${c.url}/`);
    await page.click('#tracking-link');
    await page.waitForURL(/\/landing\.html\?s1=/);
    const clickId = new URL(page.url()).searchParams.get('s1');
    expect(clickId).toBe(c.clicks()[0].click_id);
    await page.waitForFunction(() => document.getElementById('click-id')?.textContent !== '…');
    expect(await page.textContent('#click-id')).toBe(clickId);

    await page.click('text=See the product');
    await page.click('#buy');
    await page.waitForURL(/\/thank-you\.html\?order=/);
    const orderId = await page.textContent('#order-id');
    await page.waitForFunction(() => document.getElementById('result')?.textContent?.includes('"status"'));
    expect(JSON.parse(/** @type {string} */ (await page.textContent('#result')))).toMatchObject({ status: 'sent' });
    await expect.poll(() => c.conversions().length).toBe(1);
    expect(c.conversions()[0]).toMatchObject({
      status: 'approved',
      click_id: clickId,
      order_id: orderId,
      amount: 49.99,
      adv1: 'spring',
    });

    // A reload sends nothing; the image-only page converts on the cookie, once.
    await page.reload();
    await page.waitForFunction(() => document.getElementById('result')?.textContent?.includes('"status"'));
    expect(JSON.parse(/** @type {string} */ (await page.textContent('#result')))).toMatchObject({
      status: 'duplicate',
    });
    await page.goto(`${c.url}/img-only.html`);
    await page.goto(`${c.url}/img-only.html`);
    await expect.poll(() => c.conversions().length).toBe(3);
    expect(
      c
        .conversions()
        .slice(0, 2)
        .map((row) => [row.order_id, row.click_id, row.status]),
    ).toEqual([
      ['IMG-1001', clickId, 'duplicate'],
      ['IMG-1001', clickId, 'approved'],
    ]);

    await page.goto(`${c.url}/reports`);
    expect(await page.locator('tbody tr.approved').count()).toBe(2);
    expect(await page.textContent('.card.approved b')).toBe('2');
    mkdirSync(path('test-results'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });
});
