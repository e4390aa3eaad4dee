// @ts-check
/**
 * Feature → bytes: what each behaviour costs `dist/postclick.js` and `dist/capture.js`.
 * Every optional behaviour sits behind a compile-time flag (scripts/features.mjs, declared
 * in src/globals.d.ts) that the release builds set to `true`. For each feature, the
 * production bundles are rebuilt from src/ with that one flag `false` and the release's
 * minifier settings (scripts/minify.mjs); the cost is the gzip (and brotli) bytes saved.
 * The last row turns every flag off at once: the floor, what the bundles would weigh with
 * only the core. These cut builds are measurements only; they are not correct SDKs.
 *
 * A feature whose flag guards no code in src/ yet is listed as "pending flag" (not
 * measured) when the table says so, and fails the run otherwise; so does a flag that cuts
 * nothing from either bundle. The table cannot silently measure nothing.
 *
 *   node bench/features.mjs      prints the table
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import ts from 'typescript';
import { rollup } from 'rollup';
import { FEATURES, defines } from '../scripts/features.mjs';
import { bang, terserOptions } from '../scripts/minify.mjs';
import { sizes } from '../scripts/size.mjs';
import { table } from './lib/markdown.mjs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const COMPILER_OPTIONS = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')).compilerOptions;

/** Whether some file of src/ uses `flag`. @param {string} flag */
const guardsCode = (flag) =>
  readdirSync(SRC, { recursive: true, encoding: 'utf8' }).some(
    (file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && readFileSync(join(SRC, file), 'utf8').includes(flag),
  );

/** @typedef {{ gzip: number, brotli: number }} Sizes */

/** @param {string} code @returns {Sizes} */
const measure = (code) => ({
  gzip: gzipSync(code, { level: 9 }).length,
  brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/**
 * TypeScript → JavaScript with tsconfig.json's compiler options, file by file: the emit of
 * @rollup/plugin-typescript without its type-checking program, which is what makes 34 builds slow.
 * @returns {import('rollup').Plugin}
 */
const transpile = () => ({
  name: 'transpile',
  resolveId: (source, importer) =>
    importer && source.startsWith('.') ? join(dirname(importer), source + '.ts') : null,
  transform: (code, id) =>
    ts.transpileModule(code, {
      compilerOptions: ts.convertCompilerOptionsFromJson({ ...COMPILER_OPTIONS, noEmit: false }, ROOT).options,
      fileName: id,
    }).outputText,
});

/** The production IIFE of one entry, built from src/ as rollup.config.mjs builds it, with the `off` flags false. @param {string} entry @param {string[]} off */
async function build(entry, off) {
  const bundle = await rollup({
    input: join(SRC, 'entries', entry),
    plugins: [replace({ preventAssignment: true, values: defines({ debug: false, off }) }), transpile()],
    logLevel: 'silent',
  });
  try {
    const { output } = await bundle.generate({
      format: 'iife',
      strict: false,
      plugins: [terser(terserOptions(false, false)), bang()],
    });
    return measure(output[0].code);
  } finally {
    await bundle.close();
  }
}

/** Both production bundles with the `off` flags false. @param {string[]} off */
const buildWithout = async (off) => ({
  postclick: await build('postclick.ts', off),
  capture: await build('capture.ts', off),
});

export async function measureFeatures() {
  const full = await buildWithout([]);
  /** @type {(import('../scripts/features.mjs').Feature & { measured: boolean, postclick?: Sizes, capture?: Sizes })[]} */
  const rows = [];
  /** @type {string[]} */
  const cut = [];
  for (const feature of FEATURES) {
    if (!guardsCode(feature.flag)) {
      if (!feature.pending)
        throw new Error(
          `bench/features.mjs: ${feature.flag} guards no code in src/ (mark it pending in scripts/features.mjs?)`,
        );
      rows.push({ ...feature, measured: false });
      continue;
    }
    const without = await buildWithout([feature.flag]);
    if (without.postclick.gzip === full.postclick.gzip && without.capture.gzip === full.capture.gzip)
      throw new Error(`bench/features.mjs: turning ${feature.flag} off cuts nothing from either bundle`);
    rows.push({ ...feature, measured: true, ...without });
    cut.push(feature.flag);
  }
  const floor = await buildWithout(cut);
  return { full, rows, floor };
}

/** @param {{gzip: number}} full @param {{gzip: number} | undefined} cut */
const saved = (full, cut) => (!cut ? 'pending flag' : full.gzip === cut.gzip ? '–' : String(full.gzip - cut.gzip));

/** The feature section of BENCHMARKS.md. @param {Awaited<ReturnType<typeof measureFeatures>>} result */
export function featuresMarkdown({ full, rows, floor }) {
  const n = (/** @type {number} */ v) => v.toLocaleString('en-US');
  const dist = (/** @type {string} */ file) =>
    existsSync(join(ROOT, 'dist', file)) ? sizes(join(ROOT, 'dist', file)).gzip : undefined;
  const same = dist('postclick.js') === full.postclick.gzip && dist('capture.js') === full.capture.gzip;
  const pending = rows.filter((r) => !r.measured).length;
  return [
    `What each behaviour costs the production bundles: gzip bytes saved by building without it, its compile-time flag set to \`false\` (\`bench/features.mjs\`, flags in \`scripts/features.mjs\`; the release's minifier settings, \`scripts/minify.mjs\`). Full build: \`postclick.js\` ${n(full.postclick.gzip)} B gzip / ${n(full.postclick.brotli)} B brotli, \`capture.js\` ${n(full.capture.gzip)} / ${n(full.capture.brotli)}. Costs overlap a little (gzip shares repeated text), so they do not add up exactly. ${same ? 'The full build has exactly the gzip size of `dist/`.' : '**The full build differs in size from `dist/`**: rebuild (`npm run build`) or check that this file still builds as rollup.config.mjs does.'}${pending ? ` "pending flag": the feature's code is not guarded by its flag yet, so it is not measured (${pending} of ${rows.length}).` : ''}`,
    '',
    table(
      ['feature', 'documented in', 'flag', '`postclick.js` gzip', '`capture.js` gzip'],
      rows.map((r) => [
        r.partly ? `${r.name} (its call in \`${r.partly}\` not yet flagged)` : r.name,
        `docs/${r.doc}`,
        `\`${r.flag}\``,
        saved(full.postclick, r.postclick),
        saved(full.capture, r.capture),
      ]),
      'lllrr',
    ),
    '',
    `**Floor** — every measured feature above cut at once${pending ? ' (the pending ones still built in)' : ''}, leaving the core (capture, storage with its fallbacks, the wire format and its validation, exactly-once marks, the outbox record, delivery, the queue and data attributes): \`postclick.js\` **${n(floor.postclick.gzip)} B** gzip (${n(floor.postclick.brotli)} brotli), \`capture.js\` **${n(floor.capture.gzip)} B** gzip (${n(floor.capture.brotli)} brotli).`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(featuresMarkdown(await measureFeatures()));
}
