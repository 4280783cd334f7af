import { randomUUID } from 'node:crypto';
import { runIssueStoreConformance } from '@spec-kitty/connector-testkit';
import { afterAll, beforeAll, expect } from 'vitest';
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
  requireTombstones: true,
  factory: () => ({ store: store.scope(`binding-${randomUUID()}`) }),
});

runIssueStoreConformance({
  name: 'PostgresIssueStore (inside one open batch)',
  requireSyncBase: true,
  requireCheckpoints: true,
  requireTombstones: true,
  factory: () => {
    const scoped = store.scope(`binding-${randomUUID()}`);
    // The whole test runs in one batch: reads must see its staged writes (point reads from
    // memory, listings through the batch's open transaction); cleanup commits it.
    let finish: () => void = () => undefined;
    const open = scoped.batch(() => new Promise<void>((resolve) => (finish = resolve)));
    return {
      store: scoped,
      cleanup: async () => {
        expect(scoped.inBatch).toBe(true);
        finish();
        await open;
      },
    };
  },
});
