import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.run/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: integration files share one broker and one store.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
