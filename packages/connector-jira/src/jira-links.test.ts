// Links are read back from `issuelinks` in the listing's search itself and round-trip through
// sync without echo writes.
import {
  CanonicalIssueType,
  CanonicalStatus,
  createIssue,
  createLink,
  createRef,
  InMemoryIssueStore,
  LinkType,
  SyncEngine,
} from '@spec-kitty/core';
import { JiraFake, LINK_TYPES } from '@spec-kitty/fake-trackers/jira';
import {
  addLocalLinks,
  draftWithLinks,
  expectQuietSyncs,
  linkPairs,
  sharedOwnership,
  storedIssue,
  useFakes,
} from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it } from 'vitest';
import { JiraConnector } from './jira-connector';
import { projectJiraIssue } from './jira-mapping';

const EMAIL = 'dev@example.com';
const TOKEN = 'secret-api-token-links';
const track = useFakes();
const policy = sharedOwnership();
const writes = (fake: JiraFake) =>
  fake.callCount('POST /rest/api/3/issueLink') +
  fake.callCount('PUT /rest/api/3/issue/{issueIdOrKey}') +
  fake.callCount('POST /rest/api/3/issue');
const type = (name: string) => {
  const found = LINK_TYPES.find((candidate) => candidate.name === name);
  if (!found) throw new Error(name);
  return found;
};

async function world() {
  const fake = await track(await new JiraFake({ email: EMAIL, apiToken: TOKEN }).start());
  const start = Date.now() - 3600_000;
  const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((summary, index) =>
    fake.state.seedIssue({ summary, created: start + index * 60_000, updated: start + index * 60_000 }),
  ) as [ReturnType<typeof fake.state.seedIssue>, ...ReturnType<typeof fake.state.seedIssue>[]];
  // Made out of canonical order: the read sorts by type, then id.
  fake.state.addLink(type('Relates'), b!, d!);
  fake.state.addLink(type('Blocks'), b!, c!);
  fake.state.addLink(type('Duplicate'), b!, a);
  const jira = new JiraConnector({ baseUrl: fake.url, email: EMAIL, apiToken: TOKEN, projectKey: 'PROJ' });
  const store = new InMemoryIssueStore();
  return {
    fake,
    jira,
    store,
    engine: new SyncEngine({ connector: jira, store, policy }),
    ids: [a, b!, c!, d!],
  };
}

describe('Jira links read back', () => {
  it('fills links from issuelinks in the search itself, sorted, with no extra request', async () => {
    const { fake, jira, ids } = await world();
    const [a, b, c, d] = ids.map((issue) => issue.id);
    const page = await jira.listIssues({ updatedSince: null, cursor: null, limit: 50 });
    const byId = new Map(page.items.map((issue) => [issue.ref.id, issue]));
    expect(linkPairs(byId.get(b!)!)).toEqual([
      ['blocks', c],
      ['duplicates', a],
      ['relates_to', d],
    ]);
    expect(linkPairs(byId.get(c!)!)).toEqual([['blocked_by', b]]);
    expect(linkPairs(byId.get(a!)!)).toEqual([['relates_to', b]]);
    expect(fake.callsByEndpoint()).toEqual({ 'POST /rest/api/3/search/jql': 1 });
  });

  it('round-trips links through sync: no echo writes; a local link is written once', async () => {
    const { fake, engine, store, jira, ids } = await world();
    const [a, , , d] = ids;
    await engine.pull({ limit: 10 });
    fake.resetCalls();
    await expectQuietSyncs(engine, () => writes(fake));

    // A link authored locally (target by id only, no key or URL) is added with one POST.
    const local = await storedIssue(store, 'jira', (issue) => issue.ref.id === d!.id);
    const target = createRef({ system: 'jira', workspace: jira.workspace, id: a!.id });
    await addLocalLinks(store, local, [createLink({ type: LinkType.BLOCKS, target })]);
    fake.resetCalls();
    expect((await engine.sync({ limit: 10 })).failures).toEqual([]);
    expect(fake.callCount('POST /rest/api/3/issueLink')).toBe(1);
    expect(fake.state.links.some((link) => link.sourceId === d!.id && link.targetId === a!.id)).toBe(true);
    fake.resetCalls();
    await expectQuietSyncs(engine, () => writes(fake));
  });

  it('writes the links of a new local issue with the create and keeps them', async () => {
    const { fake, engine, store, jira, ids } = await world();
    const [a] = ids;
    await engine.sync({ limit: 10 });
    await store.upsertIssue(
      draftWithLinks(createRef({ system: 'jira', workspace: jira.workspace, id: 'draft-1' }), 'New', [
        createLink({
          type: LinkType.BLOCKED_BY,
          target: createRef({ system: 'jira', workspace: jira.workspace, id: a!.id }),
        }),
      ]),
    );
    const created = await engine.sync({ limit: 10 });
    expect(created.failures).toEqual([]);
    expect(created.stats.pushedCreated).toBe(1);
    const stored = await storedIssue(store, 'jira', (issue) => issue.title === 'New');
    expect(linkPairs(stored)).toEqual([['blocked_by', a!.id]]);
    fake.resetCalls();
    await expectQuietSyncs(engine, () => writes(fake));
  });

  it('pulls a link added in Jira after the first pull', async () => {
    const { fake, engine, store, ids } = await world();
    const [a, , c] = ids;
    await engine.sync({ limit: 10 });
    fake.state.addLink(type('Blocks'), c!, a!);
    await engine.sync({ limit: 10 });
    const pulled = await storedIssue(store, 'jira', (issue) => issue.ref.id === a!.id);
    expect(linkPairs(pulled)).toContainEqual(['blocked_by', c!.id]);
    expect(writes(fake)).toBe(0);
  });

  it('projects links as Jira holds them: sorted, hierarchy as relates, other trackers dropped, by id', () => {
    const base = 'https://x.atlassian.net';
    const jiraRef = (id: string, key: string | null) =>
      createRef({ system: 'jira', workspace: base, id, key, url: key ? `${base}/browse/${key}` : null });
    const draft = createIssue({
      ref: createRef({ system: 'local', workspace: 'here', id: 'x' }),
      title: 'x',
      status: CanonicalStatus.TODO,
      issueType: CanonicalIssueType.TASK,
      links: [
        createLink({ type: LinkType.RELATES_TO, target: jiraRef('10003', 'P-3') }),
        createLink({ type: LinkType.PARENT_OF, target: jiraRef('10002', null) }),
        createLink({
          type: LinkType.BLOCKS,
          target: createRef({ system: 'github', workspace: 'o/r', id: '1' }),
        }),
        createLink({ type: LinkType.BLOCKS, target: jiraRef('10010', 'P-10') }),
      ],
    });
    const projected = projectJiraIssue(draft, { statusNameMap: {}, defaultIssueType: 'Task', baseUrl: base });
    expect(linkPairs(projected)).toEqual([
      ['blocks', '10010'],
      ['relates_to', '10002'],
      ['relates_to', '10003'],
    ]);
    expect(projected.links.every((link) => link.target.key === null && link.target.url === null)).toBe(true);
  });
});
