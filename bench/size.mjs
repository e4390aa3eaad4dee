// @ts-check
/**
 * Size: raw / gzip -9 / brotli -q 11 bytes of every file in dist/ (scripts/size.mjs's
 * `sizes`), and of the ESM build tree-shaken for three typical imports: each fixture in
 * bench/fixtures/ bundled by rollup, `postclick` resolved by node-resolve through the
 * package's `exports` map (the package imports itself by name), minified by terser.
 *
 *   node bench/size.mjs      prints the tables
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';
import { BUDGETS, sizes } from '../scripts/size.mjs';
import { table } from './lib/markdown.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');

/** Three ways an app imports postclick, as it would write them. */
export const FIXTURES = [
  { name: '`capture` only', file: 'capture-only.js' },
  { name: '`conversion` only', file: 'conversion-only.js' },
  { name: 'everything (`import * as postclick`)', file: 'everything.js' },
];

/** Comparison figures of other libraries (gzip -9 / brotli -q 11 bytes), quoted, not re-measured. */
export const COMPARISON = [
  ['plausible-tracker (bundled)', 1124, 936],
  ['js-cookie', 859, 745],
  ['web-vitals (IIFE)', 3329, 3037],
  ['analytics', 10592, null],
  ['Segment analytics-next (standalone)', 31280, null],
  ['posthog-js', 121971, null],
];

/** The project's size targets, gzip bytes (the budgets in scripts/size.mjs are what npm test enforces). */
export const TARGETS = { 'postclick.js': 1536, 'capture.js': 640 };

/** One fixture bundled and minified; its sizes and the file `postclick` resolved to. @param {string} file @param {string} outDir */
async function treeShaken(file, outDir) {
  const input = fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url));
  const build = await rollup({ input, plugins: [nodeResolve({ browser: true })], logLevel: 'silent' });
  try {
    const resolved = build.cache?.modules.map((m) => m.id).filter((id) => id !== input) ?? [];
    const { output } = await build.generate({ format: 'es', plugins: [terser({ format: { comments: false } })] });
    const out = join(outDir, file);
    writeFileSync(out, output[0].code);
    return { ...sizes(out), resolved: resolved.map((id) => id.replace(ROOT, '')) };
  } finally {
    await build.close();
  }
}

export async function measureSizes() {
  const dist = readdirSync(DIST)
    .filter((f) => !f.endsWith('.map'))
    .sort()
    .map((file) => ({ file, ...sizes(join(DIST, file)) }));
  const dir = mkdtempSync(join(tmpdir(), 'postclick-bench-size-'));
  try {
    const shaken = [];
    for (const fixture of FIXTURES) shaken.push({ ...fixture, ...(await treeShaken(fixture.file, dir)) });
    return { dist, shaken };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const n = (/** @type {number | null} */ v) => (v === null ? '–' : v.toLocaleString('en-US'));

/** The size section of BENCHMARKS.md. @param {Awaited<ReturnType<typeof measureSizes>>} result */
export function sizeMarkdown({ dist, shaken }) {
  const budget = (/** @type {string} */ file) => {
    const parts = [];
    if (file in BUDGETS) parts.push(`≤ ${n(BUDGETS[/** @type {keyof typeof BUDGETS} */ (file)])} (npm test)`);
    if (file in TARGETS) parts.push(`target ≤ ${n(TARGETS[/** @type {keyof typeof TARGETS} */ (file)])} (target)`);
    return parts.join('; ') || '';
  };
  return [
    '### Every file in `dist/`',
    '',
    'Bytes; gzip at level 9, brotli at quality 11 (`scripts/size.mjs`). Source maps left out.',
    '',
    table(
      ['file', 'raw', 'gzip', 'brotli', 'budget (gzip)'],
      dist.map((d) => [`\`${d.file}\``, n(d.raw), n(d.gzip), n(d.brotli), budget(d.file)]),
      'lrrrl',
    ),
    '',
    '### Tree-shaken ESM build',
    '',
    'Each fixture of `bench/fixtures/` bundled by rollup with `@rollup/plugin-node-resolve` (`postclick` resolved by name through the `exports` map) and `@rollup/plugin-terser` (defaults), ES output: what postclick adds to an app bundle.',
    '',
    table(
      ['import', 'fixture', 'raw', 'gzip', 'brotli', 'resolved to'],
      shaken.map((s) => [
        s.name,
        `\`bench/fixtures/${s.file}\``,
        n(s.raw),
        n(s.gzip),
        n(s.brotli),
        s.resolved.map((r) => `\`${r}\``).join(', '),
      ]),
      'llrrrl',
    ),
    '',
    '### For comparison — other libraries, quoted',
    '',
    'Quoted as given when the size targets were set (gzip -9 / brotli -q 11 bytes, measured on this kind of machine); not re-measured here.',
    '',
    table(
      ['library', 'gzip', 'brotli'],
      COMPARISON.map(([name, gz, br]) => [
        String(name),
        n(/** @type {number} */ (gz)),
        n(/** @type {number|null} */ (br)),
      ]),
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(sizeMarkdown(await measureSizes()));
}
