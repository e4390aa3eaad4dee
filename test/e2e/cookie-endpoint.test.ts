/**
 * `cookieEndpoint` in Chromium, against the built capture bundle and the built relay on the
 * shop's own origin: the click-ID cookie the browser holds afterwards was set by the relay's
 * HTTP response — its Set-Cookie header as the browser received it, and the cookie's domain,
 * expiry, SameSite and Secure as the browser reports them through Playwright's cookie API.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach } from 'vitest';
import { page as shopPage } from './support/pages';
import { startRelayShop, type RelayShop, type RelayShopOptions } from './support/relay';
import { expect, test, watch, type ConsoleEntry } from './support/shop';

const DAY = 86400;
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relayShop(options: RelayShopOptions = {}): Promise<RelayShop> {
  const shop = await startRelayShop(options);
  cleanups.push(() => shop.close());
  return shop;
}

/** The landing-page snippet (capture.js), with `init` queued through the stub. */
const landingPage = (init: Record<string, unknown>) => shopPage('script', { init, src: '/dist/capture.js' });

/** Lets a page's scripts read cookies but never write one: only HTTP responses can set them. */
const NO_SCRIPT_COOKIES = `(() => {
  const native = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true,
    get() { return native.get.call(this); },
    set() {},
  });
})();`;

/** Opens `url` and waits for the relay's answer to the cookie request. */
async function land(
  context: BrowserContext,
  url: string,
  prefix: string,
): Promise<{ tab: Page; setCookie: string | null; status: number }> {
  const tab = await context.newPage();
  const answered = tab.waitForResponse((response) => new URL(response.url()).pathname === `${prefix}/click`, {
    timeout: 10_000,
  });
  await tab.goto(url);
  const response = await answered;
  return { tab, setCookie: await response.headerValue('set-cookie'), status: response.status() };
}

const clickCookies = async (context: BrowserContext) =>
  (await context.cookies()).filter((c) => c.name === '_postclick');
const daysLeft = (expires: number) => (expires - Date.now() / 1000) / DAY;

test('with script cookies blocked, the relay’s response alone sets the cookie: domain, Max-Age, SameSite', async ({
  shop,
}) => {
  const relayed = await relayShop({ relay: { cookieDomain: 'shop.test', ttlDays: 60 } });
  relayed.serve('/landing', landingPage({ cookieEndpoint: `${relayed.prefix}/click` }));
  relayed.serve('/plain', landingPage({}));
  await shop.context.addInitScript(NO_SCRIPT_COOKIES);

  // Without cookieEndpoint the page cannot set the cookie: the premise of this test.
  const plain = await shop.open(`${relayed.origin('www')}/plain?s1=no-relay-1`);
  expect(await plain.evaluate(() => localStorage.getItem('_postclick'))).toContain('no-relay-1');
  expect(await clickCookies(shop.context)).toEqual([]);

  const { tab, status, setCookie } = await land(
    shop.context,
    `${relayed.origin('www')}/landing?s1=relay-set.1`,
    relayed.prefix,
  );
  expect(status).toBe(204);
  expect(setCookie).toBe('_postclick=relay-set.1;Path=/;SameSite=Lax;Max-Age=5184000;Domain=shop.test');
  await expect.poll(() => clickCookies(shop.context)).toHaveLength(1);
  const [cookie] = await clickCookies(shop.context);
  expect(cookie).toMatchObject({
    value: 'relay-set.1',
    domain: '.shop.test',
    path: '/',
    sameSite: 'Lax',
    secure: false,
    httpOnly: false,
  });
  expect(daysLeft(cookie!.expires)).toBeGreaterThan(60 - 0.01);
  expect(daysLeft(cookie!.expires)).toBeLessThan(60 + 0.01);

  // Readable on another host of the site, as the SDK and the server read it.
  await tab.goto(`${relayed.origin('checkout')}/plain`);
  expect(await tab.evaluate(() => document.cookie)).toContain('_postclick=relay-set.1');
  expect(relayed.network.hits).toEqual([]);
});

test('the relay’s cookie replaces the one the script wrote (host-only, 90 days over 30), and debug says so', async ({
  shop,
}) => {
  const relayed = await relayShop({ relay: { ttlDays: 90 } });
  relayed.serve('/landing', landingPage({ cookieEndpoint: `${relayed.prefix}/click`, cookieDomain: '' }));
  const { setCookie } = await land(
    shop.context,
    `${relayed.origin('www')}/landing?s1=both-1&postclick_debug=1`,
    relayed.prefix,
  );
  expect(setCookie).toBe('_postclick=both-1;Path=/;SameSite=Lax;Max-Age=7776000');
  await expect
    .poll(async () => (await clickCookies(shop.context)).map((c) => Math.round(daysLeft(c.expires))))
    .toEqual([90]);
  const [cookie] = await clickCookies(shop.context);
  expect(cookie).toMatchObject({ value: 'both-1', domain: 'www.shop.test', sameSite: 'Lax', secure: false });
  await expect
    .poll(() => shop.console.map((entry) => entry.text))
    .toContainEqual(expect.stringMatching(/^postclick: cookieEndpoint answered 204: cookie set/));
});

test('a relay that refuses the click ID (400) leaves the script’s cookie, throws nothing, and debug explains', async ({
  shop,
}) => {
  // The relay reads another parameter than the page sends: a misconfiguration.
  const relayed = await relayShop({ relay: { params: ['other'] } });
  relayed.serve('/landing', landingPage({ cookieEndpoint: `${relayed.prefix}/click`, cookieDomain: '' }));
  const { status } = await land(
    shop.context,
    `${relayed.origin('www')}/landing?s1=kept-2&postclick_debug=1`,
    relayed.prefix,
  );
  expect(status).toBe(400);
  // Chromium reports the 400 of a fetch as a console error; that one is expected here.
  await expect
    .poll(() => shop.console.map((entry) => entry.text))
    .toContainEqual('postclick: cookieEndpoint answered 400 ');
  expect(shop.takeProblems()).toEqual([expect.stringMatching(/status of 400/)]);
  expect((await clickCookies(shop.context)).map((c) => c.value)).toEqual(['kept-2']);
});

test('over https: Secure, as the browser reports it', async ({ browser }) => {
  const dir = mkdtempSync(join(tmpdir(), 'postclick-tls-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  // A throw-away self-signed certificate; the context below ignores that it is untrusted.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=shop.test',
      '-addext',
      'subjectAltName=DNS:*.shop.test',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const tls = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  const relayed = await relayShop({ tls, relay: { cookieDomain: 'shop.test' } });
  relayed.serve('/landing', landingPage({ cookieEndpoint: `${relayed.prefix}/click` }));

  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  cleanups.push(() => context.close());
  const problems: string[] = [];
  const consoleLog: ConsoleEntry[] = [];
  await watch(context, problems, consoleLog);
  await context.addInitScript(NO_SCRIPT_COOKIES);

  const { setCookie } = await land(context, `${relayed.origin('landing')}/landing?s1=tls-1`, relayed.prefix);
  expect(setCookie).toBe('_postclick=tls-1;Path=/;SameSite=Lax;Max-Age=2592000;Domain=shop.test;Secure');
  await expect.poll(() => clickCookies(context)).toHaveLength(1);
  const [cookie] = await clickCookies(context);
  expect(cookie).toMatchObject({ value: 'tls-1', domain: '.shop.test', sameSite: 'Lax', secure: true });
  expect(daysLeft(cookie!.expires)).toBeGreaterThan(30 - 0.01);
  expect(daysLeft(cookie!.expires)).toBeLessThan(30 + 0.01);
  expect(problems).toEqual([]);
});

test('behind a proxy that terminates TLS (X-Forwarded-Proto: https), on localhost: Secure', async ({ shop }) => {
  // Chromium keeps a Secure cookie from http only on localhost, a potentially trustworthy origin.
  const relayed = await relayShop({ forwardedProto: 'https' });
  relayed.serve('/landing', landingPage({ cookieEndpoint: `${relayed.prefix}/click`, cookieDomain: '' }));
  const base = relayed.origin('www').replace('www.shop.test', 'localhost');
  await shop.context.addInitScript(NO_SCRIPT_COOKIES);
  const { setCookie } = await land(shop.context, `${base}/landing?s1=proxied-1`, relayed.prefix);
  expect(setCookie).toBe('_postclick=proxied-1;Path=/;SameSite=Lax;Max-Age=2592000;Secure');
  await expect.poll(() => clickCookies(shop.context)).toHaveLength(1);
  expect((await clickCookies(shop.context))[0]).toMatchObject({
    value: 'proxied-1',
    domain: 'localhost',
    secure: true,
  });
});
