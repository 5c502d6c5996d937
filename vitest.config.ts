import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // test/faults kills and stops the shared broker and store: scripts/test runs it alone, serially.
    exclude: ['node_modules/**', '.run/**', ...(process.env.SLUICE_FAULTS ? [] : ['test/faults/**'])],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: integration files share one broker and one store.
    maxWorkers: process.env.SLUICE_FAULTS ? 1 : 2,
    fileParallelism: !process.env.SLUICE_FAULTS,
    reporters: ['default'],
  },
});
