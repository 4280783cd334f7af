// Better than the original: a no-op sync costs O(1) connector calls whatever N, push after pull
// never re-lists the remote, and push-then-pull / pull-then-push are no-ops (no echo).
import { describe, expect, it } from 'vitest';
import { type CanonicalIssue, cloneIssue } from '../model/issue';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { counting } from './test-support/counting-connector';
import { FakeTracker } from './test-support/fake-tracker';
import { issue, ref } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

/** Counts store writes: issues and bases in `writes`, checkpoints apart. */
class CountingStore extends InMemoryIssueStore {
  writes = 0;
  checkpointWrites = 0;
  override async upsertIssue(value: CanonicalIssue): Promise<void> {
    this.writes += 1;
    return super.upsertIssue(value);
  }
  override async putSyncBase(value: CanonicalIssue): Promise<void> {
    this.writes += 1;
    return super.putSyncBase(value);
  }
  override async putCheckpoint(...args: Parameters<InMemoryIssueStore['putCheckpoint']>): Promise<void> {
    this.checkpointWrites += 1;
    return super.putCheckpoint(...args);
  }
}

function world(size: number) {
  const tracker = new FakeTracker({ filterBeforePaging: true });
  const start = Date.UTC(2026, 0, 1);
  for (let index = 0; index < size; index++) {
    const id = `I-${String(index).padStart(6, '0')}`;
    tracker.seed(issue(id, { updatedAt: new Date(start + index * 1000) }));
  }
  const connector = counting(tracker);
  const store = new CountingStore();
  const engine = new SyncEngine({ connector, store, policy: shared });
  return { tracker, connector, store, engine };
}

describe('no-op sync at N = 10,000', () => {
  it('makes one list call, zero writes on either side', async () => {
    const { connector, store, engine } = world(10_000);
    const first = await engine.sync();
    expect(first.stats.pulledCreated).toBe(10_000);
    // The first sync walks the remote once; push reuses what the pull saw (no second listing).
    expect(connector.calls).toEqual({ listIssues: 100, getCapabilities: 1 });
    connector.reset();
    store.writes = 0;
    store.checkpointWrites = 0;
    const before = await store.listIssues();
    const result = await engine.sync();
    // getCapabilities answers locally: it names the connector's maxPageSize, the run's page size.
    expect(connector.calls).toEqual({ listIssues: 1, getCapabilities: 1 });
    expect(connector.writes()).toBe(0);
    expect(store.writes).toBe(0);
    expect(store.checkpointWrites).toBe(0);
    expect(result.conflicts).toEqual([]);
    expect(result.stats).toEqual({
      pulledCreated: 0,
      pulledUpdated: 0,
      pushedCreated: 0,
      pushedUpdated: 0,
      skipped: 1,
      tombstoned: 0,
      closedRemote: 0,
    });
    expect(await store.listIssues()).toEqual(before);
  });

  it('a new engine on the same store resumes from the persisted checkpoint (still one call)', async () => {
    const { connector, store, engine } = world(2_000);
    await engine.sync();
    connector.reset();
    await new SyncEngine({ connector, store, policy: shared }).sync();
    expect(connector.calls).toEqual({ listIssues: 1, getCapabilities: 1 });
  });

  it('pushes only what changed, fetching remote state per dirty issue instead of re-listing', async () => {
    const { tracker, connector, store, engine } = world(10_000);
    await engine.sync();
    for (const id of ['I-000003', 'I-000500', 'I-009999']) {
      const local = (await store.getIssue(ref(id))) as CanonicalIssue;
      await store.upsertIssue(cloneIssue(local, { labels: ['edited'] }));
    }
    tracker.edit(ref('I-000007'), { title: 'remote edit' });
    connector.reset();
    const result = await engine.sync();
    expect(result.stats).toMatchObject({ pulledUpdated: 1, pushedUpdated: 3 });
    // One page of changes; I-009999 was re-delivered by the watermark and reused, two lookups.
    expect(connector.calls).toEqual({ listIssues: 1, getCapabilities: 1, getIssue: 2, updateIssue: 3 });
  });
});

describe('echo freedom', () => {
  it('push then pull is a no-op', async () => {
    const { tracker, connector, store, engine } = world(50);
    await engine.sync();
    const local = (await store.getIssue(ref('I-000010'))) as CanonicalIssue;
    await store.upsertIssue(cloneIssue(local, { title: 'changed here' }));
    await store.upsertIssue(issue('NEW-1'));
    const pushed = await engine.push();
    expect(pushed.stats).toMatchObject({ pushedUpdated: 1, pushedCreated: 1 });
    expect(tracker.issues.get('memory:demo:I-000010')?.title).toBe('changed here');
    connector.reset();
    store.writes = 0;
    const before = await store.listIssues();
    const pulled = await engine.pull();
    expect(pulled.conflicts).toEqual([]);
    expect(pulled.stats.pulledUpdated + pulled.stats.pulledCreated).toBe(0);
    // No issue or base is rewritten; only the watermark moves past the engine's own writes.
    expect(store.writes).toBe(0);
    expect(await store.listIssues()).toEqual(before);
    expect(connector.writes()).toBe(0);
  });

  it('pull then push is a no-op', async () => {
    const { tracker, connector, store, engine } = world(50);
    await engine.sync();
    tracker.edit(ref('I-000020'), { body: 'remote body' });
    tracker.seed(issue('R-NEW', { updatedAt: new Date(Date.UTC(2030, 0, 1)) }));
    const pulled = await engine.pull();
    expect(pulled.stats).toMatchObject({ pulledUpdated: 1, pulledCreated: 1 });
    connector.reset();
    store.writes = 0;
    const before = await store.listIssues();
    const pushed = await engine.push();
    expect(connector.calls).toEqual({});
    expect(pushed.conflicts).toEqual([]);
    expect(store.writes).toBe(0);
    expect(await store.listIssues()).toEqual(before);
  });
});

describe('unsynced listing', () => {
  it('InMemoryIssueStore lists only issues off their base, with the system total', async () => {
    const { store, engine } = world(20);
    await store.upsertIssue(issue('LOCAL-1'));
    expect(await store.listUnsyncedIssues({ system: 'memory' })).toMatchObject({ total: 1 });
    await engine.sync();
    expect(await store.listUnsyncedIssues({ system: 'memory' })).toEqual({ unsynced: [], total: 21 });
    const local = (await store.getIssue(ref('I-000004'))) as CanonicalIssue;
    await store.upsertIssue(cloneIssue(local, { title: 'edited' }));
    const { unsynced } = await store.listUnsyncedIssues({ system: 'memory' });
    expect(unsynced.map(({ issue: item, base }) => [item.title, base?.title])).toEqual([
      ['edited', 'Issue I-000004'],
    ]);
    await store.putSyncBase((await store.getIssue(ref('I-000004'))) as CanonicalIssue);
    await store.deleteSyncBase(ref('I-000009'));
    await store.deleteIssue(ref('LOCAL-1'));
    const after = await store.listUnsyncedIssues({ system: 'memory' });
    expect(after.unsynced.map(({ issue: item, base }) => [item.ref.id, base])).toEqual([['I-000009', null]]);
    expect(after.total).toBe(20);
    expect(await store.listUnsyncedIssues({ system: 'jira' })).toEqual({ unsynced: [], total: 0 });
  });
});
