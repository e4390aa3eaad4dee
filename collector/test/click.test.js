// @ts-check
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidClickId } from '../src/clickId.js';
import { request, start } from './helpers.js';

/** @type {import('../src/index.js').Collector} */
let c;
beforeAll(async () => (c = await start()));
afterAll(() => c.close());

const link = (/** @type {Record<string, string>} */ params) => `/click?${new URLSearchParams(params)}`;

describe('GET /click', () => {
  it('records a click, sets the cookie and redirects with s1=<click ID>', async () => {
    const res = await request(c, link({ offer_id: '42', aff_id: '7', url: 'https://shop.test/landing?utm=x#top' }));
    expect(res.status).toBe(302);
    const location = new URL(/** @type {string} */ (res.headers.get('location')));
    const clickId = /** @type {string} */ (location.searchParams.get('s1'));
    expect(location.origin + location.pathname + location.hash).toBe('https://shop.test/landing#top');
    expect(location.searchParams.get('utm')).toBe('x');
    expect(isValidClickId(clickId) && clickId.length >= 22).toBe(true);
    expect(res.headers.get('set-cookie')).toBe(`_postclick=${clickId}; Path=/; Max-Age=2592000; SameSite=Lax`);
    expect((await c.clicks())[0]).toEqual({
      click_id: clickId,
      offer_id: '42',
      aff_id: '7',
      url: 'https://shop.test/landing?utm=x#top',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it('issues a different, unguessable ID every time', async () => {
    const ids = new Set();
    for (let i = 0; i < 20; i++)
      ids.add(
        new URL(
          /** @type {string} */ ((await request(c, link({ url: 'http://a.test/' }))).headers.get('location')),
        ).searchParams.get('s1'),
      );
    expect(ids.size).toBe(20);
  });

  it('uses the param name given, replacing a value already there', async () => {
    const res = await request(c, link({ url: 'http://a.test/?clickid={clickid}', param: 'clickid' }));
    const location = new URL(/** @type {string} */ (res.headers.get('location')));
    expect(location.searchParams.getAll('clickid')).toHaveLength(1);
    expect(location.searchParams.get('clickid')).not.toBe('{clickid}');
  });

  it.each([
    ['track.shop.test', 'shop.test'],
    ['track.shop.test:8787', 'shop.test'],
    ['www.shop.co.uk', 'shop.co.uk'],
    ['localhost:8787', null],
    ['127.0.0.1:8787', null],
    ['[::1]:8787', null],
  ])('scopes the cookie to the site of Host %s', async (host, domain) => {
    const cookie = await new Promise((resolve, reject) => {
      // fetch() forbids setting Host; node:http does not.
      import('node:http').then(
        ({ get }) =>
          get(c.url + link({ url: 'http://a.test/' }), { headers: { host } }, (res) => {
            res.resume();
            resolve(res.headers['set-cookie']?.[0]);
          }).on('error', reject),
        reject,
      );
    });
    expect(cookie).toMatch(/^_postclick=[\w-]+; Path=\/; Max-Age=2592000; SameSite=Lax/);
    expect(cookie.match(/Domain=([^;]+)/)?.[1] ?? null).toBe(domain);
  });

  it.each([
    [{}, 'url is required'],
    [{ url: 'javascript:alert(1)' }, 'url must be an absolute http(s) URL'],
    [{ url: 'ftp://a.test/' }, 'url must be an absolute http(s) URL'],
    [{ url: '/relative' }, 'url must be an absolute http(s) URL'],
    [{ url: 'http://a.test/', param: 'a b' }, 'param must be a parameter name such as s1'],
    [{ url: 'http://a.test/', param: '<x>' }, 'param must be a parameter name such as s1'],
    [{ url: 'http://a.test/', aff_id: 'x'.repeat(256) }, 'aff_id is longer than 255 characters'],
  ])('answers 400 for %o', async (params, error) => {
    const before = (await c.clicks()).length;
    const res = await request(c, link(params));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error });
    expect(await c.clicks()).toHaveLength(before);
  });
});
