// The deletion check of a full walk (sweepGone) costs nothing when nothing can be gone: only
// issues stored before the walk began can be unseen, so a first pull into an empty store asks
// the tracker nothing more than its pages (issue 16), while a later full walk still finds them.
import { describe, expect, it } from 'vitest';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import type { Page } from '../model/page';
import type { IssueTombstone } from '../model/tombstone';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import type { ListIssuesQuery } from '../protocol/connector';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { counting } from './test-support/counting-connector';
import { FakeTracker } from './test-support/fake-tracker';
import { issue, ref } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

/** A tracker that reports deletions; `checkGone` answers nothing is gone and records each ask. */
class DeletionsTracker extends FakeTracker {
  readonly asked: string[][] = [];
  /** Identities the listings leave out (deleted on the tracker). */
  readonly hidden = new Set<string>();
  constructor() {
    super({ capabilities: { reportsDeletions: true } });
  }
  override async listIssues(query: ListIssuesQuery): Promise<Page<CanonicalIssue>> {
    const page = await super.listIssues(query);
    return { ...page, items: page.items.filter((item) => !this.hidden.has(refIdentity(item.ref))) };
  }
  async checkGone(refs: readonly ExternalRef[]): Promise<IssueTombstone[]> {
    this.asked.push(refs.map(refIdentity));
    return [];
  }
}

function world(size: number) {
  const tracker = new DeletionsTracker();
  for (let n = 0; n < size; n++) tracker.seed(issue(`G-${String(n).padStart(3, '0')}`));
  const connector = counting(tracker);
  const store = new InMemoryIssueStore();
  const engine = () => new SyncEngine({ connector, store, policy: shared, persistCheckpoints: false });
  return { tracker, connector, store, engine };
}

describe('the deletion sweep of a full walk', () => {
  it('a first pull into an empty store lists its pages and asks nothing else', async () => {
    const { tracker, connector, store, engine } = world(250);
    const result = await engine().pull({ limit: 100 });
    expect(result.stats.pulledCreated).toBe(250);
    expect(connector.calls).toEqual({ listIssues: 3 });
    expect(tracker.asked).toEqual([]);
    expect(await store.listIssues()).toHaveLength(250);
  });

  it('a later full walk still asks about a stored issue it no longer lists', async () => {
    const { tracker, engine } = world(5);
    await engine().pull();
    tracker.hidden.add(refIdentity(ref('G-003')));
    await engine().pull();
    expect(tracker.asked).toEqual([[refIdentity(ref('G-003'))]]);
  });
});
