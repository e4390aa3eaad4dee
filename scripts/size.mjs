// Prints raw / gzip / brotli bytes of each dist file; `--check` fails when a script-tag
// bundle is over its budget (every byte is paid by every shopper; CONTRIBUTING.md).
import { readdirSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** gzip bytes at most. @type {Record<string, number>} */
export const BUDGETS = { 'postclick.js': 4335, 'capture.js': 2400 };

/** @param {string} file */
export function sizes(file) {
  const data = readFileSync(file);
  return {
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const quiet = process.argv.includes('--quiet');
  const files = readdirSync('dist')
    .filter((f) => /\.(m?js|cjs)$/.test(f))
    .sort();
  let failed = false;
  if (!quiet)
    console.log('file'.padEnd(22) + 'raw'.padStart(8) + 'gzip'.padStart(8) + 'brotli'.padStart(8) + '  budget (gzip)');
  for (const file of files) {
    const { raw, gzip, brotli } = sizes(`dist/${file}`);
    const budget = BUDGETS[file];
    const over = budget !== undefined && gzip > budget;
    failed ||= over;
    const line =
      file.padEnd(22) +
      String(raw).padStart(8) +
      String(gzip).padStart(8) +
      String(brotli).padStart(8) +
      (budget ? `  ${over ? 'OVER' : 'ok'} ≤ ${budget}` : '');
    if (!quiet || budget) console.log(line);
  }
  if (check && failed) {
    console.error('size budget exceeded');
    process.exit(1);
  }
}
