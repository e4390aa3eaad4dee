import { defineConfig } from 'vitest/config';
import { defines } from './scripts/features.mjs';

// Three projects: pure logic in happy-dom, the collector over real HTTP, and real Chromium
// against the built bundles. `npm test` runs them all.
export default defineConfig({
  // The npm builds' values of the build-time flags (src/globals.d.ts, scripts/features.mjs).
  define: defines({ debug: true }),
  test: {
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
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // One Chromium at a time on a 2-core machine keeps timing-sensitive cases honest.
          fileParallelism: false,
          // Every e2e test runs dist/: fail at once when it is older than the source.
          globalSetup: ['test/e2e/support/fresh-dist.ts'],
        },
      },
    ],
  },
});
