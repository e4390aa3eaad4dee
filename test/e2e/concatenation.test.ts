/**
 * Sites bundle third-party scripts by concatenation. The script-tag bundle must still run
 * when it follows code without a trailing semicolon (js-cookie tests the same): a bundle
 * that began with `(` would call the previous script's last value instead.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { page, results } from './support/pages';
import { expect, expectConversions, test } from './support/shop';

const bundle = (name: string) => readFileSync(fileURLToPath(new URL(`../../dist/${name}`, import.meta.url)), 'utf8');

// The previous script ends in an expression without a semicolon, then a newline.
const BEFORE = 'window.vendorLoaded = function () { return 1 }\n';

test.for(['postclick.js', 'capture.js'])(
  '%s runs after a script without a trailing semicolon',
  async (name, { shop }) => {
    shop.serve('/vendor.js', { body: BEFORE + bundle(name), type: 'text/javascript' });
    shop.serve('/landing', page('script', { src: '/vendor.js' }));
    const tab = await shop.open(`${shop.origin('www')}/landing?s1=concat-1`);
    expect(await tab.evaluate(() => typeof (window as { vendorLoaded?: unknown }).vendorLoaded)).toBe('function');
    await expect.poll(() => tab.evaluate(() => document.cookie)).toContain('_postclick=concat-1');

    if (name === 'postclick.js') {
      shop.serve(
        '/thanks',
        page('script', {
          src: '/vendor.js',
          init: { endpoint: shop.endpoint, offerId: '42' },
          conversions: [{ orderId: 'C-1' }],
        }),
      );
      await tab.goto(`${shop.origin('www')}/thanks`);
      await expectConversions(shop.collector, { expected: [{ click_id: 'concat-1', order_id: 'C-1' }] });
      expect(await results(tab)).toEqual([expect.objectContaining({ status: 'sent' })]);
    }
  },
);
