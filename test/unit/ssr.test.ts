// @vitest-environment node
/**
 * docs/api.md and docs/protocol.md: importing postclick reads no browser global and stores nothing, so it is safe
 * under SSR; calling it there throws nothing either. Runs the *built* ESM and CJS files in
 * plain Node, where `window`, `document` and `localStorage` do not exist.
 */
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertFreshDist } from '../../scripts/dist-stamp.mjs';

const require = createRequire(import.meta.url);

beforeAll(assertFreshDist);

describe('under Node (SSR)', () => {
  it('has no browser globals here, so the test can fail', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
  });

  it.each([
    ['ESM', () => import('../../dist/postclick.mjs')],
    ['CJS', async () => require('../../dist/postclick.cjs')],
  ])('%s: imports, and every call returns without throwing', async (_, load) => {
    const sdk = await load();
    expect(Object.keys(sdk).sort()).toEqual([
      'capture',
      'consent',
      'conversion',
      'conversionUrl',
      'getClickId',
      'init',
      'reset',
    ]);
    expect(() => sdk.init({ endpoint: '/c' })).not.toThrow();
    expect(sdk.capture()).toBeNull();
    expect(sdk.getClickId()).toBeNull();
    expect(sdk.conversionUrl({ clickId: 'abc' })).toBeNull();
    expect(() => sdk.reset()).not.toThrow();
    expect(() => sdk.consent(true)).not.toThrow();
    // Not a ReferenceError about `location`: what to use instead.
    await expect(sdk.conversion({ clickId: 'abc', endpoint: 'https://t.example/c' })).resolves.toEqual({
      status: 'invalid',
      error: 'conversion() runs in browsers; on a server, use postclick/server',
    });
  });
});
