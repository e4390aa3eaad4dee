// @ts-check
// The stores themselves, on both kinds: group commit keeps each request's own outcome and
// resolves duplicates inside one batch in arrival order.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.js';
import { freshData, STORE } from './helpers.js';

/** @type {import('../src/store/common.js').Store[]} */
const open = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

/** @param {string} [data] */
async function store(data) {
  const s = await openStore(data ?? (await freshData()), { sessionHours: 720, forward: false });
  open.push(s);
  return s;
}

const NOW = Date.UTC(2025, 0, 1);
/** @param {Partial<import('../src/store/common.js').ConversionInput>} fields */
const sale = (fields) => ({
  offer_id: '42',
  click_id: 'click-1',
  unique_id: 'U-1',
  order_id: 'U-1',
  amount: 1,
  payout: null,
  revenue: null,
  adv1: null,
  adv2: null,
  adv3: null,
  adv4: null,
  adv5: null,
  event: null,
  currency: null,
  ...fields,
});

describe('group commit', () => {
  it('resolves duplicates inside one batch in arrival order', async () => {
    const s = await store();
    await s.insertClick({ click_id: 'click-1', offer_id: '42', aff_id: '7', url: 'https://shop.test/' }, NOW);
    // Added in one turn of the event loop: one batch, one transaction.
    const results = await Promise.all(
      ['first', 'second', 'third', 'fourth'].map((adv1) => s.recordConversion(sale({ adv1 }), NOW)),
    );
    expect(results.map((r) => [r.adv1, r.status])).toEqual([
      ['first', 'approved'],
      ['second', 'duplicate'],
      ['third', 'duplicate'],
      ['fourth', 'duplicate'],
    ]);
    expect(results[3].reason).toBe(`same offer_id and unique_id as conversion #${results[0].id}, already counted`);
    expect((await s.conversions()).map((r) => r.adv1)).toEqual(['fourth', 'third', 'second', 'first']);
  });

  it('judges a rejected sale before an approved one of the same key, in arrival order', async () => {
    const s = await store();
    await s.insertClick({ click_id: 'click-1', offer_id: '42', aff_id: '7', url: 'https://shop.test/' }, NOW);
    const results = await Promise.all([
      s.recordConversion(sale({ click_id: null }), NOW),
      s.recordConversion(sale({}), NOW),
      s.recordConversion(sale({ click_id: null }), NOW),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'approved', 'duplicate']);
  });

  it('a write that fails does not fail the others of its batch', async () => {
    const s = await store();
    await s.insertClick({ click_id: 'click-1', offer_id: '42', aff_id: '7', url: 'https://shop.test/' }, NOW);
    const results = await Promise.allSettled([
      s.recordConversion(sale({ unique_id: 'A' }), NOW),
      // The same click ID again: the unique index refuses it.
      s.insertClick({ click_id: 'click-1', offer_id: '42', aff_id: '7', url: 'https://shop.test/' }, NOW),
      s.recordConversion(sale({ unique_id: 'B' }), NOW),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await s.conversions()).map((r) => [r.unique_id, r.status])).toEqual([
      ['B', 'approved'],
      ['A', 'approved'],
    ]);
    expect(await s.clicks()).toHaveLength(1);
  });
});

describe.skipIf(STORE !== 'sqlite')('durability on SQLite', () => {
  it('answers a batch only once its WAL is synced, after the commit', async () => {
    const file = await freshData();
    const s = await store(file);
    await s.insertClick({ click_id: 'click-1', offer_id: '42', aff_id: '7', url: 'https://shop.test/' }, NOW);

    // Hold every fdatasync until released; the store must not answer before it returns.
    const real = fs.fdatasync;
    /** @type {(() => void)[]} */
    const held = [];
    fs.fdatasync = /** @type {typeof fs.fdatasync} */ (
      (fd, callback) => void held.push(() => real(fd, /** @type {fs.NoParamCallback} */ (callback)))
    );
    syncBuiltinESMExports();
    try {
      let answered = false;
      const recorded = s.recordConversion(sale({}), NOW).then((r) => {
        answered = true;
        return r;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(held).toHaveLength(1);
      // Committed (another connection reads it), but not answered while the sync is pending.
      const reader = new Database(file);
      expect(reader.prepare('SELECT status FROM conversions').all()).toEqual([{ status: 'approved' }]);
      reader.close();
      expect(answered).toBe(false);
      for (const release of held.splice(0)) release();
      expect((await recorded).status).toBe('approved');
    } finally {
      fs.fdatasync = real;
      syncBuiltinESMExports();
    }
  });
});
