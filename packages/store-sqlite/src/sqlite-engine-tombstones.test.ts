// The engine's deletions end to end on a SQLite file: remote tombstones recorded, local
// deletions pushed as `canceled`, and both still there after reopening the store.
import { join } from 'node:path';
import { InMemoryConnector } from '@spec-kitty/connector-memory';
import {
  CanonicalIssueType,
  CanonicalStatus,
  cloneIssue,
  createIssue,
  createRef,
  createTombstone,
  FieldOwner,
  OwnershipPolicy,
  SyncEngine,
} from '@spec-kitty/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';
import { tempDir } from './test-support';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

const ref = (id: string) => createRef({ system: 'memory', workspace: 'team', id });
const issue = (id: string) =>
  createIssue({
    ref: ref(id),
    title: `Issue ${id}`,
    status: CanonicalStatus.TODO,
    issueType: CanonicalIssueType.TASK,
    updatedAt: new Date('2026-01-01T00:00:00.000Z'),
  });

describe('SyncEngine deletions on a SQLite store', () => {
  it('records a remote deletion, never pushes the gone issue, and closes a local deletion as canceled', async () => {
    const path = join(dir, 'engine.db');
    const connector = new InMemoryConnector({ name: 'memory', workspace: 'team' });
    for (const id of ['1', '2', '3']) connector.seed(issue(id));
    const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

    let store = SqliteIssueStore.open(path);
    await new SyncEngine({ connector, store, policy }).sync();
    expect(await store.countIssues()).toBe(3);

    // Issue 1 is deleted on the tracker after a local edit; issue 2 is deleted locally.
    connector.remove(ref('1'));
    await store.upsertIssue(cloneIssue((await store.getIssue(ref('1')))!, { title: 'edited locally' }));
    await store.putTombstone({
      ...createTombstone({ ref: ref('2'), reason: 'deleted' }),
      origin: 'local',
      pushed: false,
    });
    const result = await new SyncEngine({ connector, store, policy }).sync();
    expect(result.failures).toEqual([]);
    expect(result.tombstones.map((tombstone) => tombstone.ref.id)).toEqual(['1']);
    expect(result.closedRemote.map((closed) => closed.id)).toEqual(['2']);
    expect((await connector.getIssue(ref('2'))).status).toBe(CanonicalStatus.CANCELED);
    store.close();

    store = SqliteIssueStore.open(path);
    try {
      expect(await store.getTombstone(ref('1'))).toMatchObject({
        origin: 'remote',
        pushed: true,
        reason: 'deleted',
      });
      expect(await store.getTombstone(ref('2'))).toMatchObject({ origin: 'local', pushed: true });
      // Never a silent delete: the rows stay, the local edit of the gone issue too.
      expect((await store.getIssue(ref('1')))?.title).toBe('edited locally');
      expect(await store.countIssues()).toBe(3);
      expect((await store.listUnsyncedIssues({ system: 'memory' })).unsynced).toEqual([]);
      // A third run has nothing left to record or close.
      const again = await new SyncEngine({ connector, store, policy }).sync();
      expect(again.tombstones).toEqual([]);
      expect(again.closedRemote).toEqual([]);
      expect(again.failures).toEqual([]);
    } finally {
      store.close();
    }
  });
});
