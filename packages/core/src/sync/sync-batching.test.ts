// A store that can batch gets each pulled page, with its checkpoint, as one batch of writes.
import { describe, expect, it } from 'vitest';
import type { CanonicalIssue } from '../model/issue';
import type { SyncCheckpoint } from '../model/page';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import type { BatchingIssueStore } from '../store/issue-store';
import { SyncEngine } from './sync-engine';
import { FakeTracker } from './test-support/fake-tracker';
import { at, issue } from './test-support/fixtures';

const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

/** Records, for every write, which batch (1, 2, …) it was made in; 0 = outside any batch. */
class RecordingBatchStore extends InMemoryIssueStore implements BatchingIssueStore {
  batches = 0;
  #current = 0;
  readonly log: string[] = [];

  async batch<T>(fn: () => Promise<T>): Promise<T> {
    this.batches += 1;
    this.#current = this.batches;
    try {
      return await fn();
    } finally {
      this.#current = 0;
    }
  }

  override async upsertIssue(value: CanonicalIssue): Promise<void> {
    this.log.push(`${this.#current} issue ${value.ref.id}`);
    await super.upsertIssue(value);
  }

  override async putSyncBase(value: CanonicalIssue): Promise<void> {
    this.log.push(`${this.#current} base ${value.ref.id}`);
    await super.putSyncBase(value);
  }

  override async putCheckpoint(scope: string, checkpoint: SyncCheckpoint): Promise<void> {
    this.log.push(`${this.#current} checkpoint ${checkpoint.cursor}`);
    await super.putCheckpoint(scope, checkpoint);
  }
}

describe('batched page writes', () => {
  it('commits each pulled page together with its checkpoint', async () => {
    const tracker = new FakeTracker();
    for (const id of ['A', 'B', 'C']) tracker.seed(issue(id));
    const store = new RecordingBatchStore();
    await new SyncEngine({ connector: tracker, store, policy }).pull({ limit: 2 });
    expect(store.batches).toBe(2);
    expect(store.log).toEqual([
      '1 issue A',
      '1 base A',
      '1 issue B',
      '1 base B',
      '1 checkpoint 2',
      '2 issue C',
      '2 base C',
      '2 checkpoint null',
    ]);
  });

  it('opens no batch for an empty page: its checkpoint waits for the next write', async () => {
    // A tracker that filters by updatedSince after paging answers an incremental pull with empty
    // pages; each still advances the cursor, but has nothing to commit with it.
    const tracker = new FakeTracker();
    for (const [id, day] of [
      ['A', 1],
      ['B', 2],
      ['C', 3],
      ['D', 4],
      ['E', 5],
    ] as const) {
      tracker.seed(issue(id, { updatedAt: at(`2026-01-0${day}T00:00:00Z`) }));
    }
    const store = new RecordingBatchStore();
    const engine = new SyncEngine({ connector: tracker, store, policy });
    await engine.pull({ limit: 2 });
    store.batches = 0;
    store.log.length = 0;
    const pulled = await engine.pull({ limit: 2 });
    // Pages [A, B] and [C, D] are empty (older than the watermark); [E] is merged.
    expect(pulled.stats.skipped).toBe(1);
    expect(store.batches).toBe(1);
    // The empty pages' cursors wait for the next write; the walk ends where the last pull left
    // the checkpoint (same watermark), so nothing is written at all.
    expect(store.log).toEqual([]);
    expect(engine.checkpoint.cursor).toBeNull();
  });

  it('does not batch a plan (its writes go to an overlay)', async () => {
    const tracker = new FakeTracker();
    tracker.seed(issue('A'));
    const store = new RecordingBatchStore();
    const plan = await new SyncEngine({ connector: tracker, store, policy }).plan();
    expect(plan.writes.map((write) => `${write.target} ${write.action}`)).toEqual(['local create']);
    expect(store.batches).toBe(0);
    expect(store.log).toEqual([]);
  });
});
