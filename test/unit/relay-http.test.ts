// @vitest-environment node
/**
 * The relay over real HTTP: mounted with toNodeListener on node:http and in an Express app,
 * forwarding to a recording network server. What the network receives is written out by
 * hand in the network's own template form.
 */
import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { relay, toNodeListener, type RelayOptions } from '../../src/server';
import { startNetwork, type Network } from './support/network';

let network: Network;
let servers: Server[] = [];
beforeEach(async () => {
  network = await startNetwork();
});
afterEach(async () => {
  await network.close();
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  servers = [];
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A network template that renames every wire parameter, as networks' postback URLs do. */
const TEMPLATE =
  '/postback?cid={click_id}&oid={offer_id}&sum={amount}&pay={payout}&rev={revenue}&ref={order_id}' +
  '&dedup={unique_id}&s1={adv1}&s2={adv2}&s3={adv3}&s4={adv4}&s5={adv5}&ev={event}&cur={currency}';

const nodeRelay = (options: Partial<RelayOptions> = {}) =>
  listen(createServer(toNodeListener(relay({ forward: network.origin + TEMPLATE, ...options }))));

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('node:http + toNodeListener', () => {
  it('every wire parameter arrives in the template form, one postback per order', async () => {
    const shop = await nodeRelay();
    const answers = await Promise.all([
      fetch(
        `${shop}/postclick/c?click_id=k-1&offer_id=42&amount=49.99&payout=4.5&revenue=49.99&order_id=A-1` +
          '&adv1=spring%20sale&adv2=2&adv3=3&adv4=4&adv5=5&event=sale&currency=eur',
      ),
      fetch(`${shop}/postclick/c`, {
        method: 'POST',
        headers: form,
        body: 'click_id=k-2&offer_id=42&amount=0&order_id=A-2',
      }),
      fetch(`${shop}/postclick/c?offer_id=42&order_id=A%2F3`, { headers: { cookie: '_postclick=k-3' } }),
    ]);
    expect(await Promise.all(answers.map((a) => a.json()))).toEqual(
      Array(3).fill({ status: 'forwarded', upstream: 200 }),
    );
    expect(network.hits.sort()).toEqual([
      '/postback?cid=k-1&oid=42&sum=49.99&pay=4.5&rev=49.99&ref=A-1&dedup=A-1&s1=spring%20sale&s2=2&s3=3&s4=4&s5=5&ev=sale&cur=EUR',
      '/postback?cid=k-2&oid=42&sum=0&pay=&rev=&ref=A-2&dedup=A-2&s1=&s2=&s3=&s4=&s5=&ev=&cur=',
      '/postback?cid=k-3&oid=42&sum=&pay=&rev=&ref=A%2F3&dedup=A%2F3&s1=&s2=&s3=&s4=&s5=&ev=&cur=',
    ]);
  });

  it('the network down for the first attempts: 502, then the retried conversion goes once', async () => {
    const shop = await nodeRelay({ retries: 1 });
    let accepted = 0;
    network.answer = (n) => {
      if (n < 2) return 'drop';
      accepted++;
      return 200;
    };
    const conversion = `${shop}/postclick/c?click_id=k-9&offer_id=42&order_id=A-9`;
    const first = await fetch(conversion);
    expect([first.status, await first.json()]).toEqual([
      502,
      { error: expect.stringMatching(/^the network did not take the postback after 2 attempt\(s\): /), upstream: null },
    ]);
    // The browser's outbox sends it again on a later page: the same URL, so the same unique_id.
    const again = await fetch(conversion);
    expect([again.status, await again.json()]).toEqual([200, { status: 'forwarded', upstream: 200 }]);
    expect(accepted).toBe(1);
    expect(new Set(network.hits)).toEqual(new Set([expect.stringContaining('&dedup=A-9&')]));
  });

  it("a network 4xx: 422 with the network's status, nothing retried", async () => {
    const shop = await nodeRelay();
    network.answer = () => 400;
    const response = await fetch(`${shop}/postclick/c?click_id=k&order_id=A`);
    expect([response.status, await response.json()]).toEqual([
      422,
      { error: 'the network refused the postback: HTTP 400', upstream: 400 },
    ]);
    expect(network.hits).toHaveLength(1);
  });

  it('/click: the Set-Cookie header reaches the client, Secure behind a TLS proxy', async () => {
    const shop = await nodeRelay({ cookieDomain: 'shop.example' });
    const plain = await fetch(`${shop}/postclick/click?s1=abc`);
    expect([plain.status, plain.headers.getSetCookie()]).toEqual([
      204,
      ['_postclick=abc;Path=/;SameSite=Lax;Max-Age=2592000;Domain=shop.example'],
    ]);
    const proxied = await fetch(`${shop}/postclick/click?s1=abc`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(proxied.headers.getSetCookie()).toEqual([
      '_postclick=abc;Path=/;SameSite=Lax;Max-Age=2592000;Domain=shop.example;Secure',
    ]);
  });

  it('a body over the limit gets its 413, and the server keeps serving', async () => {
    const shop = await nodeRelay();
    const big = await fetch(`${shop}/c`, { method: 'POST', headers: form, body: 'adv1=' + 'x'.repeat(200_000) });
    expect([big.status, await big.json()]).toEqual([413, { error: 'body larger than 65536 bytes' }]);
    expect((await fetch(`${shop}/c?click_id=after&order_id=1`)).status).toBe(200);
  });

  it('answers methods a Request cannot carry, and a bad Host, without a 5xx', async () => {
    const shop = await nodeRelay();
    const { request } = await import('node:http');
    const status = (options: { method?: string; headers?: Record<string, string> }) =>
      new Promise<number | undefined>((resolve, reject) => {
        const req = request(`${shop}/c?click_id=a`, options, (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status({ method: 'TRACE' })).toBe(405);
    expect(await status({ headers: { host: 'a b' } })).toBe(400);
    expect(network.hits).toEqual([]);
  });
});

describe('node:http2 (compatibility API)', () => {
  it('takes the host from :authority, and answers a body over the limit with 413, without a Connection header', async () => {
    const { createServer: createHttp2Server, connect } = await import('node:http2');
    const server = createHttp2Server(toNodeListener(relay({ forward: network.origin + TEMPLATE })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    const client = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    client.on('error', () => {});
    const ask = (headers: Record<string, string>, body = '') =>
      new Promise<{ status: number; cookie: unknown; text: string }>((resolve, reject) => {
        const stream = client.request(headers);
        let text = '';
        let answer: { status: number; cookie: unknown } | undefined;
        stream.on('response', (h) => (answer = { status: Number(h[':status']), cookie: h['set-cookie'] }));
        stream.on('data', (chunk) => (text += chunk));
        stream.on('end', () => resolve({ ...answer!, text }));
        // The server may end the stream before the whole body was written (a 413): the answer counts.
        stream.on('error', (error) => (answer ? resolve({ ...answer, text }) : reject(error)));
        // node:http2 ends a GET's stream itself (no :method given); other methods end theirs.
        if (headers[':method']) stream.end(body);
      });
    try {
      expect(
        await ask({
          ':path': '/postclick/click?s1=h2-1',
          ':authority': 'www.shop.example',
          'x-forwarded-proto': 'https',
        }),
      ).toEqual({ status: 204, cookie: ['_postclick=h2-1;Path=/;SameSite=Lax;Max-Age=2592000;Secure'], text: '' });
      // Same-origin by :authority: a preflight from the page's own origin is answered, not refused.
      const preflight = await ask({
        ':method': 'OPTIONS',
        ':path': '/postclick/c',
        ':authority': 'www.shop.example',
        origin: 'http://www.shop.example',
      });
      expect(preflight.status).toBe(204);
      const refused = await ask(
        { ':method': 'POST', ':path': '/postclick/c', ':authority': 'www.shop.example', 'content-type': 'text/plain' },
        'adv1=' + 'x'.repeat(200_000),
      );
      expect([refused.status, JSON.parse(refused.text)]).toEqual([413, { error: 'body larger than 65536 bytes' }]);
      // Node drops a Connection header on HTTP/2 with a warning in the server's log.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('Express', () => {
  it('mounted with app.use under a prefix: conversions forwarded, cookies set, other paths 404', async () => {
    const app = express();
    app.use('/postclick', toNodeListener(relay({ forward: network.origin + TEMPLATE })));
    app.get('/', (_req, res) => void res.send('shop'));
    const shop = await listen(createServer(app));

    const conversion = await fetch(`${shop}/postclick/c`, {
      method: 'POST',
      headers: { ...form, cookie: '_postclick=exp-1' },
      body: 'offer_id=42&amount=10&order_id=E-1',
    });
    expect([conversion.status, await conversion.json()]).toEqual([200, { status: 'forwarded', upstream: 200 }]);
    expect(network.hits).toEqual([
      '/postback?cid=exp-1&oid=42&sum=10&pay=&rev=&ref=E-1&dedup=E-1&s1=&s2=&s3=&s4=&s5=&ev=&cur=',
    ]);
    const click = await fetch(`${shop}/postclick/click?clickid=exp-2`);
    expect([click.status, click.headers.getSetCookie()]).toEqual([
      204,
      ['_postclick=exp-2;Path=/;SameSite=Lax;Max-Age=2592000'],
    ]);
    expect((await fetch(`${shop}/postclick/other`)).status).toBe(404);
    expect(await (await fetch(`${shop}/`)).text()).toBe('shop');
  });

  it('after a body parser already read the form (express.urlencoded)', async () => {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.use('/postclick', toNodeListener(relay({ forward: network.origin + TEMPLATE })));
    const shop = await listen(createServer(app));
    const response = await fetch(`${shop}/postclick/c`, {
      method: 'POST',
      headers: form,
      body: 'click_id=exp-3&order_id=E-3&amount=1.5',
    });
    expect(response.status).toBe(200);
    expect(network.hits).toEqual([
      '/postback?cid=exp-3&oid=&sum=1.5&pay=&rev=&ref=E-3&dedup=E-3&s1=&s2=&s3=&s4=&s5=&ev=&cur=',
    ]);
  });
});
