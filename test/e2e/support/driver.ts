/**
 * The browser tests' driver layer: the part of Playwright's API the tests use, in every
 * engine. Chromium is Playwright itself; Firefox (puppeteer-core over WebDriver BiDi) and
 * WebKit (selenium-webdriver over WebKitWebDriver) are small adapters that give the same
 * shapes (firefox.ts, webkit.ts). The types below are Playwright's own, narrowed to what
 * the adapters implement, so a test that compiles against them runs in all three.
 */
import type * as PW from 'playwright-core';

export type Frame = Pick<PW.Frame, 'evaluate' | 'waitForFunction' | 'url'>;

export interface Page extends Pick<
  PW.Page,
  'goto' | 'reload' | 'goBack' | 'evaluate' | 'waitForFunction' | 'waitForURL' | 'click' | 'url' | 'close'
> {
  on(event: 'console', listener: (message: ConsoleMessage) => void): unknown;
  on(event: 'pageerror', listener: (error: Error) => void): unknown;
  frames(): Frame[];
  mainFrame(): Frame;
  context(): BrowserContext;
}

export type ConsoleMessage = Pick<PW.ConsoleMessage, 'type' | 'text'>;

export type Cookie = PW.Cookie;

export interface BrowserContext {
  newPage(): Promise<Page>;
  pages(): Page[];
  /** Chromium and Firefox: every cookie; WebKit: those the current page sees (engines.ts). */
  cookies(): Promise<Cookie[]>;
  clearCookies(): Promise<void>;
  /** Script run in every document of the context before its own. */
  addInitScript(script: string): Promise<void>;
  on(event: 'page', listener: (page: Page) => void): unknown;
  /**
   * The network off for every page of the context, pages opened later included: requests
   * fail, `navigator.onLine` is false, and switching back fires `online` (engines.ts
   * 'offline' says where it is missing).
   */
  setOffline(offline: boolean): Promise<void>;
  /**
   * A clock the test moves on: `install()` before the pages it should govern, then
   * `fastForward('02:00')` makes it two minutes later now, in every page of the context
   * (Playwright's clock in Chromium; `shiftingClock` below elsewhere).
   */
  clock: Pick<PW.Clock, 'install' | 'fastForward'>;
  close(): Promise<void>;
}

/** The request types a blocker may name, as Playwright's `Request.resourceType()` says them. */
export type BlockedType = 'fetch' | 'image' | 'ping';

/**
 * A content blocker, as a shopper has one installed: requests whose URL matches `url` and
 * whose type is one of `types` are cancelled inside the browser, never sent. Chromium
 * cancels them as an extension does (`net::ERR_BLOCKED_BY_CLIENT`), Firefox through WebDriver
 * BiDi's network interception, WebKit with a content-blocker rule list, Safari's own format.
 */
export interface Blocker {
  /** A regular expression on the URL, in the subset WebKit's `url-filter` reads (no `|`, no `{}`). */
  url: string;
  types: readonly BlockedType[];
}

export interface ContextOptions {
  /** `document.cookie` reads nothing and writes nothing, as with cookies blocked. */
  cookiesDisabled?: boolean;
  blocker?: Blocker;
}

export interface Browser {
  newContext(options?: ContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * Playwright's URL glob, as `waitForURL` takes it: `**` any characters, `*` any but `/`,
 * everything else literal (`?` included).
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (glob[i] === '*') source += '[^/]*';
    else source += glob[i]!.replace(/[\\^$.|?+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export const urlMatches = (url: string, wanted: string | RegExp | ((url: URL) => boolean)): boolean => {
  if (typeof wanted === 'function') return wanted(new URL(url));
  if (typeof wanted === 'string') return wanted.includes('*') ? globToRegExp(wanted).test(url) : url === wanted;
  return wanted.test(url);
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `probe` until it returns something truthy; throws `what` after `timeout` ms. */
export async function poll<T>(probe: () => Promise<T>, what: string, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Playwright's console types (`warning`, not `warn`). */
export const consoleType = (type: string): string => (type === 'warn' ? 'warning' : type);

/** Milliseconds in Playwright's `fastForward` argument: a number, or "mm:ss" / "hh:mm:ss". */
export function ticksOf(ticks: number | string): number {
  if (typeof ticks === 'number') return ticks;
  return ticks.split(':').reduce((total, part) => total * 60 + Number(part), 0) * 1000;
}

/**
 * `context.clock` where the driver has none (Firefox, WebKit): `Date` runs `fastForward`'s
 * sum ahead of the real clock, in the pages open and in every page loaded later (an init
 * script). Timers keep real time, where Playwright's clock runs those due at once: what the
 * tests move the clock for is postclick's reading of `Date.now()` (a request in flight for a
 * minute, the retry back-off), and its own timers wait a second at most.
 */
export function shiftingClock(context: Pick<BrowserContext, 'addInitScript' | 'pages'>): BrowserContext['clock'] {
  let ahead = 0;
  // An expression, as every driver's `evaluate` takes one.
  const everywhere = async (script: string) => {
    await context.addInitScript(script);
    for (const page of context.pages()) await page.evaluate(script);
  };
  return {
    install: () => everywhere(SHIFTED_DATE),
    async fastForward(ticks) {
      ahead += ticksOf(ticks);
      await everywhere(`self.__postclickTestClockAhead = ${ahead}`);
    },
  };
}

/** `Date`, `Date.now()` and `new Date()` running `self.__postclickTestClockAhead` ms ahead. */
const SHIFTED_DATE = `(function () {
  if (self.__postclickTestClock) return;
  var RealDate = (self.__postclickTestClock = Date);
  var now = function () { return RealDate.now() + (self.__postclickTestClockAhead || 0) };
  var ShiftedDate = function (y, m, d, h, min, s, ms) {
    if (!(this instanceof ShiftedDate)) return new RealDate(now()).toString();
    var n = arguments.length;
    if (n == 0) return new RealDate(now());
    if (n == 1) return new RealDate(y);
    return new RealDate(y, m, n > 2 ? d : 1, n > 3 ? h : 0, n > 4 ? min : 0, n > 5 ? s : 0, n > 6 ? ms : 0);
  };
  ShiftedDate.prototype = RealDate.prototype;
  ShiftedDate.now = now;
  ShiftedDate.parse = RealDate.parse;
  ShiftedDate.UTC = RealDate.UTC;
  self.Date = ShiftedDate;
})()`;
