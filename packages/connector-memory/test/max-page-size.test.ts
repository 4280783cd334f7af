// A declared maximum page size is the engine's page size when the host names none: a listing
// takes as few calls as the tracker allows (issue 16, target 4). Counts calls; no timings.
import {
  CanonicalIssueType,
  CanonicalStatus,
  ConnectorConfigError,
  createIssue,
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  type ListIssuesQuery,
  OwnershipPolicy,
  SyncEngine,
} from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { InMemoryConnector } from '../src/memory-connector';

const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

/** A seeded connector whose listIssues calls (and the limits asked for) are recorded. */
function tracker(size: number, maxPageSize?: number) {
  const connector = new InMemoryConnector({ name: 'memory', workspace: 'demo', maxPageSize });
  for (let index = 0; index < size; index++) {
    connector.seed(
      createIssue({
        ref: createRef({ system: 'memory', workspace: 'demo', id: `I-${String(index).padStart(5, '0')}` }),
        title: `Issue ${index}`,
        status: CanonicalStatus.TODO,
        issueType: CanonicalIssueType.TASK,
        updatedAt: new Date(Date.UTC(2026, 0, 1) + index * 1000),
      }),
    );
  }
  const limits: number[] = [];
  const list = connector.listIssues.bind(connector);
  connector.listIssues = (query: ListIssuesQuery) => {
    limits.push(query.limit);
    return list(query);
  };
  return { connector, limits };
}

describe('maxPageSize', () => {
  it('declares it as a capability and caps larger pages at it', async () => {
    const { connector } = tracker(600, 250);
    expect((await connector.getCapabilities()).maxPageSize).toBe(250);
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 1000 });
    expect(page.items).toHaveLength(250);
    expect(page.nextCursor).toBe('250');
  });

  it('a cold pull with no limit pages at the declared maximum: 10,000 issues in 40 calls of 250', async () => {
    const { connector, limits } = tracker(10_000, 250);
    const engine = new SyncEngine({ connector, store: new InMemoryIssueStore(), policy });
    const result = await engine.pull();
    expect(result.stats.pulledCreated).toBe(10_000);
    expect(limits).toHaveLength(40);
    expect(new Set(limits)).toEqual(new Set([250]));
  });

  it('a cold sync pages at it too, and the push after it lists nothing', async () => {
    const { connector, limits } = tracker(1000, 250);
    const engine = new SyncEngine({ connector, store: new InMemoryIssueStore(), policy });
    await engine.sync();
    expect(limits).toEqual([250, 250, 250, 250]);
  });

  it("the host's limit wins over the declared maximum (and is capped by the connector)", async () => {
    const small = tracker(1000, 250);
    await new SyncEngine({ connector: small.connector, store: new InMemoryIssueStore(), policy }).pull({
      limit: 100,
    });
    expect(small.limits).toHaveLength(10);
    const large = tracker(1000, 250);
    const result = await new SyncEngine({
      connector: large.connector,
      store: new InMemoryIssueStore(),
      policy,
    }).pull({ limit: 1000 });
    expect(result.stats.pulledCreated).toBe(1000);
    expect(large.limits).toHaveLength(4);
  });

  it("without a declared maximum the engine's default page size (100) applies, as before", async () => {
    const { connector, limits } = tracker(1000);
    expect((await connector.getCapabilities()).maxPageSize).toBeUndefined();
    await new SyncEngine({ connector, store: new InMemoryIssueStore(), policy }).pull();
    expect(limits).toHaveLength(10);
    expect(new Set(limits)).toEqual(new Set([100]));
  });

  it('rejects a maxPageSize that is not a positive integer', () => {
    expect(() => new InMemoryConnector({ name: 'memory', workspace: 'demo', maxPageSize: 0 })).toThrow(
      ConnectorConfigError,
    );
  });
});
