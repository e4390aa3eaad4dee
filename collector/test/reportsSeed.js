// @ts-check
// Seeds a collector with a small, hand-checked set of clicks and conversions over three
// UTC days, on a fake clock; the expected values in the reports tests are worked out by
// hand from this list, not from the code under test.
import { convert, newClick, start } from './helpers.js';

export const D1 = '2025-11-24';
export const D2 = '2025-11-25';
export const D3 = '2025-11-26';

/**
 * | id | time (UTC)               | offer | click (aff)  | order | amount | payout | currency | status    |
 * |----|--------------------------|-------|--------------|-------|--------|--------|----------|-----------|
 * | 1  | 2025-11-24 10:00         | 42    | k1 (7)       | A-1   | 10     | 1      | EUR      | approved  |
 * | 2  | 2025-11-24 23:59:59.999  | 42    | k1 (7)       | A-1   | 10     |        | EUR      | duplicate |
 * | 3  | 2025-11-25 00:00         | 42    | k2 (8)       | A-2   | 20     |        | USD      | approved  |
 * | 4  | 2025-11-25 12:00         | 43    | k3 (7)       | B-1   | 5      | 0.5    | EUR      | approved  |
 * | 5  | 2025-11-26 08:00         | 42    | unknown      | C-1   | 7      |        | EUR      | rejected  |
 * | 6  | 2025-11-26 09:00         | 42    | k1 (7)       | A-3   | 2.5    | 0      | EUR      | approved  |
 * @param {Partial<import('../src/index.js').CollectorOptions>} [options]
 */
export async function seededCollector(options = {}) {
  let clock = Date.parse(`${D1}T09:00:00Z`);
  const c = await start({ now: () => clock, ...options });
  const k1 = await newClick(c, { offer_id: '42', aff_id: '7' });
  const k2 = await newClick(c, { offer_id: '42', aff_id: '8' });
  const k3 = await newClick(c, { offer_id: '43', aff_id: '7' });
  /** @param {string} at @param {Record<string, string>} params */
  const at = async (at, params) => {
    clock = Date.parse(at);
    const { http, status } = await convert(c, params);
    if (http !== 200) throw new Error(`seeding ${JSON.stringify(params)} answered ${http}`);
    return status;
  };
  const statuses = [
    await at(`${D1}T10:00:00Z`, {
      offer_id: '42',
      click_id: k1,
      order_id: 'A-1',
      amount: '10',
      payout: '1',
      currency: 'EUR',
    }),
    await at(`${D1}T23:59:59.999Z`, { offer_id: '42', click_id: k1, order_id: 'A-1', amount: '10', currency: 'EUR' }),
    await at(`${D2}T00:00:00Z`, { offer_id: '42', click_id: k2, order_id: 'A-2', amount: '20', currency: 'usd' }),
    await at(`${D2}T12:00:00Z`, {
      offer_id: '43',
      click_id: k3,
      order_id: 'B-1',
      amount: '5',
      payout: '0.5',
      currency: 'EUR',
    }),
    await at(`${D3}T08:00:00Z`, {
      offer_id: '42',
      click_id: 'never-issued',
      order_id: 'C-1',
      amount: '7',
      currency: 'EUR',
    }),
    await at(`${D3}T09:00:00Z`, {
      offer_id: '42',
      click_id: k1,
      order_id: 'A-3',
      amount: '2.5',
      payout: '0',
      currency: 'EUR',
    }),
  ];
  const expected = ['approved', 'duplicate', 'approved', 'approved', 'rejected', 'approved'];
  if (statuses.join() !== expected.join()) throw new Error(`seeded statuses ${statuses}, expected ${expected}`);
  const ids = (await c.conversions()).map((row) => row.id).reverse();
  return {
    c,
    clicks: { k1, k2, k3 },
    /** The stored id of seed row n (1-based, as in the table above). */
    id: (/** @type {number} */ n) => ids[n - 1],
    setClock: (/** @type {number} */ ms) => (clock = ms),
  };
}
