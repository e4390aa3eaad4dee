// Finds the Chromium the browser tests drive, installing Debian's when we may (root on
// Debian). `npm test` runs this before vitest so a missing browser is a loud failure with
// instructions, never a silently skipped suite. test/e2e/support/browser.ts imports
// `findChromium` from here: one lookup, used by both.
import { execFileSync } from 'node:child_process';
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

const mayInstall = () => existsSync('/etc/debian_version') && process.getuid?.() === 0;

/** Finds Chromium, installing Debian's package when we are root on Debian; else exits 1. */
export function ensureChromium() {
  let found;
  try {
    found = findChromium();
  } catch (error) {
    console.error(String(error.message));
    process.exit(1);
  }
  if (found) return found;
  if (!mayInstall()) {
    console.error(HOW_TO_GET_ONE);
    process.exit(1);
  }
  console.error(
    "ensure-chromium: no Chromium found; installing Debian's: apt-get update && apt-get install -y chromium",
  );
  const apt = (...args) =>
    execFileSync('apt-get', args, {
      stdio: ['ignore', process.stderr, process.stderr],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    apt('update');
    apt('install', '-y', 'chromium');
  } catch {
    console.error('ensure-chromium: apt-get failed.\n' + HOW_TO_GET_ONE);
    process.exit(1);
  }
  found = findChromium();
  if (!found) {
    console.error('ensure-chromium: apt-get finished but /usr/bin/chromium is still missing.\n' + HOW_TO_GET_ONE);
    process.exit(1);
  }
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureChromium();
}
