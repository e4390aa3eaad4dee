/**
 * docs/protocol.md, "Bad input", at the public API's edges: hostile values for every field and option,
 * hostile landing URLs, hostile script-tag commands. Each call must end in a clear `invalid`
 * (its error naming the field) or ignore the value, never throw or reject, and every URL that
 * leaves — what `navigator.sendBeacon` is handed — must parse and carry only the documented
 * parameters, properly encoded. Table-driven where the cases are known, property-based
 * (fast-check) where they are not. The pure helpers have their own tests (wire, number,
 * clickId); this file drives them only through the API.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scriptTagAt, sdkAt, type Api } from './support/sdk';
import { stubDelivery, unstubDelivery } from './support/delivery';
import type { Conversion, Result } from '../../src/types';

const ENDPOINT = 'https://track.example/c';
/** The parameter table of docs/protocol.md: nothing else may leave (bar a template's own). */
const DOCUMENTED = new Set(
  'click_id offer_id amount payout revenue order_id unique_id adv1 adv2 adv3 adv4 adv5 event currency'.split(' '),
);
/** The Conversion fields, for errors that must name one. */
const FIELDS =
  'clickId offerId amount payout revenue orderId uniqueId adv1 adv2 adv3 adv4 adv5 event currency endpoint'.split(' ');

/** Every URL that left, by fetch or beacon. */
let beacons: string[];

function clearCookies() {
  for (const pair of document.cookie.split(/; */)) {
    const name = pair.split('=')[0];
    if (name)
      for (const domain of ['', ';Domain=shop.example']) document.cookie = `${name}=;Path=/;Max-Age=-1${domain}`;
  }
}

beforeEach(() => {
  beacons = [];
  localStorage.clear();
  clearCookies();
  beacons = stubDelivery().sent;
});

afterEach(() => {
  vi.restoreAllMocks();
  unstubDelivery();
});

/**
 * Asserts that `url` is one well-formed conversion URL on `endpoint`: it parses, its query
 * has only documented parameters, each once, and every value is percent-encoded (only the
 * characters encodeURIComponent leaves bare) and decodes. Returns the decoded parameters.
 */
function expectWellFormed(url: string, endpoint = ENDPOINT): Record<string, string> {
  const parsed = new URL(url);
  expect(parsed.origin + parsed.pathname).toBe(endpoint);
  expect(parsed.hash).toBe('');
  const query = url.slice(url.indexOf('?') + 1);
  expect(query).toMatch(/^[\w.!~*'()%=&-]*$/); // no raw control chars, <, spaces, # or non-ASCII
  const params: Record<string, string> = {};
  for (const pair of query.split('&')) {
    const [name, value = ''] = pair.split('=') as [string, string?];
    expect(DOCUMENTED.has(name), `undocumented parameter ${name}`).toBe(true);
    expect(params, `${name} twice`).not.toHaveProperty(name);
    params[name] = decodeURIComponent(value); // throws on a malformed escape
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    expect(params[name]).not.toMatch(/[\0-\x1f\x7f]|[\ud800-\udfff](?![\udc00-\udfff])/u);
  }
  expect(params.unique_id).toBeTruthy();
  return params;
}

/** Any Result, each field readable (absent where its status has no such field). */
type AnyResult = Result & { url?: string; error?: string; uniqueId?: string };

/** Runs `conversion(data)`, which must resolve (never throw, never reject) with a Result. */
async function convert(sdk: Api, data: unknown): Promise<AnyResult> {
  let promise: Promise<Result>;
  expect(() => (promise = sdk.conversion(data as Conversion))).not.toThrow();
  const result = await promise!;
  expect(result.status).toMatch(/^(sent|duplicate|no_click_id|invalid|refused|queued|failed)$/);
  return result;
}

/** An object whose every listed property throws when read. */
const throwing = (...keys: string[]) =>
  Object.defineProperties(
    {},
    Object.fromEntries(
      keys.map((key) => [
        key,
        {
          enumerable: true,
          get: () => {
            throw new Error('getter boom');
          },
        },
      ]),
    ),
  );

const LONG = 'x'.repeat(10 * 1024);
const NASTY_STRINGS = [
  '<script>alert(1)</script>',
  '" onerror="alert(1)',
  'a b#c?d&e=f',
  '%E0%A4%A',
  '%',
  'a\u0000b\u001fc\u007f',
  '\r\nSet-Cookie: x=1',
  'lone \ud800 high',
  'lone \udfff low',
  '😀 Grüße 中文 \u202e rtl \u2028 sep',
  '\ufeff',
  'javascript:alert(1)',
];

describe('conversion() with hostile values: an `invalid` naming the field, or the value ignored', () => {
  let sdk: Api;
  beforeEach(async () => {
    sdk = await sdkAt('https://www.shop.example/thanks?s1=abc');
    sdk.init({ endpoint: ENDPOINT, offerId: '42' });
  });

  it.each<[string, unknown]>([
    ['a word', 'abc'],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    // eslint-disable-next-line no-loss-of-precision -- the literal overflows to Infinity on purpose
    ['1e309', 1e309],
    ['a negative number', -0.01],
    ['a negative string', '-5'],
    ['an exponent string', '1e3'],
    ['a 10 KB numeric string', '9'.repeat(10 * 1024)],
    ['a bigint', 10n],
    ['an object with valueOf', { valueOf: () => 5 }],
    ['an array', [5]],
    ['a boolean', true],
    ['a symbol', Symbol('5')],
    ['a function', () => 5],
  ])('amount, payout, revenue: %s is invalid', async (_, value) => {
    for (const field of ['amount', 'payout', 'revenue']) {
      const result = await convert(sdk, { orderId: 'N-' + field, [field]: value });
      expect(result).toMatchObject({ status: 'invalid', error: expect.stringMatching(new RegExp('^' + field + ': ')) });
    }
    expect(beacons).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['an object', {}],
    ['an array', ['a']],
    ['a boolean', false],
    ['a symbol', Symbol('x')],
    ['a function', () => 'x'],
    ['a bigint', 1n],
  ])('string fields: %s is invalid', async (_, value) => {
    for (const field of ['offerId', 'orderId', 'uniqueId', 'adv1', 'adv5', 'event', 'currency', 'clickId']) {
      const result = await convert(sdk, { orderId: 'S-' + field, [field]: value });
      // A falsy clickId counts as not given: the stored one is used.
      if (field === 'clickId' && !value) expect(expectWellFormed(beacons.pop()!).click_id).toBe('abc');
      else
        expect(result).toMatchObject({
          status: 'invalid',
          error: expect.stringMatching(new RegExp('^' + field + ': ')),
        });
    }
    expect(beacons).toEqual([]);
  });

  it.each([null, undefined, ''])('%j is absent: ignored, and the conversion is sent without it', async (value) => {
    const result = await convert(sdk, {
      orderId: `E-${value}`,
      // An empty amount is an unfilled template value: invalid (tested below), not absent.
      amount: value === '' ? undefined : value,
      adv1: value,
      event: value,
      currency: value,
    });
    expect(result.status).toBe('sent');
    const params = expectWellFormed(beacons[0]!);
    expect(Object.keys(params).sort()).toEqual(['click_id', 'offer_id', 'order_id', 'unique_id']);
  });

  it('nasty strings in every string field, 10 KB ones in adv1–adv5, leave encoded, cleaned, adv cut to 255', async () => {
    for (const [i, nasty] of [...NASTY_STRINGS, LONG].entries()) {
      // A 10 KB order ID or event is the 8 KB test's case, below.
      const short = nasty.slice(0, 1000);
      const result = await convert(sdk, {
        orderId: `${i}-${short}`,
        adv1: nasty,
        adv2: nasty,
        adv3: nasty,
        adv4: nasty,
        adv5: nasty,
        event: short,
      });
      expect(result.status).toBe('sent');
      const params = expectWellFormed(beacons.at(-1)!);
      expect(params.adv1!.length).toBeLessThanOrEqual(255);
      expect(params.order_id).toBe(params.unique_id);
      expect(result.url).toBe(beacons.at(-1));
    }
    expect(beacons).toHaveLength(NASTY_STRINGS.length + 1);
  });

  it('never hands the browser a URL over 8 KB, which proxies and the collector refuse: a 10 KB field is invalid or cut', async () => {
    for (const field of ['offerId', 'orderId', 'uniqueId', 'event']) {
      const result = await convert(sdk, { orderId: 'L-' + field, [field]: LONG });
      if (result.status === 'invalid') expect(result.error).toMatch(new RegExp(`^${field}: |too long|8 KB`));
      else expect(beacons.pop()!.length, field).toBeLessThanOrEqual(8 * 1024);
    }
  });

  it.each([
    ['not ISO 4217', 'euro'],
    ['markup', '<b>'],
    ['non-ASCII', 'ÉUR'],
    ['a null byte inside', 'E\0UR'.replace('\0', '\u0001') + 'X'],
  ])('currency %s is invalid', async (_, currency) => {
    expect(await convert(sdk, { orderId: 'C', currency })).toMatchObject({
      status: 'invalid',
      error: expect.stringMatching(/^currency: /),
    });
  });

  it('an invalid clickId given in the call is invalid, not replaced by the stored one', async () => {
    for (const clickId of ['{clickid}', 'a b', 'x'.repeat(129), '<x>', 'a;Domain=evil', '']) {
      const result = await convert(sdk, { orderId: 'K', clickId });
      // '' is absent: the stored click ID is used.
      if (clickId === '') expect(expectWellFormed(beacons.at(-1)!).click_id).toBe('abc');
      else expect(result).toMatchObject({ status: 'invalid', error: expect.stringMatching(/^clickId: /) });
    }
  });

  it('throwing getters: invalid, with an error naming the field', async () => {
    for (const field of FIELDS) {
      const result = await convert(sdk, throwing(field));
      expect(result.status, field).toBe('invalid');
      expect(result.error, field).toMatch(new RegExp(`^${field}\\b.*getter boom`));
    }
    expect(beacons).toEqual([]);
  });

  it('data that is not an object (a string, a number, an array) never throws', async () => {
    for (const data of ['orderId', 42, ['orderId'], true, Symbol('x'), () => 1]) await convert(sdk, data);
    for (const url of beacons) expectWellFormed(url);
  });

  it('a Proxy that throws on every trap never throws out of the API', async () => {
    const trap = () => {
      throw new Error('trap');
    };
    const hostile = new Proxy(
      {},
      { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap },
    );
    expect(await convert(sdk, hostile)).toMatchObject({ status: 'invalid' });
    expect(() => sdk.conversionUrl(hostile)).not.toThrow();
    expect(() => sdk.init(hostile)).not.toThrow();
    expect(beacons).toEqual([]);
  });
});

describe('endpoint and options', () => {
  it.each<[string, unknown]>([
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['relative without a slash', 'c'],
    ['a number', 42],
  ])('an endpoint that is %s is invalid', async (_, endpoint) => {
    const sdk = await sdkAt('https://www.shop.example/thanks?s1=abc');
    sdk.capture();
    const result = await convert(sdk, { orderId: 'EP', endpoint });
    expect(result).toMatchObject({ status: 'invalid', error: expect.stringMatching(/^endpoint: /) });
    expect(sdk.conversionUrl({ orderId: 'EP', endpoint } as Conversion)).toBeNull();
    expect(beacons).toEqual([]);
  });

  it('an endpoint with a #fragment still delivers the parameters (they do not end up in the fragment)', async () => {
    const sdk = await sdkAt('https://www.shop.example/thanks?s1=abc');
    sdk.capture();
    const result = await convert(sdk, { orderId: 'FRAG', endpoint: ENDPOINT + '#section' });
    if (result.status === 'invalid') expect(result.error).toMatch(/^endpoint: /);
    else expect(expectWellFormed(beacons[0]!)).toMatchObject({ click_id: 'abc', order_id: 'FRAG' });
  });

  it('a template endpoint fills hostile values encoded, and nothing else is appended', async () => {
    const sdk = await sdkAt('https://www.shop.example/thanks?s1=abc');
    sdk.capture();
    const template = 'https://t.example/p?tid={click_id}&o={order_id}&s={adv1}&x={__proto__}&y={constructor}&r=REPLACE';
    for (const nasty of NASTY_STRINGS) {
      const result = await convert(sdk, { endpoint: template, orderId: 'T-' + nasty, adv1: nasty });
      expect(result.status).toBe('sent');
      const url = new URL(beacons.at(-1)!);
      expect([...url.searchParams.keys()]).toEqual(['tid', 'o', 's', 'x', 'y', 'r']);
      expect(url.search).toMatch(/^\?[\w.!~*'()%=&-]*$/);
      expect(url.searchParams.get('tid')).toBe('abc');
      expect(url.searchParams.get('r')).toBe('abc');
      expect(url.searchParams.get('x')).toBe('');
      expect(url.searchParams.get('y')).toBe('');
    }
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'https://evil.example/c'],
    ['a number', 42],
    ['throwing getters', throwing('endpoint', 'params', 'cookieName', 'ttlDays', 'decorate', 'consent')],
    ['params that is not a list', { params: { length: 1e9 } }],
    ['a cookieName with cookie syntax', { cookieName: 'x=y; Domain=evil.example; a' }],
    ['ttlDays NaN / negative / huge', { ttlDays: NaN }],
  ])('init with %s never throws, and what was configured before still applies', async (_, config) => {
    const sdk = await sdkAt('https://www.shop.example/thanks?s1=abc');
    sdk.init({ endpoint: ENDPOINT, offerId: '42' });
    expect(() => sdk.init(config as never)).not.toThrow();
    expect(() => sdk.capture()).not.toThrow();
    expect(() => sdk.getClickId()).not.toThrow();
    await convert(sdk, { orderId: 'INIT' });
    for (const url of beacons) expectWellFormed(url);
  });

  it('a JSON `__proto__` key in init or conversion changes nothing: it still sends where configured', async () => {
    const sdk = await sdkAt('https://www.shop.example/thanks?s1=abc');
    sdk.init({ endpoint: ENDPOINT, offerId: '42' });
    sdk.init(JSON.parse('{"__proto__": {"endpoint": "https://evil.example/c", "offerId": "666", "clickId": "evil"}}'));
    const result = await convert(
      sdk,
      JSON.parse(
        '{"orderId": "P-1", "__proto__": {"endpoint": "https://evil.example/c", "clickId": "evil", "amount": -1}}',
      ),
    );
    expect(result.status).toBe('sent');
    expect(expectWellFormed(beacons[0]!)).toEqual({
      click_id: 'abc',
      offer_id: '42',
      order_id: 'P-1',
      unique_id: 'P-1',
    });
    expect(({} as Record<string, unknown>).endpoint).toBeUndefined(); // nothing polluted
  });

  it("a polluted Object.prototype (another library's bug) does not redirect or re-attribute conversions", async () => {
    const sdk = await sdkAt('https://www.shop.example/thanks?s1=abc');
    sdk.init({ endpoint: ENDPOINT, offerId: '42' });
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto.endpoint = 'https://evil.example/c';
      proto.clickId = 'attacker-click';
      await convert(sdk, { orderId: 'POLLUTED' });
    } finally {
      delete proto.endpoint;
      delete proto.clickId;
    }
    expect(expectWellFormed(beacons[0]!)).toMatchObject({ click_id: 'abc', order_id: 'POLLUTED' });
  });
});

describe('capture() from hostile landing URLs', () => {
  it.each<[string, string, string | null]>([
    ['a duplicated parameter: the first valid value', '?s1=first&s1=second', 'first'],
    ['a duplicated parameter whose first value is invalid', '?s1=%3Cscript%3E&s1=good', 'good'],
    ['a truncated % escape', '?s1=%E0%A4%A&clickid=ok', 'ok'],
    ['an invalid byte escape', '?s1=%FF', null],
    ['a lone %', '?s1=%&click_id=ok2', 'ok2'],
    ['an encoded null byte', '?s1=abc%00', null],
    ['a + (a space)', '?s1=a+b', null],
    ['an unreplaced macro', '?s1={clickid}', null],
    ['the ID only in the fragment', '?x=1#s1=frag', null],
    ['a fragment after the ID', '?s1=ok3#s1=frag', 'ok3'],
    ['a query inside the fragment', '#?s1=frag', null],
    ['an empty value', '?s1=&clickid=ok4', 'ok4'],
    ['bracket syntax', '?s1[]=arr&s1[x]=obj', null],
    ['__proto__ as a parameter', '?__proto__=p&constructor=c', null],
    ['129 characters', '?s1=' + 'x'.repeat(129), null],
    ['an 8 KB URL around a valid ID', '?pad=' + 'p'.repeat(8 * 1024) + '&s1=ok5&more=' + '%FF'.repeat(100), 'ok5'],
    ['an 8 KB value', '?s1=' + 'x'.repeat(8 * 1024), null],
    ['cookie syntax', '?s1=a%3BDomain%3Devil.example', null],
  ])('%s', async (_, query, expected) => {
    const sdk = await sdkAt('https://www.shop.example/landing' + query);
    let captured: string | null = 'not run';
    expect(() => (captured = sdk.capture())).not.toThrow();
    expect(captured).toBe(expected);
    const cookie = document.cookie.match(/(?:^|; )_postclick=([^;]*)/)?.[1] ?? null;
    expect(cookie).toBe(expected);
    const mirror = localStorage.getItem('_postclick');
    expect(mirror && JSON.parse(mirror)[0]).toBe(expected ?? null);
  });

  it('any query string: capture() returns null or a valid click ID, and stores nothing else (property)', async () => {
    const ascii = fc.string({
      unit: fc.constantFrom(...'s1=&%?#+;,<>"\' abcXYZ019.-_~:{}[]\\/'.split('')),
      maxLength: 80,
    });
    const unicode = fc.string({ unit: 'grapheme', maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(fc.oneof(ascii, unicode), fc.oneof(ascii, unicode), async (value, rest) => {
        localStorage.clear();
        clearCookies();
        const sdk = await sdkAt('https://www.shop.example/landing?' + rest + '&s1=' + value);
        const captured = sdk.capture();
        expect(captured === null || /^[\w.~:-]{1,128}$/.test(captured)).toBe(true);
        const cookie = document.cookie.match(/(?:^|; )_postclick=([^;]*)/)?.[1];
        expect(cookie === undefined || cookie === captured).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('conversion() with arbitrary data (property)', () => {
  const value = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }), // any code unit: controls, lone surrogates
    fc.string({ unit: 'grapheme', maxLength: 50 }),
    fc.constantFrom(...NASTY_STRINGS, LONG, '49.99', '0', '-1', '1e3', ' 7 '),
    fc.double(), // NaN, ±Infinity, -0, subnormals, huge
    fc.integer(),
    fc.constantFrom(null, undefined, true, {}, [], 10n),
  );
  const data = fc.record(
    Object.fromEntries(FIELDS.filter((f) => f !== 'endpoint' && f !== 'clickId').map((f) => [f, value])),
    { requiredKeys: [] },
  );

  it('resolves sent (a well-formed URL of documented parameters) or invalid (naming the field); never throws', async () => {
    const sdk = await sdkAt('https://www.shop.example/thanks?s1=abc');
    sdk.init({ endpoint: ENDPOINT, offerId: '42' });
    await fc.assert(
      fc.asyncProperty(data, async (conversion) => {
        sdk.reset();
        const before = beacons.length;
        const result = await convert(sdk, { clickId: 'abc', ...conversion });
        if (result.status === 'sent') {
          expect(beacons).toHaveLength(before + 1);
          expectWellFormed(beacons.at(-1)!);
          expect(result.url).toBe(beacons.at(-1));
        } else {
          expect(result.status).toBe('invalid');
          expect(result.error).toMatch(new RegExp(`^(${[...FIELDS, 'url'].join('|')}): `));
          expect(beacons).toHaveLength(before);
        }
        expect(sdk.conversionUrl({ clickId: 'abc', ...conversion } as Conversion)).toBe(
          result.status === 'sent' ? result.url : null,
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('the script-tag command function with hostile calls', () => {
  it('unknown, inherited and malformed commands are ignored; the real ones still work', async () => {
    const results: unknown[] = [];
    const record = (result: unknown) => void results.push(result);
    const queue: unknown[][] = [
      ['__proto__'],
      ['constructor', {}],
      ['toString'],
      ['hasOwnProperty', 'init'],
      [],
      [null],
      [{}],
      [Symbol('init')],
      ['init', JSON.parse('{"__proto__": {"endpoint": "https://evil.example/c"}}')],
      ['init', { endpoint: ENDPOINT, offerId: '42' }],
      ['conversion', throwing('orderId'), record],
      ['conversion', { orderId: 'Q-1', amount: 'NaN' }, record],
      [
        'conversion',
        { orderId: 'Q-1', amount: 3 },
        () => {
          throw new Error('the page callback throws');
        },
      ],
      ['conversion', { orderId: 'Q-1', amount: 3 }, record],
    ];
    const page = window as unknown as { postclick?: ((...args: unknown[]) => unknown) & { q?: unknown[][] } };
    page.postclick = Object.assign(() => {}, { q: queue });
    try {
      await scriptTagAt('https://www.shop.example/thanks?s1=abc');
      await vi.waitFor(() => expect(results).toHaveLength(3));
      expect(results.map((r) => (r as Result).status)).toEqual(['invalid', 'invalid', 'duplicate']);
      expect(beacons).toHaveLength(1);
      expect(expectWellFormed(beacons[0]!)).toMatchObject({ click_id: 'abc', order_id: 'Q-1', amount: '3' });
      // After load, the same hostile calls run at once and still never throw.
      for (const call of queue) expect(() => page.postclick!(...call)).not.toThrow();
    } finally {
      delete page.postclick;
    }
  });
});
