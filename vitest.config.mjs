import { defineConfig } from 'vitest/config';
import { defines } from './scripts/features.mjs';

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
  'relay',
  'delivery',
  'outbox',
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
    // Every e2e test runs dist/: fail at once when it is older than the source.
    globalSetup: ['test/e2e/support/fresh-dist.ts'],
  },
});

export default defineConfig({
  // The npm builds' values of the build-time flags (src/globals.d.ts, scripts/features.mjs).
  define: defines({ debug: true }),
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
      // The collector's suite runs on both of its stores: the embedded SQLite, and a real
      // PostgreSQL server started for the run (scripts/ensure-postgres.mjs).
      {
        extends: true,
        test: {
          name: 'collector',
          include: ['collector/test/**/*.test.js'],
          exclude: ['collector/test/**/*.postgres.test.js'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'collector-postgres',
          include: ['collector/test/**/*.test.js'],
          // Nothing store-specific in these: once, on SQLite, is enough.
          exclude: ['collector/test/{cli,static,clickIds,demo.e2e}.test.js'],
          environment: 'node',
          env: { POSTCLICK_TEST_STORE: 'postgres' },
          globalSetup: ['collector/test/setup/postgres.js'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      e2e('e2e', 'chromium', ['test/e2e/**/*.test.ts']),
      e2e('e2e-firefox', 'firefox', EVERY_ENGINE),
      e2e('e2e-webkit', 'webkit', EVERY_ENGINE),
    ],
  },
});
