// The engine benchmark's scenarios (bench/engine-scenario.ts) at a test size, with their call
// counts and end states as assertions (no timings), plus the sharing that keeps memory down.
import { describe, expect, it } from 'vitest';
import { CanonicalIssueType, CanonicalStatus } from '../model/enums';
import { createRef } from '../model/external-ref';
import { type CanonicalIssue, cloneIssue, createIssue } from '../model/issue';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { SyncEngine } from '../sync/sync-engine';
import { counting } from '../sync/test-support/counting-connector';
import { FakeTracker } from '../sync/test-support/fake-tracker';
import { InMemoryIssueStore } from './in-memory-issue-store';
import type { IssueStore } from './issue-store';

const N = 1000;
const PAGE = 100;
const PAGES = N / PAGE;
/** As the benchmark: an explicit page size, so counts do not depend on a declared maximum. */
const page = { limit: PAGE };
const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

function issues(): CanonicalIssue[] {
  return Array.from({ length: N }, (_, index) =>
    createIssue({
      ref: createRef({ system: 'memory', workspace: 'bench', id: `B-${String(index).padStart(5, '0')}` }),
      title: `Issue ${index}`,
      status: CanonicalStatus.TODO,
      issueType: CanonicalIssueType.TASK,
      labels: ['bench'],
      updatedAt: new Date(Date.UTC(2026, 0, 1) + index * 1000),
    }),
  );
}

function world(filterBeforePaging = false) {
  const tracker = new FakeTracker({ name: 'memory', filterBeforePaging });
  const seeded = issues();
  for (const issue of seeded) tracker.seed(issue);
  return { tracker, connector: counting(tracker), seeded };
}

describe('engine benchmark scenarios (counts and end states)', () => {
  it('cold pull: one list call per page; the store and its bases hold the pulled issues themselves', async () => {
    const { connector, seeded } = world();
    const store = new InMemoryIssueStore();
    const result = await new SyncEngine({ connector, store, policy }).pull(page);
    expect(result.stats.pulledCreated).toBe(N);
    expect(connector.calls).toEqual({ listIssues: PAGES });
    const stored = await store.getIssue(seeded[7]!.ref);
    // No copies: the issue the tracker handed out is the stored issue and its sync base.
    expect(stored).toBe(await store.getSyncBase(seeded[7]!.ref));
    expect(stored).toBe(seeded[7]);
  });

  it('cold sync, then a no-op sync: one pass of list calls each, no writes', async () => {
    const { connector } = world();
    const engine = new SyncEngine({ connector, store: new InMemoryIssueStore(), policy });
    expect((await engine.sync(page)).stats.pulledCreated).toBe(N);
    expect(connector.calls).toEqual({ listIssues: PAGES });
    connector.reset();
    const noop = await engine.sync(page);
    expect(noop.stats).toMatchObject({
      pulledCreated: 0,
      pulledUpdated: 0,
      pushedCreated: 0,
      pushedUpdated: 0,
    });
    expect(connector.calls).toEqual({ listIssues: PAGES });
    expect(connector.writes()).toBe(0);
  });

  it('sync after 10% local edits: one update per edited issue, found by one listing', async () => {
    const { tracker, connector, seeded } = world();
    const store = new InMemoryIssueStore();
    const engine = new SyncEngine({ connector, store, policy });
    await engine.sync(page);
    for (let index = 0; index < N; index += 10) {
      const local = (await store.getIssue(seeded[index]!.ref))!;
      await store.upsertIssue(cloneIssue(local, { title: `${local.title} (edited)` }));
    }
    connector.reset();
    const result = await engine.sync(page);
    expect(result.stats.pushedUpdated).toBe(N / 10);
    // The pull walks the pages again; the push lists every page once to find the remote copies.
    expect(connector.calls).toEqual({ listIssues: 2 * PAGES, updateIssue: N / 10, getCapabilities: 1 });
    expect((await tracker.getIssue(seeded[10]!.ref)).title).toBe('Issue 10 (edited)');
    expect((await store.listUnsyncedIssues({ system: 'memory' })).unsynced).toEqual([]);
  });

  it('a no-op sync against a tracker that filters server-side makes one call', async () => {
    const { connector } = world(true);
    const engine = new SyncEngine({ connector, store: new InMemoryIssueStore(), policy });
    await engine.sync(page);
    connector.reset();
    await engine.sync(page);
    expect(connector.calls).toEqual({ listIssues: 1 });
  });

  it('original mode (no sync bases) lists everything twice on a no-op sync', async () => {
    const { connector } = world();
    const inner = new InMemoryIssueStore();
    const plain: IssueStore = {
      listIssues: (query) => inner.listIssues(query),
      getIssue: (ref) => inner.getIssue(ref),
      upsertIssue: (issue) => inner.upsertIssue(issue),
      deleteIssue: (ref) => inner.deleteIssue(ref),
    };
    const engine = new SyncEngine({ connector, store: plain, policy, useSyncBase: false });
    await engine.sync(page);
    connector.reset();
    await engine.sync(page);
    expect(connector.writes()).toBe(0);
    expect(connector.calls).toEqual({ listIssues: 2 * PAGES, getCapabilities: 1 });
  });
});
