/**
 * Landing → thank-you, end to end: a tracking link at the collector, the built bundles in
 * Chromium, and what the collector received. The same specs run for the script tag
 * (`dist/postclick.js` with docs/api.md's stub) and the ES module (`dist/postclick.mjs`).
 */
import { attr, html, page, results, STUB, RECORD_RESULT, js, type Mode } from './support/pages';
import { describe, expect, expectConversions, test } from './support/shop';

const OFFER = '42';

describe.each<Mode>(['script', 'module'])('%s build', (mode) => {
  test('landing → thank-you delivers every parameter, and the callback receives the Result', async ({ shop }) => {
    const init = { endpoint: shop.endpoint, offerId: OFFER };
    const order = {
      amount: 49.99,
      payout: 12.5,
      revenue: '60.00',
      orderId: `A-1001-${mode}`,
      uniqueId: `U-1001-${mode}`,
      adv1: 'spring',
      adv2: 'email list',
      adv3: 'a&b=c',
      adv4: 'Grüße',
      adv5: 'x'.repeat(300),
      event: 'purchase',
      currency: 'EUR',
    };
    shop.serve('/landing', page(mode, { init }));
    shop.serve('/thanks', page(mode, { init, conversions: [order] }));

    const { clickId, landing } = await shop.click(OFFER, `${shop.origin('www')}/landing?utm_source=news`);
    const tab = await shop.open(landing);
    await tab.goto(`${shop.origin('www')}/thanks`);

    const [hit] = await expectConversions(shop.collector, {
      expected: [
        {
          click_id: clickId,
          offer_id: OFFER,
          amount: '49.99',
          payout: '12.5',
          revenue: '60',
          order_id: order.orderId,
          unique_id: order.uniqueId,
          adv1: 'spring',
          adv2: 'email list',
          adv3: 'a&b=c',
          adv4: 'Grüße',
          adv5: 'x'.repeat(255),
          event: 'purchase',
          currency: 'EUR',
          // Nothing beyond the parameter table of docs/protocol.md: no page URL, no cache-buster on a beacon.
          _: null,
          s1: null,
          utm_source: null,
        },
      ],
    });
    expect(Object.keys(hit!.query).sort()).toEqual(
      'adv1 adv2 adv3 adv4 adv5 amount click_id currency event offer_id order_id payout revenue unique_id'.split(' '),
    );

    const [result] = await results(tab);
    // A cross-origin endpoint, not acknowledged: a no-cors keepalive fetch, unconfirmed.
    expect(result).toEqual({
      status: 'sent',
      transport: 'fetch',
      confirmed: false,
      uniqueId: order.uniqueId,
      url: `${shop.endpoint}${hit!.url.slice('/c'.length)}`,
    });

    // The whole loop: the network approves it as a conversion of that click.
    const reports = (await (await fetch(`${shop.collector.url}/reports/conversions`)).json()) as Record<
      string,
      unknown
    >[];
    expect(reports.find((c) => c.unique_id === order.uniqueId)).toMatchObject({
      click_id: clickId,
      status: 'approved',
    });
  });
});

test('each transport arrives as documented, with no referrer beyond the origin (none from an image)', async ({
  shop,
}) => {
  const init = { endpoint: shop.endpoint, offerId: OFFER };
  shop.serve(
    '/thanks',
    page('script', {
      init,
      conversions: [
        { orderId: 'T-beacon', transport: 'beacon' },
        { orderId: 'T-fetch', transport: 'fetch' },
        { orderId: 'T-image', transport: 'image' },
      ],
    }),
  );
  const tab = await shop.open(`${shop.origin('checkout')}/thanks?s1=transport-1`);
  const referer = `${shop.origin('checkout')}/`;

  const [beacon, fetched, image] = await expectConversions(shop.collector, {
    expected: [
      { order_id: 'T-beacon', click_id: 'transport-1', $method: 'POST', _: null, $referer: referer },
      { order_id: 'T-fetch', click_id: 'transport-1', $method: 'GET', _: null, $referer: referer },
      // An image cannot be held to the page's policy and the origin both: it sends none.
      { order_id: 'T-image', click_id: 'transport-1', $method: 'GET', _: /^\w+$/, $referer: null },
    ],
  });
  // A beacon is a POST of the same URL with an empty body (no preflight).
  expect(beacon!.body).toEqual({});
  expect(beacon!.headers['content-length']).toBe('0');
  expect(fetched!.body).toEqual({});
  expect(image!.headers.accept).toMatch(/image/);

  const byOrder = Object.fromEntries((await results(tab, 3)).map((r) => [r.url!.match(/order_id=([^&]+)/)![1], r]));
  expect(byOrder['T-beacon']).toMatchObject({ status: 'sent', transport: 'beacon' });
  expect(byOrder['T-fetch']).toMatchObject({ status: 'sent', transport: 'fetch' });
  expect(byOrder['T-image']).toMatchObject({ status: 'sent', transport: 'image' });
});

test('data attributes configure the script tag without inline code', async ({ shop }) => {
  const tag = (extra: string) =>
    `<script async src="/dist/postclick.js" data-endpoint="${attr(shop.endpoint)}" data-offer-id="${OFFER}" ${extra}></script>`;
  shop.serve('/landing', html('', tag('data-params="cid,s1" data-ttl-days="7"')));
  // The conversion call comes from the shop's own external file, as under a strict CSP.
  shop.serve('/order.js', {
    type: 'text/javascript',
    body: `${STUB}\npostclick('conversion', { orderId: 'DA-1', amount: '10' }, ${RECORD_RESULT});`,
  });
  shop.serve('/thanks', html('', `<script src="/order.js"></script>${tag('data-params="cid" data-debug="true"')}`));

  const tab = await shop.open(`${shop.origin('www')}/landing?s1=not-this-one&cid=DA-click`);
  // data-params: `cid` comes first, so it wins over s1; data-ttl-days: the cookie lives 7 days.
  const [cookie] = (await shop.context.cookies()).filter((c) => c.name === '_postclick');
  expect(cookie).toMatchObject({ value: 'DA-click' });
  expect(cookie!.expires - Date.now() / 1000).toBeGreaterThan(7 * 86400 - 120);
  expect(cookie!.expires - Date.now() / 1000).toBeLessThan(7 * 86400 + 120);
  expect(shop.console).toEqual([]);

  await tab.goto(`${shop.origin('checkout')}/thanks`);
  await expectConversions(shop.collector, {
    expected: [{ click_id: 'DA-click', offer_id: OFFER, order_id: 'DA-1', amount: '10' }],
  });
  expect((await results(tab))[0]).toMatchObject({ status: 'sent' });
  // data-debug="true": the thank-you page explains itself.
  expect(shop.console.map((m) => m.text).join('\n')).toMatch(/postclick: sent/);
});

test('dist/capture.js on the landing page stores the ID; dist/postclick.js on the thank-you page converts', async ({
  shop,
}) => {
  shop.serve('/landing', html('', '<script async src="/dist/capture.js" data-params="cid"></script>'));
  shop.serve(
    '/landing-queued',
    html(
      '',
      `<script>${STUB}\npostclick('init', ${js({ params: ['ref'] })});</script><script async src="/dist/capture.js"></script>`,
    ),
  );
  shop.serve(
    '/thanks',
    page('script', { init: { endpoint: shop.endpoint, offerId: OFFER }, conversions: [{ orderId: 'CAP-1' }] }),
  );

  const tab = await shop.open(`${shop.origin('www')}/landing?cid=captured-1`);
  expect((await shop.context.cookies()).find((c) => c.name === '_postclick')?.value).toBe('captured-1');
  await tab.goto(`${shop.origin('checkout')}/thanks`);
  await expectConversions(shop.collector, { expected: [{ click_id: 'captured-1', order_id: 'CAP-1' }] });

  // capture.js replays queued `init` configs too.
  await tab.goto(`${shop.origin('www')}/landing-queued?ref=captured-2`);
  expect((await shop.context.cookies()).find((c) => c.name === '_postclick')?.value).toBe('captured-2');
});
