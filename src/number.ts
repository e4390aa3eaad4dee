/**
 * The money format: a finite number ≥ 0, or a plain decimal string such as `'49.99'`
 * (digits, at most one dot with digits after it), written as a plain decimal without
 * exponent (`1e-7` → `0.0000001`). Below 10^15: from there a double no longer holds every
 * cent, so no real amount is that large. Returns `undefined` for anything else (NaN,
 * Infinity, negatives, `''`, `' '`, `'-0'`, `'abc'`, `'0x10'`, `'1e3'`, `' 12.5 '`).
 * The collector applies the same rule (collector/src/validate.js); test/fixtures/amounts.json
 * holds the cases all three are tested against.
 */
export function formatAmount(value: unknown): string | undefined {
  let number = NaN;
  if (typeof value === 'number') number = value;
  // The collector's own rule for what arrives (collector/src/validate.js), so both agree.
  else if (typeof value === 'string' && /^\d{1,15}(\.\d{1,20})?$/.test(value)) number = Number(value);
  // String() switches to exponent form below 1e-6; locale formatting without grouping never
  // does (20 fraction digits is the most every engine accepts).
  if (number >= 0 && number < 1e15) {
    const text = String(number);
    return __FEATURE_PLAIN_DECIMALS__ && text.includes('e')
      ? number.toLocaleString('en', { useGrouping: false, maximumFractionDigits: 20 })
      : text;
  }
}
