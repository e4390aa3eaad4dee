/**
 * The one way unit tests load the SDK: a fresh copy of its source (module state included,
 * as on a new page load) on a happy-dom page at `url`. Storage is the test's business:
 * cookies and localStorage carry over between loads, as they do between real pages.
 */
import { vi } from 'vitest';
import type { Config } from '../../../src/types';

export type Api = typeof import('../../../src/index');

/** Forgets every loaded module and moves the page to `url`. */
function newPageAt(url: string): void {
  vi.resetModules();
  (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(url);
}

/** The module API, fresh, on a page at `url`; with `config`, `init(config)` has run (a landing page). */
export async function sdkAt(url: string, config?: Config): Promise<Api> {
  newPageAt(url);
  const sdk = await import('../../../src/index');
  if (config) sdk.init(config);
  return sdk;
}

/** The script-tag bundle's entry, fresh, run on a page at `url` (set up `window.postclick` first). */
export async function scriptTagAt(url: string): Promise<void> {
  newPageAt(url);
  await import('../../../src/entries/postclick');
}
