// `npm run build:spa`: the SPA example, bundled the way an app that installed postclick
// would bundle it. `postclick` resolves through the package's `exports` map (a package may
// import itself by name), not by a path into dist/.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';

export default {
  input: 'examples/spa/src/app.js',
  output: { file: 'examples/spa/dist/app.js', format: 'es' },
  plugins: [
    // React's development build: it is the one where StrictMode mounts twice, which is what
    // this example shows postclick surviving. It is not minified, for the same reason.
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('development') } }),
    nodeResolve({ browser: true }),
    commonjs(),
  ],
};
