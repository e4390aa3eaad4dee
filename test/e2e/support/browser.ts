/**
 * Launches the Chromium the browser tests drive. Which one is decided by the same code as
 * `scripts/ensure-chromium.mjs` (which `npm test` runs first): a missing browser fails the
 * suite with instructions, it never skips it.
 */
import { chromium, type Browser } from 'playwright-core';
import { findChromium, howToGetChromium } from '../../../scripts/ensure-chromium.mjs';

/**
 * `*.shop.test` all resolve to the collector on 127.0.0.1, so one server plays the shop's
 * `www.` and `checkout.` hosts and the network's `track.` host: two subdomains of one site,
 * and a tracking endpoint that is cross-origin but same-site, as in production.
 * `*.pay.test` is another site (a cross-domain checkout, for `decorate`), on the same server.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP *.shop.test 127.0.0.1, MAP shop.test 127.0.0.1, MAP *.pay.test 127.0.0.1',
];

/** The Chromium to drive; throws how to get one when there is none. */
export function chromiumPath(): string {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(howToGetChromium());
  return executablePath;
}

/**
 * Playwright turns the back/forward cache off by default; `backForwardCache: true` keeps
 * Chromium's own default (on), for tests of what a shopper's back button does.
 */
export async function launchBrowser({ backForwardCache = false } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: backForwardCache ? ['--disable-back-forward-cache'] : [],
  });
}
