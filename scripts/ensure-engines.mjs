// Finds the three engines the browser tests drive — Chromium, Firefox, WebKit — and installs
// Debian's packages for the missing ones when we may (root on Debian), saying so. Otherwise
// a missing engine fails `npm test` with how to get it: never a silently skipped suite.
// test/e2e/support/browser.ts imports the finders from here: one lookup, used by both.
//
//   node scripts/ensure-engines.mjs                      all three
//   POSTCLICK_ENGINES=chromium node scripts/...          only those named (comma-separated)
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { aptInstall, mayInstall } from './apt.mjs';
import { findChromium, howToGetChromium } from './ensure-chromium.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

/** `name` on PATH, or null. */
function onPath(name) {
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** An override from the environment: must exist when given (the user asked for that one). */
function fromEnv(variable, env) {
  const path = env[variable];
  if (!path) return null;
  if (existsSync(path)) return path;
  throw new Error(`${variable}=${path} does not exist.`);
}

/** Debian's `firefox-esr` (or a `firefox`), or `FIREFOX_PATH`. */
export function findFirefox(env = process.env) {
  return fromEnv('FIREFOX_PATH', env) ?? onPath('firefox-esr') ?? onPath('firefox');
}

/** MiniBrowser lives in the library's folder: /usr/lib/<triplet>/webkit2gtk-4.1/. */
function debianMiniBrowser() {
  const roots = ['/usr/lib', '/usr/libexec'];
  for (const root of roots) {
    const direct = join(root, 'webkit2gtk-4.1', 'MiniBrowser');
    if (existsSync(direct)) return direct;
    let entries;
    try {
      entries = readdirSync(root);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = join(root, entry, 'webkit2gtk-4.1', 'MiniBrowser');
      if (existsSync(path)) return path;
    }
  }
  return null;
}

/**
 * WebKitGTK: `WebKitWebDriver`, `MiniBrowser` and `Xvfb` (the tests give it a display of
 * its own). Null unless all three are there.
 */
export function findWebKit(env = process.env) {
  const driver = fromEnv('WEBKIT_WEBDRIVER_PATH', env) ?? onPath('WebKitWebDriver');
  const miniBrowser = fromEnv('MINIBROWSER_PATH', env) ?? debianMiniBrowser();
  const xvfb = onPath('Xvfb');
  return driver && miniBrowser && xvfb ? { driver, miniBrowser, xvfb } : null;
}

const PACKAGES = {
  chromium: ['chromium'],
  firefox: ['firefox-esr'],
  webkit: ['webkit2gtk-driver', 'libwebkit2gtk-4.1-0', 'xvfb'],
};

const HOW_TO_GET = {
  chromium: howToGetChromium(),
  firefox: `Firefox was not found. The browser tests need one:
  - Debian/Ubuntu, as root:   apt-get update && apt-get install -y firefox-esr
  - another Firefox:          FIREFOX_PATH=/path/to/firefox npm test`,
  webkit: `WebKitGTK (WebKitWebDriver, MiniBrowser) or Xvfb was not found. The browser tests need them:
  - Debian/Ubuntu, as root:   apt-get update && apt-get install -y webkit2gtk-driver libwebkit2gtk-4.1-0 xvfb
  - elsewhere:                WEBKIT_WEBDRIVER_PATH=... MINIBROWSER_PATH=... npm test (Xvfb on PATH)`,
};

/** What to do when `engine` is missing. */
export const howToGet = (engine) => HOW_TO_GET[engine];

const FIND = { chromium: findChromium, firefox: findFirefox, webkit: findWebKit };

/** The engines `POSTCLICK_ENGINES` names (all three when unset). */
export function wantedEngines(env = process.env) {
  const wanted = (env.POSTCLICK_ENGINES || ENGINES.join(',')).split(',').map((name) => name.trim());
  const unknown = wanted.filter((name) => !ENGINES.includes(name));
  if (unknown.length) throw new Error(`POSTCLICK_ENGINES: unknown ${unknown.join(', ')} (know ${ENGINES.join(', ')})`);
  return wanted;
}

/** Finds every wanted engine, installing Debian's packages for those missing; else exits 1. */
export function ensureEngines() {
  let wanted;
  try {
    wanted = wantedEngines();
  } catch (error) {
    console.error(String(error.message));
    process.exit(1);
  }
  let missing;
  try {
    missing = wanted.filter((engine) => !FIND[engine]());
  } catch (error) {
    console.error(String(error.message));
    process.exit(1);
  }
  if (!missing.length) return;
  if (!mayInstall()) {
    console.error(missing.map(howToGet).join('\n'));
    process.exit(1);
  }
  try {
    aptInstall(
      'ensure-engines',
      `${missing.join(' and ')} missing`,
      missing.flatMap((engine) => PACKAGES[engine]),
    );
  } catch {
    console.error('ensure-engines: apt-get failed.\n' + missing.map(howToGet).join('\n'));
    process.exit(1);
  }
  const still = missing.filter((engine) => !FIND[engine]());
  if (still.length) {
    console.error('ensure-engines: apt-get finished but these are still missing:\n' + still.map(howToGet).join('\n'));
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureEngines();
}
