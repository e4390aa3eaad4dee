// @vitest-environment node
/**
 * Reproducible builds: the same source builds to the same bytes. rollup.config.mjs
 * runs twice, in two processes at once, each writing what it would put in `dist/` into its
 * own temporary directory (the `dist/` that other tests read is never touched), and every
 * output file — bundles, debug twins, maps, declarations, the CLI — is compared byte for byte.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Loads rollup.config.mjs as `rollup -c` does and writes every output under OUT_DIR instead
 * of `dist/`, same relative paths: two directories at the same depth get the same relative
 * source-map paths, so any difference between them is a difference in the build.
 */
const BUILD_INTO = `
import { createRequire } from 'node:module';
import { resolve, relative, join } from 'node:path';
// Resolved from the project (the working directory), wherever this script is written.
const require = createRequire(join(process.cwd(), 'package.json'));
const { rollup } = require('rollup');
const { loadConfigFile } = require('rollup/loadConfigFile');
const out = process.env.OUT_DIR;
const moved = (file) => {
  const rel = relative('dist', file);
  if (rel.startsWith('..')) throw new Error('an output outside dist/: ' + file);
  return join(out, rel);
};
const { options } = await loadConfigFile(resolve('rollup.config.mjs'), {});
for (const input of options) {
  const bundle = await rollup({ ...input, logLevel: 'silent' });
  try {
    for (const output of input.output) {
      await bundle.write({ ...output, ...(output.file ? { file: moved(output.file) } : {}), ...(output.dir ? { dir: moved(output.dir) } : {}) });
    }
  } finally {
    await bundle.close();
  }
}
`;

/** One build into `outDir`, in its own process (terser's workers rule out `node -e`). */
async function build(script: string, outDir: string): Promise<void> {
  await promisify(execFile)(process.execPath, [script], {
    cwd: ROOT,
    env: { ...process.env, OUT_DIR: outDir },
    maxBuffer: 16 * 1024 * 1024,
  });
}

const filesIn = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

test('two builds of the same source are identical, byte for byte', { timeout: 180_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'postclick-reproducible-'));
  try {
    const [a, b] = [join(root, 'a'), join(root, 'b')];
    const script = join(root, 'build-into.mjs');
    writeFileSync(script, BUILD_INTO);
    await Promise.all([build(script, a), build(script, b)]);

    const files = filesIn(a);
    // Every file listed in docs/api.md (Builds and package) was built (so an empty build cannot pass).
    expect(files).toEqual(
      expect.arrayContaining([
        'postclick.js',
        'capture.js',
        'postclick.mjs',
        'postclick.cjs',
        'index.d.ts',
        'server.mjs',
        'server.cjs',
        'server.d.ts',
      ]),
    );
    expect(filesIn(b)).toEqual(files);
    const differing = files.filter((file) => !readFileSync(join(a, file)).equals(readFileSync(join(b, file))));
    expect(differing, 'files whose two builds differ').toEqual([]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
