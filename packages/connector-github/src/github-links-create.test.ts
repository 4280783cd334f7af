// A local issue created with links: the links reach GitHub once, and later syncs write nothing.
import { createLink, createRef, InMemoryIssueStore, LinkType, SyncEngine } from '@spec-kitty/core';
import {
  countWrites,
  draftWithLinks,
  expectQuietSyncs,
  linkPairs,
  sharedOwnership,
  storedIssue,
} from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it } from 'vitest';
import { useGitHubEnvs } from './testing/github-test-env';

const startEnv = useGitHubEnvs();
const policy = sharedOwnership();

describe('GitHub links on a created issue', () => {
  it('writes the links of a new local issue once, then stays quiet', async () => {
    const env = await startEnv();
    env.fake.seedIssue({ title: 'Existing' });
    const store = new InMemoryIssueStore();
    const engine = new SyncEngine({ connector: env.connector, store, policy });
    await engine.sync({ limit: 10 });
    const target = createRef({ system: 'github', workspace: 'octocat/hello-world', id: '1' });
    await store.upsertIssue(
      draftWithLinks(
        createRef({ system: 'github', workspace: 'octocat/hello-world', id: 'draft-1' }),
        'New',
        [createLink({ type: LinkType.BLOCKED_BY, target })],
      ),
    );
    const created = await engine.sync({ limit: 10 });
    expect(created.failures).toEqual([]);
    expect(created.stats.pushedCreated).toBe(1);
    // Written with the create, and kept in the store (not dropped as "GitHub has no such link").
    expect(env.fake.issue(2)?.blockedBy).toEqual([1]);
    const stored = await storedIssue(store, 'github', (issue) => issue.ref.id === '2');
    expect(linkPairs(stored)).toEqual([['blocked_by', '1']]);
    env.fake.server.resetCalls();
    await expectQuietSyncs(engine, () => countWrites(env.fake.server.calls));
  });
});
