// @ts-check
// The collector against the click-ID table the SDK's tests read too: one rule for what a
// click ID is, one reading of the `_postclick` cookie.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidClickId } from '../src/clickId.js';
import { clickIdFromCookie } from '../src/cookie.js';
import { request, start } from './helpers.js';

/** @type {{ values: { value: string, valid: boolean }[], cookies: { header: string | null, clickId: string | null }[] }} */
const table = JSON.parse(readFileSync(new URL('../../test/fixtures/click-ids.json', import.meta.url), 'utf8'));

describe('the click-ID table', () => {
  it.each(table.values)('isValidClickId($value) is $valid', ({ value, valid }) =>
    expect(isValidClickId(value)).toBe(valid),
  );

  it.each(table.cookies)('clickIdFromCookie($header) is $clickId', ({ header, clickId }) =>
    expect(clickIdFromCookie(header ?? undefined)).toBe(clickId),
  );
});

describe('/c attributes by the same reading of the cookie', () => {
  /** @type {import('../src/index.js').Collector} */
  let c;
  beforeAll(async () => (c = await start()));
  afterAll(() => c.close());

  // fetch() cannot send a request without a Cookie header and with one called null.
  const cases = table.cookies.filter((row) => row.header !== null && row.header !== '');
  it.each(cases)('Cookie: $header → click_id $clickId', async ({ header, clickId }) => {
    const res = await request(c, '/c?offer_id=42', { headers: { cookie: /** @type {string} */ (header) } });
    expect(res.status).toBe(200);
    expect((await c.conversions())[0].click_id).toBe(clickId);
  });
});
