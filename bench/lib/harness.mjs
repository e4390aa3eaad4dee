// @ts-check
/**
 * The browser tests' own harness, for the benchmarks: the Chromium launcher
 * (test/e2e/support/browser.ts), the page builders (pages.ts) and the collector that serves
 * `dist/` and per-page routes on `*.shop.test` (server.ts) — imported, not copied, through
 * the TypeScript hooks of ./ts-hooks.mjs.
 */
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);

/** @type {typeof import('../../test/e2e/support/browser.ts')} */
export const browserSupport = await import('../../test/e2e/support/browser.ts');
/** @type {typeof import('../../test/e2e/support/pages.ts')} */
export const pages = await import('../../test/e2e/support/pages.ts');
/** @type {typeof import('../../test/e2e/support/conversions.ts')} */
export const conversionsSupport = await import('../../test/e2e/support/conversions.ts');
/** @type {typeof import('../../test/e2e/support/server.ts')} */
export const serverSupport = await import('../../test/e2e/support/server.ts');

/** @typedef {import('../../test/e2e/support/server.ts').Server} Server */
/** @typedef {import('../../test/e2e/support/server.ts').Route} Route */

/**
 * The collector and Chromium the way the browser tests start them; `origin('www')` is
 * `http://www.shop.test:PORT`, which `--host-resolver-rules` maps to 127.0.0.1.
 */
export async function startShop() {
  const server = await serverSupport.startServer();
  let browser;
  try {
    browser = await browserSupport.launchBrowser();
  } catch (error) {
    await server.collector.close();
    throw error;
  }
  const { collector, routes } = server;
  const origin = (/** @type {string} */ host) => `http://${host}.shop.test:${collector.port}`;
  return {
    collector,
    browser,
    origin,
    endpoint: `${origin('track')}/c`,
    /** @param {string} path @param {Route} route */
    serve: (path, route) => void routes.set(path, route),
    /** A click recorded by the collector (`GET /click`); its click ID, which converts `approved`. */
    async clickId(offerId = '42') {
      const res = await fetch(
        `${collector.url}/click?offer_id=${offerId}&aff_id=7&url=${encodeURIComponent(origin('www') + '/')}`,
        { redirect: 'manual' },
      );
      const id = new URL(String(res.headers.get('location'))).searchParams.get('s1');
      if (!id) throw new Error(`GET /click answered ${res.status}`);
      return id;
    },
    async close() {
      await browser.close().catch(() => {});
      await collector.close();
    },
  };
}
/** @typedef {Awaited<ReturnType<typeof startShop>>} BenchShop */
