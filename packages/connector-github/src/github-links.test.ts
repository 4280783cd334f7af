// Sub-issues and dependencies are read back as links (the listing counts them; only issues that
// have any cost extra reads) and round-trip through sync without echo writes.
import {
  CanonicalIssueType,
  CanonicalStatus,
  cloneIssue,
  createIssue,
  createLink,
  createRef,
  InMemoryIssueStore,
  LinkType,
  SyncEngine,
} from '@spec-kitty/core';
import type { GitHubFake } from '@spec-kitty/fake-trackers/github';
import { expectQuietSyncs, linkPairs, sharedOwnership, storedIssue } from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it } from 'vitest';
import { projectGitHubIssue } from './github-mapping';
import { useGitHubEnvs } from './testing/github-test-env';

const startEnv = useGitHubEnvs();
const policy = sharedOwnership();
const ref = (id: number) => createRef({ system: 'github', workspace: 'octocat/hello-world', id: String(id) });
const writes = (fake: GitHubFake) => fake.server.calls.filter((call) => call.method !== 'GET').length;

async function world() {
  const env = await startEnv();
  for (const title of ['Epic', 'Child', 'Blocked', 'Other', 'Plain']) env.fake.seedIssue({ title });
  // Made out of canonical order: the read sorts by type, then number.
  env.fake.relateBlockedBy(3, 2);
  env.fake.relateBlockedBy(4, 2);
  env.fake.relateSubIssue(1, 2);
  env.fake.relateBlockedBy(2, 4);
  const store = new InMemoryIssueStore();
  return { ...env, store, engine: new SyncEngine({ connector: env.connector, store, policy }) };
}

describe('GitHub links read back', () => {
  it('fills links from sub-issues and dependencies, reading only issues that have some', async () => {
    const { fake, connector } = await world();
    fake.server.resetCalls();
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 50 });
    const byId = new Map(page.items.map((issue) => [issue.ref.id, issue]));
    expect(linkPairs(byId.get('2')!)).toEqual([
      ['blocked_by', '4'],
      ['blocks', '3'],
      ['blocks', '4'],
    ]);
    expect(byId.get('2')?.parent?.id).toBe('1');
    expect(linkPairs(byId.get('1')!)).toEqual([['parent_of', '2']]);
    expect(linkPairs(byId.get('3')!)).toEqual([['blocked_by', '2']]);
    expect(linkPairs(byId.get('4')!)).toEqual([
      ['blocked_by', '2'],
      ['blocks', '2'],
    ]);
    expect(linkPairs(byId.get('5')!)).toEqual([]);
    // One list call, then one read per relation kind an issue has: #1 sub-issues; #2 blocked_by
    // and blocking; #3 blocked_by; #4 blocked_by and blocking. Nothing for #5.
    expect(fake.server.callsByEndpoint()).toEqual({
      'GET /repos/{owner}/{repo}/issues': 1,
      'GET /repos/{owner}/{repo}/issues/{issue_number}/sub_issues': 1,
      'GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by': 3,
      'GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking': 2,
    });
  });

  it('round-trips links through sync: no echo writes; a local link is written once', async () => {
    const { fake, engine, store } = await world();
    await engine.pull({ limit: 10 });
    fake.server.resetCalls();
    await expectQuietSyncs(engine, () => writes(fake));

    // Authored locally (target without key or URL): #5 blocks #1 → one dependency POST on #1.
    const local = await storedIssue(store, 'github', (issue) => issue.ref.id === '5');
    await store.upsertIssue(
      cloneIssue(local, {
        links: [createLink({ type: LinkType.BLOCKS, target: ref(1) })],
        updatedAt: new Date(Date.now() + 60_000),
      }),
    );
    fake.server.resetCalls();
    expect((await engine.sync({ limit: 10 })).failures).toEqual([]);
    expect(writes(fake)).toBe(1);
    expect(fake.issue(1)?.blockedBy).toEqual([5]);
    fake.server.resetCalls();
    await expectQuietSyncs(engine, () => writes(fake));
    const one = await storedIssue(store, 'github', (issue) => issue.ref.id === '1');
    expect(linkPairs(one)).toEqual([
      ['blocked_by', '5'],
      ['parent_of', '2'],
    ]);
  });

  it('pulls a dependency recorded on GitHub after the first pull, on both issues', async () => {
    const { fake, engine, store } = await world();
    await engine.sync({ limit: 10 });
    fake.relateBlockedBy(5, 3);
    await engine.sync({ limit: 10 });
    const byId = new Map(
      (await store.listIssues({ system: 'github' })).map((issue) => [issue.ref.id, issue]),
    );
    expect(linkPairs(byId.get('5')!)).toEqual([['blocked_by', '3']]);
    expect(linkPairs(byId.get('3')!)).toEqual([
      ['blocked_by', '2'],
      ['blocks', '5'],
    ]);
    expect(writes(fake)).toBe(0);
  });

  it('projects links as GitHub holds them: sorted, child_of and other trackers dropped, by number', () => {
    const withUrl = (id: number) =>
      createRef({
        system: 'github',
        workspace: 'octocat/hello-world',
        id: String(id),
        key: `#${id}`,
        url: 'https://x',
      });
    const draft = createIssue({
      ref: createRef({ system: 'local', workspace: 'here', id: 'x' }),
      title: 'x',
      status: CanonicalStatus.TODO,
      issueType: CanonicalIssueType.TASK,
      links: [
        createLink({ type: LinkType.BLOCKS, target: withUrl(10) }),
        createLink({ type: LinkType.RELATES_TO, target: ref(3) }),
        createLink({ type: LinkType.CHILD_OF, target: ref(4) }),
        createLink({
          type: LinkType.BLOCKED_BY,
          target: createRef({ system: 'jira', workspace: 'j', id: '1' }),
        }),
        createLink({ type: LinkType.BLOCKS, target: ref(9) }),
        createLink({ type: LinkType.PARENT_OF, target: ref(2) }),
      ],
    });
    const projected = projectGitHubIssue(draft);
    expect(linkPairs(projected)).toEqual([
      ['blocks', '9'],
      ['blocks', '10'],
      ['parent_of', '2'],
    ]);
    expect(projectGitHubIssue(projected)).toEqual(projected);
  });
});
