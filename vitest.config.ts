import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Files that must run alone (test/serial.json says why); scripts/test runs them in the serial tier.
const serial: string[] = JSON.parse(
  readFileSync(new URL('./test/serial.json', import.meta.url), 'utf8'),
).files;

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // test/faults kills and stops the shared broker and store: scripts/test runs it alone, serially,
    // with the timing-sensitive files of test/serial.json (SLUICE_FAULTS=1 selects that tier).
    exclude: [
      'node_modules/**',
      '.run/**',
      ...(process.env.SLUICE_FAULTS ? [] : ['test/faults/**', ...serial]),
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: integration files share one broker and one store.
    maxWorkers: process.env.SLUICE_FAULTS ? 1 : 2,
    fileParallelism: !process.env.SLUICE_FAULTS,
    reporters: ['default'],
  },
});
