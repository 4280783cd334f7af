// Issues inside an incremental pull's overlap window are listed again; their relations are read
// again only when the issue's `updated_at` or relation counts changed since the last read.
import { FieldOwner, InMemoryIssueStore, OwnershipPolicy, SyncEngine } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { useGitHubEnvs } from './testing/github-test-env';

const startEnv = useGitHubEnvs();
const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
const RELATION_READS = /\/(sub_issues|dependencies\/blocked_by|dependencies\/blocking)$/;

async function linkedWorld() {
  // A one-minute overlap: every seeded issue (one clock tick apart) is inside the window.
  const env = await startEnv({ overlapSeconds: 60 });
  for (const title of ['Epic', 'Child', 'Blocked', 'Plain']) env.fake.seedIssue({ title });
  env.fake.relateSubIssue(1, 2);
  env.fake.relateBlockedBy(3, 2);
  const store = new InMemoryIssueStore();
  return { ...env, store, engine: new SyncEngine({ connector: env.connector, store, policy }) };
}

describe('GitHub relations in the overlap window', () => {
  it('a no-op sync after a sync with linked issues costs at most 2 calls and no relation read', async () => {
    const { fake, engine, store } = await linkedWorld();
    const first = await engine.sync({ limit: 10 });
    expect(first.failures).toEqual([]);
    expect(fake.server.calls.some((call) => RELATION_READS.test(call.endpoint))).toBe(true);
    fake.server.resetCalls();

    const noop = await engine.sync({ limit: 10 });
    expect(noop.failures).toEqual([]);
    expect(noop.stats.pulledUpdated + noop.stats.pushedUpdated).toBe(0);
    expect(fake.server.callCount()).toBeLessThanOrEqual(2);
    expect(fake.server.calls.filter((call) => RELATION_READS.test(call.endpoint))).toEqual([]);
    const two = (await store.listIssues({ system: 'github' })).find((issue) => issue.ref.id === '2')!;
    expect(two.links.map((link) => [link.type, link.target.id])).toEqual([['blocks', '3']]);
    expect(two.parent?.id).toBe('1');
  });

  it('reads an issue’s relations again once its counts or updated_at change', async () => {
    const { fake, engine, store } = await linkedWorld();
    await engine.sync({ limit: 10 });
    fake.relateBlockedBy(4, 2);
    fake.server.resetCalls();
    expect((await engine.sync({ limit: 10 })).failures).toEqual([]);
    expect(fake.server.calls.some((call) => RELATION_READS.test(call.endpoint))).toBe(true);
    const byId = new Map(
      (await store.listIssues({ system: 'github' })).map((issue) => [issue.ref.id, issue]),
    );
    expect(byId.get('2')?.links.map((link) => [link.type, link.target.id])).toEqual([
      ['blocks', '3'],
      ['blocks', '4'],
    ]);
    expect(byId.get('4')?.links.map((link) => [link.type, link.target.id])).toEqual([['blocked_by', '2']]);
  });
});
