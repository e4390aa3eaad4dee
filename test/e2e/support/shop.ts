/**
 * The browser tests' fixture: `test` with a `shop` — one collector and one browser per
 * file, a fresh browser context per test — that serves the built `dist/` and each test's
 * own pages (`shop.serve`) on `www.`, `checkout.` and `track.shop.test`. The browser is
 * the engine `POSTCLICK_ENGINE` names (engines.ts). Every page is watched: an uncaught
 * exception (`pageerror`), a console error (a failed request among them) or a
 * Content-Security-Policy violation fails the test that caused it.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { test as base, expect } from 'vitest';
import { launchBrowser } from './browser';
import type { Blocker, Browser, BrowserContext as AnyBrowserContext, ContextOptions } from './driver';
import { cannot, ENGINE, type Capability, type Engine } from './engines';
import { startServer, type Collector, type Route, type Server } from './server';

export type { Answer, Collector, Route } from './server';

export interface ConsoleEntry {
  type: string;
  text: string;
  page: string;
}

export interface Shop {
  collector: Collector;
  port: number;
  /** `http://www.shop.test:PORT` and friends. */
  origin(host: 'www' | 'checkout' | 'track'): string;
  /** The conversion endpoint, on the network's host: `http://track.shop.test:PORT/c`. */
  endpoint: string;
  /** Serves `path` (query ignored) on every host, for this test only. */
  serve(path: string, route: Route): void;
  /** Holds requests to `path` for `ms` before answering (a tracker far away), this test only. */
  delay(path: string, ms: number): void;
  /**
   * The test's browser context. Typed as Playwright's; in Firefox and WebKit only what
   * driver.ts names exists, which is all a test that runs in every engine may use.
   */
  context: BrowserContext;
  /** The engine under test. */
  engine: Engine;
  /**
   * Skips the test, printing why, when this engine cannot do `capability` (engines.ts
   * holds the reasons). Call it first.
   */
  requires(capability: Capability): void;
  /** Replaces the context with one where `document.cookie` is switched off. Before any page. */
  disableCookies(): Promise<void>;
  /** Replaces the context with one whose browser runs `blocker` (driver.ts). Before any page. */
  installBlocker(blocker: Blocker): Promise<void>;
  /** A new watched tab, navigated to `url`. */
  open(url: string): Promise<Page>;
  /** A click on a tracking link, made server-side: the collector records the click and
   * answers the landing URL with the new click ID appended as `s1`. */
  click(offerId: string, landing: string): Promise<{ clickId: string; landing: string }>;
  /** Every console message of every page of this test. */
  console: ConsoleEntry[];
  /** Page errors, console errors and CSP violations so far; the test fails if any remain. */
  problems: string[];
  /** Returns and forgets the problems so far (for a test that provokes one on purpose). */
  takeProblems(): string[];
}

/** Reports `securitypolicyviolation` events, which no console message is guaranteed for. */
const WATCH_CSP = `addEventListener('securitypolicyviolation', function (e) {
  window.__reportViolation(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
}, true);`;

/** How WATCH_CSP's report reads on the console, where the driver has no bindings. */
const CSP_MARK = 'postclick test harness, CSP violation: ';

/**
 * Watches every page of `context`: page errors, console errors and CSP violations go to
 * `problems`, every console message to `consoleLog`. For a context a test launches itself
 * (a persistent one, say), with the shop's lists, so the fixture fails the test on them too.
 */
export async function watch(
  context: BrowserContext | AnyBrowserContext,
  problems: string[],
  consoleLog: ConsoleEntry[],
): Promise<void> {
  if (ENGINE === 'chromium') {
    await (context as BrowserContext).exposeBinding('__reportViolation', ({ page }, text: string) => {
      problems.push(`CSP violation on ${page.url()}: ${text}`);
    });
    await context.addInitScript(WATCH_CSP);
  } else {
    // No bindings in the other drivers: the report goes through the console instead.
    await context.addInitScript(
      WATCH_CSP.replace('window.__reportViolation(', `console.error(${JSON.stringify(CSP_MARK)} + `),
    );
  }
  const watchPage = (page: Pick<Page, 'on' | 'url'>) => {
    page.on('pageerror', (error) => problems.push(`pageerror on ${page.url()}: ${error.stack || error.message}`));
    page.on('console', (message) => {
      if (message.text().startsWith(CSP_MARK))
        return void problems.push(`CSP violation on ${page.url()}: ${message.text().slice(CSP_MARK.length)}`);
      const entry = { type: message.type(), text: message.text(), page: page.url() };
      consoleLog.push(entry);
      if (entry.type === 'error') problems.push(`console error on ${entry.page}: ${entry.text}`);
    });
  };
  // A persistent context opens with a page already.
  (context.pages() as Page[]).forEach(watchPage);
  (context as BrowserContext).on('page', watchPage);
}

/** A fresh context whose every page is watched; `check()` throws what they reported. */
async function openShop(
  { collector, routes, delays }: Server,
  browser: Browser,
  skip: (note: string) => void,
): Promise<Shop & { check(): Promise<void> }> {
  let context = (await browser.newContext()) as unknown as BrowserContext;
  const problems: string[] = [];
  const consoleLog: ConsoleEntry[] = [];
  await watch(context, problems, consoleLog);

  /** A context with `options` in place of the test's, which has no page yet. */
  const reopen = async (options: ContextOptions) => {
    if (context.pages().length) throw new Error(`${Object.keys(options).join()}: before any page is opened`);
    await context.close();
    context = (await browser.newContext(options)) as unknown as BrowserContext;
    await watch(context, problems, consoleLog);
  };

  collector.clearHits();
  const origin = (host: string) => `http://${host}.shop.test:${collector.port}`;
  return {
    collector,
    port: collector.port,
    origin,
    endpoint: `${origin('track')}/c`,
    serve: (path, route) => void routes.set(path, route),
    delay: (path, ms) => void delays.set(path, ms),
    get context() {
      return context;
    },
    engine: ENGINE,
    requires(capability) {
      const reason = cannot(capability);
      if (!reason) return;
      const note = `${ENGINE} cannot: ${capability} (${reason})`;
      process.stdout.write(`skipped in ${note}\n`);
      skip(note);
    },
    disableCookies: () => reopen({ cookiesDisabled: true }),
    installBlocker: (blocker) => reopen({ blocker }),
    async open(url) {
      const page = await context.newPage();
      await page.goto(url);
      return page;
    },
    async click(offerId, landing) {
      const link = `${collector.url}/click?offer_id=${encodeURIComponent(offerId)}&aff_id=7&url=${encodeURIComponent(landing)}`;
      const response = await fetch(link, { redirect: 'manual' });
      const location = response.headers.get('location');
      const clickId = location && new URL(location).searchParams.get('s1');
      if (response.status !== 302 || !clickId) throw new Error(`GET ${link} answered ${response.status} ${location}`);
      return { clickId, landing: location };
    },
    console: consoleLog,
    problems,
    takeProblems: () => problems.splice(0),
    async check() {
      await context.close();
      routes.clear();
      delays.clear();
      if (problems.length)
        throw new Error(`the pages reported ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    },
  };
}

export const test = base
  // eslint-disable-next-line no-empty-pattern
  .extend('server', { scope: 'file' }, async ({}, { onCleanup }) => {
    const server = await startServer();
    onCleanup(() => server.collector.close());
    return server;
  })
  .extend('browser', { scope: 'file' }, async ({ server }, { onCleanup }) => {
    const browser = await launchBrowser({ server });
    onCleanup(() => browser.close());
    return browser;
  })
  .extend('shop', async ({ server, browser, skip }, { onCleanup }): Promise<Shop> => {
    const shop = await openShop(server, browser, skip);
    onCleanup(() => shop.check());
    return shop;
  });

/**
 * Takes the console errors the engine logs for requests a test failed on purpose, so the
 * fixture lets them pass; each must match `pattern`. Only Chromium shows failed loads
 * (engines.ts 'browser console'): measured, a fetch or image that fails logs nothing that
 * Firefox's BiDi log or WebKit's watched console carries, so there the page must have said nothing.
 */
export async function takeFailedLoads(shop: Shop, pattern: RegExp): Promise<void> {
  if (cannot('browser console')) return void expect(shop.takeProblems()).toEqual([]);
  await expect.poll(() => shop.problems.length).toBeGreaterThan(0);
  // Chromium logs each failed request once it settles: the image after the fetch.
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const problem of shop.takeProblems()) expect(problem).toMatch(pattern);
}

export { expect, describe } from 'vitest';
export { expectConversions, paramsOf } from './conversions';
