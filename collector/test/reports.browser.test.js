// @ts-check
// The reports page in real Chromium: CSP lets its own script and style run and nothing
// else complains; it fits a 390 px wide phone; it refreshes itself without losing the
// filters, and waits while the form is being edited.
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convert } from './helpers.js';
import { D1, seededCollector } from './reportsSeed.js';

/** @type {Awaited<ReturnType<typeof seededCollector>>} */
let seed;
/** @type {import('playwright-core').Browser} */
let browser;

beforeAll(async () => {
  seed = await seededCollector();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await seed?.c.close();
});

/** A page that records console messages and page errors. @param {number} width */
async function open(width) {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  /** @type {string[]} */
  const problems = [];
  page.on('console', (message) => problems.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return { page, problems };
}

/** Runs the page's refresh now (it also runs on visibilitychange) instead of waiting 10 s. */
const refreshNow = (/** @type {import('playwright-core').Page} */ page) =>
  page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));

describe('/reports in Chromium', () => {
  it('fits a 390 px screen: only the tables scroll, inside their own box', { timeout: 60_000 }, async () => {
    const { page, problems } = await open(390);
    await page.goto(`${seed.c.url}/reports`);
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      boxes: [...document.querySelectorAll('.scroll')].map((box) => ({
        scrolls: box.scrollWidth > box.clientWidth,
        right: box.getBoundingClientRect().right,
      })),
    }));
    expect(widths.page).toBe(widths.viewport);
    // The conversions table is wider than a phone; it scrolls within its box, which stays on screen.
    expect(widths.boxes.some((box) => box.scrolls)).toBe(true);
    expect(widths.boxes.every((box) => box.right <= widths.viewport)).toBe(true);
    // Drawn: the chart's bars have a size and the status colours from the page's (hashed) CSS.
    const bar = await page.evaluate(() => {
      const rect = /** @type {SVGRectElement} */ (document.querySelector('.chart rect.s-approved'));
      return { fill: getComputedStyle(rect).fill, width: rect.getBoundingClientRect().width };
    });
    expect(bar.fill).toBe('rgb(21, 128, 61)');
    expect(bar.width).toBeGreaterThan(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('refreshes the report in place, keeping the filters', { timeout: 60_000 }, async () => {
    const { page, problems } = await open(1280);
    await page.goto(`${seed.c.url}/reports?status=approved&aff_id=7&from=${D1}`);
    await page.evaluate(() => Object.assign(window, { stillThisPage: true }));
    const before = await page.locator('.card.approved b').textContent();
    expect(before).toBe('3');

    seed.setClock(Date.parse('2025-11-26T10:00:00Z'));
    await convert(seed.c, { offer_id: '43', click_id: seed.clicks.k3, order_id: 'B-2', amount: '1' });
    // Another affiliate's sale: outside the filters, must not show.
    await convert(seed.c, { offer_id: '42', click_id: seed.clicks.k2, order_id: 'A-9', amount: '1' });
    await refreshNow(page);
    await expect.poll(() => page.locator('.card.approved b').textContent()).toBe('4');
    expect(await page.locator('table.conversions tbody tr').count()).toBe(4);
    expect(await page.locator('#live').textContent()).toMatch(/^updated /);
    expect(await page.evaluate(() => /** @type {any} */ (window).stillThisPage)).toBe(true);
    expect(new URL(page.url()).search).toBe(`?status=approved&aff_id=7&from=${D1}`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('waits while the form is edited, and applies only the filled fields', { timeout: 60_000 }, async () => {
    const { page, problems } = await open(1280);
    await page.goto(`${seed.c.url}/reports?offer_id=43`);
    const count = () => page.locator('table.conversions tbody tr').count();
    const shown = await count();

    await page.fill('input[name=aff_id]', '8');
    await page.locator('body').click({ position: { x: 5, y: 5 } }); // focus leaves the form, the edit stays
    seed.setClock(Date.parse('2025-11-26T11:00:00Z'));
    await convert(seed.c, { offer_id: '43', click_id: seed.clicks.k3, order_id: 'B-3', amount: '1' });
    await refreshNow(page);
    await expect.poll(() => page.locator('#live').textContent()).toBe('paused while the filters are edited');
    expect(await count()).toBe(shown);
    expect(await page.inputValue('input[name=aff_id]')).toBe('8');

    await page.fill('input[name=aff_id]', '');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await refreshNow(page);
    await expect.poll(count).toBe(shown + 1);

    await page.selectOption('select[name=status]', 'approved');
    await Promise.all([page.waitForURL(/status=/), page.click('button[type=submit]')]);
    expect(new URL(page.url()).search).toBe('?status=approved&offer_id=43');
    expect(problems).toEqual([]);
    await page.close();
  });

  it(
    'shows a bad filter next to the form, does not poll it, and recovers from the form',
    { timeout: 60_000 },
    async () => {
      const { page, problems } = await open(390);
      /** @type {string[]} */
      const requests = [];
      page.on('request', (req) => requests.push(req.url()));
      const res = await page.goto(`${seed.c.url}/reports?status=paid&offer_id=42&to=2025-11-31`);
      expect(res?.status()).toBe(400);
      expect(await page.textContent('.error')).toBe(
        'Cannot show this report: status must be one of approved, duplicate, scrubbed, rejected',
      );
      expect(await page.locator('#live').count()).toBe(0);
      // The impossible date stays visible as typed, in a text field.
      expect(await page.inputValue('input[name=to]')).toBe('2025-11-31');
      await page.fill('input[name=to]', '');
      await refreshNow(page);
      await page.selectOption('select[name=status]', 'rejected');
      await Promise.all([page.waitForURL(/status=rejected/), page.click('button[type=submit]')]);
      expect(await page.locator('table.conversions tbody tr').count()).toBe(1);
      expect(requests.filter((url) => url.includes('status=paid'))).toHaveLength(1);
      // The 400 itself is the only thing the console reports.
      expect(problems).toEqual([expect.stringMatching(/^error: Failed to load resource: .* 400/)]);
      await page.close();
    },
  );
});
