/**
 * Launches the browser the tests drive: the engine `POSTCLICK_ENGINE` names (engines.ts).
 * Which executable is decided by the same code as `scripts/ensure-engines.mjs` (which
 * `npm test` runs first): a missing browser fails the suite with instructions, it never
 * skips it.
 */
import { chromium, type Browser as PlaywrightBrowser } from 'playwright-core';
import { findChromium, howToGetChromium } from '../../../scripts/ensure-chromium.mjs';
import { findFirefox, findWebKit, howToGet } from '../../../scripts/ensure-engines.mjs';
import type { Browser, BrowserContext, ContextOptions } from './driver';
import { ENGINE } from './engines';
import { launchFirefox } from './firefox';
import type { Server } from './server';
import { launchWebKit } from './webkit';

/**
 * `*.shop.test` all resolve to the collector on 127.0.0.1, so one server plays the shop's
 * `www.` and `checkout.` hosts and the network's `track.` host: two subdomains of one site,
 * and a tracking endpoint that is cross-origin but same-site, as in production.
 * `*.pay.test` is another site (a cross-domain checkout, for `decorate`), on the same server.
 * `*.co.uk` and `*.github.io` are shops under multi-label public suffixes. `www.awin1.com`
 * is a real affiliate network's host that EasyPrivacy lists (`||awin1.com^$third-party`),
 * for the blocker benchmark: the test server plays it. Firefox and WebKit get every host
 * through their proxy setting instead (firefox.ts, webkit.ts).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP *.shop.test 127.0.0.1, MAP shop.test 127.0.0.1, MAP *.pay.test 127.0.0.1, ' +
    'MAP *.co.uk 127.0.0.1, MAP *.github.io 127.0.0.1, MAP www.awin1.com 127.0.0.1',
];

/** The Chromium to drive; throws how to get one when there is none. */
export function chromiumPath(): string {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(howToGetChromium());
  return executablePath;
}

/**
 * Launches Chromium with Playwright. Playwright turns the back/forward cache off by default;
 * `backForwardCache: true` keeps Chromium's own default (on), for tests of what a shopper's
 * back button does.
 */
export async function launchChromium({ backForwardCache = false } = {}): Promise<PlaywrightBrowser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: backForwardCache ? ['--disable-back-forward-cache'] : [],
  });
}

/**
 * The driver layer's context options in Chromium: the switch for `document.cookie` (per
 * tab: every new page gets it), and a blocker that cancels requests as an extension's does,
 * `net::ERR_BLOCKED_BY_CLIENT`.
 */
async function chromiumContext(
  newContext: PlaywrightBrowser['newContext'],
  { cookiesDisabled, blocker }: ContextOptions,
  playwrightOptions: Parameters<PlaywrightBrowser['newContext']>[0],
): Promise<BrowserContext> {
  const context = await newContext(playwrightOptions);
  if (cookiesDisabled) {
    const newPage = context.newPage.bind(context);
    context.newPage = async () => {
      const page = await newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setDocumentCookieDisabled', { disabled: true });
      return page;
    };
  }
  if (blocker) {
    const types: readonly string[] = blocker.types;
    await context.route(new RegExp(blocker.url), (route) =>
      types.includes(route.request().resourceType()) ? route.abort('blockedbyclient') : route.continue(),
    );
  }
  return context as unknown as BrowserContext;
}

export interface LaunchOptions {
  /** Chromium only: keep the back/forward cache on. */
  backForwardCache?: boolean;
  /** The test server: Firefox and WebKit reach every host through it as their proxy. */
  server?: Pick<Server, 'collector' | 'listenFor'>;
}

/**
 * The browser of the engine under test, in the driver layer's shape (driver.ts). Chromium
 * is Playwright's own Browser; a test that needs more of Playwright than driver.ts names
 * runs in Chromium only and says so (engines.ts).
 */
export async function launchBrowser({ backForwardCache = false, server }: LaunchOptions = {}): Promise<
  PlaywrightBrowser & Browser
> {
  if (ENGINE === 'chromium') {
    const browser = await launchChromium({ backForwardCache });
    const newContext = browser.newContext.bind(browser);
    // The driver layer's option, beside Playwright's own (a Chromium-only test may use those).
    browser.newContext = ((options?: ContextOptions & Parameters<typeof newContext>[0]) => {
      if (!options?.cookiesDisabled && !options?.blocker) return newContext(options);
      const { cookiesDisabled, blocker, ...playwrightOptions } = options;
      return chromiumContext(newContext, { cookiesDisabled, blocker }, playwrightOptions);
    }) as typeof browser.newContext;
    return browser as PlaywrightBrowser & Browser;
  }
  if (!server) throw new Error(`launchBrowser: ${ENGINE} reaches the test hosts through the server: pass it`);
  if (ENGINE === 'firefox') {
    const executablePath = findFirefox();
    if (!executablePath) throw new Error(howToGet('firefox'));
    return (await launchFirefox({ executablePath, proxyPort: server.collector.port })) as PlaywrightBrowser & Browser;
  }
  const webkit = findWebKit();
  if (!webkit) throw new Error(howToGet('webkit'));
  return (await launchWebKit({
    driverPath: webkit.driver,
    miniBrowserPath: webkit.miniBrowser,
    proxyFor: server.listenFor,
  })) as unknown as PlaywrightBrowser & Browser;
}
