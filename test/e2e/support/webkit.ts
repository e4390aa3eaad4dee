/**
 * WebKit for the driver layer (driver.ts): Debian's WebKitGTK `MiniBrowser`, driven by
 * selenium-webdriver through `WebKitWebDriver` (WebDriver classic: this build offers no
 * BiDi), on a private Xvfb display. Each browser context is a WebDriver session of its own:
 * MiniBrowser's automation sessions keep their data in memory, so contexts share nothing.
 *
 * What WebDriver classic lacks is made here:
 * - Host names: the session's HTTP proxy is the test server, which plays every host.
 * - Init scripts: the proxy listener this context was given (server.ts `listenFor`) puts a
 *   `<script src>` first in every HTML page it serves, and that script is the context's
 *   init scripts (a src, so a strict `script-src 'self'` still runs it).
 * - Console and page errors: the first init script wraps `console` and listens for
 *   `error` and `unhandledrejection`; this module collects what it kept after every
 *   command. The engine's own messages (CSP, failed loads) are not seen: MiniBrowser
 *   prints them with `--enable-write-console-messages-to-stdout`, but not for ephemeral
 *   sessions, and automation sessions are ephemeral (measured with `--private`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Builder, By, Capabilities, error as webdriverError, type WebDriver } from 'selenium-webdriver';
import { CANNOT } from './engines';
import {
  poll,
  shiftingClock,
  urlMatches,
  type Blocker,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type ContextOptions,
  type Cookie,
  type Page,
} from './driver';

/** A listener that serves the test server with `scripts()` run first in every page. */
export type ProxyFor = (scripts: () => readonly string[]) => Promise<{ port: number; close(): Promise<void> }>;

export interface WebKitOptions {
  /** `WebKitWebDriver` and MiniBrowser. */
  driverPath: string;
  miniBrowserPath: string;
  proxyFor: ProxyFor;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Starts Xvfb on a display it picks itself (`-displayfd`), for this browser alone. */
async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  xvfb.stderr!.on('data', (chunk) => (errors += chunk));
  const display = await new Promise<string>((resolve, reject) => {
    let number = '';
    (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (chunk) => {
      number += chunk;
      if (number.includes('\n')) resolve(`:${number.trim()}`);
    });
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}: ${errors}`)));
  });
  return { display, process: xvfb };
}

/**
 * Keeps what the page says: console calls and uncaught errors, in `window.__postclickTestLog`
 * as [type, text] pairs, until the driver takes them.
 */
const WATCH_CONSOLE = `(function () {
  if (window.__postclickTestLog) return;
  var log = (window.__postclickTestLog = []);
  var text = function (value) {
    // WebKit's stack has no "Name: message" line of its own.
    if (value instanceof Error) return String(value) + (value.stack ? '\\n' + value.stack : '');
    if (value && typeof value == 'object') try { return JSON.stringify(value) } catch (e) {}
    return String(value);
  };
  ['log', 'info', 'warn', 'error', 'debug'].forEach(function (type) {
    var original = console[type];
    console[type] = function () {
      log.push([type == 'warn' ? 'warning' : type, Array.prototype.map.call(arguments, text).join(' ')]);
      return original.apply(console, arguments);
    };
  });
  addEventListener('error', function (event) { log.push(['pageerror', event.error ? text(event.error) : event.message]) });
  addEventListener('unhandledrejection', function (event) { log.push(['pageerror', 'unhandled rejection: ' + text(event.reason)]) });
})();`;

const TAKE_LOG = 'return (window.__postclickTestLog || []).splice(0);';

class WebKitPage {
  cachedUrl = 'about:blank';
  readonly consoleListeners: ((message: ConsoleMessage) => void)[] = [];
  readonly errorListeners: ((error: Error) => void)[] = [];
  constructor(
    readonly handle: string,
    private readonly owner: WebKitContext,
  ) {}
  /** One command at a time per session: WebKitWebDriver hung on a click racing a URL poll. */
  private run<T>(command: (driver: WebDriver) => Promise<T>): Promise<T> {
    return this.owner.exclusive(async () => {
      const driver = await this.owner.focus(this);
      try {
        return await command(driver);
      } finally {
        this.cachedUrl = await driver.getCurrentUrl().catch(() => this.cachedUrl);
        this.deliver(await driver.executeScript<[string, string][]>(TAKE_LOG).catch(() => []));
      }
    });
  }
  private deliver(entries: [string, string][]) {
    for (const [type, text] of entries) {
      if (type === 'pageerror') {
        const error = new Error(text);
        error.stack = text;
        for (const listener of this.errorListeners) listener(error);
      } else {
        const message = { type: () => type, text: () => text } as ConsoleMessage;
        for (const listener of this.consoleListeners) listener(message);
      }
    }
  }
  /** Takes what the page said since the last command. */
  collect() {
    return this.run(async () => undefined);
  }
  goto(url: string) {
    return this.run((driver) => driver.get(url));
  }
  reload() {
    return this.run((driver) => driver.navigate().refresh());
  }
  goBack() {
    return this.run((driver) => driver.navigate().back());
  }
  evaluate(fn: unknown, arg?: unknown) {
    const call =
      typeof fn === 'string'
        ? `return (${fn});`
        : `return (${String(fn)}).apply(null, arguments.length ? [arguments[0]] : []);`;
    return this.run((driver) => (arg === undefined ? driver.executeScript(call) : driver.executeScript(call, arg)));
  }
  async waitForFunction(fn: unknown, arg?: unknown, options: { timeout?: number } = {}) {
    return poll(() => this.evaluate(fn, arg), `function ${String(fn).slice(0, 80)}`, options.timeout);
  }
  async waitForURL(url: string | RegExp, options: { timeout?: number } = {}) {
    await poll(
      async () => urlMatches(await this.run((driver) => driver.getCurrentUrl()), url),
      `URL ${url}`,
      options.timeout,
    );
  }
  click(selector: string) {
    return this.run(async (driver) => (await driver.findElement(By.css(selector))).click());
  }
  url() {
    return this.cachedUrl;
  }
  async close() {
    // Closing a session's last window ends the session: the last one is blanked and kept.
    const last = this.owner.pages().length === 1;
    await this.run((driver) => (last ? driver.get('about:blank') : driver.close()));
    this.owner.forget(this, last ? this.handle : undefined);
  }
  on(event: 'console' | 'pageerror', listener: (value: never) => void) {
    if (event === 'console') this.consoleListeners.push(listener as (message: ConsoleMessage) => void);
    else this.errorListeners.push(listener as (error: Error) => void);
    return this;
  }
  frames() {
    return [this];
  }
  mainFrame() {
    return this;
  }
  context() {
    return this.owner as unknown as BrowserContext;
  }
}

/**
 * A blocker as Safari's content blockers are written (WebKit's content rule lists,
 * https://developer.apple.com/documentation/safariservices/creating-a-content-blocker),
 * handed to MiniBrowser with `--content-filter`: the requests it blocks never leave.
 * MiniBrowser compiles the list into one fixed file of the user's cache
 * (`$XDG_CACHE_HOME/MiniBrowser/filters/ContentRuleList-GTKMiniBrowserFilter`): two
 * starting at once replaced each other's, and one hung at start (measured). Each gets a
 * cache of its own, `cacheHome`.
 */
async function contentFilter(blocker: Blocker): Promise<{ path: string; cacheHome: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'postclick-webkit-'));
  const path = join(dir, 'blocker.json');
  const rules = [{ trigger: { 'url-filter': blocker.url, 'resource-type': blocker.types }, action: { type: 'block' } }];
  await writeFile(path, JSON.stringify(rules));
  // MiniBrowser may still be writing its cache as it exits: retried, and never an error.
  const remove = () => rm(dir, { recursive: true, force: true, maxRetries: 10 }).catch(() => undefined);
  return { path, cacheHome: join(dir, 'cache'), remove };
}

class WebKitContext {
  private readonly open: WebKitPage[] = [];
  private readonly listeners: ((page: Page) => void)[] = [];
  private focused: WebKitPage | undefined;
  private initialWindow: string | undefined;
  private readonly poller: NodeJS.Timeout;
  private polling = false;
  constructor(
    private readonly driver: WebDriver,
    private readonly initScripts: string[],
    private readonly stop: () => Promise<void>,
  ) {
    // What a page says between commands (a timer that throws) is collected by this, too.
    this.poller = setInterval(() => {
      const page = this.focused;
      if (this.polling || !page) return;
      this.polling = true;
      page
        .collect()
        .catch(() => undefined)
        .finally(() => (this.polling = false));
    }, 250);
  }
  /**
   * Measured in a full run at load average 15-20: MiniBrowser once failed to open its first
   * browsing context (SessionNotCreatedError) and nothing of the test had run yet. That is
   * the harness, not the page under test: a fresh driver and browser get one more try.
   */
  static async startRetrying(options: WebKitOptions, display: string, contextOptions: ContextOptions) {
    try {
      return await WebKitContext.start(options, display, contextOptions);
    } catch (error) {
      if (!(error instanceof webdriverError.SessionNotCreatedError)) throw error;
      return WebKitContext.start(options, display, contextOptions);
    }
  }
  static async start(options: WebKitOptions, display: string, contextOptions: ContextOptions) {
    const scripts: string[] = [WATCH_CONSOLE];
    const listener = await options.proxyFor(() => scripts);
    const filter = contextOptions.blocker && (await contentFilter(contextOptions.blocker));
    const port = await freePort();
    const driverProcess = spawn(options.driverPath, [`--port=${port}`], {
      stdio: 'ignore',
      // Its own process group, so that stopping it stops the MiniBrowser it started too,
      // even one that never answered.
      detached: true,
      // MiniBrowser is WebKitWebDriver's child, with its environment.
      env: { ...process.env, DISPLAY: display, ...(filter ? { XDG_CACHE_HOME: filter.cacheHome } : {}) },
    });
    const stop = async () => {
      try {
        process.kill(-driverProcess.pid!, 'SIGTERM');
      } catch {
        // Gone already.
      }
      await listener.close();
      await filter?.remove();
    };
    try {
      await poll(async () => (await fetch(`http://127.0.0.1:${port}/status`)).ok, 'WebKitWebDriver to listen', 30_000);
      const capabilities = new Capabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': {
          binary: options.miniBrowserPath,
          // MiniBrowser's default cookie policy is no-third-party, as Safari's.
          args: [
            '--automation',
            ...(contextOptions.cookiesDisabled ? ['--cookies-policy=never'] : []),
            ...(filter ? [`--content-filter=${filter.path}`] : []),
          ],
        },
        proxy: { proxyType: 'manual', httpProxy: `127.0.0.1:${listener.port}` },
      });
      // A session that does not start in a minute will not: say so instead of hanging the test.
      const driver = await Promise.race([
        new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities(capabilities).build(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('WebKitWebDriver started no MiniBrowser session in 60 s')), 60_000).unref(),
        ),
      ]);
      const context = new WebKitContext(driver, scripts, stop);
      context.initialWindow = await driver.getWindowHandle();
      return context;
    } catch (error) {
      await stop();
      throw error;
    }
  }
  private queue: Promise<unknown> = Promise.resolve();
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }
  async focus(page: WebKitPage): Promise<WebDriver> {
    if (this.focused !== page) {
      await this.driver.switchTo().window(page.handle);
      this.focused = page;
    }
    return this.driver;
  }
  newPage() {
    return this.exclusive(() => this.openPage());
  }
  private async openPage() {
    let handle: string;
    if (this.initialWindow) {
      handle = this.initialWindow;
      this.initialWindow = undefined;
    } else {
      handle = (await this.driver.switchTo().newWindow('tab')) as unknown as string;
      if (typeof handle !== 'string') handle = await this.driver.getWindowHandle();
    }
    const page = new WebKitPage(handle, this);
    this.focused = undefined;
    this.open.push(page);
    for (const listener of this.listeners) listener(page as unknown as Page);
    return page;
  }
  forget(page: WebKitPage, reusableWindow?: string) {
    this.open.splice(this.open.indexOf(page), 1);
    if (this.focused === page) this.focused = undefined;
    if (reusableWindow) this.initialWindow = reusableWindow;
  }
  pages() {
    return [...this.open];
  }
  /** The cookies the page in front can see: WebDriver classic has no wider view. */
  cookies(): Promise<Cookie[]> {
    return this.exclusive(() => this.currentCookies());
  }
  private async currentCookies(): Promise<Cookie[]> {
    const page = this.focused ?? this.open[0];
    if (!page) return [];
    await this.focus(page);
    return (await this.driver.manage().getCookies()).map((c) => ({
      name: c.name,
      value: c.value,
      domain: c.domain ?? '',
      path: c.path ?? '/',
      expires: typeof c.expiry === 'number' ? c.expiry : c.expiry instanceof Date ? c.expiry.getTime() / 1000 : -1,
      httpOnly: !!c.httpOnly,
      secure: !!c.secure,
      sameSite: (c.sameSite as Cookie['sameSite']) ?? 'None',
    }));
  }
  clearCookies() {
    return this.exclusive(async () => {
      const page = this.focused ?? this.open[0];
      if (!page) return;
      await this.focus(page);
      await this.driver.manage().deleteAllCookies();
    });
  }
  async addInitScript(script: string) {
    this.initScripts.push(script);
  }
  readonly clock = shiftingClock(this as unknown as BrowserContext);
  setOffline(): Promise<void> {
    return Promise.reject(new Error(`WebKit cannot go offline here: ${CANNOT.webkit.offline}`));
  }
  on(_event: 'page', listener: (page: Page) => void) {
    this.listeners.push(listener);
    return this;
  }
  async close() {
    clearInterval(this.poller);
    await this.driver.quit().catch(() => undefined);
    await this.stop();
  }
}

/** Starts Xvfb; each `newContext` then starts a WebKitWebDriver session of its own. */
export async function launchWebKit(options: WebKitOptions): Promise<Browser> {
  const xvfb = await startXvfb();
  const contexts = new Set<WebKitContext>();
  return {
    async newContext(contextOptions: ContextOptions = {}) {
      const context = await WebKitContext.startRetrying(options, xvfb.display, contextOptions);
      contexts.add(context);
      return context as unknown as BrowserContext;
    },
    async close() {
      await Promise.all([...contexts].map((context) => context.close()));
      xvfb.process.kill();
    },
  };
}
