import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/** @param {{ include?: string[], testTimeout?: number, setupFiles?: string[] }} [options] */
export function definePackageTestConfig(options = {}) {
  const manifest = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
  return defineConfig({
    define: {
      __PACKAGE_NAME__: JSON.stringify(manifest.name),
      __PACKAGE_VERSION__: JSON.stringify(manifest.version),
    },
    test: {
      environment: 'node',
      include: options.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      restoreMocks: true,
      clearMocks: true,
      testTimeout: options.testTimeout ?? 60_000,
      setupFiles: options.setupFiles ?? [],
      // The JSON report feeds scripts/test-summary.mjs (one closing line for the whole repo).
      reporters: ['default', 'json'],
      outputFile: { json: '.vitest-report.json' },
    },
  });
}
