// plan() dry runs, AbortSignal, progress events and determinism.
import { describe, expect, it } from 'vitest';
import { refIdentity } from '../model/external-ref';
import { type CanonicalIssue, cloneIssue } from '../model/issue';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import type { IssueStore } from '../store/issue-store';
import { SyncEngine } from './sync-engine';
import type { PlannedWrite, SyncProgressEvent } from './sync-events';
import { counting } from './test-support/counting-connector';
import { FakeTracker, steppingClock } from './test-support/fake-tracker';
import { at, issue, noSleep, plainStore, ref } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

/** A world with every kind of work: remote-only, local-only, edits on each side, a conflict. */
async function busyWorld(store: IssueStore = new InMemoryIssueStore()) {
  const tracker = new FakeTracker({ now: steppingClock(Date.UTC(2026, 5, 1)) });
  for (const id of ['A', 'B', 'C', 'D']) tracker.seed(issue(id, { updatedAt: at('2026-01-01T00:00:00Z') }));
  const connector = counting(tracker);
  const engine = new SyncEngine({ connector, store, policy: shared, sleep: noSleep, random: () => 0.5 });
  await engine.sync();
  tracker.edit(ref('A'), { title: 'remote A' });
  tracker.edit(ref('C'), { title: 'remote C' });
  tracker.seed(issue('R-new', { updatedAt: at('2026-07-01T00:00:00Z') }));
  const edit = async (id: string, changes: Partial<CanonicalIssue>) => {
    const local = (await store.getIssue(ref(id))) as CanonicalIssue;
    await store.upsertIssue(cloneIssue(local, { ...changes, updatedAt: at('2026-08-01T00:00:00Z') }));
  };
  await edit('B', { labels: ['local'] });
  await edit('C', { title: 'local C' });
  await store.upsertIssue(issue('L-new'));
  connector.reset();
  return { tracker, connector, store, engine };
}

/** What identifies a write: remote writes exactly, local writes by target/action/identity. */
function shape(write: PlannedWrite): unknown {
  if (write.target === 'remote' && write.action === 'update') {
    return [write.target, write.action, refIdentity(write.ref), write.patch, write.idempotencyKey];
  }
  if (write.target === 'remote')
    return [write.target, write.action, refIdentity(write.ref), write.idempotencyKey];
  return [write.target, write.action, refIdentity(write.ref)];
}

describe('plan', () => {
  it('lists exactly the writes sync then makes, without making any', async () => {
    const { connector, store, engine } = await busyWorld();
    const before = await store.listIssues();
    const checkpoint = engine.checkpoint;
    const plan = await engine.plan();
    expect(connector.writes()).toBe(0);
    expect(await store.listIssues()).toEqual(before);
    expect(engine.checkpoint).toBe(checkpoint);
    expect(plan.writes.length).toBeGreaterThan(4);

    const applied: PlannedWrite[] = [];
    const result = await engine.sync({
      onProgress: (event) => event.type === 'write' && applied.push(event.write),
    });
    expect(applied.map(shape)).toEqual(plan.writes.map(shape));
    expect(result.stats).toEqual(plan.result.stats);
    expect(result.conflicts).toEqual(plan.result.conflicts);
    expect(connector.calls.createIssue).toBe(1);
    expect(connector.calls.updateIssue).toBe(
      plan.writes.filter((w) => w.target === 'remote' && w.action === 'update').length,
    );
  });

  it('plans a push alone, on a store without bases too', async () => {
    const { engine } = await busyWorld(plainStore());
    const plan = await engine.plan({ operation: 'push' });
    const applied: PlannedWrite[] = [];
    await engine.push({ onProgress: (event) => event.type === 'write' && applied.push(event.write) });
    expect(applied.map(shape)).toEqual(plan.writes.map(shape));
  });
});

describe('AbortSignal and progress', () => {
  it('stops between pages, keeping the checkpoint of the last finished page', async () => {
    const tracker = new FakeTracker();
    for (let index = 0; index < 30; index++) {
      tracker.seed(
        issue(`P-${String(index).padStart(2, '0')}`, { updatedAt: new Date(Date.UTC(2026, 0, 1, 0, index)) }),
      );
    }
    const store = new InMemoryIssueStore();
    const controller = new AbortController();
    let pages = 0;
    const engine = new SyncEngine({ connector: tracker, store, policy: shared });
    const run = engine.pull({
      limit: 10,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.type === 'page' && ++pages === 2) controller.abort(new Error('user cancelled'));
      },
    });
    await expect(run).rejects.toThrow('user cancelled');
    expect(engine.checkpoint.cursor).toBe('10');
    expect((await store.listIssues()).length).toBe(10);
    const resumed = await engine.pull({ limit: 10 });
    expect(resumed.stats.pulledCreated).toBe(20);
  });

  it('reports pages, writes, conflicts, retries and failures', async () => {
    const { engine } = await busyWorld();
    const events: SyncProgressEvent['type'][] = [];
    await engine.sync({ onProgress: (event) => events.push(event.type) });
    expect(new Set(events)).toEqual(new Set(['page', 'write', 'conflict']));
    const failing = new SyncEngine({
      connector: new FakeTracker(),
      store: new InMemoryIssueStore(),
      policy: shared,
      onProgress: (event) => events.push(event.type),
    });
    failing.restoreCheckpoint({ cursor: 'bad', updatedSince: null });
    await failing.pull();
    expect(events.at(-1)).toBe('failure');
  });
});

describe('determinism', () => {
  it('gives the same writes in the same order and the same result for the same inputs', async () => {
    const runs = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const { engine, store } = await busyWorld();
      const writes: unknown[] = [];
      const result = await engine.sync({
        onProgress: (event) => event.type === 'write' && writes.push(event.write),
      });
      runs.push({ writes, result, store: await store.listIssues() });
    }
    expect(runs[1]).toEqual(runs[0]);
  });
});
