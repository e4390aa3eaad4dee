// Finds the Chromium the browser tests drive. ensure-engines.mjs installs Debian's when it
// is missing (as root on Debian) or fails saying how to get one; test/e2e/support/browser.ts
// and the benchmarks launch what `findChromium` finds: one lookup, used by all.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const HOW_TO_GET_ONE = `Chromium was not found. The browser tests need one; any of these works:
  - Debian/Ubuntu, as root:            apt-get update && apt-get install -y chromium
  - where the internet is reachable:   npx playwright install chromium
  - an existing Chromium or Chrome:    CHROMIUM_PATH=/path/to/chrome npm test`;

/** Playwright's own download, if `npx playwright install chromium` has put one there. */
function playwrightChromium() {
  try {
    const { chromium } = createRequire(import.meta.url)('playwright-core');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/**
 * The browser to launch, in order: `CHROMIUM_PATH`, Debian's `/usr/bin/chromium`, then
 * Playwright's download. `null` when there is none. A `CHROMIUM_PATH` that does not exist
 * is an error, not a fall-through: the user asked for that browser.
 */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) {
    if (existsSync(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH;
    throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist.`);
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return playwrightChromium();
}

/** The message that says how to get a browser, for anyone who cannot find one. */
export const howToGetChromium = () => HOW_TO_GET_ONE;
