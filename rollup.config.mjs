// Builds every file of SPEC §1 from src/. The script-tag bundles are minified hard: every
// byte of dist/postclick.js is paid by every shopper.
import { chmodSync, copyFileSync, existsSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';
import { defines } from './scripts/features.mjs';
import { bang, terserOptions } from './scripts/minify.mjs';

const ts = () => typescript({ tsconfig: './tsconfig.json', noEmit: false, declaration: false, sourceMap: true });

/**
 * The build-time flags (src/globals.d.ts): `__DEBUG__`, whether a build carries the debug
 * explanations, and every feature flag on (scripts/features.mjs; only the bench turns one off).
 */
const debug = (on) => replace({ preventAssignment: true, values: defines({ debug: on }) });

const minify = (module, debug) => terser(terserOptions(module, debug));

/** A script-tag bundle: `name.js` for production and its `name.debug.js` twin. */
const iife = (input, name) =>
  [false, true].map((on) => ({
    input,
    // No "use strict" (the minified code does not depend on it) and no sourceMappingURL
    // comment: the maps are published beside the bundles, for devtools to load by hand.
    output: {
      file: `dist/${name}${on ? '.debug' : ''}.js`,
      format: 'iife',
      strict: false,
      sourcemap: on || 'hidden',
      plugins: [minify(false, on), bang()],
    },
    plugins: [debug(on), ts()],
  }));

/** ESM + CJS of one entry, with its bundled declarations (and a .d.cts twin for require). */
const library = (input, name) => [
  {
    input,
    output: [
      { file: `dist/${name}.mjs`, format: 'es', sourcemap: true, plugins: [minify(true)] },
      { file: `dist/${name}.cjs`, format: 'cjs', sourcemap: true, plugins: [minify(false)] },
    ],
    external: [/^node:/],
    plugins: [debug(true), ts()],
  },
  {
    input,
    output: { file: `dist/${name === 'postclick' ? 'index' : name}.d.ts`, format: 'es' },
    plugins: [
      dts(),
      {
        name: 'cts-twin',
        writeBundle: ({ file }) => copyFileSync(file, file.replace(/\.d\.ts$/, '.d.cts')),
      },
    ],
  },
];

/** The `postclick` command (SPEC §8): one executable ES module for Node, not minified. */
const cli = (input, file) => ({
  input,
  output: { file, format: 'es', sourcemap: true, banner: '#!/usr/bin/env node' },
  external: [/^node:/],
  plugins: [debug(true), ts(), { name: 'executable', writeBundle: ({ file }) => chmodSync(file, 0o755) }],
});

export default [
  ...iife('src/entries/postclick.ts', 'postclick'),
  ...iife('src/entries/capture.ts', 'capture'),
  ...library('src/index.ts', 'postclick'),
  ...(existsSync('src/server.ts') ? library('src/server.ts', 'server') : []),
  ...(existsSync('src/cli.ts') ? [cli('src/cli.ts', 'dist/cli.mjs')] : []),
];
