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
  close(): Promise<void>;
}

export interface ContextOptions {
  /** `document.cookie` reads nothing and writes nothing, as with cookies blocked. */
  cookiesDisabled?: boolean;
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
