import { defineLibraryConfig } from '@spec-kitty/tsup-config';

export default defineLibraryConfig({
  entry: { index: 'src/index.ts', 'fake-server': 'src/fake-server/index.ts' },
  external: ['vitest'],
});
