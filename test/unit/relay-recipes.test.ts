// @vitest-environment node
/**
 * docs/recipes.md, "Through the relay": for each network, the recipe's `forward` template
 * is accepted by relay(), and a conversion as the browser sends it to the relay (written
 * out by hand in the wire format) reaches a recording network in the network's documented
 * postback form, also written out by hand. The sources for each form are cited in
 * docs/recipes.md, beside the network's own recipe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relay } from '../../src/server';
import { startNetwork, type Network } from './support/network';

let network: Network;
beforeAll(async () => {
  network = await startNetwork();
});
afterAll(() => network.close());

interface RelayRecipe {
  /** The recipe's forward URL, with `NETWORK` where the network's tracking domain stands. */
  forward: string;
  /** What the browser sends to the relay: the SDK's request to `/postclick/c`. */
  browser: string;
  /** The network's documented postback form, filled in by hand. */
  documented: string;
}

async function check({ forward, browser, documented }: RelayRecipe): Promise<void> {
  network.hits.length = 0;
  const handler = relay({ forward: forward.replace('NETWORK', network.origin) });
  const response = await handler(new Request('https://www.shop.example' + browser));
  expect([response.status, await response.json()]).toEqual([200, { status: 'forwarded', upstream: 200 }]);
  expect(network.hits.map((hit) => 'NETWORK' + hit)).toEqual([documented]);
}

describe('CAKE through the relay', () => {
  it('p.ashx with f=pb: the Request ID in r, the unique ID (the order ID) in t, the amount in p', async () => {
    await check({
      forward: 'NETWORK/p.ashx?o=42&e=7&f=pb&r={click_id}&t={unique_id}&p={amount}',
      browser: '/postclick/c?click_id=1234567&amount=49.99&order_id=A-1001&unique_id=A-1001',
      documented: 'NETWORK/p.ashx?o=42&e=7&f=pb&r=1234567&t=A-1001&p=49.99',
    });
  });

  it('a copied postback URL with REPLACE, and {unique_id} in t', async () => {
    await check({
      forward: 'NETWORK/p.ashx?o=42&e=7&f=pb&r=REPLACE&t={unique_id}',
      browser: '/postclick/c?click_id=1234567&order_id=A%201001%2F2&unique_id=A%201001%2F2',
      documented: 'NETWORK/p.ashx?o=42&e=7&f=pb&r=1234567&t=A%201001%2F2',
    });
  });

  it('the click ID from the cookie, for an <img> fallback without one', async () => {
    const handler = relay({ forward: network.origin + '/p.ashx?o=42&e=7&f=pb&r=REPLACE&t={unique_id}' });
    network.hits.length = 0;
    const response = await handler(
      new Request('https://www.shop.example/postclick/c?offer_id=42&order_id=A-1001', {
        headers: { cookie: '_postclick=1234567' },
      }),
    );
    expect(response.status).toBe(200);
    expect(network.hits).toEqual(['/p.ashx?o=42&e=7&f=pb&r=1234567&t=A-1001']);
  });
});

describe('Everflow through the relay', () => {
  it('nid and transaction_id, with amount, order_id (the unique ID) and adv1', async () => {
    await check({
      forward: 'NETWORK/?nid=123&transaction_id={click_id}&amount={amount}&order_id={unique_id}&adv1={adv1}',
      browser:
        '/postclick/c?click_id=0f1e2d3c4b5a69788796a5b4c3d2e1f0&amount=49.99&order_id=A-1001&unique_id=A-1001&adv1=spring%20sale',
      documented:
        'NETWORK/?nid=123&transaction_id=0f1e2d3c4b5a69788796a5b4c3d2e1f0&amount=49.99&order_id=A-1001&adv1=spring%20sale',
    });
  });
});

describe('TUNE (HasOffers) through the relay', () => {
  it('aff_lsr with offer_id and transaction_id, the amount, the unique ID in adv_unique1', async () => {
    await check({
      forward: 'NETWORK/aff_lsr?offer_id=26&transaction_id={click_id}&amount={amount}&adv_unique1={unique_id}',
      browser: '/postclick/c?click_id=1027c887059b47bc69c699f45466b9&amount=49.99&order_id=A-1001&unique_id=A-1001',
      documented:
        'NETWORK/aff_lsr?offer_id=26&transaction_id=1027c887059b47bc69c699f45466b9&amount=49.99&adv_unique1=A-1001',
    });
  });
});

describe('generic S2S endpoint through the relay', () => {
  it('a plain URL gets every wire parameter after its own query', async () => {
    await check({
      forward: 'NETWORK/postback?key=s3cret',
      browser: '/postclick/c?click_id=8f3a9c21&offer_id=42&amount=49.99&order_id=A-1001&unique_id=A-1001&currency=EUR',
      documented:
        'NETWORK/postback?key=s3cret&click_id=8f3a9c21&offer_id=42&amount=49.99&order_id=A-1001&unique_id=A-1001&currency=EUR',
    });
  });

  it('a template with names of its own', async () => {
    await check({
      forward: 'NETWORK/pb?cid={click_id}&sum={amount}&ref={order_id}&dedup={unique_id}',
      browser: '/postclick/c?click_id=8f3a9c21&amount=49.9&order_id=A-1001&unique_id=A-1001',
      documented: 'NETWORK/pb?cid=8f3a9c21&sum=49.9&ref=A-1001&dedup=A-1001',
    });
  });
});

describe('forward templates the relay refuses', () => {
  it.each([
    ['CAKE without t', 'https://t.example/p.ashx?o=42&e=7&f=pb&r=REPLACE'],
    ['Everflow with order_id={order_id}', 'https://t.example/?nid=123&transaction_id={click_id}&order_id={order_id}'],
    ['TUNE without adv_unique1', 'https://t.example/aff_lsr?offer_id=26&transaction_id={click_id}'],
  ])('%s: no {unique_id}', (_, forward) => {
    expect(() => relay({ forward })).toThrow(/no \{unique_id\}/);
  });
});
