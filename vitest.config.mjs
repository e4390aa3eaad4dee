import { defineConfig } from 'vitest/config';

// Three projects: pure logic in happy-dom, the collector over real HTTP, and real Chromium
// against the built bundles. `npm test` runs them all.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
      {
        test: {
          name: 'collector',
          include: ['collector/test/**/*.test.js'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // One Chromium at a time on a 2-core machine keeps timing-sensitive cases honest.
          fileParallelism: false,
        },
      },
    ],
  },
});
