// One preset for every published package, so a later move to tsdown touches one file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @param {{ entry: string[] | Record<string, string>, external?: string[] }} options */
export function defineLibraryConfig(options) {
  const manifest = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
  return {
    entry: options.entry,
    format: ['esm'],
    // Package tsconfigs are composite (for the root `tsc -b` solution); the declaration bundler is not.
    dts: { compilerOptions: { composite: false, incremental: false } },
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: true,
    treeshake: true,
    external: options.external ?? [],
    define: {
      __PACKAGE_NAME__: JSON.stringify(manifest.name),
      __PACKAGE_VERSION__: JSON.stringify(manifest.version),
    },
  };
}
