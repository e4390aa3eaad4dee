// @ts-check
import { describe, expect, it } from 'vitest';
import { convert, freshData, newClick, start, STORE } from './helpers.js';

describe.each([
  ['in memory', async () => (STORE === 'sqlite' ? undefined : freshData())],
  ['durable', freshData],
])('dedup %s', (_, data) => {
  it('50 identical conversions in parallel give exactly one approved', async () => {
    const c = await start({ data: await data() });
    try {
      const clickId = await newClick(c);
      const params = { offer_id: '42', click_id: clickId, order_id: 'P-1', amount: '10' };
      const answers = await Promise.all(Array.from({ length: 50 }, () => convert(c, params)));
      expect(answers.every((a) => a.http === 200)).toBe(true);
      const statuses = (await c.conversions()).map((row) => row.status);
      expect(statuses).toHaveLength(50);
      expect(statuses.filter((s) => s === 'approved')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(49);
      expect(answers.filter((a) => a.status === 'approved')).toHaveLength(1);
    } finally {
      await c.close();
    }
  });
});
