import { defineLibraryConfig } from '@spec-kitty/tsup-config';

export default defineLibraryConfig({ entry: { index: 'src/index.ts', process: 'src/process/index.ts' } });
