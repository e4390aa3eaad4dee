/**
 * Which engine this run drives, and the one table of what each engine's driver cannot do.
 * vitest.config.mjs runs the browser tests once per engine (projects `e2e`, `e2e-firefox`,
 * `e2e-webkit`) and names the engine in `POSTCLICK_ENGINE`. A test that needs something an
 * engine lacks asks `shop.requires(capability)`: it is then reported as skipped, with the
 * reason below printed, never dropped silently.
 */
export type Engine = 'chromium' | 'firefox' | 'webkit';

export const ENGINES: readonly Engine[] = ['chromium', 'firefox', 'webkit'];

function currentEngine(): Engine {
  const name = process.env.POSTCLICK_ENGINE || 'chromium';
  if (!(ENGINES as readonly string[]).includes(name))
    throw new Error(`POSTCLICK_ENGINE=${name}: expected one of ${ENGINES.join(', ')}`);
  return name as Engine;
}

/** The engine under test. */
export const ENGINE: Engine = currentEngine();

/** What a test may need beyond opening pages, evaluating script and reading cookies. */
export type Capability =
  /** Every console message, the browser's own (CSP, failed loads, cookie warnings) included. */
  | 'browser console'
  /** `page.frames()`: script evaluated inside a child frame. */
  | 'frames'
  /** `context.cookies()` lists the cookies of every site, not only the open page's. */
  | 'all cookies'
  /** Cookies switched off (`disableCookies`) while `localStorage` still works. */
  | 'cookies off alone'
  /** The network switched off and on again (`context.setOffline`), `navigator.onLine` with it. */
  | 'offline';

/** Why an engine cannot do something; absent means it can. */
export const CANNOT: Record<Engine, Partial<Record<Capability, string>>> = {
  chromium: {},
  firefox: {
    // Measured: with network.cookie.cookieBehavior=2, localStorage throws SecurityError.
    'cookies off alone':
      "Firefox's switch for cookies (network.cookie.cookieBehavior=2) blocks localStorage too, as it does for shoppers",
    // WebDriver BiDi's log.entryAdded: console API calls and JavaScript errors (Firefox
    // reports a CSP violation as one), but not a failed load such as a 404.
    'browser console': "WebDriver BiDi's log gives console calls and script errors, not failed loads (a 404)",
  },
  webkit: {
    // MiniBrowser prints the console to stderr, but not for ephemeral sessions, which
    // automation sessions are; webkit.ts watches console calls and errors from the page.
    'browser console':
      "WebKitWebDriver (WebDriver classic) gives no log; the page's own console calls and uncaught errors are watched from inside it, the engine's messages (CSP, failed loads) are not",
    frames: 'WebKitWebDriver is driven here without switching into frames (not written yet)',
    'all cookies': "WebDriver classic's Get All Cookies lists only the current document's cookies",
    // Measured on WebKitGTK 2.50: WebDriver classic has no network conditions, this
    // WebKitWebDriver no BiDi, MiniBrowser no such option (--help-all); navigator.onLine
    // follows the machine's network (GLib's GNetworkMonitor), which a test cannot switch.
    offline:
      'WebKitWebDriver (WebDriver classic) and MiniBrowser have no offline switch; navigator.onLine follows the machine',
  },
};

/** The reason `ENGINE` cannot do `capability`, or undefined when it can. */
export const cannot = (capability: Capability): string | undefined => CANNOT[ENGINE][capability];
