import { describe, expect, it } from 'vitest';
import { isClickId } from '../../src/clickId';

describe('isClickId (docs/protocol.md validity rule)', () => {
  it.each(['a', '8f3a9c21', 'A-Z_a.z~0:9', 'x'.repeat(128), 'abc-DEF_123.456~7:8'])('accepts %s', (value) => {
    expect(isClickId(value)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['unreplaced macro', '{clickid}'],
    ['encoded macro', '%7Bclickid%7D'],
    ['markup', '<script>alert(1)</script>'],
    ['129 characters', 'x'.repeat(129)],
    ['space', 'a b'],
    ['plus', 'a+b'],
    ['slash', 'a/b'],
    ['quote', 'a"b'],
    ['semicolon (cookie injection)', 'a;Domain=evil'],
    ['non-ASCII letter', 'café'],
    ['null byte', 'a\0b'],
    ['newline', 'a\nb'],
  ])('rejects %s', (_, value) => {
    expect(isClickId(value)).toBe(false);
  });

  it.each([null, undefined, 42, {}, ['abc']])('rejects non-strings (%s)', (value) => {
    expect(isClickId(value)).toBe(false);
  });
});
