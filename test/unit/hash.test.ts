import { describe, expect, it } from 'vitest';
import { hash } from '../../src/hash';

describe('hash (derived unique_id)', () => {
  it('is deterministic', () => {
    expect(hash('42|abc|/thank-you?o=1')).toBe(hash('42|abc|/thank-you?o=1'));
  });

  it('is a short lowercase base-36 string usable as unique_id', () => {
    expect(hash('42|abc|/')).toMatch(/^[0-9a-z]{8,14}$/);
    expect(hash('')).toMatch(/^[0-9a-z]{8,14}$/);
  });

  it('differs when the offer, the click or the page differs', () => {
    const seen = new Set([
      hash('42|abc|/a'),
      hash('43|abc|/a'),
      hash('42|abd|/a'),
      hash('42|abc|/b'),
      hash('42|abc|/a?x=1'),
    ]);
    expect(seen.size).toBe(5);
  });

  it('has no collision among 100,000 similar inputs', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(hash(`42|click${i}|/thank-you`));
    expect(seen.size).toBe(100_000);
  });

  it('hashes non-ASCII input by UTF-16 code unit, the same in Node and browsers', () => {
    expect(hash('é')).not.toBe(hash('e'));
    expect(hash('😀')).not.toBe(hash('😁'));
  });
});
