// Better than the original: a create is never retried blindly after an ambiguous failure, and a
// crash between "created" and "recorded" leaves zero duplicates.
import { describe, expect, it } from 'vitest';
import { ConnectorRequestError } from '../errors/errors';
import { refIdentity } from '../model/external-ref';
import { type CanonicalIssue, cloneIssue } from '../model/issue';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import type { WriteOptions } from '../protocol/connector';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { counting } from './test-support/counting-connector';
import { FakeTracker } from './test-support/fake-tracker';
import { issue, noSleep, plainStore, ref } from './test-support/fixtures';

const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

/** Applies the create, then loses the answer (a timeout / 5xx after the tracker committed). */
function applyThenFail(tracker: FakeTracker, error: Error, times = 1) {
  const create = tracker.createIssue.bind(tracker);
  let remaining = times;
  return async (issueToCreate: CanonicalIssue, options?: WriteOptions) => {
    const created = await create(issueToCreate, options);
    if (remaining-- > 0) throw error;
    return created;
  };
}

/**
 * A tracker that assigns its own ids (like Linear or GitHub): a blind retry would create a second
 * issue. It remembers the idempotency key as a marker, and finds issues by it.
 */
class IdAssigningTracker extends FakeTracker {
  #next = 1;
  readonly markers = new Map<string, string>();

  override async createIssue(issueToCreate: CanonicalIssue, options?: WriteOptions): Promise<CanonicalIssue> {
    const assigned = cloneIssue(issueToCreate, { ref: ref(`GH-${this.#next++}`) });
    const created = await super.createIssue(assigned, options);
    if (options?.idempotencyKey) this.markers.set(options.idempotencyKey, refIdentity(created.ref));
    return created;
  }

  async findCreatedIssue(_issue: CanonicalIssue, options: WriteOptions): Promise<CanonicalIssue | null> {
    const identity = options.idempotencyKey ? this.markers.get(options.idempotencyKey) : undefined;
    const found = identity ? this.issues.get(identity) : undefined;
    return found ? cloneIssue(found) : null;
  }
}

describe('ambiguous create failures', () => {
  it('finds the issue a timed-out create already made instead of retrying (identity lookup)', async () => {
    const tracker = counting(new FakeTracker());
    tracker.createIssue = applyThenFail(tracker, new ConnectorRequestError('HTTP 504', { statusCode: 504 }));
    const store = new InMemoryIssueStore();
    await store.upsertIssue(issue('N-1'));
    const engine = new SyncEngine({ connector: tracker, store, policy, sleep: noSleep });
    const result = await engine.push();
    expect(result.failures).toEqual([]);
    expect(result.stats.pushedCreated).toBe(1);
    expect(tracker.calls.createIssue).toBe(1);
    // One lookup decides create-vs-update (dirty tracking), one settles the ambiguous failure.
    expect(tracker.log).toEqual(['getCapabilities', 'getIssue', 'createIssue', 'getIssue']);
    expect(tracker.issues.size).toBe(1);
  });

  it('yields zero duplicates on a tracker that assigns ids, via findCreatedIssue', async () => {
    const inner = new IdAssigningTracker();
    inner.createIssue = applyThenFail(inner, new ConnectorRequestError('HTTP 503', { statusCode: 503 }), 2);
    const store = new InMemoryIssueStore();
    await store.upsertIssue(issue('draft-1', { title: 'Write docs' }));
    const engine = new SyncEngine({ connector: inner, store, policy, sleep: noSleep });
    const result = await engine.push();
    expect(result.failures).toEqual([]);
    expect(result.stats.pushedCreated).toBe(1);
    expect([...inner.issues.keys()]).toEqual(['memory:demo:GH-1']);
    // The draft is replaced by the tracker's issue, so the next push does not create it again.
    expect((await store.listIssues()).map((stored) => stored.ref.id)).toEqual(['GH-1']);
    const again = await engine.push();
    expect(again.stats.pushedCreated).toBe(0);
    expect(inner.issues.size).toBe(1);
  });

  it('after a crash between "created" and "recorded", the next run finds the issue (zero duplicates)', async () => {
    const inner = new IdAssigningTracker();
    inner.createIssue = applyThenFail(inner, new TypeError('process died'));
    const store = new InMemoryIssueStore();
    await store.upsertIssue(issue('draft-1', { title: 'Write docs' }));
    await expect(new SyncEngine({ connector: inner, store, policy }).push()).rejects.toThrow('process died');
    expect(inner.issues.size).toBe(1);
    const result = await new SyncEngine({ connector: inner, store, policy }).push();
    expect(result.stats.pushedCreated).toBe(1);
    expect(inner.issues.size).toBe(1);
  });

  it('retries when the lookup proves the create did not happen', async () => {
    const tracker = counting(new FakeTracker());
    const create = tracker.createIssue.bind(tracker);
    let first = true;
    tracker.createIssue = async (issueToCreate, options) => {
      if (first) {
        first = false;
        throw new ConnectorRequestError('HTTP 502', { statusCode: 502 });
      }
      return create(issueToCreate, options);
    };
    const store = plainStore();
    await store.upsertIssue(issue('N-1'));
    const result = await new SyncEngine({ connector: tracker, store, policy, sleep: noSleep }).push();
    expect(result.stats.pushedCreated).toBe(1);
    expect(tracker.calls.createIssue).toBe(2);
    expect(tracker.issues.size).toBe(1);
  });

  it('retries a 429 directly: the tracker refused it, nothing to look for', async () => {
    const tracker = counting(new FakeTracker());
    const create = tracker.createIssue.bind(tracker);
    let first = true;
    tracker.createIssue = async (issueToCreate, options) => {
      if (first) {
        first = false;
        throw new ConnectorRequestError('HTTP 429', { statusCode: 429 });
      }
      return create(issueToCreate, options);
    };
    const store = plainStore();
    await store.upsertIssue(issue('N-1'));
    await new SyncEngine({ connector: tracker, store, policy, sleep: noSleep }).push();
    expect(tracker.calls.getIssue).toBeUndefined();
    expect(tracker.calls.createIssue).toBe(2);
  });

  it('gives up with a failure when absence cannot be proven', async () => {
    const tracker = counting(new FakeTracker());
    tracker.createIssue = async () => {
      throw new ConnectorRequestError('HTTP 504', { statusCode: 504 });
    };
    tracker.getIssue = async () => {
      throw new ConnectorRequestError('HTTP 401', { statusCode: 401 });
    };
    const store = plainStore();
    await store.upsertIssue(issue('N-1'));
    const result = await new SyncEngine({ connector: tracker, store, policy, sleep: noSleep }).push();
    expect(tracker.calls.createIssue).toBe(1);
    expect(result.errors).toEqual(['create[memory:demo:N-1]: HTTP 504']);
  });
});
