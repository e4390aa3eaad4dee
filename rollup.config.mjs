// Builds every file of SPEC §1 from src/. The script-tag bundles are minified hard: every
// byte of dist/postclick.js is paid by every shopper.
import { copyFileSync, existsSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';

const ts = () => typescript({ tsconfig: './tsconfig.json', noEmit: false, declaration: false, sourceMap: true });

/** Terser for the bundles; internal `_x` properties are mangled, as in web-vitals. */
const minify = (module) =>
  terser({
    module,
    ecma: 2020,
    compress: { passes: 3, unsafe_arrows: true, pure_getters: true },
    mangle: { properties: { regex: /^_/ } },
    format: { comments: false },
  });

const iife = (input, file) => ({
  input,
  output: { file, format: 'iife', sourcemap: true, plugins: [minify(false)] },
  plugins: [ts()],
});

/** ESM + CJS of one entry, with its bundled declarations (and a .d.cts twin for require). */
const library = (input, name) => [
  {
    input,
    output: [
      { file: `dist/${name}.mjs`, format: 'es', sourcemap: true, plugins: [minify(true)] },
      { file: `dist/${name}.cjs`, format: 'cjs', sourcemap: true, plugins: [minify(false)] },
    ],
    external: [/^node:/],
    plugins: [ts()],
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

export default [
  iife('src/entries/postclick.ts', 'dist/postclick.js'),
  iife('src/entries/capture.ts', 'dist/capture.js'),
  ...library('src/index.ts', 'postclick'),
  ...(existsSync('src/server.ts') ? library('src/server.ts', 'server') : []),
];
