import { defineLibraryConfig } from '@spec-kitty/tsup-config';

// Dependencies (core, store, connector packages) stay external; connectors load by name at run time.
export default defineLibraryConfig({ entry: { index: 'src/index.ts', bin: 'src/bin.ts' } });
