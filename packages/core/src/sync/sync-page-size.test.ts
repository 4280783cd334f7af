// The page size of a run: the host's limit, else the connector's declared maxPageSize
// capability, else the engine's defaults. Counts the limits asked for; no timings.
import { describe, expect, it } from 'vitest';
import { capabilities } from '../capabilities';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import type { ListIssuesQuery } from '../protocol/connector';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { counting } from './test-support/counting-connector';
import { FakeTracker } from './test-support/fake-tracker';
import { issue } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

function world(size: number, maxPageSize?: number) {
  const tracker = new FakeTracker({ capabilities: maxPageSize === undefined ? {} : { maxPageSize } });
  for (let index = 0; index < size; index++) tracker.seed(issue(`I-${String(index).padStart(4, '0')}`));
  const limits: number[] = [];
  const list = tracker.listIssues.bind(tracker);
  tracker.listIssues = (query: ListIssuesQuery) => {
    limits.push(query.limit);
    return list(query);
  };
  const connector = counting(tracker);
  const store = new InMemoryIssueStore();
  return { connector, store, limits, engine: new SyncEngine({ connector, store, policy: shared }) };
}

describe('page size', () => {
  it('a pull with no limit uses the declared maxPageSize, asking for capabilities once', async () => {
    const { engine, limits, connector } = world(1000, 400);
    await engine.pull();
    expect(limits).toEqual([400, 400, 400]);
    expect(connector.calls.getCapabilities).toBe(1);
  });

  it("a push's full listing (no sync bases) uses it too", async () => {
    const { connector, store, limits } = world(1000, 500);
    await store.upsertIssue(issue('LOCAL-1'));
    const engine = new SyncEngine({ connector, store, policy: shared, useSyncBase: false });
    await engine.push();
    expect(limits).toEqual([500, 500]);
  });

  it('without a declaration: 100 per pulled page, 200 per pushed page, as before', async () => {
    const { connector, store, limits } = world(400);
    await store.upsertIssue(issue('LOCAL-1'));
    const engine = new SyncEngine({ connector, store, policy: shared, useSyncBase: false });
    await engine.pull();
    expect(limits).toEqual([100, 100, 100, 100]);
    limits.length = 0;
    await engine.push();
    expect(limits).toEqual([200, 200]);
  });

  it('a host limit is checked before any call and wins over the declaration', async () => {
    const { engine, limits, connector } = world(300, 250);
    await expect(engine.sync({ limit: 0 })).rejects.toThrow('limit must be a positive integer, got 0');
    expect(connector.total()).toBe(0);
    await engine.pull({ limit: 150 });
    expect(limits).toEqual([150, 150]);
    expect(connector.calls.getCapabilities).toBeUndefined();
  });

  it('capabilities() accepts a positive integer maxPageSize and rejects anything else', () => {
    expect(capabilities({ maxPageSize: 250 }).maxPageSize).toBe(250);
    expect(capabilities().maxPageSize).toBeUndefined();
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => capabilities({ maxPageSize: bad })).toThrow(/maxPageSize must be a positive integer/);
    }
  });
});
