// @ts-check
// The stores themselves, on both kinds: group commit keeps each request's own outcome and
// resolves duplicates inside one batch in arrival order.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { once } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.js';
import { serveWrites } from '../src/store/sqliteWorker.js';
import { encodeWrites } from '../src/store/sqliteWrites.js';
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

describe.skipIf(STORE !== 'sqlite')('SQLite on a file: the writer thread', () => {
  it('commits what was queued before close, and another connection reads it', async () => {
    const file = await freshData();
    const s = await openStore(file, { sessionHours: 720, forward: false });
    await s.insertClick({ click_id: 'click-1', offer_id: '42', aff_id: '7', url: 'https://shop.test/' }, NOW);
    const recorded = s.recordConversion(sale({}), NOW);
    await s.close();
    const { id } = await recorded;
    const reader = new Database(file);
    expect(reader.prepare('SELECT id, status FROM conversions').all()).toEqual([{ id, status: 'approved' }]);
    reader.close();
  });

  it('keeps no process alive once its writes are done', { timeout: 20_000 }, async () => {
    const file = await freshData();
    const store = new URL('../src/store/index.js', import.meta.url).href;
    const script = `
      const { openStore } = await import(${JSON.stringify(store)});
      const s = await openStore(${JSON.stringify(file)}, { sessionHours: 720, forward: false });
      await s.insertClick({ click_id: 'c', offer_id: '42', aff_id: null, url: 'https://shop.test/' }, Date.now());
      console.log('written');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const [code, signal] = await once(child, 'exit');
    clearTimeout(timer);
    expect({ code, signal, out: out.trim() }).toEqual({ code: 0, signal: null, out: 'written' });
  });
});

describe.skipIf(STORE !== 'sqlite')('SQLite writer thread: durability', () => {
  it('answers no batch before a sync that began after its commit', async () => {
    const file = await freshData();
    // The store makes the file (WAL, migrated) and keeps its WAL; its writes go through the
    // writer served below on a channel, whose fdatasync the test holds.
    const s = await openStore(file, { sessionHours: 720, forward: false });
    open.push(s);
    const reader = new Database(file);
    reader.exec(
      `INSERT INTO clicks (click_id, offer_id, aff_id, url, created_at) VALUES ('click-1', '42', '7', 'u', ${NOW})`,
    );
    /** @type {(() => void)[]} */
    const held = [];
    const { port1, port2 } = new MessageChannel();
    serveWrites({
      port: port2,
      file,
      options: { sessionHours: 720, forward: false },
      sync: (fd, done) => void held.push(() => fs.fdatasync(fd, done)),
    });
    /** @type {unknown[]} */
    const answers = [];
    port1.on('message', (message) => answers.push(JSON.parse(message)));
    const until = async (/** @type {() => boolean} */ ready) => {
      while (!ready()) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    const statuses = () => reader.prepare('SELECT unique_id, status FROM conversions ORDER BY id').all();
    try {
      port1.postMessage(encodeWrites([{ type: 'conversion', input: sale({ unique_id: 'A' }), now: NOW }]));
      await until(() => held.length === 1);
      // Committed (another connection reads it), not answered while its sync is held.
      expect(statuses()).toEqual([{ unique_id: 'A', status: 'approved' }]);
      port1.postMessage(encodeWrites([{ type: 'conversion', input: sale({ unique_id: 'A' }), now: NOW }]));
      await until(() => statuses().length === 2);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The second batch committed meanwhile, and waits for a sync of its own.
      expect({ answers, held: held.length }).toEqual({ answers: [], held: 1 });
      held.shift()?.();
      await until(() => answers.length === 1);
      expect(answers[0]).toMatchObject({ results: [[[expect.any(Number), 'approved', null, '7']]] });
      await until(() => held.length === 1);
      expect(answers).toHaveLength(1);
      held.shift()?.();
      await until(() => answers.length === 2);
      expect(answers[1]).toMatchObject({ results: [[[expect.any(Number), 'duplicate', expect.any(String), '7']]] });
    } finally {
      port1.postMessage(null);
      port1.close();
      reader.close();
    }
  });
});
