// @ts-check
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, start, tempDir } from './helpers.js';

/** @type {import('../src/index.js').Collector} */
let c;
beforeAll(async () => {
  const root = tempDir();
  const site = join(root, 'site');
  const dist = join(root, 'dist');
  mkdirSync(join(site, 'spa'), { recursive: true });
  mkdirSync(dist);
  writeFileSync(join(root, 'secret.txt'), 'secret');
  writeFileSync(join(site, 'index.html'), '<h1>home</h1>');
  writeFileSync(join(site, 'spa', 'index.html'), '<h1>spa</h1>');
  writeFileSync(join(site, 'style.css'), 'a{}');
  writeFileSync(join(site, 'data.json'), '{}');
  writeFileSync(join(site, 'logo.svg'), '<svg/>');
  writeFileSync(join(site, 'a b.txt'), 'spaced');
  writeFileSync(join(dist, 'postclick.js'), 'var x;');
  writeFileSync(join(dist, 'postclick.mjs'), 'export {};');
  writeFileSync(join(dist, 'postclick.js.map'), '{}');
  c = await start({ static: { '/': site, '/dist/': dist } });
});
afterAll(() => c.close());

/** GET a raw path exactly as written (fetch would normalise `..`). @param {string} path */
const rawGet = (path) =>
  new Promise((resolve, reject) => {
    httpRequest(c.url + '/', { path }, (res) => {
      res.resume();
      resolve(res.statusCode);
    })
      .on('error', reject)
      .end();
  });

describe('static files', () => {
  it.each([
    ['/', 'text/html; charset=utf-8', '<h1>home</h1>'],
    ['/index.html', 'text/html; charset=utf-8', '<h1>home</h1>'],
    ['/spa/', 'text/html; charset=utf-8', '<h1>spa</h1>'],
    ['/style.css', 'text/css; charset=utf-8', 'a{}'],
    ['/data.json', 'application/json; charset=utf-8', '{}'],
    ['/logo.svg', 'image/svg+xml', '<svg/>'],
    ['/a%20b.txt', 'text/plain; charset=utf-8', 'spaced'],
    ['/dist/postclick.js', 'text/javascript; charset=utf-8', 'var x;'],
    ['/dist/postclick.mjs', 'text/javascript; charset=utf-8', 'export {};'],
    ['/dist/postclick.js.map', 'application/json; charset=utf-8', '{}'],
  ])('serves %s as %s, uncached', async (path, type, body) => {
    const res = await request(c, path);
    expect([res.status, res.headers.get('content-type'), res.headers.get('cache-control'), await res.text()]).toEqual([
      200,
      type,
      'no-store',
      body,
    ]);
  });

  it('redirects a directory without its slash', async () => {
    const res = await request(c, '/spa');
    expect([res.status, res.headers.get('location')]).toEqual([301, '/spa/']);
  });

  it('lets the routes win over a mount at /', async () => {
    expect(await (await request(c, '/healthz')).text()).toBe('ok');
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/dist/..%2f..%2fsecret.txt',
    '/dist/%2e%2e/%2e%2e/secret.txt',
    '/nope.html',
  ])('answers 404 to %s', async (path) => expect(await rawGet(path)).toBe(404));

  it.each(['/%FF', '/a%00b'])('answers 400 to %s', async (path) => expect(await rawGet(path)).toBe(400));

  // Routes registered before an awaited plugin keep the error handler of that moment: with
  // a mount, the errors of /c and the reports came out in Fastify's default shape.
  it.each([
    ['/c?order_id=A-1', 400, 'offer_id is required'],
    ['/reports/conversions?status=nope', 400, /^status /],
    ['/nope.html', 404, 'no route for /nope.html'],
  ])('keeps errors as {"error": reason} beside a mount: %s', async (path, status, reason) => {
    const res = await request(c, path);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: expect.stringMatching(reason) });
  });
});
