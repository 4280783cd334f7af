// Better than the original: a write refused by optimistic concurrency (Azure DevOps `test /rev`)
// is merged again against the tracker's new state, so a concurrent edit becomes a conflict
// resolved by the policy, never a silent overwrite and never just a failure.
import { describe, expect, it } from 'vitest';
import { ConcurrentModificationError } from '../errors/errors';
import type { ExternalRef } from '../model/external-ref';
import { ConflictStrategy } from '../policy/conflicts';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import type { IssuePatch, WriteOptions } from '../protocol/connector';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { FakeTracker } from './test-support/fake-tracker';
import { at, issue, ref } from './test-support/fixtures';

/** Applies a concurrent remote edit, then refuses the write like a failed `test /rev` (once per armed edit). */
class RevCheckingTracker extends FakeTracker {
  concurrentEdits: IssuePatch[] = [];
  updateCalls = 0;
  override async updateIssue(target: ExternalRef, patch: IssuePatch, options?: WriteOptions) {
    this.updateCalls += 1;
    const edit = this.concurrentEdits.shift();
    if (edit !== undefined) {
      this.edit(target, edit);
      throw new ConcurrentModificationError('work item changed concurrently (test /rev failed, HTTP 412)', {
        statusCode: 412,
        provider: this.name,
      });
    }
    return super.updateIssue(target, patch, options);
  }
}

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

async function world(strategy?: ConflictStrategy) {
  const tracker = new RevCheckingTracker();
  tracker.seed(issue('C-1', { title: 'start', body: 'start', updatedAt: at('2026-01-01T00:00:00Z') }));
  const store = new InMemoryIssueStore();
  const engine = new SyncEngine({ connector: tracker, store, policy: shared, strategy });
  await engine.sync();
  const local = await store.getIssue(ref('C-1'));
  await store.upsertIssue({ ...local!, title: 'local title', updatedAt: at('2030-01-01T00:00:00Z') });
  return { tracker, store, engine };
}

describe('concurrent edits during push', () => {
  it('re-reads, merges and records a conflict instead of overwriting or failing', async () => {
    const { tracker, store, engine } = await world();
    tracker.concurrentEdits.push({ title: 'remote title', body: 'remote body' });
    const result = await engine.push();
    expect(result.failures).toEqual([]);
    expect(result.conflicts.map((conflict) => conflict.fieldName)).toEqual(['title']);
    expect(result.conflicts[0]).toMatchObject({ localValue: 'local title', externalValue: 'remote title' });
    expect(tracker.updateCalls).toBe(2);
    // The remote-only edit survives on both sides; the two-sided one follows the strategy (local is newer).
    expect(tracker.issues.get('memory:demo:C-1')).toMatchObject({
      title: 'local title',
      body: 'remote body',
    });
    expect(await store.getIssue(ref('C-1'))).toMatchObject({ title: 'local title', body: 'remote body' });
  });

  it('gives up with a failure, still without overwriting, when the issue keeps changing', async () => {
    const { tracker, engine } = await world();
    tracker.concurrentEdits.push({ body: 'edit 1' }, { body: 'edit 2' });
    const result = await engine.push();
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({
      operation: 'update',
      failureClass: 'validation',
      retryable: false,
    });
    expect(tracker.issues.get('memory:demo:C-1')).toMatchObject({ title: 'start', body: 'edit 2' });
  });

  it('holds a manual-review conflict found after the refusal: the concurrent edit is not overwritten', async () => {
    const { tracker, store, engine } = await world(ConflictStrategy.MANUAL_REVIEW);
    tracker.concurrentEdits.push({ title: 'remote title' });
    const result = await engine.push();
    expect(result.conflicts.map((conflict) => [conflict.fieldName, conflict.pending])).toEqual([
      ['title', true],
    ]);
    expect(tracker.issues.get('memory:demo:C-1')?.title).toBe('remote title');
    expect((await store.getIssue(ref('C-1')))?.title).toBe('local title');
  });

  it('reports a dropped local change once, not once per attempt', async () => {
    const { tracker, store, engine } = await world(ConflictStrategy.EXTERNAL_WINS);
    tracker.edit(ref('C-1'), { title: 'remote title' });
    const local = await store.getIssue(ref('C-1'));
    await store.upsertIssue({ ...local!, body: 'local body' });
    tracker.concurrentEdits.push({ labels: ['remote'] });
    const result = await engine.push();
    expect(tracker.updateCalls).toBe(2);
    expect(result.discarded.map((change) => [change.fieldName, change.keptValue])).toEqual([
      ['title', 'remote title'],
    ]);
    expect(tracker.issues.get('memory:demo:C-1')).toMatchObject({
      title: 'remote title',
      body: 'local body',
      labels: ['remote'],
    });
  });
});
