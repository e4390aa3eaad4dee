/**
 * docs/protocol.md, "Exactly once" and "Nothing lost" as a shopper meets them: refreshes and a second
 * tab count nothing twice; leaving the page right after the call loses nothing.
 */
import { html, js, page, results, type Mode } from './support/pages';
import { describe, expect, expectConversions, test } from './support/shop';

const OFFER = '42';

describe.each<Mode>(['script', 'module'])('%s build', (mode) => {
  test.for<[string, { orderId?: string; amount: number }]>([
    ['with an order ID', { orderId: `R-1-${mode}`, amount: 20 }],
    ['with the derived unique_id', { amount: 20 }],
  ])('three reloads and a second tab give one hit (%s)', async ([, order], { shop }) => {
    const init = { endpoint: shop.endpoint, offerId: OFFER };
    const clickId = `reload-${mode}-${'orderId' in order ? 'order' : 'derived'}`;
    shop.serve('/landing', page(mode, { init }));
    shop.serve('/thanks', page(mode, { init, conversions: [order] }));
    const thanks = `${shop.origin('www')}/thanks?step=done`;

    const tab = await shop.open(`${shop.origin('www')}/landing?s1=${clickId}`);
    await tab.goto(thanks);
    const [first] = await results(tab);
    expect(first).toMatchObject({ status: 'sent' });
    await expectConversions(shop.collector, {
      expected: [{ click_id: clickId, unique_id: first!.uniqueId! }],
      quietMs: 0,
    });

    for (let i = 0; i < 3; i++) {
      await tab.reload();
      expect(await results(tab)).toEqual([expect.objectContaining({ status: 'duplicate', uniqueId: first!.uniqueId })]);
    }
    const second = await shop.open(thanks);
    expect(await results(second)).toEqual([
      expect.objectContaining({ status: 'duplicate', uniqueId: first!.uniqueId }),
    ]);

    await expectConversions(shop.collector, { expected: [{ click_id: clickId, unique_id: first!.uniqueId! }] });
  });
});

// The page calls conversion() and leaves in the same task, as a checkout button does. The
// browser must deliver what was handed to it, though the tracker takes 200 ms to answer and
// the page is gone long before; 20 runs, every one must arrive.
describe.each<[Mode, string]>([
  ['script', 'auto'],
  ['module', 'auto'],
  ['script', 'fetch'],
])('%s build, transport %s', (mode, transport) => {
  test('a conversion followed at once by location.href still arrives (20 runs)', async ({ shop }) => {
    const RUNS = 20;
    shop.delay('/c', 200);
    const init = { endpoint: shop.endpoint, offerId: OFFER, transport };
    const leave = (call: string) =>
      `document.getElementById('buy').onclick = function () {
        var order = new URLSearchParams(location.search).get('order');
        ${call};
        location.href = '/next?order=' + order;
      };`;
    shop.serve(
      '/buy',
      mode === 'script'
        ? html(
            '',
            `<button id="buy">Buy</button><script src="/dist/postclick.js"></script>
<script>postclick('init', ${js(init)});
${leave("postclick('conversion', { orderId: order, amount: 5 })")}</script>`,
          )
        : html(
            '',
            `<button id="buy">Buy</button><script type="module">
import { init, conversion } from '/dist/postclick.mjs';
init(${js(init)});
${leave('conversion({ orderId: order, amount: 5 })')}</script>`,
          ),
    );
    shop.serve('/next', html('', '<p>thanks</p>'));

    const tab = await shop.open(`${shop.origin('www')}/next`);
    const expected = [];
    for (let i = 1; i <= RUNS; i++) {
      const order = `N-${mode}-${transport}-${i}`;
      await tab.goto(`${shop.origin('www')}/buy?s1=leave-${mode}-${transport}&order=${order}`);
      await Promise.all([tab.waitForURL(`**/next?order=${order}`), tab.click('#buy')]);
      expected.push({ order_id: order, click_id: `leave-${mode}-${transport}`, amount: '5' });
    }
    await expectConversions(shop.collector, { expected, timeoutMs: 10_000 });
  });
});
