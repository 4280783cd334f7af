// Linear declares its page cap (250, within the 10 000-point complexity budget the fake checks) as
// maxPageSize, so a SyncEngine run with no limit pulls with the fewest ListIssues requests the
// API allows: one per 250 issues, plus the one catch-up request that ends every multi-page pass
// of the newest-first scan (see LinearConnector.listIssues: it returns what changed while the
// pass ran). A no-op incremental sync is one request.
import { FieldOwner, InMemoryIssueStore, OwnershipPolicy, SyncEngine } from '@spec-kitty/core';
import type { LinearFake } from '@spec-kitty/fake-trackers/linear';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectorFor, startFake } from './test-helpers';

let fake: LinearFake;
beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  const violations = [...fake.server.violations];
  await fake.close();
  expect(violations).toEqual([]);
});

function world(count: number) {
  const team = fake.state.defaultTeam;
  const label = fake.state.addLabel({ name: 'bulk', teamId: team.id });
  for (let index = 0; index < count; index += 1) {
    fake.state.addIssue({
      teamId: team.id,
      title: `Issue ${index}`,
      labelIds: [label.id],
      priority: index % 5,
    });
  }
  const connector = connectorFor(fake, { overlapMs: 0 });
  const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
  return { connector, engine: new SyncEngine({ connector, store: new InMemoryIssueStore(), policy }) };
}

describe('Linear page size', () => {
  it('declares maxPageSize 250', async () => {
    const { connector } = world(0);
    expect((await connector.getCapabilities()).maxPageSize).toBe(250);
  });

  it('a cold pull with no limit makes one ListIssues request per 250 issues, plus the catch-up', async () => {
    const count = 1000;
    const { engine } = world(count);
    const result = await engine.pull();
    expect(result.failures).toEqual([]);
    expect(result.stats.pulledCreated).toBe(count);
    expect(fake.operationCount('ListIssues')).toBe(count / 250 + 1);
    expect(fake.server.callCount()).toBe(count / 250 + 1);
  });

  it('a no-op incremental sync after it makes at most 2 requests', async () => {
    const { engine } = world(300);
    expect((await engine.sync()).failures).toEqual([]);
    const before = fake.server.callCount();
    const idle = await engine.sync();
    expect(idle.failures).toEqual([]);
    expect(idle.stats).toMatchObject({ pulledCreated: 0, pulledUpdated: 0 });
    expect(fake.server.callCount() - before).toBeLessThanOrEqual(2);
  });
});
