import { randomUUID } from 'node:crypto';
import { runIssueStoreConformance } from '@spec-kitty/connector-testkit';
import { afterAll, beforeAll } from 'vitest';
import type { PostgresStore } from './postgres-store';
import { openTestStore } from './test-support';

// The suite every IssueStore runs; each test gets a new scope of one shared schema, which also
// shows scopes are isolated (a fresh scope starts empty beside the others' rows).
let opened: Awaited<ReturnType<typeof openTestStore>>;
let store: PostgresStore;
beforeAll(async () => {
  opened = await openTestStore('conformance');
  store = opened.store;
});
afterAll(async () => {
  await opened.drop();
});

runIssueStoreConformance({
  name: 'PostgresIssueStore',
  requireSyncBase: true,
  requireCheckpoints: true,
  factory: () => ({ store: store.scope(`binding-${randomUUID()}`) }),
});

runIssueStoreConformance({
  name: 'PostgresIssueStore (page transactions staging)',
  requireSyncBase: true,
  requireCheckpoints: true,
  factory: () => {
    const scoped = store.scope(`binding-${randomUUID()}`);
    // Writes stay staged (reads must see them) until the checkpoint or a listing commits them.
    scoped.beginPage();
    return { store: scoped };
  },
});
