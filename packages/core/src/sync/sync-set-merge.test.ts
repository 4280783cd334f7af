// Labels and assignees merge element-wise against the sync base: an addition or removal on
// either side survives (issue 12 item 3).
import { describe, expect, it } from 'vitest';
import { type CanonicalIssue, cloneIssue } from '../model/issue';
import { ConflictStrategy } from '../policy/conflicts';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import type { IssueStore } from '../store/issue-store';
import { SyncEngine, type SyncEngineOptions } from './sync-engine';
import { mergeMembers } from './sync-set-merge';
import { counting } from './test-support/counting-connector';
import { FakeTracker } from './test-support/fake-tracker';
import { at, issue, noSleep, plainStore, ref } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
const KEY = 'memory:demo:T-1';

describe('mergeMembers', () => {
  it('keeps every addition and drops every removal of either side', () => {
    expect(mergeMembers(['b', 'c', 'x'], ['a', 'c', 'y'], ['a', 'b', 'c'])).toEqual(['c', 'x', 'y']);
  });

  it('keeps an element both sides added once, and drops one both sides removed', () => {
    expect(mergeMembers(['n', 'k'], ['k', 'n'], ['k', 'gone'])).toEqual(['n', 'k']);
    expect(mergeMembers([], [], ['a'])).toEqual([]);
  });
});

async function world(options: Partial<SyncEngineOptions> = {}, store: IssueStore = new InMemoryIssueStore()) {
  const tracker = new FakeTracker();
  tracker.seed(
    issue('T-1', {
      labels: ['bug', 'ui', 'p1'],
      assignees: ['ann', 'bob'],
      updatedAt: at('2026-01-01T00:00:00Z'),
    }),
  );
  const connector = counting(tracker);
  const engine = new SyncEngine({ connector, store, policy: shared, sleep: noSleep, ...options });
  await engine.sync();
  const editLocal = async (changes: Partial<CanonicalIssue>) => {
    const local = (await store.getIssue(ref('T-1'))) as CanonicalIssue;
    await store.upsertIssue(cloneIssue(local, { ...changes, updatedAt: at('2026-03-01T00:00:00Z') }));
  };
  /** Local drops `ui` and adds `local`; a colleague later drops `p1` and adds `remote` on the tracker. */
  const editBothSides = async () => {
    await editLocal({ labels: ['bug', 'p1', 'local'], assignees: ['ann', 'bob', 'cat'] });
    tracker.edit(ref('T-1'), { labels: ['bug', 'ui', 'remote'], assignees: ['bob'] });
  };
  return { tracker, connector, store, engine, editBothSides };
}

describe('three-way set merge', () => {
  for (const strategy of [ConflictStrategy.NEWER_TIMESTAMP, ConflictStrategy.MANUAL_REVIEW]) {
    it(`keeps both sides' additions and removals without a conflict (${strategy})`, async () => {
      const { tracker, connector, store, engine, editBothSides } = await world({ strategy });
      await editBothSides();
      const result = await engine.sync();
      expect(result.conflicts).toEqual([]);
      expect(result.discarded).toEqual([]);
      const local = await store.getIssue(ref('T-1'));
      expect(local?.labels).toEqual(['bug', 'local', 'remote']);
      expect(local?.assignees).toEqual(['bob', 'cat']);
      expect(tracker.issues.get(KEY)).toMatchObject({
        labels: ['bug', 'local', 'remote'],
        assignees: ['bob', 'cat'],
      });
      // Converged: the next sync writes nothing.
      connector.reset();
      const again = await engine.sync();
      expect(again.conflicts).toEqual([]);
      expect(connector.writes()).toBe(0);
    });
  }

  it('merges in plan() exactly as the run does', async () => {
    const { engine, editBothSides } = await world();
    await editBothSides();
    const plan = await engine.plan();
    const patches = plan.writes.flatMap((write) =>
      write.target === 'remote' && write.action === 'update' ? [write.patch] : [],
    );
    expect(patches).toEqual([{ assignees: ['bob', 'cat'], labels: ['bug', 'local', 'remote'] }]);
  });

  it('still lets the owner decide an owned set field, and lists the dropped local additions', async () => {
    const policy = OwnershipPolicy.split({
      fieldOwners: { labels: FieldOwner.EXTERNAL },
      defaultOwner: FieldOwner.SHARED,
    });
    const { tracker, store, engine, editBothSides } = await world({ policy });
    await editBothSides();
    const result = await engine.sync();
    expect((await store.getIssue(ref('T-1')))?.labels).toEqual(['bug', 'ui', 'remote']);
    expect(tracker.issues.get(KEY)?.labels).toEqual(['bug', 'ui', 'remote']);
    expect(result.discarded).toEqual([
      {
        issueRef: ref('T-1'),
        fieldName: 'labels',
        localValue: ['bug', 'p1', 'local'],
        keptValue: ['bug', 'ui', 'remote'],
        reason: 'ownership',
      },
    ]);
  });

  it('without a base resolves the list whole, as the original', async () => {
    const { tracker, engine, editBothSides } = await world({}, plainStore());
    await editBothSides();
    const result = await engine.sync();
    expect(result.conflicts.map((conflict) => conflict.fieldName)).toEqual(['assignees', 'labels']);
    // newer_timestamp: the tracker's copy is newer, so the whole tracker list wins.
    expect(tracker.issues.get(KEY)?.labels).toEqual(['bug', 'ui', 'remote']);
  });
});
