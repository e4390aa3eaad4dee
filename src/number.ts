/**
 * SPEC §5 money format: a finite number ≥ 0, or a plain numeric string such as `'49.99'`,
 * written as a plain decimal without exponent (`1e21` → `1000000000000000000000`).
 * Returns `undefined` for anything else (NaN, Infinity, negatives, `'abc'`, `'0x10'`).
 */
export function formatAmount(value: unknown): string | undefined {
  const number =
    typeof value == 'number'
      ? value
      : typeof value == 'string' && /^\s*(\d+\.?\d*|\.\d+)\s*$/.test(value)
        ? +value
        : NaN;
  // String() switches to exponent form at ≥ 1e21 and < 1e-6; locale formatting without
  // grouping never does (20 fraction digits is the most every engine accepts).
  if (number >= 0 && number < Infinity)
    return /e/.test(String(number))
      ? number.toLocaleString('en', { useGrouping: false, maximumFractionDigits: 20 })
      : String(number);
}
