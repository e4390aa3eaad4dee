import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../src/number';

describe('formatAmount (docs/protocol.md money format)', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [49.99, '49.99'],
    [1000, '1000'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e-7, '0.0000001'],
    [123456789.123, '123456789.123'],
    ['49.99', '49.99'],
    ['0', '0'],
    ['7', '7'],
    ['049.90', '49.9'],
  ])('%s → %s', (input, expected) => {
    expect(formatAmount(input)).toBe(expected);
  });

  it.each([
    ['negative', -1],
    ['negative string', '-1'],
    ['NaN', NaN],
    ['Infinity', Infinity],
    // eslint-disable-next-line no-loss-of-precision -- the literal overflows to Infinity on purpose
    ['1e309 (overflows to Infinity)', 1e309],
    ['word', 'abc'],
    ['hex string', '0x10'],
    ['exponent string', '1e3'],
    ['empty string', ''],
    ['comma decimal', '49,99'],
    ['two dots', '1.2.3'],
    ['object', {}],
    ['boolean', true],
    ['null', null],
    ['10^15 and above (a double no longer holds every cent)', 1e15],
    ['1e21', 1e21],
    ['a bare fraction', '.5'],
    ['a trailing dot', '10.'],
    ['spaces around', ' 12.5 '],
    ['blank', ' '],
    ['negative zero string', '-0'],
  ])('rejects %s', (_, input) => {
    expect(formatAmount(input)).toBeUndefined();
  });
});
