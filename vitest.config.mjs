import { defineConfig } from 'vitest/config';

// Pure logic in happy-dom, the collector over real HTTP, and real browsers against the built
// bundles: Chromium runs every browser test (project `e2e`); Firefox and WebKit run the
// files where money is made or lost (`e2e-firefox`, `e2e-webkit`). A test one of them cannot
// do says so through test/e2e/support/engines.ts. `npm test` runs them all.

/** The browser tests that run in every engine: a shopper's path from click to conversion. */
const EVERY_ENGINE = [
  'capture',
  'conversion',
  'exactly-once',
  'hostile-storage',
  'hostile-pages',
  'debug',
  'harness',
  'cookie-domain',
].map((name) => `test/e2e/${name}.test.ts`);

const e2e = (name, engine, include) => ({
  extends: true,
  test: {
    name,
    include,
    environment: 'node',
    env: { POSTCLICK_ENGINE: engine },
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // After unit and collector: the two-build reproducibility test timed out (180 s) beside
    // three browsers on a loaded 2-core machine.
    sequence: { groupOrder: 1 },
  },
});

export default defineConfig({
  // The npm builds' value of the build-time flag (src/globals.d.ts).
  define: { __DEBUG__: 'true' },
  test: {
    // Three files at once, of any project: three browsers at most, of one engine or of
    // several. Vitest's default on 2 cores is one; and projects limited to one worker each
    // (fileParallelism: false) share a single queue, one file at a time across all three
    // engines. The tests wait for conditions, not fixed times, so they hold under the load.
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
      {
        extends: true,
        test: {
          name: 'collector',
          include: ['collector/test/**/*.test.js'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      e2e('e2e', 'chromium', ['test/e2e/**/*.test.ts']),
      e2e('e2e-firefox', 'firefox', EVERY_ENGINE),
      e2e('e2e-webkit', 'webkit', EVERY_ENGINE),
    ],
  },
});
