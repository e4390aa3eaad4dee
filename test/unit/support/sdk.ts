/** A fresh copy of the SDK's source (module state included) on a happy-dom page at `url`. */
import { vi } from 'vitest';

export type Api = typeof import('../../../src/index');

export async function sdkAt(url: string): Promise<Api> {
  vi.resetModules();
  (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(url);
  return import('../../../src/index');
}
