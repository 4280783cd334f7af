// End to end with core's SyncEngine: pushes through the GitHub connector to the GitHub fake with
// crash-after-write faults leave zero duplicates, and an unchanged incremental pull costs a 304.
import { draftIssue } from '@spec-kitty/connector-testkit';
import { FieldOwner, InMemoryIssueStore, OwnershipPolicy, SyncEngine } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { type GitHubTestEnv, useGitHubEnvs } from './testing/github-test-env';

const CREATE = 'POST /repos/{owner}/{repo}/issues';
const LIST = 'GET /repos/{owner}/{repo}/issues';

let env: GitHubTestEnv | undefined;
const startEnv = useGitHubEnvs();

const draft = (id: string, title: string) =>
  draftIssue({
    ref: { system: 'github', workspace: 'octocat/hello-world', id },
    title,
    body: 'From the mission',
  });

describe('SyncEngine + GitHubConnector + GitHub fake', () => {
  const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
  const noSleep = async () => {};

  it('pushes drafts with zero duplicates when creates crash after the write', async () => {
    env = await startEnv();
    env.fake.server.injectFault({ endpoint: CREATE, fault: { kind: 'crash-after-write' }, times: 2 });
    const store = new InMemoryIssueStore();
    await store.upsertIssue(draft('draft-1', 'Write docs'));
    await store.upsertIssue(draft('draft-2', 'Write tests'));
    const result = await new SyncEngine({ connector: env.connector, store, policy, sleep: noSleep }).push();
    expect(result.failures).toEqual([]);
    expect(result.stats.pushedCreated).toBe(2);
    expect(
      env.fake
        .issues()
        .map((issue) => issue.title)
        .sort(),
    ).toEqual(['Write docs', 'Write tests']);
    expect(env.fake.server.callCount(CREATE)).toBe(2);

    const again = await new SyncEngine({ connector: env.connector, store, policy, sleep: noSleep }).push();
    expect(again.stats.pushedCreated).toBe(0);
    expect(env.fake.issues()).toHaveLength(2);
  });

  it('a later run finds the issue an earlier run created but could not confirm', async () => {
    env = await startEnv();
    // The create lands but its answer is lost, and every lookup after it fails: absence cannot be
    // proven, so the engine must give up rather than create again.
    env.fake.server.injectFault({ endpoint: CREATE, fault: { kind: 'crash-after-write' } });
    let lookups = 0;
    env.fake.server.injectFault({
      endpoint: LIST,
      match: (request) => request.query.get('sort') === 'created' && ++lookups > 1,
      fault: { kind: 'status', status: 403, body: { message: 'Resource not accessible by integration' } },
      times: Number.POSITIVE_INFINITY,
    });
    const store = new InMemoryIssueStore();
    await store.upsertIssue(draft('draft-1', 'Write docs'));
    const first = await new SyncEngine({ connector: env.connector, store, policy, sleep: noSleep }).push();
    expect(first.stats.pushedCreated).toBe(0);
    expect(first.failures).toHaveLength(1);
    expect(env.fake.issues()).toHaveLength(1);

    env.fake.server.clearFaults();
    const second = await new SyncEngine({ connector: env.connect(), store, policy, sleep: noSleep }).push();
    expect(second.failures).toEqual([]);
    expect(second.stats.pushedCreated).toBe(1);
    expect(env.fake.issues()).toHaveLength(1);
    expect(env.fake.server.callCount(CREATE)).toBe(1);
  });

  it('an unchanged incremental pull is answered with a 304', async () => {
    env = await startEnv();
    for (let index = 1; index <= 3; index += 1) env.fake.seedIssue({ title: `Issue ${index}` });
    const store = new InMemoryIssueStore();
    const engine = new SyncEngine({ connector: env.connector, store, policy, sleep: noSleep });
    await engine.pull(); // full read, then the watermark is set
    await engine.pull(); // first incremental poll: a new URL (since = watermark - overlap)
    env.fake.server.resetCalls();
    await engine.pull(); // unchanged: the same URL, answered 304
    expect(env.fake.server.callCount(LIST)).toBe(1);
    expect(env.fake.server.calls.filter((call) => call.endpoint === LIST).map((call) => call.status)).toEqual(
      [304],
    );
  });

  it('an unchanged two-way sync costs one vendor call, a 304', async () => {
    env = await startEnv();
    for (let index = 1; index <= 5; index += 1) env.fake.seedIssue({ title: `Issue ${index}` });
    const store = new InMemoryIssueStore();
    const engine = new SyncEngine({ connector: env.connector, store, policy, sleep: noSleep });
    await engine.sync();
    await engine.sync();
    env.fake.server.resetCalls();
    await engine.sync();
    expect(env.fake.server.callsByEndpoint()).toEqual({ [LIST]: 1 });
    expect(env.fake.server.calls.map((call) => call.status)).toEqual([304]);
  });
});
