// The pull requests the next page while the page before it is merged and committed, and handles
// that request's outcome only once the page before it is done, as if it had been made afterwards.
import { describe, expect, it } from 'vitest';
import { ConnectorRequestError } from '../errors/errors';
import type { ExternalRef } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import type { ListIssuesQuery } from '../protocol/connector';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { FakeTracker } from './test-support/fake-tracker';
import { at, issue } from './test-support/fixtures';

const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

/** A tracker of three issues listed one per page, and the listing calls made so far. */
function world(options: { failCursor?: string } = {}) {
  const tracker = new FakeTracker();
  for (const [id, day] of [
    ['A', '01'],
    ['B', '02'],
    ['C', '03'],
  ] as const) {
    tracker.seed(issue(id, { updatedAt: at(`2026-01-${day}T00:00:00Z`) }));
  }
  const queries: ListIssuesQuery[] = [];
  const list = tracker.listIssues.bind(tracker);
  tracker.listIssues = async (query) => {
    queries.push(query);
    if (query.cursor !== null && query.cursor === options.failCursor) {
      throw new ConnectorRequestError('HTTP 400 on the second page', { statusCode: 400 });
    }
    return list(query);
  };
  return { tracker, queries };
}

/** Records, at each local write, how many listing calls had been made by then. */
class WatchedStore extends InMemoryIssueStore {
  readonly listingsAtWrite = new Map<string, number>();
  constructor(private readonly queries: readonly ListIssuesQuery[]) {
    super();
  }
  override upsertIssue(issue: CanonicalIssue): Promise<void> {
    this.listingsAtWrite.set(issue.ref.id, this.queries.length);
    return super.upsertIssue(issue);
  }
}

describe('pull read-ahead', () => {
  it('requests the next page before it writes the page it holds, and no page past the last', async () => {
    const { tracker, queries } = world();
    const store = new WatchedStore(queries);
    const result = await new SyncEngine({ connector: tracker, store, policy }).pull({ limit: 1 });
    expect(result.stats.pulledCreated).toBe(3);
    // Page 2 was already requested when page 1's issue was written, page 3 before page 2's.
    expect(store.listingsAtWrite.get('A')).toBe(2);
    expect(store.listingsAtWrite.get('B')).toBe(3);
    // The last page has no next cursor: nothing is requested after it.
    expect(store.listingsAtWrite.get('C')).toBe(3);
    expect(queries).toHaveLength(3);
  });

  it('commits the page it holds before it records the failure of the page read ahead', async () => {
    const probe = world();
    await new SyncEngine({ connector: probe.tracker, store: new InMemoryIssueStore(), policy }).pull({
      limit: 1,
    });
    const secondCursor = probe.queries[1]?.cursor ?? undefined;
    expect(secondCursor).toBeTruthy();

    const { tracker, queries } = world({ failCursor: secondCursor });
    const store = new InMemoryIssueStore();
    const result = await new SyncEngine({ connector: tracker, store, policy }).pull({ limit: 1 });
    expect(queries).toHaveLength(2);
    expect(result.stats.pulledCreated).toBe(1);
    expect(result.failures.map((failure) => failure.operation)).toEqual(['pull_page']);
    expect((await store.getIssue(issue('A').ref))?.title).toBe('Issue A');
    // The checkpoint stands after page 1, so the next pull resumes at the page that failed.
    expect((await store.getCheckpoint('memory'))?.cursor).toBe(secondCursor);
  });

  it('reads no page past the walk limit', async () => {
    const { tracker, queries } = world();
    const result = await new SyncEngine({
      connector: tracker,
      store: new InMemoryIssueStore(),
      policy,
      maxPages: 2,
    }).pull({
      limit: 1,
    });
    expect(queries).toHaveLength(2);
    expect(result.failures.map((failure) => failure.operation)).toEqual(['pull_page']);
  });

  it("asks a store that can to read each page's issues ahead, before it reads any of them", async () => {
    const { tracker } = world();
    const log: string[] = [];
    class PrefetchingStore extends InMemoryIssueStore {
      async prefetch(refs: readonly ExternalRef[]): Promise<void> {
        log.push(`prefetch ${refs.map((ref) => ref.id).join(',')}`);
      }
      override getIssue(ref: ExternalRef): Promise<CanonicalIssue | null> {
        log.push(`get ${ref.id}`);
        return super.getIssue(ref);
      }
    }
    const store = new PrefetchingStore();
    await new SyncEngine({ connector: tracker, store, policy }).pull({ limit: 2 });
    expect(log).toEqual(['prefetch A,B', 'get A', 'get B', 'prefetch C', 'get C']);
  });
});
