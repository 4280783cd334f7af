// A run with no limit pages at `capabilities.maxPageSize`: a cold pull costs as few list calls as
// GitHub's 100-per-page maximum allows, and an unchanged incremental sync costs at most 2 calls.
import { FieldOwner, InMemoryIssueStore, OwnershipPolicy, SyncEngine } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { useGitHubEnvs } from './testing/github-test-env';

const LIST = 'GET /repos/{owner}/{repo}/issues';
const startEnv = useGitHubEnvs();
const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

describe('GitHub page size', () => {
  it('declares maxPageSize 100', async () => {
    const env = await startEnv();
    expect((await env.connector.getCapabilities()).maxPageSize).toBe(100);
  });

  it('a cold pull with no limit asks for 100 per page, and a no-op sync costs at most 2 calls', async () => {
    const env = await startEnv();
    for (let index = 1; index <= 250; index += 1) env.fake.seedIssue({ title: `Issue ${index}` });
    const store = new InMemoryIssueStore();
    const engine = new SyncEngine({ connector: env.connector, store, policy });
    const pulled = await engine.pull();
    expect(pulled.stats.pulledCreated).toBe(250);
    expect(env.fake.server.callCount(LIST)).toBe(Math.ceil(250 / 100));

    env.fake.server.resetCalls();
    const again = await engine.sync();
    expect(again.failures).toEqual([]);
    expect(again.stats.pushedUpdated + again.stats.pushedCreated).toBe(0);
    expect(env.fake.server.callCount()).toBeLessThanOrEqual(2);
  });

  it('a last page that is exactly full ends the scan: GitHub omits Link on a single page', async () => {
    const env = await startEnv();
    // Page 1: 100 issues; page 2 (since the newest of them, inclusive): that one again + 99 new,
    // a full page without a Link header. Asking for a third page would only prove it empty.
    for (let index = 1; index <= 199; index += 1) env.fake.seedIssue({ title: `Issue ${index}` });
    const pulled = await new SyncEngine({
      connector: env.connector,
      store: new InMemoryIssueStore(),
      policy,
    }).pull();
    expect(pulled.stats.pulledCreated).toBe(199);
    expect(env.fake.server.callCount(LIST)).toBe(2);
  });

  it('a cold pull of issues that share one timestamp reads no page twice', async () => {
    const env = await startEnv({ tickMs: 0 });
    for (let index = 1; index <= 250; index += 1) env.fake.seedIssue({ title: `Issue ${index}` });
    const pulled = await new SyncEngine({
      connector: env.connector,
      store: new InMemoryIssueStore(),
      policy,
    }).pull();
    expect(pulled.stats.pulledCreated).toBe(250);
    expect(env.fake.server.callCount(LIST)).toBe(3);
  });
});
