// The engine's walk across listIssues calls is bounded: a connector that hands back a cursor it
// already gave, or offers another page forever, stops the walk with a clear failure instead of
// running until the process is killed.
import { describe, expect, it } from 'vitest';
import { ModelValidationError } from '../errors/errors';
import { PageWalkLimitError } from '../http/page-walk';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine, type SyncEngineOptions } from './sync-engine';
import { counting } from './test-support/counting-connector';
import { FakeTracker } from './test-support/fake-tracker';
import { issue } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

/** A tracker whose listing answers every page with one new issue and the cursor `loop`, forever. */
function looping() {
  const tracker = new FakeTracker();
  let served = 0;
  tracker.listIssues = async () => {
    served += 1;
    return { items: [issue(`L-${served}`)], nextCursor: 'loop' };
  };
  return counting(tracker);
}

function engineFor(connector: FakeTracker, options: Partial<SyncEngineOptions> = {}) {
  const store = new InMemoryIssueStore();
  return { store, engine: new SyncEngine({ connector, store, policy: shared, ...options }) };
}

describe('the engine stops a listing that loops', () => {
  it('a repeated cursor ends the pull with a pull_page failure after two calls', async () => {
    const connector = looping();
    const { engine, store } = engineFor(connector);
    const result = await engine.pull();
    expect(connector.calls.listIssues).toBe(2);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({
      operation: 'pull_page',
      failureClass: 'non_retryable',
      retryable: false,
    });
    expect(result.failures[0]?.message).toMatch(
      /^memory: stopped listing issues after 2 page\(s\): listIssues returned a nextCursor it had already returned/,
    );
    // Both pages' issues were merged; the run is not complete.
    expect((await store.listIssues()).map((stored) => stored.ref.id)).toEqual(['L-1', 'L-2']);
  });

  it('a run resuming from the looping cursor stops after one call', async () => {
    const connector = looping();
    const { engine } = engineFor(connector);
    await engine.pull();
    expect(engine.checkpoint.cursor).toBe('loop');
    connector.reset();
    const again = await engine.pull();
    expect(connector.calls.listIssues).toBe(1);
    expect(again.failures[0]?.message).toMatch(/already returned/);
  });

  it("a push's full listing (no sync bases) throws PageWalkLimitError instead of looping", async () => {
    const connector = looping();
    const { engine, store } = engineFor(connector, { useSyncBase: false });
    await store.upsertIssue(issue('LOCAL-1'));
    const error = await engine.push().catch((caught: unknown) => caught);
    expect(PageWalkLimitError.isInstance(error)).toBe(true);
    expect((error as PageWalkLimitError).reason).toBe('repeated_cursor');
    expect(connector.calls.listIssues).toBe(2);
  });
});

describe('maxPages bounds one walk', () => {
  function world(size: number) {
    const tracker = new FakeTracker();
    for (let index = 0; index < size; index++) tracker.seed(issue(`I-${String(index).padStart(3, '0')}`));
    return counting(tracker);
  }

  it('stops after maxPages pages with a pull_page failure; the next pull resumes where it stopped', async () => {
    const connector = world(25);
    const { engine, store } = engineFor(connector, { maxPages: 3 });
    const first = await engine.pull({ limit: 5 });
    expect(connector.calls.listIssues).toBe(3);
    expect(first.stats.pulledCreated).toBe(15);
    expect(first.failures[0]).toMatchObject({ operation: 'pull_page', retryable: false });
    expect(first.failures[0]?.message).toMatch(
      /after 3 page\(s\) \(SyncEngine maxPages = 3\) while listIssues still offered another page/,
    );
    connector.reset();
    const second = await engine.pull({ limit: 5 });
    expect(connector.calls.listIssues).toBe(2);
    expect(second.failures).toEqual([]);
    expect(await store.listIssues()).toHaveLength(25);
  });

  it('a listing of exactly maxPages pages is not a failure', async () => {
    const connector = world(15);
    const { engine } = engineFor(connector, { maxPages: 3 });
    const result = await engine.pull({ limit: 5 });
    expect(result.failures).toEqual([]);
    expect(result.stats.pulledCreated).toBe(15);
  });

  it('rejects a maxPages that is not a positive integer', () => {
    expect(() => engineFor(world(1), { maxPages: 0 })).toThrow(ModelValidationError);
  });
});
