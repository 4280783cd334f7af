import { join } from 'node:path';
import { runIssueStoreConformance } from '@spec-kitty/connector-testkit';
import { SqliteIssueStore } from './sqlite-issue-store';
import { tempDir } from './test-support';

// The same suite InMemoryIssueStore runs, on a file database and on `:memory:`.
runIssueStoreConformance({
  name: 'SqliteIssueStore (file)',
  requireSyncBase: true,
  requireCheckpoints: true,
  requireTombstones: true,
  factory: () => {
    const { dir, cleanup } = tempDir();
    const store = SqliteIssueStore.open(join(dir, 'conformance.db'));
    return {
      store,
      cleanup: () => {
        store.close();
        cleanup();
      },
    };
  },
});

runIssueStoreConformance({
  name: 'SqliteIssueStore (:memory:)',
  requireSyncBase: true,
  requireCheckpoints: true,
  requireTombstones: true,
  factory: () => {
    const store = SqliteIssueStore.open(':memory:');
    return { store, cleanup: () => store.close() };
  },
});
