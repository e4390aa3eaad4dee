// @ts-check
/**
 * Whether dist/ was built from the source as it is now. `npm run build` ends by writing a
 * stamp: a hash of every input of the build. Tests that run the built files check it first
 * and fail saying "dist/ is stale: run npm run build" instead of testing yesterday's bundles.
 *
 *   node scripts/dist-stamp.mjs write     after a build (npm run build does it)
 *   node scripts/dist-stamp.mjs check     exit 1, saying why, when dist/ is stale
 *   node scripts/dist-stamp.mjs ensure    build when dist/ is stale (npm run test:e2e does it)
 *
 * The stamp lives in node_modules/.cache, not dist/: dist/ is what npm publishes.
 */
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAMP = join(ROOT, 'node_modules/.cache/postclick/dist-stamp.txt');

/** What the build reads: a change to any of these changes dist/. */
const INPUTS = [
  'src',
  'rollup.config.mjs',
  'scripts/minify.mjs',
  'tsconfig.json',
  'package.json',
  'examples/spa/src',
  'examples/spa/rollup.config.mjs',
];

/** What the build writes and the tests run; a stamp is stale if one of them is gone. */
const OUTPUTS = [
  'dist/postclick.js',
  'dist/postclick.debug.js',
  'dist/capture.js',
  'dist/capture.debug.js',
  'dist/postclick.mjs',
  'dist/postclick.cjs',
  'dist/index.d.ts',
  'dist/server.mjs',
  'dist/server.cjs',
  'dist/cli.mjs',
  'examples/spa/dist/app.js',
];

/** @param {string} path @returns {string[]} */
const filesUnder = (path) =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .sort()
        .flatMap((name) => filesUnder(join(path, name)))
    : [path];

/** A hash of every input file's path and bytes. */
export function inputsHash() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => filesUnder(join(ROOT, input)))) {
    hash.update(relative(ROOT, file) + '\0');
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

/** Why dist/ does not match the source, or null when it does. */
export function staleReason() {
  const missing = OUTPUTS.find((file) => !existsSync(join(ROOT, file)));
  if (missing) return `${missing} is missing`;
  if (!existsSync(STAMP)) return 'no build stamp (built before stamps, or by hand)';
  if (readFileSync(STAMP, 'utf8').trim() !== inputsHash()) return 'the source changed since the last build';
  return null;
}

/** Throws "dist/ is stale: run npm run build" when it is. */
export function assertFreshDist() {
  const reason = staleReason();
  if (reason) throw new Error(`dist/ is stale: run npm run build (${reason})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const command = process.argv[2];
  if (command === 'write') {
    mkdirSync(dirname(STAMP), { recursive: true });
    writeFileSync(STAMP, inputsHash() + '\n');
  } else if (command === 'check') {
    const reason = staleReason();
    if (reason) {
      console.error(`dist/ is stale: run npm run build (${reason})`);
      process.exit(1);
    }
  } else if (command === 'ensure') {
    const reason = staleReason();
    if (reason) {
      console.error(`dist/ is stale (${reason}): building`);
      execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
    }
  } else {
    console.error('usage: node scripts/dist-stamp.mjs write|check|ensure');
    process.exit(2);
  }
}
