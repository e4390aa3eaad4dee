/**
 * Every default that docs/api.md's Options table documents, checked against what the SDK
 * does — not against the table in src/ it reads them from. Each documented value is parsed
 * from the doc: leaving the option out must behave exactly as setting it to that value, and
 * differently from another value (so a default the code ignored could not pass). The
 * defaults that are numbers or names are also checked directly: the cookie's `Max-Age`, the
 * parameters read, the cookie's name.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../src/types';
import { clearCookies } from './support/cookies';
import { stubDelivery, unstubDelivery, type Stub } from './support/delivery';
import { sdkAt } from './support/sdk';

/** docs/api.md's Options table: option → the text of its default cell, backticks kept. */
function documentedDefaults(): Map<string, string> {
  const doc = readFileSync(fileURLToPath(import.meta.resolve('../../docs/api.md')), 'utf8');
  const table = doc.slice(doc.indexOf('## Options'), doc.indexOf('## Conversion data'));
  const rows = new Map<string, string>();
  for (const line of table.split('\n')) {
    const cells = /^\| `(\w+)` \| (.+?) \| /.exec(line);
    if (cells) rows.set(cells[1]!, cells[2]!);
  }
  return rows;
}

/** A default cell such as `` `['s1', 'clickid']` `` or `` `30` `` as a value. */
const literal = (cell: string): unknown => JSON.parse(/^`(.+)`$/.exec(cell)![1]!.replace(/'/g, '"'));

const DOCUMENTED = documentedDefaults();
const documented = (option: string): unknown => literal(DOCUMENTED.get(option)!);

const SHOP = 'https://www.shop.example';
let delivery: Stub;
/** Every string written to `document.cookie`, in order. */
let cookieWrites: string[];

beforeEach(() => {
  localStorage.clear();
  clearCookies();
  delivery = stubDelivery();
  cookieWrites = [];
  // Record the writes and hand them on to happy-dom's own cookie jar.
  let proto: object | null = document;
  let descriptor: PropertyDescriptor | undefined;
  while (proto && !(descriptor = Object.getOwnPropertyDescriptor(proto, 'cookie')))
    proto = Object.getPrototypeOf(proto) as object | null;
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get: () => descriptor!.get!.call(document) as string,
    set: (text: string) => {
      cookieWrites.push(text);
      descriptor!.set!.call(document, text);
    },
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  unstubDelivery();
  delete (document as { cookie?: string }).cookie;
});

/** Landing page `?s1=<clickId>` with `config`: what was written to the click-ID cookie. */
const clickCookieWrites = async (config: Config, clickId = 'c1'): Promise<string[]> => {
  await sdkAt(`${SHOP}/landing?s1=${clickId}`, config);
  return cookieWrites.filter((text) => text.includes('=' + clickId + ';'));
};

/** A thank-you page after a landing page, with `config` on both: the conversion's result and what left. */
const converted = async (config: Config, landing = '?s1=c1') => {
  await sdkAt(`${SHOP}/landing${landing}`, config);
  const sdk = await sdkAt(`${SHOP}/thanks`, config);
  const result = await sdk.conversion({ endpoint: '/c', orderId: 'A-1', ...config });
  return {
    result,
    sent: delivery.sent,
    inits: delivery.inits.map(({ keepalive, mode, credentials }) => ({ keepalive, mode, credentials })),
  };
};

/**
 * For each option with a documented default, a value other than the default, and what the
 * SDK does with the option as given (the whole observable outcome: cookies, requests,
 * results, the address bar, the console).
 */
const CASES: Record<string, { other: unknown; observe: (config: Config) => Promise<unknown> }> = {
  params: {
    other: ['tid'],
    observe: async (config) =>
      (await sdkAt(`${SHOP}/landing?tid=t1&click_id=c3&clickid=c2&s1=c1`, config)).getClickId(),
  },
  ttlDays: { other: 7, observe: (config) => clickCookieWrites(config) },
  attribution: {
    other: 'first',
    observe: async (config) => {
      await sdkAt(`${SHOP}/landing?s1=one`, config);
      return (await sdkAt(`${SHOP}/landing?s1=two`, config)).getClickId();
    },
  },
  cookieName: { other: 'aff', observe: (config) => clickCookieWrites(config) },
  cookieDomain: { other: '', observe: (config) => clickCookieWrites(config) },
  transport: { other: 'beacon', observe: (config) => converted(config) },
  requireClickId: { other: false, observe: (config) => converted(config, '') },
  debug: {
    other: true,
    observe: async (config) => {
      const calls = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
        vi.spyOn(console, level).mockImplementation(() => {}),
      );
      await converted(config, '?s1={clickid}');
      const count = calls.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
      calls.forEach((spy) => spy.mockRestore());
      return count;
    },
  },
  consent: {
    other: 'pending',
    observe: async (config) => ({ ...(await converted(config)), cookie: document.cookie.includes('_postclick=c1') }),
  },
  decorate: {
    other: ['partner.example'],
    observe: async (config) => {
      await sdkAt(`${SHOP}/landing?s1=c1`, config);
      const link = Object.assign(document.createElement('a'), { href: 'https://partner.example/buy' });
      document.body.append(link);
      // The page stays put: only where the link would have gone is of interest.
      const stay = (event: Event) => event.preventDefault();
      document.addEventListener('click', stay);
      link.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
      document.removeEventListener('click', stay);
      link.remove();
      return link.href;
    },
  },
  stripParams: {
    other: true,
    observe: async (config) => {
      await sdkAt(`${SHOP}/landing?utm_source=x&s1=c1`, config);
      return location.href;
    },
  },
};

describe('docs/api.md documents a default for each option, and the SDK applies it', () => {
  it('every option with a documented default has its case below (and no case lacks one)', () => {
    const withDefault = [...DOCUMENTED].filter(([, cell]) => cell !== '—').map(([option]) => option);
    expect(withDefault.sort()).toEqual([...Object.keys(CASES), 'acknowledge'].sort());
  });

  // `decorate` goes last: its listeners stay on the window after the page it ran on.
  it.each(Object.keys(CASES).sort((a, b) => Number(a === 'decorate') - Number(b === 'decorate')))(
    '%s: leaving it out does what its documented default does, and not what another value does',
    async (option) => {
      const { other, observe } = CASES[option]!;
      const absent = await observe({});
      localStorage.clear();
      clearCookies();
      delivery = stubDelivery();
      cookieWrites = [];
      expect(await observe({ [option]: documented(option) })).toEqual(absent);
      localStorage.clear();
      clearCookies();
      delivery = stubDelivery();
      cookieWrites = [];
      expect(await observe({ [option]: other })).not.toEqual(absent);
    },
  );

  it('acknowledge: on for a same-origin endpoint, off for another origin, as documented', async () => {
    const [, sameOrigin, otherOrigin] = /^`(true|false)` for a same-origin `endpoint`, else `(true|false)`$/.exec(
      DOCUMENTED.get('acknowledge')!,
    )!;
    const ack = async (endpoint: string, acknowledge?: boolean) => {
      delivery = stubDelivery();
      const { result, inits } = await converted({ endpoint, acknowledge });
      localStorage.clear();
      return { mode: inits[0]?.mode, confirmed: result.status === 'sent' && result.confirmed };
    };
    for (const [endpoint, value] of [
      ['/c', sameOrigin],
      [`${SHOP}/c`, sameOrigin],
      ['https://track.network.example/c', otherOrigin],
    ] as const) {
      const absent = await ack(endpoint);
      expect(absent, endpoint).toEqual(await ack(endpoint, value === 'true'));
      expect(absent, endpoint).not.toEqual(await ack(endpoint, value !== 'true'));
    }
  });
});

describe('the documented values themselves', () => {
  it('params: each documented parameter is read, first match wins, no other is', async () => {
    const params = documented('params') as string[];
    expect(params.length).toBeGreaterThan(1);
    for (const param of params) {
      localStorage.clear();
      clearCookies();
      expect((await sdkAt(`${SHOP}/?${param}=via-${param}`, {})).getClickId()).toBe(`via-${param}`);
    }
    // The first of them in the documented order wins, wherever it stands in the URL.
    for (let first = 0; first < params.length; first++) {
      const reversed = params
        .slice(first)
        .reverse()
        .map((param) => `${param}=via-${param}`)
        .join('&');
      expect((await sdkAt(`${SHOP}/?${reversed}`, {})).getClickId()).toBe(`via-${params[first]}`);
    }
    localStorage.clear();
    clearCookies();
    expect((await sdkAt(`${SHOP}/?s2=x&clickId=y&tid=z`, {})).getClickId()).toBeNull();
  });

  it('ttlDays: the cookie lives that many days, and the localStorage copy expires after them', async () => {
    const days = documented('ttlDays') as number;
    vi.useFakeTimers({ toFake: ['Date'] });
    const captured = Date.now();
    const [cookie] = await clickCookieWrites({});
    expect(cookie).toContain(`;Max-Age=${days * 24 * 60 * 60};`);
    // The browser drops the cookie on time; the copy in localStorage is the SDK's to expire.
    clearCookies();
    vi.setSystemTime(captured + days * 864e5 - 60e3);
    expect((await sdkAt(`${SHOP}/`)).getClickId()).toBe('c1');
    vi.setSystemTime(captured + days * 864e5 + 60e3);
    expect((await sdkAt(`${SHOP}/`)).getClickId()).toBeNull();
  });

  it('cookieName: the click ID is in a cookie of that name', async () => {
    await sdkAt(`${SHOP}/landing?s1=named`, {});
    expect(document.cookie.split('; ')).toContain(`${documented('cookieName') as string}=named`);
  });
});
