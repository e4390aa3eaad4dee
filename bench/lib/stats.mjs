// @ts-check
/** Order statistics for the timing figures: every timing is printed with its spread. */

/** The q-quantile (0…1) of `values`, by linear interpolation between closest ranks. @param {number[]} values @param {number} q */
export function quantile(values, q) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * n, median, p95, interquartile range, min and max.
 * @param {number[]} values
 */
export function summarize(values) {
  return {
    n: values.length,
    median: quantile(values, 0.5),
    p95: quantile(values, 0.95),
    q1: quantile(values, 0.25),
    q3: quantile(values, 0.75),
    min: values.length ? Math.min(...values) : NaN,
    max: values.length ? Math.max(...values) : NaN,
    mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN,
  };
}
/** @typedef {ReturnType<typeof summarize>} Summary */

/** A number for a table: `digits` decimals, thousands separated. @param {number} value */
export const fmt = (value, digits = 2) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '–';

/** `1.23 (IQR 1.10–1.40, min 0.90, max 3.10)` @param {Summary} s */
export const spread = (s, digits = 2) =>
  `IQR ${fmt(s.q1, digits)}–${fmt(s.q3, digits)}, range ${fmt(s.min, digits)}–${fmt(s.max, digits)}`;
