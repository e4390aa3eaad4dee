/**
 * docs/recipes.md, checked: for each network, the landing URL carries the click ID in the
 * parameter the recipe names, and the recipe's `endpoint` makes `conversionUrl` — in the
 * browser (captured from that landing URL) and on the server (`postclick/server`) — build
 * exactly the network's documented postback form, written out here by hand with the values
 * filled in. The sources for each form are cited in docs/recipes.md.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { conversionUrl as serverUrl } from '../../src/server';
import type { Config, Conversion } from '../../src/types';
import { clearCookies } from './support/cookies';
import { sdkAt } from './support/sdk';

beforeEach(() => {
  localStorage.clear();
  clearCookies();
});

interface Recipe {
  /** The landing URL as the network's redirect delivers it. */
  landing: string;
  /** The recipe's `init` config: `params` and the `endpoint` template. */
  config: Config & { endpoint: string };
  /** The sale, as the thank-you page or the order server knows it. */
  sale: Conversion;
  /** The network's documented postback form, filled in by hand. */
  documented: string;
}

/** Both builds of conversionUrl produce the documented URL for the recipe's input. */
async function check({ landing, config, sale, documented }: Recipe): Promise<void> {
  const browser = await sdkAt(landing, config);
  const clickId = browser.getClickId();
  expect(clickId, 'the landing parameter was captured').not.toBeNull();
  expect(browser.conversionUrl(sale)).toBe(documented);
  // The server has no `init` defaults: the order server passes the offer ID itself.
  expect(serverUrl(config.endpoint, { offerId: config.offerId, ...sale, clickId: clickId! })).toBe(documented);
}

describe('CAKE', () => {
  // The Request (Session) ID arrives in the sub-ID parameter the network's offer link puts
  // `#reqid#` in; `s2` in CAKE's own example.
  const landing = 'https://shop.example/landing?s1=aff-7&s2=1234567';

  it('server postback: p.ashx with f=pb, the request ID in r, the order in t, the amount in p', async () => {
    await check({
      landing,
      config: {
        params: ['s2'],
        endpoint: 'https://track.network.example/p.ashx?o=42&e=7&f=pb&r={click_id}&t={order_id}&p={amount}',
      },
      sale: { orderId: 'A-1001', amount: 49.99 },
      documented: 'https://track.network.example/p.ashx?o=42&e=7&f=pb&r=1234567&t=A-1001&p=49.99',
    });
  });

  it('the REPLACE placeholder of a copied postback URL is filled with the click ID', async () => {
    await check({
      landing,
      config: { params: ['s2'], endpoint: 'https://track.network.example/p.ashx?o=42&e=7&f=pb&r=REPLACE&t={order_id}' },
      sale: { orderId: 'A 1001/2' },
      documented: 'https://track.network.example/p.ashx?o=42&e=7&f=pb&r=1234567&t=A%201001%2F2',
    });
  });

  it('browser pixel: the same URL with f=img (sent as an image GET)', async () => {
    await check({
      landing,
      config: {
        params: ['s2'],
        transport: 'image',
        endpoint: 'https://track.network.example/p.ashx?o=42&e=7&f=img&r={click_id}&t={order_id}&p={amount}',
      },
      sale: { orderId: 'A-1001', amount: '120.00' },
      documented: 'https://track.network.example/p.ashx?o=42&e=7&f=img&r=1234567&t=A-1001&p=120',
    });
  });
});

describe('Everflow', () => {
  it('S2S postback: nid and transaction_id, with amount, order_id and adv1', async () => {
    await check({
      landing: 'https://shop.example/landing?_ef_transaction_id=0f1e2d3c4b5a69788796a5b4c3d2e1f0&oid=3',
      config: {
        params: ['_ef_transaction_id', 'transaction_id'],
        endpoint:
          'https://www.trk.network.example/?nid=123&transaction_id={click_id}&amount={amount}&order_id={order_id}&adv1={adv1}',
      },
      sale: { orderId: 'A-1001', amount: 49.99, adv1: 'spring sale' },
      documented:
        'https://www.trk.network.example/?nid=123&transaction_id=0f1e2d3c4b5a69788796a5b4c3d2e1f0&amount=49.99&order_id=A-1001&adv1=spring%20sale',
    });
  });

  it('a landing URL with transaction_id instead of _ef_transaction_id works with the same config', async () => {
    await check({
      landing: 'https://shop.example/landing?transaction_id=abc123',
      config: {
        params: ['_ef_transaction_id', 'transaction_id'],
        endpoint:
          'https://www.trk.network.example/?nid=123&transaction_id={click_id}&amount={amount}&order_id={order_id}',
      },
      sale: { orderId: 'A-1002', amount: 0 },
      documented: 'https://www.trk.network.example/?nid=123&transaction_id=abc123&amount=0&order_id=A-1002',
    });
  });
});

describe('TUNE (HasOffers)', () => {
  it('server postback: aff_lsr with offer_id and transaction_id, the amount, the order in adv_unique1', async () => {
    await check({
      landing: 'https://shop.example/landing?transaction_id=1027c887059b47bc69c699f45466b9&aff_sub=banner',
      config: {
        params: ['transaction_id'],
        endpoint:
          'https://examplenetwork.go2cloud.org/aff_lsr?offer_id=26&transaction_id={click_id}&amount={amount}&adv_unique1={order_id}',
      },
      sale: { orderId: 'A-1001', amount: 49.99 },
      documented:
        'https://examplenetwork.go2cloud.org/aff_lsr?offer_id=26&transaction_id=1027c887059b47bc69c699f45466b9&amount=49.99&adv_unique1=A-1001',
    });
  });

  it('an offer URL that names the parameter session_id (TUNE’s own example)', async () => {
    await check({
      landing: 'https://shop.example/offer/ad?offer=102&session_id=10214043256817052076618466&campaign=109581A',
      config: {
        params: ['session_id'],
        endpoint: 'https://examplenetwork.go2cloud.org/aff_lsr?offer_id=26&transaction_id={click_id}',
      },
      sale: { orderId: 'A-1003' },
      documented: 'https://examplenetwork.go2cloud.org/aff_lsr?offer_id=26&transaction_id=10214043256817052076618466',
    });
  });
});

describe('generic S2S endpoint', () => {
  it('a plain endpoint gets the wire parameters (docs/protocol.md) appended after its own query', async () => {
    await check({
      landing: 'https://shop.example/landing?clickid=8f3a9c21',
      config: { offerId: '42', endpoint: 'https://track.network.example/postback?key=s3cret' },
      sale: { orderId: 'A-1001', amount: 49.99, currency: 'eur' },
      documented:
        'https://track.network.example/postback?key=s3cret&click_id=8f3a9c21&offer_id=42&amount=49.99&order_id=A-1001&unique_id=A-1001&currency=EUR',
    });
  });

  it('a template renames the parameters for an endpoint with names of its own', async () => {
    await check({
      landing: 'https://shop.example/landing?click_id=8f3a9c21',
      config: {
        endpoint: 'https://track.network.example/pb?cid={click_id}&sum={amount}&ref={order_id}&dedup={unique_id}',
      },
      sale: { orderId: 'A-1001', amount: '49.90' },
      documented: 'https://track.network.example/pb?cid=8f3a9c21&sum=49.9&ref=A-1001&dedup=A-1001',
    });
  });
});
