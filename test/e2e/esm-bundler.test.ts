/**
 * The ESM build as an app meets it: a fixture with `import { conversion } from 'postclick'`,
 * bundled by rollup + node-resolve resolving `postclick` through the package's `exports`
 * map (by name, as from node_modules; a package may import itself), run in Chromium.
 */
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';
import { html, js, results } from './support/pages';
import { expect, expectConversions, test } from './support/shop';

const FIXTURE = fileURLToPath(new URL('../fixtures/esm-consumer/index.js', import.meta.url));
const ESM_BUILD = fileURLToPath(new URL('../../dist/postclick.mjs', import.meta.url));

/** The fixture bundled for the browser; and which file `postclick` resolved to. */
async function bundle(): Promise<{ code: string; resolved: string | undefined }> {
  const build = await rollup({ input: FIXTURE, plugins: [nodeResolve({ browser: true })], logLevel: 'silent' });
  try {
    const resolved = build.cache!.modules.map((module) => module.id).find((id) => id !== FIXTURE);
    const { output } = await build.generate({ format: 'iife' });
    return { code: output[0].code, resolved };
  } finally {
    await build.close();
  }
}

test('a bundler resolves `postclick` through the exports map, and the bundle converts', async ({ shop }) => {
  const { code, resolved } = await bundle();
  // The `import` condition of `exports["."]`: the ESM build, not the CJS one, not src/.
  expect(resolved).toBe(ESM_BUILD);
  // Everything inlined: no import left for the browser to resolve.
  expect(code).not.toMatch(/^\s*import\b|\bimport\(/m);

  shop.serve('/app.js', { type: 'text/javascript', body: code });
  const shopConfig = { endpoint: shop.endpoint, offerId: '42', orderId: 'ESM-1' };
  shop.serve('/thanks', html('', `<script>window.shop = ${js(shopConfig)}</script><script src="/app.js"></script>`));

  const tab = await shop.open(`${shop.origin('www')}/thanks?s1=esm-1`);
  expect(await results(tab)).toEqual([expect.objectContaining({ status: 'sent', uniqueId: 'ESM-1' })]);
  await expectConversions(shop.collector, {
    expected: [{ click_id: 'esm-1', offer_id: '42', order_id: 'ESM-1', unique_id: 'ESM-1', amount: '12.5' }],
  });
});
