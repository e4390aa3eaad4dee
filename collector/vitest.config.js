// For `npm test` inside collector/ (the root config runs the same files as its `collector`
// and `collector-postgres` projects): the suite on SQLite, then on a real PostgreSQL server.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'collector',
          include: ['test/**/*.test.js'],
          exclude: ['test/**/*.postgres.test.js'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'collector-postgres',
          include: ['test/**/*.test.js'],
          exclude: ['test/{cli,static,clickIds,demo.e2e}.test.js'],
          environment: 'node',
          env: { POSTCLICK_TEST_STORE: 'postgres' },
          globalSetup: ['test/setup/postgres.js'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
