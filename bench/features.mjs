// @ts-check
/**
 * Feature → bytes: what each behaviour costs `dist/postclick.js` and `dist/capture.js`.
 * For each feature, a copy of src/ gets that feature cut out by a few exact source edits,
 * the production bundles are rebuilt with the release's minifier settings (scripts/minify.mjs), and the
 * cost is the gzip (and brotli) bytes saved. The last row cuts every feature at once: the
 * floor, what the bundles would weigh with only the core (capture, storage, the wire format
 * and its validation, exactly-once marks, the queue). These cut builds are measurements
 * only; they are not correct SDKs.
 *
 * An edit that no longer matches src/ fails the section by name, so the table cannot
 * silently measure nothing.
 *
 *   node bench/features.mjs      prints the table
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import ts from 'typescript';
import { rollup } from 'rollup';
import { bang, terserOptions } from '../scripts/minify.mjs';
import { sizes } from '../scripts/size.mjs';
import { table } from './lib/markdown.mjs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COMPILER_OPTIONS = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')).compilerOptions;

/** @typedef {[file: string, find: string, replaceWith: string]} Edit */
/** @typedef {{ name: string, spec: string, edits: Edit[] }} Feature */

/** @type {Feature[]} */
export const FEATURES = [
  {
    name: '`decorate` (link and form decoration)',
    spec: '§3 `decorate`',
    edits: [['init.ts', '    if (settings.decorate && !decorating) listenForDecoration(), (decorating = 1);\n', '']],
  },
  {
    name: 'debug: loading the `.debug.js` twin',
    spec: '§2 `data-debug`, `?postclick_debug=1`',
    edits: [
      ['entries/postclick.ts', 'if (!loadDebugBuild(config, start)) start(config);', 'start(config);'],
      ['entries/capture.ts', 'if (!loadDebugBuild(config, start)) start(config);', 'start(config);'],
    ],
  },
  {
    name: 'derived `unique_id` (hash of offer, click, page)',
    spec: '§5 `unique_id`',
    edits: [
      [
        'wire.ts',
        "params.order_id || hash([params.offer_id, params.click_id, page].join('|'))",
        'params.order_id || page',
      ],
    ],
  },
  {
    name: "`cookieDomain: 'auto'` (eTLD+1 probe)",
    spec: '§3 `cookieDomain`',
    edits: [['cookie.ts', "cookieDomain == 'auto' ? siteDomain(location.hostname) : cookieDomain", 'cookieDomain']],
  },
  {
    name: 'image transport',
    spec: '§5 Delivery',
    edits: [['transport.ts', "  if (auto || transport == 'image') {", '  if (0) {']],
  },
  {
    name: 'fetch keepalive transport',
    spec: '§5 Delivery',
    edits: [['transport.ts', "  if (auto || transport == 'fetch') {", '  if (0) {']],
  },
  {
    name: '`stripParams` (clean URLs)',
    spec: '§3 `stripParams`',
    edits: [['capture.ts', 'if (settings.stripParams) stripParam(param);', '']],
  },
  {
    name: 'templates (`{name}`, `REPLACE`)',
    spec: '§5 Templates',
    edits: [['wire.ts', '/\\{\\w+\\}/.test(endpoint) || replace.test(endpoint)', '0']],
  },
  {
    name: "consent (`'pending'`, `consent()`)",
    spec: '§3 `consent`',
    edits: [
      ['settings.ts', "!settings.consent || settings.consent == 'granted'", 'true'],
      ['entries/postclick.ts', 'conversionUrl, reset, consent }', 'conversionUrl, reset }'],
      ['conversion.ts', ": settings.consent == 'denied' ? ((result.error = 'consent refused'), 'failed')", ''],
    ],
  },
  {
    name: 'plain decimals for ≥ 1e21 and < 1e-6',
    spec: '§5 amounts',
    edits: [['number.ts', '/e/.test(String(number))', '0']],
  },
  {
    name: '8 KB URL limit',
    spec: '— (issue 4: nothing reported `sent` that is lost)',
    edits: [['wire.ts', "if (url.length > 8192) throw 'url: over 8 KB';", '']],
  },
  {
    name: 'Trusted Types policy for the twin',
    spec: '— (issue 4: strict CSP)',
    edits: [
      [
        'entries/debugBuild.ts',
        "(self as { trustedTypes?: Types }).trustedTypes?.createPolicy('postclick', { createScriptURL: () => src }).createScriptURL('') ?? src",
        'src',
      ],
    ],
  },
  {
    name: 'outbox bound (50 records)',
    spec: '— (issue 4: storage never grows without bound)',
    edits: [
      [
        'outbox.ts',
        '  keys(PREFIX)\n    .sort((a, b) => read(a)[0] - read(b)[0])\n    .slice(0, 1 - MAX_RECORDS)\n    .map(remove);\n',
        '',
      ],
    ],
  },
  {
    name: 'retry at load and on `online`',
    spec: '§5 Nothing lost',
    edits: [['init.ts', "    flush();\n    addEventListener('online', flush);\n", '']],
  },
  {
    name: 'options from own properties only',
    spec: '— (issue 4: prototype pollution)',
    edits: [['settings.ts', '({}.hasOwnProperty.call(call || {}, key) ? call![key] : undefined)', 'call?.[key]']],
  },
];

/** @param {string} code */
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

/** The production IIFE of one entry, built from `dir` as rollup.config.mjs builds it. @param {string} dir @param {string} entry */
async function build(dir, entry) {
  const bundle = await rollup({
    input: join(dir, 'entries', entry),
    plugins: [replace({ preventAssignment: true, values: { __DEBUG__: 'false' } }), transpile()],
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

/** Both bundles from a copy of src/ with `edits` applied; throws naming an edit that no longer matches. @param {Edit[]} edits */
async function buildWith(edits) {
  const dir = mkdtempSync(join(tmpdir(), 'postclick-features-'));
  try {
    cpSync(join(ROOT, 'src'), dir, { recursive: true });
    for (const [file, find, replaceWith] of edits) {
      const path = join(dir, file);
      const source = readFileSync(path, 'utf8');
      if (!source.includes(find))
        throw new Error(
          `bench/features.mjs: an edit no longer matches src/${file}: ${JSON.stringify(find.slice(0, 60))}`,
        );
      writeFileSync(path, source.replace(find, replaceWith));
    }
    return { postclick: await build(dir, 'postclick.ts'), capture: await build(dir, 'capture.ts') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureFeatures() {
  const full = await buildWith([]);
  const rows = [];
  for (const feature of FEATURES) rows.push({ ...feature, ...(await buildWith(feature.edits)) });
  const floor = await buildWith(FEATURES.flatMap((f) => f.edits));
  return { full, rows, floor };
}

const saved = (/** @type {{gzip: number}} */ full, /** @type {{gzip: number}} */ cut) =>
  full.gzip === cut.gzip ? '–' : String(full.gzip - cut.gzip);

/** The feature section of BENCHMARKS.md. @param {Awaited<ReturnType<typeof measureFeatures>>} result */
export function featuresMarkdown({ full, rows, floor }) {
  const n = (/** @type {number} */ v) => v.toLocaleString('en-US');
  const dist = (/** @type {string} */ file) =>
    existsSync(join(ROOT, 'dist', file)) ? sizes(join(ROOT, 'dist', file)).gzip : undefined;
  const same = dist('postclick.js') === full.postclick.gzip && dist('capture.js') === full.capture.gzip;
  return [
    `What each behaviour costs the production bundles: gzip bytes saved by building without it (\`bench/features.mjs\`; the release's minifier settings, \`scripts/minify.mjs\`). Full build: \`postclick.js\` ${n(full.postclick.gzip)} B gzip / ${n(full.postclick.brotli)} B brotli, \`capture.js\` ${n(full.capture.gzip)} / ${n(full.capture.brotli)}. Costs overlap a little (gzip shares repeated text), so they do not add up exactly. ${same ? 'The full build has exactly the gzip size of `dist/`.' : '**The full build differs in size from `dist/`**: rebuild (`npm run build`) or check that this file still builds as rollup.config.mjs does.'}`,
    '',
    table(
      ['feature', 'SPEC', '`postclick.js` gzip', '`capture.js` gzip'],
      rows.map((r) => [r.name, r.spec, saved(full.postclick, r.postclick), saved(full.capture, r.capture)]),
      'llrr',
    ),
    '',
    `**Floor** — every feature above cut at once, leaving the core (capture, storage with its fallbacks, the wire format and its validation, exactly-once marks, the outbox record, beacon delivery, the queue and data attributes): \`postclick.js\` **${n(floor.postclick.gzip)} B** gzip (${n(floor.postclick.brotli)} brotli), \`capture.js\` **${n(floor.capture.gzip)} B** gzip (${n(floor.capture.brotli)} brotli).`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(featuresMarkdown(await measureFeatures()));
}
