// @ts-check
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convert, newClick, request, start } from './helpers.js';

const HEADER =
  'id,offer_id,click_id,aff_id,unique_id,order_id,amount,payout,revenue,adv1,adv2,adv3,adv4,adv5,event,currency,status,reason,created_at';

/** @type {import('../src/index.js').Collector} */
let c;
let clickId = '';
const T1 = Date.parse('2025-11-24T10:00:00Z');
const T2 = Date.parse('2025-11-24T10:05:00Z');
let clock = T1;
beforeAll(async () => {
  c = await start({ now: () => clock });
  clickId = await newClick(c, { aff_id: 'a,7' });
  await convert(c, {
    offer_id: '42',
    click_id: clickId,
    order_id: '@SUM(A1)',
    amount: '49.99',
    payout: '0',
    adv1: 'a,b',
    adv2: 'say "hi"',
    adv3: 'line1\nline2',
    adv4: '=HYPERLINK("http://evil.test")',
    adv5: '-2+3',
    event: '+sale',
    currency: 'eur',
  });
  clock = T2;
  await convert(c, { offer_id: '42', unique_id: 'u\r1', adv1: 'é 日本', adv2: '\tx' });
});
afterAll(() => c.close());

describe('GET /reports/conversions.csv', () => {
  it('is RFC 4180 with a header in the JSON order, quoting and formula escaping', async () => {
    const res = await request(c, '/reports/conversions.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="conversions.csv"');
    const text = await res.text();
    const [first, second] = /** @type {import('../src/store/common.js').Conversion[]} */ (
      await (await request(c, '/reports/conversions')).json()
    );
    expect(HEADER.split(',')).toEqual(Object.keys(first));
    expect(text).toBe(
      HEADER +
        '\r\n' +
        // Newest first. A lone CR is quoted; a leading tab is escaped (a tab needs no quotes).
        `${first.id},42,,,"u\r1",,,,,é 日本,'\tx,,,,,,rejected,missing click_id: no click_id parameter and no _postclick cookie,2025-11-24T10:05:00.000Z\r\n` +
        // A click ID is random base64url: one that starts with '-' is escaped like any other text.
        `${second.id},42,${clickId.startsWith('-') ? "'" : ''}${clickId},"a,7",'@SUM(A1),'@SUM(A1),49.99,0,,"a,b","say ""hi""","line1\nline2",` +
        `"'=HYPERLINK(""http://evil.test"")",'-2+3,'+sale,EUR,approved,,2025-11-24T10:00:00.000Z\r\n`,
    );
  });

  it('has the header alone when nothing matches, and answers HEAD', async () => {
    const res = await request(c, '/reports/conversions.csv?status=scrubbed');
    expect(await res.text()).toBe(HEADER + '\r\n');
    const head = await request(c, '/reports/conversions.csv', { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type')]).toEqual([200, 'text/csv; charset=utf-8']);
  });

  it('adds the forward columns when the collector forwards', async () => {
    const forwarding = await start({ forward: 'http://127.0.0.1:9/postback?click_id={click_id}' });
    try {
      const text = await (await request(forwarding, '/reports/conversions.csv')).text();
      expect(text).toBe(`${HEADER},forward_status,forward_attempts\r\n`);
    } finally {
      await forwarding.close();
    }
  });
});
