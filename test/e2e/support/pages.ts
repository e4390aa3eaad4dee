/**
 * The shop's pages, written the way docs/api.md tells integrators to: the script tag with
 * the queue stub, or an ES module import of the built `dist/postclick.mjs`. Every Result a
 * callback receives is pushed onto `window.results`, which `results()` reads.
 */
import type { Page } from 'playwright-core';

/** A value as JavaScript source inside an inline `<script>` (`<` escaped, so no `</script>`). */
export const js = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/** Text for an HTML attribute value in double quotes. */
export const attr = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The stub of docs/api.md, verbatim. */
export const STUB =
  'window.postclick = window.postclick || function () { (postclick.q = postclick.q || []).push(arguments) };';

/** A callback that records the Result it receives. */
export const RECORD_RESULT = 'function (result) { (window.results = window.results || []).push(result) }';

export type Mode = 'script' | 'module';

export interface PageOptions {
  /** `init` config (script mode: queued through the stub before the bundle loads). */
  init?: Record<string, unknown>;
  /** Conversions fired on load, in order, each with a result-recording callback. */
  conversions?: Record<string, unknown>[];
  /** Bundle to load (script mode); default `/dist/postclick.js`. */
  src?: string;
  /** Extra HTML for `<head>` (meta CSP, …) and `<body>`. */
  head?: string;
  body?: string;
}

export const html = (head: string, body: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>shop</title>${head}</head><body>${body}</body></html>`;

/** The thank-you page snippet of docs/api.md: stub, queued calls, async script tag. */
export function scriptTagPage({
  init,
  conversions = [],
  src = '/dist/postclick.js',
  head = '',
  body = '',
}: PageOptions): string {
  const calls = [
    ...(init ? [`postclick('init', ${js(init)});`] : []),
    ...conversions.map((data) => `postclick('conversion', ${js(data)}, ${RECORD_RESULT});`),
  ];
  return html(
    head,
    `${body}<script>\n${STUB}\n${calls.join('\n')}\n</script>\n<script async src="${attr(src)}"></script>`,
  );
}

/** The same page as an SPA would write it: `import { … } from` the ESM build. */
export function modulePage({ init, conversions = [], head = '', body = '' }: PageOptions): string {
  return html(
    head,
    `${body}<script type="module">
import { init, conversion } from '/dist/postclick.mjs';
const record = ${RECORD_RESULT};
${init ? `init(${js(init)});` : ''}
for (const data of ${js(conversions)}) conversion(data).then(record);
</script>`,
  );
}

export const page = (mode: Mode, options: PageOptions): string =>
  mode === 'script' ? scriptTagPage(options) : modulePage(options);

/** A page that loads nothing at all (a neutral place to navigate to). */
export const BLANK = html('', '<p>next</p>');

export interface Result {
  status: string;
  transport?: string;
  url?: string;
  uniqueId?: string;
  error?: string;
}

/** Waits until the page's callbacks have received `count` Results, and returns them. */
export async function results(page: Page, count = 1, timeout = 5000): Promise<Result[]> {
  try {
    await page.waitForFunction((n) => ((window as { results?: unknown[] }).results || []).length >= n, count, {
      timeout,
    });
  } catch {
    const got = await page.evaluate(() => (window as { results?: unknown[] }).results || []).catch(() => 'page gone');
    throw new Error(
      `waited ${timeout} ms for ${count} conversion callback(s) on ${page.url()}; got ${JSON.stringify(got)}`,
    );
  }
  return page.evaluate(() => (window as unknown as { results: Result[] }).results);
}
