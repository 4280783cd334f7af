// A local issue created with links: the links reach GitHub once, and later syncs write nothing.
import {
  CanonicalIssueType,
  CanonicalStatus,
  createIssue,
  createLink,
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  LinkType,
  OwnershipPolicy,
  SyncEngine,
} from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { useGitHubEnvs } from './testing/github-test-env';

const startEnv = useGitHubEnvs();
const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

describe('GitHub links on a created issue', () => {
  it('writes the links of a new local issue once, then stays quiet', async () => {
    const env = await startEnv();
    env.fake.seedIssue({ title: 'Existing' });
    const store = new InMemoryIssueStore();
    const engine = new SyncEngine({ connector: env.connector, store, policy });
    await engine.sync({ limit: 10 });
    const target = createRef({ system: 'github', workspace: 'octocat/hello-world', id: '1' });
    await store.upsertIssue(
      createIssue({
        ref: createRef({ system: 'github', workspace: 'octocat/hello-world', id: 'draft-1' }),
        title: 'New',
        status: CanonicalStatus.TODO,
        issueType: CanonicalIssueType.TASK,
        links: [createLink({ type: LinkType.BLOCKED_BY, target })],
      }),
    );
    const created = await engine.sync({ limit: 10 });
    expect(created.failures).toEqual([]);
    expect(created.stats.pushedCreated).toBe(1);
    // Written with the create, and kept in the store (not dropped as "GitHub has no such link").
    expect(env.fake.issue(2)?.blockedBy).toEqual([1]);
    const stored = (await store.listIssues({ system: 'github' })).find((issue) => issue.ref.id === '2');
    expect(stored?.links.map((link) => [link.type, link.target.id])).toEqual([['blocked_by', '1']]);
    env.fake.server.resetCalls();
    for (let round = 0; round < 2; round++) {
      const result = await engine.sync({ limit: 10 });
      expect(result.failures).toEqual([]);
      expect(result.stats.pushedUpdated + result.stats.pushedCreated).toBe(0);
    }
    expect(env.fake.server.calls.filter((call) => call.method !== 'GET')).toEqual([]);
  });
});
