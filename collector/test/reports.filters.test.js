// @ts-check
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from './helpers.js';
import { D1, D2, seededCollector } from './reportsSeed.js';

/** @type {Awaited<ReturnType<typeof seededCollector>>} */
let seed;
beforeAll(async () => {
  seed = await seededCollector();
});
afterAll(() => seed.c.close());

/** The seed rows (1-based numbers) a filtered JSON request answers, newest first. @param {string} query */
async function rowsOf(query) {
  const res = await request(seed.c, `/reports/conversions${query}`);
  expect(res.status).toBe(200);
  /** @type {import('../src/store/common.js').Conversion[]} */
  const rows = await res.json();
  return rows.map((row) => [1, 2, 3, 4, 5, 6].find((n) => seed.id(n) === row.id));
}

describe('filters on /reports/conversions', () => {
  it.each([
    ['', [6, 5, 4, 3, 2, 1]],
    ['?status=approved', [6, 4, 3, 1]],
    ['?status=duplicate', [2]],
    ['?status=rejected', [5]],
    ['?status=scrubbed', []],
    ['?offer_id=43', [4]],
    ['?offer_id=4', []],
    ['?aff_id=7', [6, 4, 2, 1]],
    ['?aff_id=8', [3]],
    [`?from=${D2}`, [6, 5, 4, 3]],
    [`?to=${D2}`, [2, 1]],
    [`?from=${D1}&to=${D2}`, [2, 1]],
    ['?from=2025-11-24T23:59:59.999Z&to=2025-11-25T00:00:00.001Z', [3, 2]],
    ['?from=2025-11-24T23:59:59.999', [6, 5, 4, 3, 2]],
    ['?from=2025-11-25T01:00:00%2B01:00', [6, 5, 4, 3]],
    ['?to=2025-11-24T19:00-05:00', [2, 1]],
    // An unencoded + is a space in a query: read back as the offset it was.
    ['?from=2025-11-25T01:00:00+01:00', [6, 5, 4, 3]],
    ['?from=2025-11-25T12:00', [6, 5, 4]],
    ['?status=approved&offer_id=42&aff_id=7', [6, 1]],
    ['?status=&offer_id=&aff_id=&from=&to=', [6, 5, 4, 3, 2, 1]],
    ['?status=duplicate&status=approved', [2]],
  ])('%s → seed rows %j', async (query, expected) => {
    expect(await rowsOf(query)).toEqual(expected);
  });

  it('gives every conversion the affiliate of its click, null without a known click', async () => {
    /** @type {import('../src/store/common.js').Conversion[]} */
    const rows = await (await request(seed.c, '/reports/conversions')).json();
    expect(rows.map((row) => row.aff_id)).toEqual(['7', null, '7', '8', '7', '7']);
    expect(Object.keys(rows[0]).slice(0, 5)).toEqual(['id', 'offer_id', 'click_id', 'aff_id', 'unique_id']);
  });

  it('filters the CSV the same way', async () => {
    const csv = await (await request(seed.c, '/reports/conversions.csv?status=approved&aff_id=7')).text();
    const ids = csv
      .split('\r\n')
      .slice(1, -1)
      .map((line) => Number(line.split(',')[0]));
    expect(ids).toEqual([seed.id(6), seed.id(4), seed.id(1)]);
  });
});

describe('bad filters', () => {
  const long = 'x'.repeat(256);
  it.each([
    ['status=paid', 'status must be one of approved, duplicate, scrubbed, rejected'],
    ['status=Approved', 'status must be one of approved, duplicate, scrubbed, rejected'],
    [`offer_id=${long}`, 'offer_id is longer than 255 characters'],
    [`aff_id=${long}`, 'aff_id is longer than 255 characters'],
    ['from=yesterday', 'from must be an ISO 8601 date or time in UTC, such as 2025-11-25 or 2025-11-25T09:30:00Z'],
    ['from=2025-11-25T09', 'from must be an ISO 8601 date or time in UTC, such as 2025-11-25 or 2025-11-25T09:30:00Z'],
    ['to=25.11.2025', 'to must be an ISO 8601 date or time in UTC, such as 2025-11-25 or 2025-11-25T09:30:00Z'],
    ['from=2025-02-29', 'from is not a real date or time: 2025-02-29'],
    ['to=2025-13-01', 'to is not a real date or time: 2025-13-01'],
    ['to=2025-11-25T24:00', 'to is not a real date or time: 2025-11-25T24:00'],
    ['from=2025-11-25T10:00%2B25:00', 'from has an impossible UTC offset: +25:00'],
    [`from=${D2}&to=${D2}`, 'to must be later than from (from is inclusive, to is exclusive)'],
    ['offer=42', 'offer is not a report parameter; use status, offer_id, aff_id, from, to'],
    ['from=%FF', 'malformed percent-encoding in from'],
  ])('?%s → 400 on JSON and CSV', async (query, error) => {
    for (const path of ['/reports/conversions', '/reports/conversions.csv']) {
      const res = await request(seed.c, `${path}?${query}`);
      expect([path, res.status, await res.json()]).toEqual([path, 400, { error }]);
    }
  });

  it('a leap day is a real date', async () => {
    expect((await request(seed.c, '/reports/conversions?from=2024-02-29')).status).toBe(200);
  });

  it.each([
    ['status=paid', 'status must be one of approved, duplicate, scrubbed, rejected'],
    ['limit=0', 'limit must be a positive whole number'],
    ['limit=501', 'limit must be at most 500'],
    ['before=abc', 'before must be a positive whole number'],
    ['before=5&after=2', 'before and after cannot be used together'],
    ['page=2', 'page is not a report parameter; use status, offer_id, aff_id, from, to, limit, before, after'],
  ])('/reports?%s → 400 with the form and the problem', async (query, error) => {
    const res = await request(seed.c, `/reports?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await res.text();
    expect(page).toContain(`<b>Cannot show this report:</b> ${error.replace(/,/g, ',')}`);
    expect(page).toContain('<form id="filters"');
    expect(page).not.toContain('<table');
  });

  it('paging parameters belong to the page only', async () => {
    const res = await request(seed.c, '/reports/conversions?limit=2');
    expect([res.status, await res.json()]).toEqual([
      400,
      { error: 'limit is not a report parameter; use status, offer_id, aff_id, from, to' },
    ]);
  });

  it('keeps serving after bad filters', async () => {
    expect(await rowsOf('?status=rejected')).toEqual([5]);
  });
});
