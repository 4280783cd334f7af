// End to end with core's SyncEngine (issue 18): a full pull through the GitHub connector finds
// issues deleted (410) or transferred on the GitHub fake with `checkGone` and records tombstones,
// a local deletion closes the GitHub issue as not planned, and a failing check deletes nothing.
import {
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  OwnershipPolicy,
  SyncEngine,
  type SyncEngineOptions,
} from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { useGitHubEnvs } from './testing/github-test-env';

const GET_ISSUE = 'GET /repos/{owner}/{repo}/issues/{issue_number}';
const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
const noSleep = async () => {};
const startEnv = useGitHubEnvs();
const ref = (number: number, workspace = 'octocat/hello-world') =>
  createRef({ system: 'github', workspace, id: String(number) });

async function pulledWorld() {
  const env = await startEnv({ repos: [{ owner: 'octocat', name: 'elsewhere' }] });
  for (const title of ['stays', 'deleted', 'transferred']) env.fake.seedIssue({ title });
  const store = new InMemoryIssueStore();
  const engine = (options: Partial<SyncEngineOptions> = {}) =>
    new SyncEngine({ connector: env.connector, store, policy, sleep: noSleep, ...options });
  await engine().pull();
  return { env, store, engine };
}

describe('SyncEngine deletions + GitHubConnector + GitHub fake', () => {
  it('a full pull records deleted and transferred issues as tombstones and keeps their rows', async () => {
    const { env, store, engine } = await pulledWorld();
    env.fake.deleteIssue(2);
    env.fake.transferIssue(3, { owner: 'octocat', repo: 'elsewhere' });
    const result = await engine({ persistCheckpoints: false }).pull();
    expect(result.failures).toEqual([]);
    expect(result.stats.tombstoned).toBe(2);
    expect(result.tombstones.map(({ ref: { id }, reason }) => [id, reason])).toEqual([
      ['2', 'deleted'],
      ['3', 'moved'],
    ]);
    expect((await store.getTombstone(ref(3)))?.movedTo).toMatchObject({ workspace: 'octocat/elsewhere' });
    expect(await store.listTombstones({ origin: 'remote' })).toHaveLength(2);
    expect(await store.listIssues({ system: 'github' })).toHaveLength(3);
    // Recorded once: the next full pull does not ask about tombstoned issues again.
    const reads = env.fake.server.callCount(GET_ISSUE);
    const again = await engine({ persistCheckpoints: false }).pull();
    expect(again.tombstones).toEqual([]);
    expect(env.fake.server.callCount(GET_ISSUE)).toBe(reads);
  });

  it('a failing check (503) is a check_gone failure and marks nothing deleted', async () => {
    const { env, store, engine } = await pulledWorld();
    env.fake.deleteIssue(2);
    env.fake.server.injectFault({ endpoint: GET_ISSUE, fault: { kind: 'status', status: 503 }, times: 10 });
    const result = await engine({ persistCheckpoints: false, maxRetryAttempts: 0 }).pull();
    expect(result.tombstones).toEqual([]);
    expect(result.failures.map((failure) => [failure.operation, failure.failureClass])).toEqual([
      ['check_gone', 'transient'],
    ]);
    expect(await store.listTombstones()).toEqual([]);
  });

  it('a local deletion closes the GitHub issue as not planned, once', async () => {
    const { env, store, engine } = await pulledWorld();
    await store.putTombstone({
      ref: ref(1),
      reason: 'deleted',
      movedTo: null,
      observedAt: new Date().toISOString(),
      origin: 'local',
      pushed: false,
    });
    const result = await engine().sync();
    expect(result.failures).toEqual([]);
    expect(result.closedRemote.map(({ id }) => id)).toEqual(['1']);
    expect(env.fake.issues()[0]).toMatchObject({
      title: 'stays',
      state: 'closed',
      stateReason: 'not_planned',
    });
    expect(await store.getTombstone(ref(1))).toMatchObject({ origin: 'local', pushed: true });
    expect((await engine().sync()).closedRemote).toEqual([]);
  });
});
