// A tracker that cannot represent a local value (GitHub has no in_progress, no priority) must not
// start an echo loop: no write per sync, no conflict, and the richer local value is kept.
import { describe, expect, it } from 'vitest';
import { ConflictStrategy } from '../policy/conflicts';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { mergeIssues } from './sync-merge';
import { keepRicherLocal } from './sync-projection';
import { counting } from './test-support/counting-connector';
import { issue, plainStore, ref } from './test-support/fixtures';
import { LossyTracker, projectLossy } from './test-support/lossy-tracker';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

function world(options: { useSyncBase?: boolean; plain?: boolean } = {}) {
  const tracker = new LossyTracker();
  const connector = counting(tracker);
  const store = options.plain ? plainStore() : new InMemoryIssueStore();
  const engine = new SyncEngine({ connector, store, policy: shared, useSyncBase: options.useSyncBase });
  return { tracker, connector, store, engine };
}

describe('lossy tracker projection', () => {
  for (const mode of [
    { name: 'with sync bases', options: {} },
    { name: 'without sync bases', options: { useSyncBase: false } },
    { name: 'with a plain store', options: { plain: true } },
  ]) {
    it(`creates once, then makes no writes and keeps the local status (${mode.name})`, async () => {
      const { tracker, connector, store, engine } = world(mode.options);
      await store.upsertIssue(issue('A', { status: 'in_progress', priority: 2 }));
      const first = await engine.sync();
      expect(first.stats.pushedCreated).toBe(1);
      expect(tracker.issues.get('memory:demo:A')?.status).toBe('todo');
      expect((await store.getIssue(ref('A')))?.status).toBe('in_progress');
      connector.reset();
      for (let round = 0; round < 3; round++) {
        const result = await engine.sync();
        expect(result.conflicts).toEqual([]);
        expect(result.stats.pushedUpdated + result.stats.pushedCreated).toBe(0);
      }
      expect(connector.writes()).toBe(0);
      expect(connector.calls.getIssue ?? 0).toBe(0);
      const local = await store.getIssue(ref('A'));
      expect(local?.status).toBe('in_progress');
      expect(local?.priority).toBe(2);

      // A real remote change still arrives.
      tracker.edit(ref('A'), { status: 'done' });
      const closing = await engine.sync();
      // Without a base both sides differ, which the original's two-way merge reports (and settles
      // by timestamp); with one, only the remote changed.
      if (mode.name === 'with sync bases') expect(closing.conflicts).toEqual([]);
      expect((await store.getIssue(ref('A')))?.status).toBe('done');
    });
  }

  it('pushes a representable local change, and only that field', async () => {
    const { tracker, connector, store, engine } = world();
    await store.upsertIssue(issue('A', { status: 'in_progress' }));
    await engine.sync();
    const local = await store.getIssue(ref('A'));
    if (!local) throw new Error('missing');
    await store.upsertIssue({ ...local, title: 'Renamed', status: 'in_review' });
    connector.reset();
    const updates: unknown[] = [];
    const update = tracker.updateIssue.bind(tracker);
    tracker.updateIssue = async (r, patch, options) => {
      updates.push(patch);
      return update(r, patch, options);
    };
    await engine.sync();
    expect(updates).toEqual([{ title: 'Renamed' }]);
    expect(await store.getIssue(ref('A'))).toMatchObject({ title: 'Renamed', status: 'in_review' });
    connector.reset();
    await engine.sync();
    expect(connector.writes()).toBe(0);
  });

  it('without a declared projection the same tracker re-sends the status on every sync', async () => {
    const { tracker, connector, store, engine } = world();
    tracker.projection = null;
    await store.upsertIssue(issue('A', { status: 'in_progress' }));
    const first = await engine.sync();
    expect(first.stats.pushedCreated).toBe(1);
    // The original stores the tracker's copy: the user's status is lost on create.
    expect((await store.getIssue(ref('A')))?.status).toBe('todo');
    await store.upsertIssue(issue('A', { status: 'in_progress' }));
    connector.reset();
    await engine.sync();
    await engine.sync();
    expect(connector.calls.updateIssue).toBe(2);
  });
});

describe('dirty tracking with a projection', () => {
  it('a lossy-only difference costs no getIssue on a push without a pull, nor a planned write', async () => {
    const { connector, store, engine } = world();
    for (const id of ['A', 'B', 'C'])
      await store.upsertIssue(issue(id, { status: 'in_review', priority: 1 }));
    await engine.sync();
    connector.reset();
    const pushed = await engine.push();
    expect(pushed.stats.pushedUpdated + pushed.stats.pushedCreated).toBe(0);
    expect(connector.total()).toBe(0);
    const plan = await engine.plan();
    expect(plan.writes.filter((write) => write.target === 'remote')).toEqual([]);
  });
});

describe('a projection that also normalises what the tracker returns', () => {
  it('compares both sides projected, so a remote value that normalises differently is no change', async () => {
    const { tracker, connector, store, engine } = world();
    // Say the tracker reads bodies back without trailing blanks, but an old issue still has them.
    tracker.projection = (value) => {
      const lossy = projectLossy(value);
      return { ...lossy, body: lossy.body?.trimEnd() ?? null };
    };
    tracker.seed(issue('A', { body: 'Text  ', updatedAt: new Date(Date.UTC(2026, 0, 1)) }));
    await engine.sync();
    const local = await store.getIssue(ref('A'));
    if (!local) throw new Error('missing');
    await store.upsertIssue({ ...local, title: 'Renamed' });
    const updates: unknown[] = [];
    const update = tracker.updateIssue.bind(tracker);
    tracker.updateIssue = async (r, patch, options) => {
      updates.push(patch);
      return update(r, patch, options);
    };
    connector.reset();
    await engine.sync();
    expect(updates).toEqual([{ title: 'Renamed' }]);
  });
});

describe('mergeIssues with a projection', () => {
  const local = issue('A', { status: 'in_progress', updatedAt: new Date(2026, 0, 2) });
  const remoteTodo = issue('A', { status: 'todo', updatedAt: new Date(2026, 0, 3) });
  const merge = (external: typeof local, base: typeof local | null) =>
    mergeIssues({
      local,
      external,
      base,
      policy: shared,
      strategy: ConflictStrategy.NEWER_TIMESTAMP,
      project: projectLossy,
    });

  it('keeps the richer local value when the remote is its projection (two-way and three-way)', () => {
    for (const base of [null, remoteTodo]) {
      const { merged, conflicts } = merge(remoteTodo, base);
      expect(merged.status).toBe('in_progress');
      expect(conflicts).toEqual([]);
    }
  });

  it('takes a real remote change', () => {
    const { merged, conflicts } = merge({ ...remoteTodo, status: 'done' }, remoteTodo);
    expect(merged.status).toBe('done');
    expect(conflicts).toEqual([]);
  });

  it('is the original merge without a projection', () => {
    const { merged } = mergeIssues({
      local,
      external: remoteTodo,
      base: remoteTodo,
      policy: shared,
      strategy: ConflictStrategy.NEWER_TIMESTAMP,
    });
    expect(merged.status).toBe('in_progress');
    const twoWay = mergeIssues({
      local,
      external: remoteTodo,
      base: null,
      policy: shared,
      strategy: ConflictStrategy.NEWER_TIMESTAMP,
    });
    expect(twoWay.merged.status).toBe('todo');
    expect(twoWay.conflicts).toHaveLength(1);
  });
});

describe('keepRicherLocal', () => {
  it('keeps local values the remote merely could not hold, takes the rest from the remote', () => {
    const local = issue('A', { status: 'in_review', priority: 1, title: 'local' });
    const remote = issue('B', { status: 'todo', title: 'remote' });
    const kept = keepRicherLocal(local, remote, projectLossy);
    expect(kept).toMatchObject({ status: 'in_review', priority: 1, title: 'remote', ref: ref('B') });
  });
});
