import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The JSON report feeds the monorepo's one-line test summary; a standalone package can drop it.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
});
