// @ts-check
import { afterEach, describe, expect, it } from 'vitest';
import { convert, freshData, newClick, request, spawnChild, start, startNetwork, waitFor } from './helpers.js';

/** @type {(() => unknown)[]} */
const cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// Fast back-off for tests: the documented defaults start at 1 s.
const FAST = { baseDelayMs: 40, maxDelayMs: 200, pollMs: 50, timeoutMs: 2000 };

/** @param {import('../src/index.js').CollectorOptions} options */
async function collector(options) {
  const c = await start(options);
  cleanups.push(() => c.close());
  return c;
}
async function network(/** @type {Parameters<typeof startNetwork>[0]} */ options = {}) {
  const n = await startNetwork(options);
  cleanups.push(() => n.down().catch(() => {}));
  return n;
}
/** @param {{ url: string }} c */
const rows = async (c) =>
  /** @type {import('../src/store/common.js').Conversion[]} */ (
    await (await request(c, '/reports/conversions')).json()
  );

describe('--forward', () => {
  it('sends each approved conversion once, with every parameter, and reports it forwarded', async () => {
    const n = await network();
    const c = await collector({ forward: { url: `${n.url}/postback?network=1`, ...FAST } });
    const clickId = await newClick(c);
    const sale = {
      offer_id: '42',
      click_id: clickId,
      order_id: 'F-1',
      amount: '49.99',
      adv1: 'spring',
      currency: 'eur',
    };
    expect((await convert(c, sale)).status).toBe('approved');
    expect((await convert(c, sale)).status).toBe('duplicate');
    expect((await convert(c, { offer_id: '42', click_id: 'unknown-click', order_id: 'F-2' })).status).toBe('rejected');

    await waitFor(async () => (await rows(c)).some((row) => row.forward_status === 'forwarded'));
    expect(n.hits).toHaveLength(1);
    expect(n.hits[0].pathname).toBe('/postback');
    expect(Object.fromEntries(n.hits[0].searchParams)).toEqual({
      network: '1',
      click_id: clickId,
      offer_id: '42',
      amount: '49.99',
      order_id: 'F-1',
      unique_id: 'F-1',
      adv1: 'spring',
      currency: 'EUR',
    });
    expect((await rows(c)).map((row) => [row.status, row.forward_status, row.forward_attempts])).toEqual([
      ['rejected', null, null],
      ['duplicate', null, null],
      ['approved', 'forwarded', 1],
    ]);
  });

  it('fills a template, as the SDK does', async () => {
    const n = await network();
    const c = await collector({ forward: { url: `${n.url}/p?cid={click_id}&tx={unique_id}&sum={amount}`, ...FAST } });
    const clickId = await newClick(c);
    await convert(c, { offer_id: '42', click_id: clickId, unique_id: 'U 1', amount: '5' });
    await waitFor(() => n.hits.length === 1);
    expect(n.hits[0].search).toBe(`?cid=${clickId}&tx=U%201&sum=5`);
  });

  it('retries while the network is down, with back-off, and delivers once it is back up', async () => {
    const n = await network();
    await n.down();
    const c = await collector({ forward: { url: `${n.url}/p`, ...FAST } });
    const clickId = await newClick(c);
    await convert(c, { offer_id: '42', click_id: clickId, order_id: 'DOWN-1' });
    const pending = await waitFor(async () => {
      const [row] = await rows(c);
      return (row.forward_attempts ?? 0) >= 3 && row;
    });
    expect(/** @type {any} */ (pending).forward_status).toBe('pending');
    await n.up();
    await waitFor(async () => (await rows(c))[0].forward_status === 'forwarded');
    expect(n.hits.map((url) => url.searchParams.get('unique_id'))).toEqual(['DOWN-1']);
  });

  it('retries 5xx, 408 and 429 until the attempts run out, then marks the row failed', async () => {
    const statuses = [503, 408, 429, 500];
    const n = await network({ status: () => statuses[n.hits.length - 1] });
    const c = await collector({ forward: { url: `${n.url}/p`, ...FAST, attempts: 4 } });
    await convert(c, { offer_id: '42', click_id: await newClick(c), order_id: 'R-1' });
    await waitFor(async () => (await rows(c))[0].forward_status === 'failed');
    expect([(await rows(c))[0].forward_attempts, n.hits.length]).toEqual([4, 4]);
  });

  it('gives up at once on another 4xx: the network refused it', async () => {
    const n = await network({ status: () => 400 });
    const c = await collector({ forward: { url: `${n.url}/p`, ...FAST } });
    await convert(c, { offer_id: '42', click_id: await newClick(c), order_id: 'X-1' });
    await waitFor(async () => (await rows(c))[0].forward_status === 'failed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([(await rows(c))[0].forward_attempts, n.hits.length]).toEqual([1, 1]);
  });

  it('shows the forward state on the reports page', async () => {
    const n = await network({ status: () => 400 });
    const c = await collector({ forward: { url: `${n.url}/p`, ...FAST } });
    await convert(c, { offer_id: '42', click_id: await newClick(c), order_id: 'H-1' });
    await waitFor(async () => (await rows(c))[0].forward_status === 'failed');
    const page = await (await request(c, '/reports')).text();
    expect(page).toContain('<th>forwarded</th>');
    expect(page).toContain('<span class="forward failed">failed</span> <small>1 attempt</small>');
  });

  it('resumes the queue after a SIGKILL, losing nothing it answered', { timeout: 60_000 }, async () => {
    const n = await network();
    await n.down();
    const data = await freshData();
    const forward = { url: `${n.url}/p`, ...FAST };
    const first = await spawnChild({ data, forward });
    const clickId = await newClick(first);
    /** @type {string[]} */
    const answered = [];
    for (let i = 0; i < 20; i++) {
      const { status } = await convert(first, { offer_id: '42', click_id: clickId, order_id: `K-${i}` });
      if (status === 'approved') answered.push(`K-${i}`);
    }
    // Every row has been tried (the network is down) and is waiting for its next try, or
    // is claimed by an attempt in flight when the process dies.
    await waitFor(async () => (await rows(first)).every((row) => (row.forward_attempts ?? 0) >= 1));
    first.child.kill('SIGKILL');
    await first.exited;

    await n.up();
    const second = await spawnChild({ data, forward });
    cleanups.push(() => second.child.kill('SIGKILL'));
    await waitFor(async () => (await rows(second)).every((row) => row.forward_status === 'forwarded'), 40_000);
    const sent = n.hits.map((url) => url.searchParams.get('unique_id')).sort();
    expect(sent).toEqual([...answered].sort());
  });
});
