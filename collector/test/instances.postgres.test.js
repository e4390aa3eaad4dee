// @ts-check
// Several collectors on one PostgreSQL database, as behind a load balancer: dedup, answered
// conversions and forwarding hold across processes.
import { afterEach, describe, expect, it } from 'vitest';
import { convert, newClick, newPostgresDatabase, request, spawnChild, startNetwork, waitFor } from './helpers.js';

/** @type {(() => unknown)[]} */
const cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Two collector processes on one new database. @param {import('../src/index.js').CollectorOptions} [options] */
async function pair(options = {}) {
  const data = await newPostgresDatabase();
  const [a, b] = await Promise.all([spawnChild({ data, ...options }), spawnChild({ data, ...options })]);
  for (const instance of [a, b]) cleanups.push(() => instance.child.kill('SIGKILL'));
  return [a, b];
}
/** @param {{ url: string }} c */
const rows = async (c) =>
  /** @type {import('../src/store/common.js').Conversion[]} */ (
    await (await request(c, '/reports/conversions')).json()
  );

describe('two collectors on one PostgreSQL database', () => {
  it('50 identical conversions in parallel across both give exactly one approved', async () => {
    const [a, b] = await pair();
    const clickId = await newClick(a);
    const sale = { offer_id: '42', click_id: clickId, order_id: 'P-1', amount: '10' };
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => convert(i % 2 ? a : b, sale)));
    expect(answers.every((answer) => answer.http === 200)).toBe(true);
    expect(answers.filter((answer) => answer.status === 'approved')).toHaveLength(1);
    const statuses = (await rows(b)).map((row) => row.status);
    expect([statuses.length, statuses.filter((s) => s === 'approved').length]).toEqual([50, 1]);
  });

  it('a SIGKILL of one loses nothing it answered', { timeout: 60_000 }, async () => {
    const [a, b] = await pair();
    const clickIds = [await newClick(a), await newClick(b)];
    /** @type {string[]} */
    const answered = [];
    let sent = 0;
    let killed = false;
    const sender = async (/** @type {{ url: string }} */ target) => {
      for (;;) {
        const orderId = `S-${sent++}`;
        try {
          const { http } = await convert(target, { offer_id: '42', click_id: clickIds[sent % 2], order_id: orderId });
          if (http === 200) answered.push(orderId);
        } catch {
          return; // the instance is gone
        }
        if (killed) return; // b keeps going until a is gone, then the check below
      }
    };
    const senders = [...Array.from({ length: 6 }, () => sender(a)), ...Array.from({ length: 2 }, () => sender(b))];
    await waitFor(() => answered.length >= 300);
    a.child.kill('SIGKILL');
    await a.exited;
    killed = true;
    await Promise.all(senders);

    const stored = new Set((await rows(b)).map((row) => row.order_id));
    expect(answered.filter((orderId) => !stored.has(orderId))).toEqual([]);
  });

  it('never forward the same conversion twice, and forward every one', { timeout: 60_000 }, async () => {
    // A slow network keeps claims of both instances open at the same time.
    const network = await startNetwork();
    const slow = network.server.listeners('request')[0];
    network.server.removeAllListeners('request');
    network.server.on('request', (req, res) => setTimeout(() => slow.call(network.server, req, res), 20));
    cleanups.push(() => network.down());

    const forward = { url: `${network.url}/p`, pollMs: 20, baseDelayMs: 40, maxDelayMs: 200, timeoutMs: 2000 };
    const [a, b] = await pair({ forward });
    const clickId = await newClick(a);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        convert(i % 2 ? a : b, { offer_id: '42', click_id: clickId, order_id: `W-${i}` }),
      ),
    );
    await waitFor(async () => (await rows(a)).every((row) => row.forward_status === 'forwarded'), 40_000);
    const sent = network.hits.map((url) => url.searchParams.get('unique_id'));
    expect(sent).toHaveLength(100);
    expect(new Set(sent).size).toBe(100);
    expect((await rows(b)).every((row) => row.forward_attempts === 1)).toBe(true);
  });
});
