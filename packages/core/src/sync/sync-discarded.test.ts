// A local change that ownership or a conflict strategy drops is listed in `SyncResult.discarded`,
// never lost silently (issue 12 item 1).
import { describe, expect, it } from 'vitest';
import { type CanonicalIssue, cloneIssue } from '../model/issue';
import { ConflictStrategy } from '../policy/conflicts';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import type { IssueStore } from '../store/issue-store';
import { SyncEngine, type SyncEngineOptions } from './sync-engine';
import { counting } from './test-support/counting-connector';
import { FakeTracker } from './test-support/fake-tracker';
import { at, issue, noSleep, plainStore, ref } from './test-support/fixtures';
import { LossyTracker } from './test-support/lossy-tracker';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

async function world(options: Partial<SyncEngineOptions> = {}, store: IssueStore = new InMemoryIssueStore()) {
  const tracker = new FakeTracker();
  tracker.seed(issue('T-1', { title: 'start', body: 'start', updatedAt: at('2026-01-01T00:00:00Z') }));
  const connector = counting(tracker);
  const engine = new SyncEngine({
    connector,
    store,
    policy: OwnershipPolicy.externalAuthoritative(),
    sleep: noSleep,
    ...options,
  });
  await engine.sync();
  connector.reset();
  /**
   * A local edit as `edit` makes it: content changes and `updatedAt` moves past the synced copy's
   * (but stays before the fake tracker's clock, so a later tracker edit is newer still).
   */
  const editLocal = async (changes: Partial<CanonicalIssue>) => {
    const local = (await store.getIssue(ref('T-1'))) as CanonicalIssue;
    await store.upsertIssue(cloneIssue(local, { ...changes, updatedAt: at('2026-03-01T00:00:00Z') }));
  };
  return { tracker, connector, store, engine, editLocal };
}

describe('discarded local changes', () => {
  it('lists a local edit of a tracker-owned field that push drops (external-authoritative default)', async () => {
    const { tracker, connector, store, engine, editLocal } = await world();
    await editLocal({ title: 'X' });
    const result = await engine.push();
    expect(result.stats.skipped).toBe(1);
    expect(result.discarded).toEqual([
      { issueRef: ref('T-1'), fieldName: 'title', localValue: 'X', keptValue: 'start', reason: 'ownership' },
    ]);
    expect(connector.writes()).toBe(0);
    expect(tracker.issues.get('memory:demo:T-1')?.title).toBe('start');
    expect((await store.getIssue(ref('T-1')))?.title).toBe('start');
    // Reported once: the next run has nothing to drop and writes nothing.
    connector.reset();
    const again = await engine.sync();
    expect(again.discarded).toEqual([]);
    expect(connector.writes()).toBe(0);
  });

  it('lists a local edit that a pull overwrites, and not the remote edits it takes in', async () => {
    const { tracker, store, engine, editLocal } = await world();
    await editLocal({ title: 'X' });
    tracker.edit(ref('T-1'), { body: 'remote body' });
    const result = await engine.pull();
    expect(result.discarded).toEqual([
      { issueRef: ref('T-1'), fieldName: 'title', localValue: 'X', keptValue: 'start', reason: 'ownership' },
    ]);
    expect(await store.getIssue(ref('T-1'))).toMatchObject({ title: 'start', body: 'remote body' });
  });

  it('reports nothing for a remote-only edit or a field local owns', async () => {
    const policy = OwnershipPolicy.split({
      fieldOwners: { title: FieldOwner.LOCAL },
      defaultOwner: FieldOwner.EXTERNAL,
    });
    const { tracker, engine, editLocal } = await world({ policy });
    tracker.edit(ref('T-1'), { body: 'remote body' });
    await editLocal({ title: 'mine' });
    const result = await engine.sync();
    expect(result.discarded).toEqual([]);
    expect(tracker.issues.get('memory:demo:T-1')).toMatchObject({ title: 'mine', body: 'remote body' });
  });

  it('lists a local edit a conflict strategy drops, with reason conflict_strategy', async () => {
    const { tracker, store, engine, editLocal } = await world({
      policy: shared,
      strategy: ConflictStrategy.EXTERNAL_WINS,
    });
    tracker.edit(ref('T-1'), { title: 'remote title' });
    await editLocal({ title: 'local title', body: 'local body' });
    const result = await engine.sync();
    expect(result.discarded).toEqual([
      {
        issueRef: ref('T-1'),
        fieldName: 'title',
        localValue: 'local title',
        keptValue: 'remote title',
        reason: 'conflict_strategy',
      },
    ]);
    // The body, changed on one side only, is not a discard: it reaches the tracker.
    expect(tracker.issues.get('memory:demo:T-1')).toMatchObject({
      title: 'remote title',
      body: 'local body',
    });
    expect((await store.getIssue(ref('T-1')))?.title).toBe('remote title');
  });

  it('lists the same discards in plan() as the run then reports', async () => {
    const { connector, store, engine, editLocal } = await world();
    await editLocal({ title: 'X', labels: ['mine'] });
    const before = await store.getIssue(ref('T-1'));
    const plan = await engine.plan();
    expect(connector.writes()).toBe(0);
    expect(await store.getIssue(ref('T-1'))).toEqual(before);
    const result = await engine.sync();
    expect(plan.result.discarded).toEqual(result.discarded);
    expect(result.discarded.map((change) => [change.fieldName, change.localValue, change.keptValue])).toEqual(
      [
        ['title', 'X', 'start'],
        ['labels', ['mine'], []],
      ],
    );
  });

  it('without sync bases, counts a differing field as a local change when the local copy is newer', async () => {
    const { tracker, engine, editLocal } = await world({}, plainStore());
    await editLocal({ title: 'X' });
    const pushed = await engine.push();
    expect(pushed.discarded).toEqual([
      { issueRef: ref('T-1'), fieldName: 'title', localValue: 'X', keptValue: 'start', reason: 'ownership' },
    ]);
    // A remote edit (the tracker's copy is newer) is taken in, not reported as a discard.
    tracker.edit(ref('T-1'), { title: 'remote title' });
    const pulled = await engine.pull();
    expect(pulled.stats.pulledUpdated).toBe(1);
    expect(pulled.discarded).toEqual([]);
  });

  it('does not count a value the tracker merely cannot represent as discarded, and stays a no-op', async () => {
    const tracker = counting(new LossyTracker());
    tracker.seed(issue('T-1', { updatedAt: at('2026-01-01T00:00:00Z') }));
    const store = new InMemoryIssueStore();
    const engine = new SyncEngine({
      connector: tracker,
      store,
      policy: OwnershipPolicy.externalAuthoritative(),
      sleep: noSleep,
    });
    await engine.sync();
    const local = (await store.getIssue(ref('T-1'))) as CanonicalIssue;
    await store.upsertIssue(
      cloneIssue(local, { status: 'in_progress', updatedAt: at('2026-03-01T00:00:00Z') }),
    );
    tracker.reset();
    const result = await engine.sync();
    expect(result.discarded).toEqual([]);
    expect(tracker.writes()).toBe(0);
    expect((await store.getIssue(ref('T-1')))?.status).toBe('in_progress');
  });
});
