/**
 * Firefox for the driver layer (driver.ts): Debian's `firefox-esr`, launched by
 * puppeteer-core and driven over WebDriver BiDi, which Firefox speaks natively (no
 * geckodriver to install). Host names reach the test server through Firefox's HTTP proxy
 * pref pointed at it: the server answers every `*.shop.test` host.
 */
import type { EventEmitter } from 'node:events';
import puppeteer, * as PP from 'puppeteer-core';
import {
  consoleType,
  poll,
  shiftingClock,
  urlMatches,
  type Blocker,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type ContextOptions,
  type Cookie,
  type Frame,
  type Page,
} from './driver';

export interface FirefoxOptions {
  executablePath: string;
  /** The test server's port: every http request goes to it, whatever its host. */
  proxyPort: number;
}

function prefs(proxyPort: number, cookiesDisabled: boolean): Record<string, unknown> {
  return {
    // Manual proxy for http: the server plays every host (test/e2e/support/server.ts).
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': proxyPort,
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': true,
    // 2 = block all cookies (https://searchfox.org/mozilla-central/source/modules/libpref/init/StaticPrefList.yaml).
    ...(cookiesDisabled ? { 'network.cookie.cookieBehavior': 2 } : {}),
  };
}

/** A WebDriver BiDi RemoteValue (https://w3c.github.io/webdriver-bidi/#type-script-RemoteValue). */
interface RemoteValue {
  type: string;
  value?: unknown;
}

/**
 * A console argument as text, objects with their contents, as Chromium's console shows
 * them: puppeteer's `text()` says only `JSHandle@object`.
 */
function show(remote: RemoteValue | undefined): string {
  if (!remote) return '';
  const { type, value } = remote;
  if (type === 'string') return String(value);
  if (type === 'undefined' || type === 'null') return type;
  if (type === 'array') return `[${((value as RemoteValue[]) ?? []).map(show).join(', ')}]`;
  if (type === 'object') {
    const entries = (value as [string | RemoteValue, RemoteValue][]) ?? [];
    return `{${entries.map(([key, v]) => `${typeof key === 'string' ? key : show(key)}: ${show(v)}`).join(', ')}}`;
  }
  return value === undefined ? type : String(value);
}

const textOf = (message: PP.ConsoleMessage): string =>
  message
    .args()
    .map((arg) => show((arg as unknown as { remoteValue?: () => RemoteValue }).remoteValue?.()))
    .join(' ') || message.text();

type Evaluate = (fn: unknown, arg?: unknown) => Promise<unknown>;

function frameOf(frame: PP.Frame): Frame {
  return {
    evaluate: ((fn: unknown, arg?: unknown) => frame.evaluate(fn as never, arg)) as Evaluate as Frame['evaluate'],
    waitForFunction: ((fn: unknown, arg?: unknown, options: { timeout?: number } = {}) =>
      frame.waitForFunction(fn as never, { timeout: options.timeout ?? 30_000 }, arg)) as Frame['waitForFunction'],
    url: () => frame.url(),
  };
}

class FirefoxPage {
  constructor(
    readonly raw: PP.Page,
    private readonly owner: FirefoxContext,
  ) {}
  goto(url: string) {
    return this.raw.goto(url);
  }
  reload() {
    return this.raw.reload();
  }
  goBack() {
    return this.raw.goBack();
  }
  evaluate(fn: unknown, arg?: unknown) {
    return this.raw.evaluate(fn as never, arg);
  }
  waitForFunction(fn: unknown, arg?: unknown, options: { timeout?: number } = {}) {
    return this.raw.waitForFunction(fn as never, { timeout: options.timeout ?? 30_000 }, arg);
  }
  async waitForURL(url: string | RegExp, options: { timeout?: number } = {}) {
    await poll(async () => urlMatches(this.raw.url(), url), `URL ${url}`, options.timeout);
  }
  click(selector: string) {
    return this.raw.click(selector);
  }
  url() {
    return this.raw.url();
  }
  close() {
    this.owner.forget(this);
    return this.raw.close();
  }
  on(event: 'console' | 'pageerror', listener: (value: never) => void) {
    if (event === 'console')
      this.raw.on('console', (message) =>
        (listener as (m: ConsoleMessage) => void)({
          type: () => consoleType(message.type()),
          text: () => textOf(message),
        } as ConsoleMessage),
      );
    else
      this.raw.on('pageerror', (error) => {
        // puppeteer puts the page's "Error: boom" in the message, and names it Error again.
        if (error instanceof Error && error.stack) error.stack = error.stack.replace(/^Error: (?=\w*Error: )/, '');
        (listener as (e: Error) => void)(error as Error);
      });
    return this;
  }
  frames() {
    return this.raw.frames().map(frameOf);
  }
  mainFrame() {
    return frameOf(this.raw.mainFrame());
  }
  context() {
    return this.owner as BrowserContext;
  }
}

/** A request as WebDriver BiDi announces it (https://w3c.github.io/webdriver-bidi/#event-network-beforeRequestSent). */
interface BeforeRequestSent {
  request: { request: string; destination?: string; initiatorType?: string | null };
}

/** Playwright's resource type of a BiDi request: Firefox names the fetch, the image, the beacon. */
const resourceType = ({ destination, initiatorType }: BeforeRequestSent['request']): string =>
  initiatorType === 'fetch'
    ? 'fetch'
    : initiatorType === 'beacon'
      ? 'ping'
      : destination === 'image'
        ? 'image'
        : 'other';

/**
 * A blocker over BiDi's network interception (network.addIntercept, then failRequest or
 * continueRequest), which puppeteer offers as request interception. The page sees a
 * blocked request as Firefox shows an extension's cancel (measured: fetch rejects with
 * "NetworkError when attempting to fetch resource.", an image fires `error`). Puppeteer
 * gives no resource type over BiDi: it is read from BiDi's own event.
 */
class FirefoxBlocker {
  private readonly types = new Map<string, string>();
  private readonly connection: EventEmitter;
  private readonly record = ({ request }: BeforeRequestSent) =>
    void this.types.set(request.request, resourceType(request));
  private readonly url: RegExp;
  constructor(
    browser: PP.Browser,
    private readonly blocker: Blocker,
  ) {
    this.url = new RegExp(blocker.url);
    // puppeteer's BiDi connection (internal, stable since puppeteer 23): its events in full.
    this.connection = (browser as unknown as { connection: EventEmitter }).connection;
    this.connection.on('network.beforeRequestSent', this.record);
  }
  async watch(page: PP.Page) {
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      // puppeteer's request and `record` hear the same BiDi event: one turn later, both have.
      // Its `id` is BiDi's request id (internal in puppeteer's types).
      const { id } = request as unknown as { id: string };
      setImmediate(() => {
        const type = this.types.get(id) ?? 'other';
        this.types.delete(id);
        const blocked = this.url.test(request.url()) && (this.blocker.types as readonly string[]).includes(type);
        (blocked ? request.abort('blockedbyclient') : request.continue()).catch(() => undefined);
      });
    });
  }
  close() {
    this.connection.off('network.beforeRequestSent', this.record);
  }
}

class FirefoxContext {
  private readonly open: FirefoxPage[] = [];
  private readonly initScripts: string[] = [];
  private readonly listeners: ((page: Page) => void)[] = [];
  private offline = false;
  readonly clock = shiftingClock(this as unknown as BrowserContext);
  constructor(
    private readonly raw: PP.BrowserContext,
    private readonly blocker?: FirefoxBlocker,
  ) {}
  async newPage() {
    const page = new FirefoxPage(await this.raw.newPage(), this);
    if (this.offline) await page.raw.setOfflineMode(true);
    await this.blocker?.watch(page.raw);
    for (const script of this.initScripts) await page.raw.evaluateOnNewDocument(script);
    this.open.push(page);
    for (const listener of this.listeners) listener(page as unknown as Page);
    return page;
  }
  forget(page: FirefoxPage) {
    this.open.splice(this.open.indexOf(page), 1);
  }
  pages() {
    return [...this.open];
  }
  async cookies(): Promise<Cookie[]> {
    return (await this.raw.cookies()).map((c) => ({
      name: c.name,
      value: c.value,
      domain: c.domain,
      path: c.path,
      expires: c.expires,
      httpOnly: !!c.httpOnly,
      secure: c.secure,
      // Firefox reports a cookie set without SameSite as "Default"; it behaves as None.
      sameSite: c.sameSite === 'Strict' || c.sameSite === 'Lax' ? c.sameSite : 'None',
    }));
  }
  async clearCookies() {
    await this.raw.deleteCookie(...(await this.raw.cookies()));
  }
  async addInitScript(script: string) {
    this.initScripts.push(script);
    for (const page of this.open) await page.raw.evaluateOnNewDocument(script);
  }
  on(_event: 'page', listener: (page: Page) => void) {
    this.listeners.push(listener);
    return this;
  }
  /**
   * BiDi's emulation.setNetworkConditions, per tab (puppeteer's setOfflineMode), so every
   * tab open and each new one. Measured in Firefox 153: navigator.onLine turns false and
   * `offline` fires; fetch rejects; sendBeacon still says true; back on, `online` fires.
   */
  async setOffline(offline: boolean) {
    this.offline = offline;
    await Promise.all(this.open.map((page) => page.raw.setOfflineMode(offline)));
  }
  close() {
    this.blocker?.close();
    return this.raw.close();
  }
}

/** Launches Firefox; a second one, with cookies blocked, the first time a context asks for it. */
export async function launchFirefox({ executablePath, proxyPort }: FirefoxOptions): Promise<Browser> {
  const launch = (cookiesDisabled: boolean) =>
    puppeteer.launch({
      browser: 'firefox',
      executablePath,
      headless: true,
      extraPrefsFirefox: prefs(proxyPort, cookiesDisabled),
    });
  const browser = await launch(false);
  let withoutCookies: Promise<PP.Browser> | undefined;
  return {
    async newContext(options: ContextOptions = {}) {
      // Firefox blocks cookies per profile, not per context: that takes its own browser.
      const owner = options.cookiesDisabled ? await (withoutCookies ??= launch(true)) : browser;
      const blocker = options.blocker && new FirefoxBlocker(owner, options.blocker);
      return new FirefoxContext(await owner.createBrowserContext(), blocker) as unknown as BrowserContext;
    },
    async close() {
      await Promise.all([browser.close(), withoutCookies?.then((b) => b.close())]);
    },
  };
}
