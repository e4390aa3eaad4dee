/**
 * The server-to-server path (docs/server.md) against the real collector, with `postclick/server`
 * imported by package name (through the `exports` map, so the built dist/server.* runs):
 * the click ID read from the shopper's cookie, the postback URL built by conversionUrl,
 * sent by sendPostback, and the conversion approved in /reports/conversions. Node only.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startCollector } from 'postclick-collector';
import { clickIdFromCookie, conversionUrl, sendPostback } from 'postclick/server';

/** What these tests use of the collector's programmatic API (collector/src/index.js). */
interface Collector {
  url: string;
  hits: { method: string; url: string }[];
  close(): Promise<void>;
}
type Conversion = Record<string, unknown>;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function collector(options: { port?: number; data?: string } = {}): Promise<Collector> {
  const started: Collector = await startCollector({ port: 0, host: '127.0.0.1', quiet: true, ...options });
  cleanups.push(() => started.close());
  return started;
}

/** A click on a tracking link; returns the click ID the collector issued. */
async function click(base: string): Promise<string> {
  const response = await fetch(
    `${base}/click?offer_id=42&aff_id=7&url=${encodeURIComponent('https://shop.test/landing')}`,
    { redirect: 'manual' },
  );
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!).searchParams.get('s1')!;
}

async function conversions(base: string): Promise<Conversion[]> {
  return (await fetch(`${base}/reports/conversions`)).json() as Promise<Conversion[]>;
}

describe('sendPostback to the collector', () => {
  test('a postback built from the shopper’s cookie lands as approved; a resend is a duplicate', async () => {
    const network = await collector();
    const clickId = await click(network.url);

    // The order server's view: the Cookie header of the checkout request.
    const fromCookie = clickIdFromCookie(`sid=abc; _postclick=${clickId}; theme=dark`);
    expect(fromCookie).toBe(clickId);
    const url = conversionUrl(`${network.url}/c`, {
      clickId: fromCookie!,
      offerId: '42',
      amount: 49.99,
      orderId: 'PB-1',
      adv1: 'server',
    });
    expect(url).toBe(
      `${network.url}/c?click_id=${clickId}&offer_id=42&amount=49.99&order_id=PB-1&unique_id=PB-1&adv1=server`,
    );

    expect(await sendPostback(url!, { retries: 2, timeoutMs: 5000 })).toEqual({ ok: true, status: 200, attempts: 1 });
    expect(network.hits).toEqual([expect.objectContaining({ method: 'GET', url: url!.slice(network.url.length) })]);
    expect(await conversions(network.url)).toEqual([
      expect.objectContaining({
        click_id: clickId,
        offer_id: '42',
        order_id: 'PB-1',
        unique_id: 'PB-1',
        amount: 49.99,
        adv1: 'server',
        status: 'approved',
      }),
    ]);

    // The CommonJS build (`require` condition) builds the same URL; sending it again — a
    // retry whose first answer was lost — is answered 200 and counted once.
    const server = createRequire(import.meta.url)('postclick/server') as typeof import('postclick/server');
    const again = server.conversionUrl(`${network.url}/c`, {
      clickId,
      offerId: '42',
      amount: 49.99,
      orderId: 'PB-1',
      adv1: 'server',
    });
    expect(again).toBe(url);
    expect(await server.sendPostback(again!)).toEqual({ ok: true, status: 200, attempts: 1 });
    const [latest, first] = await conversions(network.url);
    expect(latest).toMatchObject({ unique_id: 'PB-1', status: 'duplicate' });
    expect(first).toMatchObject({ unique_id: 'PB-1', status: 'approved' });
  });

  test('the collector is down for the first attempts, comes up on the same port, and the postback lands', async () => {
    // The network's data outlives its restart (docs/collector.md: durable before answered).
    const dir = mkdtempSync(join(tmpdir(), 'postclick-postback-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const data = join(dir, 'network.sqlite');
    const before = await collector({ data });
    const clickId = await click(before.url);
    await before.close();

    // The port is reserved by a server that cuts every connection: the collector is "down".
    const down = createServer((socket: Socket) => socket.destroy());
    down.listen(0, '127.0.0.1');
    await once(down, 'listening');
    const { port } = down.address() as { port: number };
    let refused = 0;
    const twoRefused = new Promise<void>((resolve) => down.on('connection', () => ++refused === 2 && resolve()));

    const url = conversionUrl(`http://127.0.0.1:${port}/c`, { clickId, offerId: '42', amount: 20, orderId: 'PB-2' })!;
    const sent = sendPostback(url, { retries: 20, timeoutMs: 5000, baseDelayMs: 100, maxDelayMs: 500 });

    // Two attempts have failed: bring the collector up on that port, with the same data.
    await twoRefused;
    down.close();
    await once(down, 'close');
    const after = await collector({ port, data });

    const result = await sent;
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.attempts).toBeGreaterThan(2);
    expect(refused).toBeGreaterThanOrEqual(2);
    expect(await conversions(after.url)).toEqual([
      expect.objectContaining({ click_id: clickId, unique_id: 'PB-2', amount: 20, status: 'approved' }),
    ]);
  });
});
