// With sync bases, the pull keeps for the push only the remote copies the push may need (issue
// 16): those of issues off their base before the pull, or left off it by the merge. Nothing else
// is kept, so a cold sync of 100,000 issues holds no second map of them. The push must still find
// every copy it needs without extra reads, and must never take an issue the pull saw but did not
// keep (edited locally after the pull read it) for one the tracker lacks.
import { describe, expect, it } from 'vitest';
import { cloneIssue } from '../model/issue';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import type { ListIssuesQuery } from '../protocol/connector';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { counting } from './test-support/counting-connector';
import { FakeTracker } from './test-support/fake-tracker';
import { issue, ref } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

/** A synced world: every issue pulled once, then engines that walk the whole tracker each sync. */
async function synced(ids: readonly string[], policy = shared) {
  const tracker = new FakeTracker();
  for (const id of ids) tracker.seed(issue(id, { updatedAt: new Date(Date.UTC(2026, 0, 1)) }));
  const connector = counting(tracker);
  const store = new InMemoryIssueStore();
  await new SyncEngine({ connector, store, policy, persistCheckpoints: false }).sync();
  connector.reset();
  // No persisted checkpoint: each new engine's pull walks everything (it sees the whole remote).
  const fullSync = (limit?: number) =>
    new SyncEngine({ connector, store, policy, persistCheckpoints: false }).sync({ limit });
  return { tracker, connector, store, fullSync };
}

const reads = (calls: Record<string, number>) => (calls.getIssue ?? 0) + (calls.getIssues ?? 0);

describe('what the pull keeps for the push', () => {
  it('a local edit: the push updates it from the copy the pull kept, with no read', async () => {
    const { tracker, connector, store, fullSync } = await synced(['A', 'B', 'C']);
    const local = await store.getIssue(ref('B'));
    await store.upsertIssue(cloneIssue(local ?? issue('B'), { title: 'edited locally' }));
    const result = await fullSync();
    expect(result.stats.pushedUpdated).toBe(1);
    expect(reads(connector.calls)).toBe(0);
    expect(connector.calls.createIssue).toBeUndefined();
    expect(tracker.issues.get('memory:demo:B')?.title).toBe('edited locally');
  });

  it('a never-synced local issue the whole walk did not see is created, with no read', async () => {
    const { connector, store, fullSync } = await synced(['A', 'B']);
    await store.upsertIssue(issue('LOCAL-1', { title: 'only here' }));
    const result = await fullSync();
    expect(result.stats.pushedCreated).toBe(1);
    expect(reads(connector.calls)).toBe(0);
  });

  it('an issue the merge left off its base (a locally owned field) is pushed from the kept copy', async () => {
    const owned = OwnershipPolicy.split({
      fieldOwners: { title: FieldOwner.LOCAL },
      defaultOwner: FieldOwner.SHARED,
    });
    const { tracker, connector, store, fullSync } = await synced(['A', 'B'], owned);
    // The tracker changes a field the local side owns: the pull keeps the local title, so the
    // issue is off its new base and the push writes the local title back.
    const remote = tracker.issues.get('memory:demo:A');
    tracker.seed(
      cloneIssue(remote ?? issue('A'), { title: 'renamed on the tracker', updatedAt: new Date() }),
    );
    const result = await fullSync();
    expect(result.stats.pushedUpdated).toBe(1);
    expect(reads(connector.calls)).toBe(0);
    expect(tracker.issues.get('memory:demo:A')?.title).toBe(remote?.title);
    expect((await store.getIssue(ref('A')))?.title).toBe(remote?.title);
  });

  it('an issue edited locally after the pull read it is read again, not taken as gone or new', async () => {
    const { tracker, connector, store, fullSync } = await synced(['A', 'B', 'C', 'D']);
    // Pages of one issue; the pull reads a page ahead, so by the third listing call it has
    // merged A (synced, so not kept). The host edits A then, while the pull goes on.
    const listIssues = tracker.listIssues.bind(tracker);
    let listings = 0;
    tracker.listIssues = async (query: ListIssuesQuery) => {
      listings += 1;
      if (listings === 3) {
        const local = await store.getIssue(ref('A'));
        await store.upsertIssue(cloneIssue(local ?? issue('A'), { title: 'edited during the pull' }));
      }
      return listIssues(query);
    };
    const result = await fullSync(1);
    expect(result.failures).toEqual([]);
    expect(result.tombstones).toEqual([]);
    expect(connector.calls.createIssue).toBeUndefined();
    expect(result.stats.pushedUpdated).toBe(1);
    expect(reads(connector.calls)).toBe(1);
    expect(tracker.issues.get('memory:demo:A')?.title).toBe('edited during the pull');
    expect(tracker.issues.size).toBe(4);
  });
});
