// @ts-check
// The demo of `npm start` (scripts/demo-server.mjs) in Chromium: the loop a new user walks,
// what each page says off the happy path, the tracking-link builder, the test conversion,
// "Reset demo", and no console error (no 404) on any page. The shop's pages send their
// conversions to the relay on the shop's own origin (/postclick/c), which forwards each one
// server-to-server to the collector's /c: the collector's hit log shows who sent what.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemo } from '../../scripts/demo-server.mjs';
import { tempDir } from './helpers.js';

const path = (/** @type {string} */ relative) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));
const SCREENSHOT = path('test-results/collector-reports.png');

/** @type {Awaited<ReturnType<typeof startDemo>>} */
let demo;
/** @type {import('playwright-core').Browser} */
let browser;
/** @type {import('playwright-core').BrowserContext} */
let context;
/** Console errors and failed requests of every page of the current test. @type {string[]} */
let problems;

beforeAll(async () => {
  if (!existsSync(path('dist/postclick.js')) || !existsSync(path('examples/spa/dist/app.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  // A database file, as npm start uses: "Reset demo" must delete it.
  demo = await startDemo({ data: `${tempDir()}/demo.sqlite` });
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
  await demo?.close();
});

beforeEach(async () => {
  await demo.reset();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  problems = [];
  context.on('page', (page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
  });
  return async () => {
    await context.close();
    expect(problems).toEqual([]);
  };
});

/** Every conversion in the collector's report, newest first. */
const conversions = async () =>
  /** @type {Record<string, unknown>[]} */ (await (await fetch(`${demo.url}/reports/conversions`)).json());

/** The thank-you page's outcome box, once postclick's callback wrote it. @param {import('playwright-core').Page} page */
async function outcome(page) {
  await page.waitForSelector('#outcome[data-status]');
  return {
    status: await page.getAttribute('#outcome', 'data-status'),
    words: await page.textContent('#outcome'),
    result: JSON.parse(/** @type {string} */ (await page.textContent('#result'))),
  };
}

/** The collector's log of the requests to its /c that carried `orderId`. @param {unknown} orderId */
const hitsFor = (orderId) => demo.collector.hits.filter((hit) => hit.query.order_id === orderId);

describe('demo click-through', () => {
  it('tracking link → landing → product → thank-you → relay → approved on /reports', { timeout: 60_000 }, async () => {
    const page = await context.newPage();
    const browserAgent = await page.evaluate(() => navigator.userAgent);
    await page.goto(`${demo.url}/`);
    // The landing page's cookieEndpoint: the shop's relay sets the click-ID cookie by its answer.
    const cookieAnswer = page.waitForResponse((response) => new URL(response.url()).pathname === '/postclick/click');
    await page.click('#tracking-link');
    await page.waitForURL(/\/landing\.html\?s1=/);
    const clickId = new URL(page.url()).searchParams.get('s1');
    expect(clickId).toBe((await demo.collector.clicks())[0].click_id);
    const setCookie = await cookieAnswer;
    expect(setCookie.status()).toBe(204);
    expect(new URL(setCookie.url()).searchParams.get('s1')).toBe(clickId);
    expect(await setCookie.headerValue('set-cookie')).toMatch(new RegExp(`^_postclick=${clickId};.*Max-Age=2592000`));
    await page.waitForSelector('#arrival .click-id');
    expect(await page.textContent('#arrival')).toMatch(/^You came from a tracking link/);
    expect(await page.textContent('#arrival .click-id')).toBe(clickId);

    await page.click('text=See the product');
    await page.click('#buy');
    const toRelay = page.waitForRequest((request) => new URL(request.url()).pathname === '/postclick/c');
    await page.waitForURL(/\/thank-you\.html\?order=/);
    const orderId = await page.textContent('#order-id');
    // The browser sends the conversion to the shop's origin, not to the network's /c.
    const relayed = new URL((await toRelay).url());
    expect(relayed.origin).toBe(new URL(page.url()).origin);
    expect(relayed.searchParams.get('order_id')).toBe(orderId);
    const sent = await outcome(page);
    expect(sent.status).toBe('sent');
    // Same-origin endpoint: acknowledged by default, so `confirmed` means the network took the postback.
    expect(sent.result).toMatchObject({ status: 'sent', confirmed: true });
    expect(sent.words).toMatch(/^Sent\. The shop’s relay answered 2xx once the network took its postback/);
    expect(await page.textContent('#click-state .click-id')).toBe(clickId);
    // The network's verdict, read back from its report.
    await page.waitForSelector('#verdict');
    expect(await page.textContent('#verdict')).toBe('approved');
    expect(await page.textContent('#arrived-how')).toMatch(/^It arrived as the relay’s server-to-server postback/);
    expect(await page.isVisible('#test-banner')).toBe(false);
    expect((await conversions())[0]).toMatchObject({
      status: 'approved',
      click_id: clickId,
      order_id: orderId,
      amount: 49.99,
      adv1: 'spring',
      adv5: 'via-relay',
    });
    // The one request that reached the collector's /c came from the relay's server, not from
    // the browser: not the browser's user agent, none of its cookies or its page as referrer;
    // the relay's forward URL put its mark first.
    expect(hitsFor(orderId)).toEqual([
      expect.objectContaining({ method: 'GET', cookie: null, referer: null, userAgent: expect.any(String) }),
    ]);
    const [postback] = hitsFor(orderId);
    expect(postback.userAgent).not.toBe(browserAgent);
    expect(postback.url).toMatch(/^\/c\?adv5=via-relay&/);
    expect(postback.query).toMatchObject({ click_id: clickId, offer_id: '42', amount: '49.99', unique_id: orderId });

    // A reload sends nothing, and says so.
    await page.reload();
    const again = await outcome(page);
    expect(again.status).toBe('duplicate');
    expect(again.words).toMatch(/^Not sent again \(duplicate\)\./);
    expect(await conversions()).toHaveLength(1);

    // The image-only page: a fresh order ID per walk, converting on the cookie; its reload is a duplicate.
    const orders = [];
    for (const walk of [1, 2]) {
      await page.goto(`${demo.url}/product.html`);
      await page.click('#img-only');
      await page.waitForURL(/\/img-only\.html\?order=IMG-/);
      orders.push(await page.textContent('#order-id'));
      expect(await page.textContent('body')).toMatch(/has not been reported yet/);
      await expect.poll(async () => (await conversions()).length).toBe(1 + walk);
    }
    expect(orders[0]).not.toBe(orders[1]);
    await page.reload();
    expect(await page.textContent('body')).toMatch(/was reported before\s+\(approved\)[\s\S]*duplicate/);
    await expect.poll(async () => (await conversions()).length).toBe(4);
    expect((await conversions()).map((row) => [row.order_id, row.click_id, row.status, row.adv5])).toEqual([
      [orders[1], clickId, 'duplicate', null],
      [orders[1], clickId, 'approved', null],
      [orders[0], clickId, 'approved', null],
      [orderId, clickId, 'approved', 'via-relay'],
    ]);
    // No JavaScript, no relay: the pixel came straight from the browser, with its cookie.
    expect(hitsFor(orders[0])).toEqual([
      expect.objectContaining({ userAgent: browserAgent, cookie: `_postclick=${clickId}` }),
    ]);

    await page.goto(`${demo.url}/reports`);
    expect(await page.locator('tbody tr.approved').count()).toBe(3);
    // The relay's postback, as the network's report shows it: marked by its sub ID.
    expect(await page.locator('tbody tr', { hasText: /** @type {string} */ (orderId) }).textContent()).toMatch(
      /adv5\s*via-relay/,
    );
    mkdirSync(path('test-results'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('without a tracking link, each page says there is no click ID and how to get one', async () => {
    const page = await context.newPage();
    await page.goto(`${demo.url}/landing.html`);
    await page.waitForSelector('#arrival.problem');
    expect(await page.textContent('#arrival')).toMatch(/No click ID: this page was not opened through a tracking link/);
    expect(await page.textContent('#arrival a')).toBe('Open the tracking link first');

    await page.goto(`${demo.url}/thank-you.html?order=NO-CLICK-1`);
    const { status, words } = await outcome(page);
    expect(status).toBe('no_click_id');
    expect(words).toMatch(/^Not sent: no click ID\..*Open the tracking link first/);
    expect(await page.textContent('#click-state')).toMatch(/No click ID stored in this browser/);
    expect(await page.isVisible('#reload-hint')).toBe(false);

    // No JavaScript, no cookie: the server says the collector will reject it, before it does.
    await page.goto(`${demo.url}/img-only.html`);
    expect(await page.textContent('body')).toMatch(/No click ID:.*reject/s);
    await expect.poll(async () => (await conversions()).map((row) => row.status)).toEqual(['rejected']);
  });

  it('the tracking-link builder links offer, affiliate and landing page', async () => {
    const page = await context.newPage();
    await page.goto(`${demo.url}/`);
    await page.fill('#offer', '43');
    await page.fill('#affiliate', 'aff-9');
    await page.selectOption('#landing', '/product.html');
    const href = /** @type {string} */ (await page.getAttribute('#tracking-link', 'href'));
    expect(await page.textContent('#tracking-href')).toBe(href);
    const link = new URL(href, demo.url);
    expect([link.pathname, ...link.searchParams.entries()]).toEqual([
      '/click',
      ['offer_id', '43'],
      ['aff_id', 'aff-9'],
      ['url', `${new URL(page.url()).origin}/product.html`],
    ]);
    await page.click('#tracking-link');
    await page.waitForURL(/\/product\.html\?s1=/);
    expect((await demo.collector.clicks())[0]).toMatchObject({ offer_id: '43', aff_id: 'aff-9' });
  });

  it('a test conversion is labelled on the page and shows up in the reports', async () => {
    const page = await context.newPage();
    await page.goto(`${demo.url}/`);
    await page.click('#test-conversion');
    await page.waitForURL(/\/thank-you\.html\?test=1&order=TEST-/);
    expect(await page.isVisible('#test-banner')).toBe(true);
    expect((await outcome(page)).status).toBe('sent');
    const orderId = await page.textContent('#order-id');
    await expect
      .poll(conversions)
      .toEqual([expect.objectContaining({ order_id: orderId, adv1: 'test', status: 'approved' })]);
    await page.goto(`${demo.url}/reports`);
    expect(await page.textContent('body')).toContain(/** @type {string} */ (orderId));
  });

  it('"Reset demo" empties the database and makes the browser forget its click ID and sales', async () => {
    const page = await context.newPage();
    await page.goto(`${demo.url}/`);
    await page.click('#tracking-link');
    await page.waitForURL(/\/landing\.html\?s1=/);
    await page.goto(`${demo.url}/thank-you.html?order=R-1`);
    expect((await outcome(page)).status).toBe('sent');
    await expect.poll(async () => (await conversions()).length).toBe(1);

    await page.goto(`${demo.url}/`);
    await page.waitForSelector('#browser-state .click-id');
    await page.click('#reset');
    await page.waitForSelector('#reset-result.ok', { timeout: 15_000 });
    expect(await page.textContent('#reset-result')).toMatch(/^Demo reset\./);
    expect(await conversions()).toEqual([]);
    expect(await demo.collector.clicks()).toEqual([]);
    expect(await page.textContent('#browser-state')).toMatch(/No click ID stored/);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    // The same order again is a new sale to both sides — and without a click ID, says so.
    await page.goto(`${demo.url}/thank-you.html?order=R-1`);
    expect((await outcome(page)).status).toBe('no_click_id');
  });
});
