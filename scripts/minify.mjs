// @ts-check
/**
 * How the bundles are minified: shared by rollup.config.mjs and bench/features.mjs, which
 * must build exactly as the release does.
 */
import MagicString from 'magic-string';

/**
 * Terser for the bundles; internal `_x` properties are mangled, as in web-vitals. Where
 * `debug` is off, `log` is a no-op (src/debug.ts) and its calls go too. `inline: 1` inlines
 * only simple functions, not those with arguments (terser's levels 2 and 3): inlining a
 * single-use function with arguments leaves an IIFE or an injected `var` behind, which
 * weighs more than the call (3 B gzip off each script-tag bundle when measured). `passes`
 * 2 and 4, `hoist_funs`, `unsafe` and `unsafe_comps` were measured too: bigger or no
 * smaller, or not safe for this code (`unsafe` turns `String(x)` into `'' + x`, which
 * throws on a Symbol; `unsafe_comps` assumes no NaN, which formatAmount relies on).
 * @param {boolean} module @param {boolean} [debug]
 * @returns {import('terser').MinifyOptions}
 */
export const terserOptions = (module, debug = true) => ({
  module,
  ecma: 2020,
  compress: { passes: 3, inline: 1, unsafe_arrows: true, pure_getters: true, pure_funcs: debug ? [] : ['log'] },
  mangle: { properties: { regex: /^_/ } },
  format: { comments: false },
});

/**
 * `!(()=>{…})()` rather than `(()=>{…})()`: concatenated after a script without a trailing
 * semicolon, a leading `(` would call that script's last value (js-cookie tests the same).
 * @returns {import('rollup').Plugin}
 */
export const bang = () => ({
  name: 'bang',
  renderChunk(code) {
    const out = new MagicString(code).prepend('!');
    return { code: out.toString(), map: out.generateMap({ hires: true }) };
  },
});
