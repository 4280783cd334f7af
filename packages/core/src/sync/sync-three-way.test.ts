// Better than the original: with a sync base, only fields changed on both sides are conflicts.
import { describe, expect, it } from 'vitest';
import { ConflictStrategy } from '../policy/conflicts';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { FakeTracker } from './test-support/fake-tracker';
import { at, issue, plainStore, ref } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

async function syncedWorld(store = new InMemoryIssueStore(), policy = shared) {
  const tracker = new FakeTracker();
  tracker.seed(issue('T-1', { title: 'start', body: 'start', updatedAt: at('2026-01-01T00:00:00Z') }));
  const engine = new SyncEngine({ connector: tracker, store, policy });
  await engine.sync();
  return { tracker, store, engine };
}

/** The remote edits the title first; later, the local side edits the body. */
async function editBothSidesDifferentFields(world: Awaited<ReturnType<typeof syncedWorld>>) {
  world.tracker.edit(ref('T-1'), { title: 'remote title' });
  const local = await world.store.getIssue(ref('T-1'));
  if (!local) throw new Error('missing');
  await world.store.upsertIssue({ ...local, body: 'local body', updatedAt: at('2027-01-01T00:00:00Z') });
}

describe('three-way merge', () => {
  it("takes each side's own edit without a conflict", async () => {
    const world = await syncedWorld();
    await editBothSidesDifferentFields(world);
    const result = await world.engine.sync();
    expect(result.conflicts).toEqual([]);
    expect(world.tracker.issues.get('memory:demo:T-1')).toMatchObject({
      title: 'remote title',
      body: 'local body',
    });
    expect(await world.store.getIssue(ref('T-1'))).toMatchObject({
      title: 'remote title',
      body: 'local body',
    });
  });

  it('without a base behaves as the original: whole-issue timestamps decide and the remote edit is lost', async () => {
    const world = await syncedWorld(plainStore() as unknown as InMemoryIssueStore);
    await editBothSidesDifferentFields(world);
    const result = await world.engine.sync();
    expect(result.conflicts.map((conflict) => conflict.fieldName)).toContain('title');
    expect(world.tracker.issues.get('memory:demo:T-1')?.title).toBe('start');
  });

  it('reports a field changed on both sides as a conflict, resolved by the strategy', async () => {
    const world = await syncedWorld();
    world.tracker.edit(ref('T-1'), { title: 'remote title' });
    const local = await world.store.getIssue(ref('T-1'));
    if (!local) throw new Error('missing');
    await world.store.upsertIssue({ ...local, title: 'local title', updatedAt: at('2027-01-01T00:00:00Z') });
    const result = await world.engine.sync();
    expect(result.conflicts).toEqual([
      {
        fieldName: 'title',
        localValue: 'local title',
        externalValue: 'remote title',
        resolvedValue: 'local title',
        strategy: ConflictStrategy.NEWER_TIMESTAMP,
        manualReviewRequired: false,
        issueRef: ref('T-1'),
        pending: false,
      },
    ]);
    expect(world.tracker.issues.get('memory:demo:T-1')?.title).toBe('local title');
  });

  it('reports a conflict settled before an update once, not again after it', async () => {
    const world = await syncedWorld();
    world.tracker.edit(ref('T-1'), { title: 'remote title' });
    const local = await world.store.getIssue(ref('T-1'));
    if (!local) throw new Error('missing');
    // Older local edit: the title conflict goes to the remote; the body is a local-only change.
    await world.store.upsertIssue({
      ...local,
      title: 'local title',
      body: 'local body',
      updatedAt: at('2026-01-02T00:00:00Z'),
    });
    const result = await world.engine.push();
    expect(result.stats.pushedUpdated).toBe(1);
    expect(result.conflicts.map((conflict) => [conflict.fieldName, conflict.resolvedValue])).toEqual([
      ['title', 'remote title'],
    ]);
    expect(await world.store.getIssue(ref('T-1'))).toMatchObject({
      title: 'remote title',
      body: 'local body',
    });
  });

  it('still lets the owner win on owned fields', async () => {
    const policy = OwnershipPolicy.split({
      fieldOwners: { title: FieldOwner.LOCAL },
      defaultOwner: FieldOwner.SHARED,
    });
    const world = await syncedWorld(new InMemoryIssueStore(), policy);
    world.tracker.edit(ref('T-1'), { title: 'remote title' });
    const result = await world.engine.sync();
    expect(result.conflicts).toEqual([]);
    // Local owns the title: the remote edit is reverted by the push.
    expect(world.tracker.issues.get('memory:demo:T-1')?.title).toBe('start');
    expect(result.stats.pushedUpdated).toBe(1);
  });
});
