// Checkpoints persisted per scope, and the switches back to the original's behaviour.
import { describe, expect, it } from 'vitest';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import type { ListIssuesQuery } from '../protocol/connector';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { counting } from './test-support/counting-connector';
import { FakeTracker } from './test-support/fake-tracker';
import { at, issue, ref } from './test-support/fixtures';

const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

function recordingWorld() {
  const tracker = new FakeTracker();
  tracker.seed(issue('A', { updatedAt: at('2026-01-01T00:00:00Z') }));
  tracker.seed(issue('B', { updatedAt: at('2026-01-02T00:00:00Z') }));
  const connector = counting(tracker);
  const queries: ListIssuesQuery[] = [];
  const list = tracker.listIssues.bind(tracker);
  connector.listIssues = async (query) => {
    queries.push(query);
    return list(query);
  };
  return { tracker, connector, queries, store: new InMemoryIssueStore() };
}

describe('checkpoint scopes', () => {
  it('keeps one checkpoint per connector and filter set', async () => {
    const { connector, queries, store } = recordingWorld();
    const engine = new SyncEngine({ connector, store, policy });
    await engine.pull({ filters: { project: 'a' } });
    expect(await store.getCheckpoint('memory?{"project":"a"}')).toEqual({
      cursor: null,
      updatedSince: at('2026-01-02T00:00:00Z'),
    });
    await engine.pull({ filters: { project: 'b' } });
    expect(queries.at(-1)?.updatedSince).toBeNull();
    await engine.pull({ filters: { project: 'a' } });
    expect(queries.at(-1)?.updatedSince).toEqual(at('2026-01-02T00:00:00Z'));
  });

  it('uses checkpointScope when given', async () => {
    const { connector, store } = recordingWorld();
    await new SyncEngine({ connector, store, policy, checkpointScope: 'github:octo/hello' }).pull();
    expect(await store.getCheckpoint('github:octo/hello')).not.toBeNull();
    expect(await store.getCheckpoint('memory')).toBeNull();
  });

  it('a restored checkpoint wins over the stored one', async () => {
    const { connector, queries, store } = recordingWorld();
    await new SyncEngine({ connector, store, policy }).pull();
    const engine = new SyncEngine({ connector, store, policy });
    engine.restoreCheckpoint({ cursor: null, updatedSince: null });
    await engine.pull();
    expect(queries.at(-1)?.updatedSince).toBeNull();
  });
});

describe('opting out', () => {
  it('persistCheckpoints: false starts every new engine from scratch, as the original', async () => {
    const { connector, queries, store } = recordingWorld();
    await new SyncEngine({ connector, store, policy, persistCheckpoints: false }).pull();
    await new SyncEngine({ connector, store, policy, persistCheckpoints: false }).pull();
    expect(queries.map((query) => query.updatedSince)).toEqual([null, null]);
    expect(await store.getCheckpoint('memory')).toBeNull();
  });

  it('useSyncBase: false lists the whole remote on push and keeps no bases, as the original', async () => {
    const { connector, queries, store } = recordingWorld();
    const engine = new SyncEngine({ connector, store, policy, useSyncBase: false });
    await engine.pull();
    await engine.push();
    expect(queries.map((query) => [query.updatedSince, query.limit])).toEqual([
      [null, 100],
      [null, 200],
    ]);
    expect(await store.getSyncBase(ref('A'))).toBeNull();
  });
});
