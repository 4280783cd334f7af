import { defineLibraryConfig } from '@spec-kitty/tsup-config';

export default defineLibraryConfig({ entry: { index: 'src/index.ts' }, external: ['pg', 'pg-boss'] });
