// Better than the original: labels and assignees are sets to a tracker like Linear or GitHub, which
// return them in their own order. An order-only difference must not re-push, re-write or conflict.
import { describe, expect, it } from 'vitest';
import type { CanonicalIssue } from '../model/issue';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { syncFieldEqual } from './sync-merge';
import { counting } from './test-support/counting-connector';
import { FakeTracker } from './test-support/fake-tracker';
import { at, issue, ref } from './test-support/fixtures';

/** A tracker that, like Linear, hands labels and assignees back sorted whatever order they were written in. */
class ReorderingTracker extends FakeTracker {
  #sorted(item: CanonicalIssue): CanonicalIssue {
    return { ...item, labels: [...item.labels].sort(), assignees: [...item.assignees].sort() };
  }
  override async getIssue(target: Parameters<FakeTracker['getIssue']>[0]) {
    return this.#sorted(await super.getIssue(target));
  }
  override async listIssues(query: Parameters<FakeTracker['listIssues']>[0]) {
    const page = await super.listIssues(query);
    return { ...page, items: page.items.map((item) => this.#sorted(item)) };
  }
  override async createIssue(...args: Parameters<FakeTracker['createIssue']>) {
    return this.#sorted(await super.createIssue(...args));
  }
  override async updateIssue(...args: Parameters<FakeTracker['updateIssue']>) {
    return this.#sorted(await super.updateIssue(...args));
  }
}

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

describe('unordered fields', () => {
  it('compares labels and assignees as sets, other lists in order', () => {
    const left = issue('A', { labels: ['b', 'a'], assignees: ['y', 'x'] });
    const right = issue('A', { labels: ['a', 'b'], assignees: ['x', 'y'] });
    expect(syncFieldEqual('labels', left, right)).toBe(true);
    expect(syncFieldEqual('assignees', left, right)).toBe(true);
    expect(syncFieldEqual('labels', left, issue('A', { labels: ['a', 'a'] }))).toBe(false);
    expect(syncFieldEqual('labels', left, issue('A', { labels: ['a', 'b', 'c'] }))).toBe(false);
  });

  it('converges without writes or conflicts when the tracker reorders labels', async () => {
    const tracker = counting(new ReorderingTracker());
    const store = new InMemoryIssueStore();
    await store.upsertIssue(issue('L-1', { labels: ['alpha'], updatedAt: at('2026-01-01T00:00:00Z') }));
    const engine = new SyncEngine({ connector: tracker, store, policy: shared });
    expect((await engine.sync()).stats.pushedCreated).toBe(1);
    // A local edit in an order the tracker will not keep.
    const local = await store.getIssue(ref('L-1'));
    await store.upsertIssue({
      ...local!,
      labels: ['zeta', 'alpha'],
      assignees: ['zoe', 'adam'],
      updatedAt: at('2030-01-01T00:00:00Z'),
    });
    const pushed = await engine.sync();
    expect(pushed.stats.pushedUpdated).toBe(1);
    expect(pushed.conflicts).toEqual([]);
    for (let round = 0; round < 3; round++) {
      tracker.reset();
      const again = await engine.sync();
      expect(again.conflicts).toEqual([]);
      expect(tracker.writes()).toBe(0);
      expect(again.stats.pushedUpdated + again.stats.pulledUpdated).toBe(0);
    }
    expect([...((await store.getIssue(ref('L-1')))?.labels ?? [])].sort()).toEqual(['alpha', 'zeta']);
  });

  it('still pushes a real label change', async () => {
    const tracker = new ReorderingTracker();
    const store = new InMemoryIssueStore();
    await store.upsertIssue(issue('L-2', { labels: ['b', 'a'], updatedAt: at('2026-01-01T00:00:00Z') }));
    const engine = new SyncEngine({ connector: tracker, store, policy: shared });
    await engine.sync();
    const local = await store.getIssue(ref('L-2'));
    await store.upsertIssue({ ...local!, labels: ['c', 'b', 'a'], updatedAt: at('2030-01-01T00:00:00Z') });
    const result = await engine.sync();
    expect(result.stats.pushedUpdated).toBe(1);
    expect([...(tracker.issues.get('memory:demo:L-2')?.labels ?? [])].sort()).toEqual(['a', 'b', 'c']);
  });
});
