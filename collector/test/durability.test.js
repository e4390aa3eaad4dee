// @ts-check
import { describe, expect, it } from 'vitest';
import { freshData, spawnCli } from './helpers.js';

/** Starts the CLI on a data file and resolves its base URL. @param {string} data */
async function launch(data) {
  const cli = spawnCli(['--port', '0', '--data', data, '--quiet']);
  const url = (await cli.firstLine).replace('listening on ', '');
  return { ...cli, url };
}

describe('durability', () => {
  it('keeps every answered click and conversion across a SIGKILL', { timeout: 30_000 }, async () => {
    const data = await freshData();
    const first = await launch(data);

    /** @type {string[]} */
    const clickIds = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${first.url}/click?offer_id=42&aff_id=7&url=https://shop.test/`, { redirect: 'manual' });
      clickIds.push(
        /** @type {string} */ (new URL(/** @type {string} */ (res.headers.get('location'))).searchParams.get('s1')),
      );
    }

    // Keep conversions in flight from 8 senders and kill the process under them.
    /** @type {string[]} */
    const answered = [];
    let sent = 0;
    const sender = async () => {
      for (;;) {
        const orderId = `D-${sent++}`;
        try {
          const res = await fetch(
            `${first.url}/c?offer_id=42&click_id=${clickIds[sent % 5]}&order_id=${orderId}&amount=1`,
            { method: 'POST' },
          );
          if (res.status === 200) answered.push(orderId);
        } catch {
          return; // the collector is gone
        }
      }
    };
    const senders = Array.from({ length: 8 }, sender);
    while (answered.length < 200) await new Promise((resolve) => setTimeout(resolve, 5));
    first.child.kill('SIGKILL');
    await Promise.all(senders);
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await launch(data);
    try {
      /** @type {import('../src/store/common.js').Conversion[]} */
      const conversions = await (await fetch(`${second.url}/reports/conversions`)).json();
      const stored = new Set(conversions.map((c) => c.order_id));
      expect(answered.filter((orderId) => !stored.has(orderId))).toEqual([]);
      expect(conversions.every((c) => c.status === 'approved')).toBe(true);
      /** @type {import('../src/store/common.js').Click[]} */
      const clicks = await (await fetch(`${second.url}/reports/clicks`)).json();
      expect(clicks.map((c) => c.click_id).sort()).toEqual([...clickIds].sort());
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
