// For `npm test` inside collector/ (the root config runs the same files as its `collector` project).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'collector',
    include: ['test/**/*.test.js'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
