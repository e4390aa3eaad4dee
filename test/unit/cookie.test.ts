import { afterEach, describe, expect, it } from 'vitest';
import { cookieString, readCookie, siteDomain } from '../../src/cookie';

describe('cookieString', () => {
  it('builds the cookie attributes of docs/protocol.md', () => {
    expect(cookieString('_postclick', 'abc', 30, 'shop.example', true)).toBe(
      '_postclick=abc;Path=/;SameSite=Lax;Max-Age=2592000;Domain=shop.example;Secure',
    );
  });
  it('is host-only without a domain and not Secure on http', () => {
    expect(cookieString('_postclick', 'abc', 1, '', false)).toBe('_postclick=abc;Path=/;SameSite=Lax;Max-Age=86400');
  });
  it('deletes with a negative TTL', () => {
    expect(cookieString('_postclick', '', -1, '', false)).toContain('Max-Age=-86400');
  });
});

/** Removes a test's own `document.cookie`, uncovering happy-dom's. */
const unmockCookie = () => void delete (document as { cookie?: string }).cookie;

/** A document.cookie that behaves like a browser on `host` with the given public suffixes. */
function fakeCookieJar(host: string, publicSuffixes: string[]) {
  const jar = new Map<string, string>();
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
    set(text: string) {
      const [pair, ...attributes] = text.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      const domain = attributes
        .find((a) => /^domain=/i.test(a))
        ?.slice(7)
        .toLowerCase();
      const deleting = attributes.some((a) => /^max-age=(0|-\d+)$/i.test(a));
      // RFC 6265 §5.3: a domain must domain-match the host and must not be a public suffix.
      if (domain && (publicSuffixes.includes(domain) || !(host === domain || host.endsWith('.' + domain)))) return;
      if (deleting) jar.delete(name);
      else jar.set(name, value);
    },
  });
  return { jar, restore: unmockCookie };
}

describe('siteDomain (cookieDomain: auto)', () => {
  let restore = () => {};
  afterEach(() => restore());

  it.each([
    ['www.shop.example', ['example'], 'shop.example'],
    ['checkout.eu.shop.co.uk', ['uk', 'co.uk'], 'shop.co.uk'],
    ['user.github.io', ['io', 'github.io'], 'user.github.io'],
    ['shop.example', ['example'], 'shop.example'],
  ])('%s → %s', (host, suffixes, expected) => {
    const fake = fakeCookieJar(host, suffixes);
    restore = fake.restore;
    expect(siteDomain(host)).toBe(expected);
    // The probe cookies are cleaned up.
    expect([...fake.jar.keys()]).toEqual([]);
  });

  it("is '' for a single-label host", () => {
    expect(siteDomain('localhost')).toBe('');
  });
});

describe('readCookie', () => {
  let restore = () => {};
  afterEach(() => restore());

  it('finds the named cookie among others and skips malformed or invalid values', () => {
    restore = unmockCookie;
    Object.defineProperty(document, 'cookie', {
      configurable: true,
      get: () => 'x_postclick=nope; _postclick={clickid}; garbage; _postclick=good-1; other=1',
    });
    expect(readCookie('_postclick')).toBe('good-1');
    expect(readCookie('missing')).toBeUndefined();
  });

  it('returns undefined when document.cookie throws', () => {
    restore = unmockCookie;
    Object.defineProperty(document, 'cookie', {
      configurable: true,
      get: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
    expect(readCookie('_postclick')).toBeUndefined();
  });
});
