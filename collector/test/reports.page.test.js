// @ts-check
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convert, request } from './helpers.js';
import { D1, D2, D3, seededCollector } from './reportsSeed.js';

/** @type {Awaited<ReturnType<typeof seededCollector>>} */
let seed;
beforeAll(async () => {
  seed = await seededCollector();
});
afterAll(() => seed.c.close());

/** @param {string} query */
async function page(query) {
  const res = await request(seed.c, `/reports${query}`);
  expect(res.status).toBe(200);
  return res.text();
}

/** Text of an HTML fragment: tags dropped, the entities we write decoded, spaces collapsed. @param {string} html */
const text = (html) =>
  html
    .replace(/<br>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** The body rows of the table with this class, as cell texts. @param {string} html @param {string} className */
function table(html, className) {
  const start = html.indexOf(`<table class="${className}">`);
  if (start < 0) return null;
  const body = html.slice(html.indexOf('<tbody>', start), html.indexOf('</tbody>', start));
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => text(cell[1])),
  );
}

/** The counter cards: name → number. @param {string} html */
const cards = (html) =>
  Object.fromEntries([...html.matchAll(/<div class="card (\w+)"><b>(\d+)<\/b>/g)].map((m) => [m[1], Number(m[2])]));

/** Seed row numbers shown in the conversions table, top to bottom. @param {string} html */
const shownRows = (html) =>
  (table(html, 'conversions') ?? []).map((cells) => [1, 2, 3, 4, 5, 6].find((n) => seed.id(n) === Number(cells[0])));

/** The href of the link with this text. @param {string} html @param {string} label */
function link(html, label) {
  const match = [...html.matchAll(/<a [^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].find((m) => m[2] === label);
  return match ? match[1].replace(/&#38;/g, '&') : undefined;
}

describe('totals', () => {
  it('are per offer and currency, of approved conversions, never mixing currencies', async () => {
    const html = await page('');
    expect(html).toContain('<h2>Approved totals per offer and currency</h2>');
    // offer, currency, conversions, amount, payout, revenue. Offer 42 EUR: rows 1 and 6
    // (10 + 2.5; payout 1 + 0); the duplicate row 2 is not counted; no revenue anywhere.
    expect(table(html, 'totals')).toEqual([
      ['42', 'EUR', '2', '12.50', '1.00', '—'],
      ['42', 'USD', '1', '20.00', '—', '—'],
      ['43', 'EUR', '1', '5.00', '0.50', '—'],
    ]);
  });

  it('follow the filters, and total the filtered status', async () => {
    expect(table(await page(`?from=${D2}`), 'totals')).toEqual([
      ['42', 'EUR', '1', '2.50', '0.00', '—'],
      ['42', 'USD', '1', '20.00', '—', '—'],
      ['43', 'EUR', '1', '5.00', '0.50', '—'],
    ]);
    const rejected = await page('?status=rejected');
    expect(rejected).toContain('<h2>rejected totals per offer and currency</h2>');
    expect(table(rejected, 'totals')).toEqual([['42', 'EUR', '1', '7.00', '—', '—']]);
    expect(table(await page('?aff_id=8'), 'totals')).toEqual([['42', 'USD', '1', '20.00', '—', '—']]);
  });

  it('count clicks and statuses in the selection', async () => {
    expect(cards(await page(''))).toEqual({ clicks: 3, approved: 4, duplicate: 1, scrubbed: 0, rejected: 1 });
    expect(cards(await page('?aff_id=7'))).toEqual({ clicks: 2, approved: 3, duplicate: 1, scrubbed: 0, rejected: 0 });
    expect(cards(await page(`?from=${D3}`))).toEqual({
      clicks: 0,
      approved: 1,
      duplicate: 0,
      scrubbed: 0,
      rejected: 1,
    });
  });
});

describe('per day', () => {
  it('counts each status per UTC day, and the money per currency', async () => {
    // day, approved, duplicate, scrubbed, rejected, approved amount, payout, revenue; newest first.
    expect(table(await page(''), 'days')).toEqual([
      [D3, '1', '0', '0', '1', '2.50 EUR', '0.00 EUR', '— EUR'],
      [D2, '2', '0', '0', '0', '5.00 EUR 20.00 USD', '0.50 EUR — USD', '— EUR — USD'],
      [D1, '1', '1', '0', '0', '10.00 EUR', '1.00 EUR', '— EUR'],
    ]);
  });

  it('charts every day of the selection, stacked by status', async () => {
    const html = await page('?from=2025-11-22&to=2025-11-28');
    const titles = [...html.matchAll(/<g><title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual([
      '2025-11-22: no conversions',
      '2025-11-23: no conversions',
      `${D1}: 1 approved, 1 duplicate`,
      `${D2}: 2 approved`,
      `${D3}: 1 approved, 1 rejected`,
      '2025-11-27: no conversions',
    ]);
    // Inline SVG drawn in the page: no script, no image, no external reference.
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(svg).not.toMatch(/href|<script|<image/);
    expect(svg.match(/<rect class="s-approved"/g)).toHaveLength(3);
    expect(svg.match(/<rect class="s-rejected"/g)).toHaveLength(1);
  });

  it('shows the latest 31 days of a longer selection, and says so', async () => {
    const html = await page('?from=2025-01-01&to=2025-11-27');
    const titles = [...html.matchAll(/<g><title>(\d{4}-\d{2}-\d{2})/g)].map((m) => m[1]);
    expect([titles.length, titles[0], titles.at(-1)]).toEqual([31, '2025-10-27', D3]);
    expect(html).toContain('The latest 31 days of the selection');
  });
});

describe('conversions table', () => {
  it('has the affiliate, and a dash for an absent payout as in the totals', async () => {
    const rows = /** @type {string[][]} */ (table(await page(''), 'conversions'));
    const headers = [...(await page('')).matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(headers).toContain('affiliate');
    const byId = (/** @type {number} */ n) => rows.find((cells) => Number(cells[0]) === seed.id(n));
    // #, time, status, offer, affiliate, click ID, order, currency, amount, payout, revenue
    expect(byId(2)?.slice(3, 11)).toEqual(['42', '7', seed.clicks.k1, 'A-1', 'EUR', '10.00', '—', '—']);
    expect(byId(6)?.slice(3, 11)).toEqual(['42', '7', seed.clicks.k1, 'A-3', 'EUR', '2.50', '0.00', '—']);
    expect(byId(5)?.slice(3, 6)).toEqual(['42', '—', 'never-issued']);
  });

  it('pages past the limit with links that keep the filters', async () => {
    const first = await page('?limit=2');
    expect(shownRows(first)).toEqual([6, 5]);
    expect(link(first, '← newer')).toBeUndefined();
    const olderHref = /** @type {string} */ (link(first, 'older →'));
    expect(olderHref).toBe(`/reports?limit=2&before=${seed.id(5)}#conversions`);

    const second = await page(olderHref.replace('/reports', '').replace('#conversions', ''));
    expect(shownRows(second)).toEqual([4, 3]);
    const third = await page(
      /** @type {string} */ (link(second, 'older →')).replace('/reports', '').replace('#conversions', ''),
    );
    expect(shownRows(third)).toEqual([2, 1]);
    expect(link(third, 'older →')).toBeUndefined();

    const back = /** @type {string} */ (link(third, '← newer'));
    expect(back).toBe(`/reports?limit=2&after=${seed.id(2)}#conversions`);
    const backPage = await page(back.replace('/reports', '').replace('#conversions', ''));
    expect(shownRows(backPage)).toEqual([4, 3]);
    expect(link(backPage, 'newest')).toBe('/reports?limit=2#conversions');
  });

  it('pages inside the filtered rows', async () => {
    const first = await page('?status=approved&offer_id=42&aff_id=7&limit=1');
    expect(shownRows(first)).toEqual([6]);
    const older = /** @type {string} */ (link(first, 'older →'));
    expect(older).toBe(`/reports?status=approved&offer_id=42&aff_id=7&limit=1&before=${seed.id(6)}#conversions`);
    const second = await page(older.replace('/reports', '').replace('#conversions', ''));
    expect(shownRows(second)).toEqual([1]);
    expect(link(second, 'older →')).toBeUndefined();
    expect(link(second, '← newer')).toBe(
      `/reports?status=approved&offer_id=42&aff_id=7&limit=1&after=${seed.id(1)}#conversions`,
    );
  });

  it('offers this selection as CSV and JSON', async () => {
    const html = await page('?status=approved&offer_id=42&limit=50');
    expect(link(html, 'CSV')).toBe('/reports/conversions.csv?status=approved&offer_id=42');
    expect(link(html, 'JSON')).toBe('/reports/conversions?status=approved&offer_id=42');
  });
});

describe('the form', () => {
  it('shows the applied filters; a time stays a time', async () => {
    const html = await page('?status=duplicate&offer_id=42&aff_id=7&from=2025-11-24T12:00Z&to=2025-11-26');
    expect(html).toContain('<option selected>duplicate</option>');
    expect(html).toContain('<input name="offer_id" value="42"');
    expect(html).toContain('<input name="aff_id" value="7"');
    expect(html).toMatch(/<input name="from" type="text" value="2025-11-24T12:00Z"/);
    expect(html).toMatch(/<input name="to" type="date" value="2025-11-26"/);
    expect(shownRows(html)).toEqual([2]);
  });
});

describe('Content-Security-Policy', () => {
  it('allows exactly the page own style and script, by hash', async () => {
    const res = await request(seed.c, '/reports');
    const html = await res.text();
    const csp = /** @type {string} */ (res.headers.get('content-security-policy'));
    const hash = (/** @type {string} */ inline) => `'sha256-${createHash('sha256').update(inline).digest('base64')}'`;
    const style = /** @type {RegExpMatchArray} */ (html.match(/<style>([\s\S]*?)<\/style>/))[1];
    const script = /** @type {RegExpMatchArray} */ (html.match(/<script>([\s\S]*?)<\/script>/))[1];
    expect(csp).toContain(`style-src ${hash(style)};`);
    expect(csp).toContain(`script-src ${hash(script)};`);
    expect(csp).toMatch(/^default-src 'none';/);
  });
});

// Last: it adds a conversion to the seed.
describe('paging while sales arrive', () => {
  it('keeps an older page as it was, and the newer link finds the new row', async () => {
    const older = await page(`?limit=2&before=${seed.id(5)}`);
    expect(shownRows(older)).toEqual([4, 3]);
    seed.setClock(Date.parse(`${D3}T10:00:00Z`));
    await convert(seed.c, { offer_id: '42', click_id: seed.clicks.k2, order_id: 'A-7' });
    expect(shownRows(await page(`?limit=2&before=${seed.id(5)}`))).toEqual([4, 3]);
    const newer = await page(`?limit=2&after=${seed.id(6)}`);
    expect(table(newer, 'conversions')?.map((cells) => cells[6])).toEqual(['A-7']);
    expect(link(newer, '← newer')).toBeUndefined();
    expect(link(newer, 'older →')).toBe(
      `/reports?limit=2&before=${Number(table(newer, 'conversions')?.[0][0])}#conversions`,
    );
  });
});
