// Echo freedom end to end: a local status GitHub cannot represent (in_progress reads back as
// todo) is written once, then costs no write on later syncs, reports no conflict and stays
// in_progress locally; a real close on GitHub still arrives as done.
import {
  CanonicalIssueType,
  CanonicalStatus,
  createIssue,
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  OwnershipPolicy,
  SyncEngine,
} from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { type GitHubTestEnv, useGitHubEnvs } from './testing/github-test-env';

let env: GitHubTestEnv | undefined;
const startEnv = useGitHubEnvs();

const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
const writes = (current: GitHubTestEnv) =>
  current.fake.server.calls.filter((call) => call.method !== 'GET' && call.method !== 'HEAD').length;

describe('SyncEngine + GitHubConnector: no echo for unrepresentable values', () => {
  it('writes an in_progress issue once, then nothing, and still receives a remote close', async () => {
    env = await startEnv();
    const store = new InMemoryIssueStore();
    await store.upsertIssue(
      createIssue({
        ref: createRef({ system: 'github', workspace: 'octocat/hello-world', id: 'draft-1' }),
        title: 'Started work',
        status: CanonicalStatus.IN_PROGRESS,
        issueType: CanonicalIssueType.STORY,
        priority: 2,
      }),
    );
    const engine = new SyncEngine({ connector: env.connector, store, policy, sleep: async () => {} });

    const first = await engine.sync();
    expect(first.failures).toEqual([]);
    expect(first.stats.pushedCreated).toBe(1);
    const afterCreate = writes(env);
    expect(afterCreate).toBe(1);
    const [stored] = await store.listIssues({ system: 'github' });
    expect(stored?.status).toBe(CanonicalStatus.IN_PROGRESS);
    if (!stored) throw new Error('no local issue');

    for (let round = 0; round < 3; round++) {
      const result = await engine.sync();
      expect(result.conflicts).toEqual([]);
      expect(result.failures).toEqual([]);
      expect(result.stats.pushedUpdated).toBe(0);
    }
    expect(writes(env)).toBe(afterCreate);
    const kept = await store.getIssue(stored.ref);
    expect(kept).toMatchObject({
      status: CanonicalStatus.IN_PROGRESS,
      issueType: CanonicalIssueType.STORY,
      priority: 2,
    });

    // Someone closes the issue on GitHub.
    await env.connect().transitionIssue(stored.ref, CanonicalStatus.DONE);
    const closing = await engine.sync();
    expect(closing.conflicts).toEqual([]);
    expect((await store.getIssue(stored.ref))?.status).toBe(CanonicalStatus.DONE);
  });
});
