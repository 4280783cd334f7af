import { defineLibraryConfig } from '@spec-kitty/tsup-config';

export default defineLibraryConfig({
  entry: {
    index: 'src/index.ts',
    http: 'src/http/index.ts',
    internal: 'src/internal/index.ts',
    process: 'src/process/index.ts',
    store: 'src/store/index.ts',
    webhooks: 'src/webhooks/index.ts',
    'workspace-discovery': 'src/deprecated/workspace-discovery.ts',
    'resource-discovery': 'src/deprecated/resource-discovery.ts',
  },
});
