// Links and work-item parents are read for a whole page in one GraphQL request (never one call
// per issue), by default, and round-trip through sync without echo writes.
import {
  CanonicalIssueType,
  CanonicalStatus,
  createConnector,
  createIssue,
  createLink,
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  LinkType,
  type Logger,
  OwnershipPolicy,
  SyncEngine,
} from '@spec-kitty/core';
import { GITLAB_GRAPHQL_ENDPOINT, GitLabFake } from '@spec-kitty/fake-trackers/gitlab';
import {
  addLocalLinks,
  countWrites,
  draftWithLinks,
  expectQuietSyncs,
  linkPairs,
  sharedOwnership,
  storedIssue,
  useFakes,
} from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it } from 'vitest';
import { GitLabConnector } from './gitlab-connector';
import { projectGitLabIssue } from './gitlab-mapping';
import './index';

const TOKEN = 'glpat-links';
const LIST = 'GET /projects/{id}/issues';
const REST_LINKS = 'GET /projects/{id}/issues/{iid}/links';
const track = useFakes();
const writes = (gl: GitLabFake) => countWrites(gl.calls, [GITLAB_GRAPHQL_ENDPOINT]);
const ref = (iid: number) => createRef({ system: 'gitlab', workspace: '42', id: String(iid) });

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => {};
  return {
    warnings,
    debug: ignore,
    info: ignore,
    warn: (message: string) => warnings.push(message),
    error: ignore,
  };
}

async function world(
  options: { readLinks?: boolean; graphqlWorkItems?: boolean; policy?: OwnershipPolicy } = {},
) {
  const gl = await track(
    await new GitLabFake({
      token: TOKEN,
      startTime: new Date(Date.now() - 3600_000),
      ...(options.graphqlWorkItems === undefined ? {} : { graphqlWorkItems: options.graphqlWorkItems }),
    }).start(),
  );
  const group = gl.state.addGroup({ id: 9, path: 'acme' });
  gl.state.addProject({ id: 42, path: 'web', groupId: group.id });
  gl.state.addManyIssues(42, 5);
  const epic = gl.state.addEpic(group.id, { title: 'Roadmap' });
  gl.state.setParent(42, 4, { kind: 'epic', groupId: group.id, iid: epic.iid });
  gl.state.setParent(42, 5, { kind: 'issue', projectId: 42, iid: 2 });
  const logger = recordingLogger();
  const connector = createConnector(
    'gitlab',
    {
      projectId: '42',
      token: TOKEN,
      baseUrl: gl.apiUrl,
      ...(options.readLinks === undefined ? {} : { readLinks: options.readLinks }),
    },
    { logger },
  );
  // Made out of canonical order, through the API as another user would.
  await connector.upsertLink(ref(2), createLink({ type: LinkType.RELATES_TO, target: ref(4) }));
  await connector.upsertLink(ref(2), createLink({ type: LinkType.BLOCKS, target: ref(3) }));
  await connector.upsertLink(ref(1), createLink({ type: LinkType.BLOCKED_BY, target: ref(2) }));
  gl.resetCalls();
  const store = new InMemoryIssueStore();
  const policy = options.policy ?? sharedOwnership();
  return { gl, connector, store, logger, engine: new SyncEngine({ connector, store, policy }) };
}

describe('GitLab links and parents read back', () => {
  it('fills links and parents of a listed page from one GraphQL request, by default', async () => {
    const { gl, connector } = await world();
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 50 });
    const byId = new Map(page.items.map((issue) => [issue.ref.id, issue]));
    expect(linkPairs(byId.get('2')!)).toEqual([
      ['blocks', '1'],
      ['blocks', '3'],
      ['relates_to', '4'],
    ]);
    expect(linkPairs(byId.get('1')!)).toEqual([['blocked_by', '2']]);
    expect(linkPairs(byId.get('3')!)).toEqual([['blocked_by', '2']]);
    expect(linkPairs(byId.get('5')!)).toEqual([]);
    expect(byId.get('2')?.links[0]?.target.workspace).toBe('42');
    // A group epic reads as {group path, iid}; a parent issue of the project as its ref.
    expect(byId.get('4')?.parent).toMatchObject({
      system: 'gitlab',
      workspace: 'acme',
      id: '1',
      key: 'acme&1',
    });
    expect(byId.get('5')?.parent).toMatchObject({ system: 'gitlab', workspace: '42', id: '2' });
    expect(byId.get('1')?.parent).toBeNull();
    expect(gl.callsByEndpoint()).toEqual({ [LIST]: 1, [GITLAB_GRAPHQL_ENDPOINT]: 1 });
  });

  it('reads the relations of a page of 100 issues with one list and one GraphQL call', async () => {
    const { gl, connector } = await world();
    gl.state.addManyIssues(42, 95);
    for (let iid = 6; iid <= 100; iid += 1)
      gl.state.links.push({
        issue_link_id: 10_000 + iid,
        source_project_id: 42,
        source_iid: iid,
        target_project_id: 42,
        target_iid: iid - 1,
        link_type: 'relates_to',
        created_at: '2026-01-01T00:00:00.000Z',
      });
    gl.resetCalls();
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 100 });
    expect(page.items).toHaveLength(100);
    expect(page.items.filter((issue) => issue.links.length > 0).length).toBeGreaterThanOrEqual(98);
    expect(gl.callsByEndpoint()).toEqual({ [LIST]: 1, [GITLAB_GRAPHQL_ENDPOINT]: 1 });
  });

  it('reads no links or parents (and projects none) when readLinks is false', async () => {
    const { gl, connector } = await world({ readLinks: false });
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 50 });
    expect(page.items.every((issue) => issue.links.length === 0 && issue.parent === null)).toBe(true);
    expect(gl.callsByEndpoint()).toEqual({ [LIST]: 1 });
  });

  it('round-trips links and parents through sync: no echo writes; a local link is written once', async () => {
    const { gl, engine, store } = await world();
    await engine.pull({ limit: 10 });
    gl.resetCalls();
    await expectQuietSyncs(engine, () => writes(gl));

    await addLocalLinks(store, await storedIssue(store, 'gitlab', (issue) => issue.ref.id === '5'), [
      createLink({ type: LinkType.BLOCKS, target: ref(1) }),
    ]);
    gl.resetCalls();
    expect((await engine.sync({ limit: 10 })).failures).toEqual([]);
    expect(gl.callCount('POST /projects/{id}/issues/{iid}/links')).toBe(1);
    expect(writes(gl)).toBe(1);
    await expectQuietSyncs(engine, () => writes(gl));
    const one = await storedIssue(store, 'gitlab', (issue) => issue.ref.id === '1');
    expect(linkPairs(one)).toEqual([
      ['blocked_by', '2'],
      ['blocked_by', '5'],
    ]);
    expect((await storedIssue(store, 'gitlab', (issue) => issue.ref.id === '5')).parent?.id).toBe('2');
  });

  it('re-reads no relations of issues listed again unchanged; a link added in GitLab is pulled', async () => {
    const { gl, connector, engine, store } = await world();
    await engine.pull({ limit: 10 });
    gl.resetCalls();
    expect((await engine.sync({ limit: 10 })).failures).toEqual([]);
    // The overlap window lists the newest issue again, at the same updated_at: no GraphQL.
    expect(gl.callCount(GITLAB_GRAPHQL_ENDPOINT)).toBe(0);
    await connector.upsertLink(ref(3), createLink({ type: LinkType.RELATES_TO, target: ref(5) }));
    gl.resetCalls();
    expect((await engine.sync({ limit: 10 })).failures).toEqual([]);
    expect(gl.callCount(GITLAB_GRAPHQL_ENDPOINT)).toBe(1);
    expect(linkPairs(await storedIssue(store, 'gitlab', (issue) => issue.ref.id === '5'))).toEqual([
      ['relates_to', '3'],
    ]);
    expect(writes(gl)).toBe(0);
  });

  it('pulls a parent changed in GitLab; a local parent change is refused before any write', async () => {
    const { gl, engine, store } = await world();
    await engine.pull({ limit: 10 });
    gl.state.setParent(42, 5, { kind: 'issue', projectId: 42, iid: 3 });
    gl.resetCalls();
    expect((await engine.sync({ limit: 10 })).failures).toEqual([]);
    expect((await storedIssue(store, 'gitlab', (issue) => issue.ref.id === '5')).parent?.id).toBe('3');
    expect(writes(gl)).toBe(0);

    const local = await storedIssue(store, 'gitlab', (issue) => issue.ref.id === '5');
    await store.upsertIssue({ ...local, parent: ref(1), updatedAt: new Date(Date.now() + 60_000) });
    gl.resetCalls();
    const refused = await engine.sync({ limit: 10 });
    expect(refused.failures.map((failure) => failure.message).join('\n')).toMatch(
      /cannot set the parent of issue #5.*fieldOwners: \{ parent: 'external' \}/,
    );
    expect(writes(gl)).toBe(0);
  });

  it('with the parent owned by the tracker, a local parent edit is overwritten quietly', async () => {
    const policy = OwnershipPolicy.split({
      fieldOwners: { parent: FieldOwner.EXTERNAL },
      defaultOwner: FieldOwner.SHARED,
    });
    const { gl, engine, store } = await world({ policy });
    await engine.pull({ limit: 10 });
    const local = await storedIssue(store, 'gitlab', (issue) => issue.ref.id === '5');
    await store.upsertIssue({ ...local, parent: ref(1), updatedAt: new Date(Date.now() + 60_000) });
    gl.resetCalls();
    expect((await engine.sync({ limit: 10 })).failures).toEqual([]);
    expect((await storedIssue(store, 'gitlab', (issue) => issue.ref.id === '5')).parent?.id).toBe('2');
    expect(writes(gl)).toBe(0);
  });

  it('writes the links of a new local issue with the create and keeps them', async () => {
    const { gl, engine, store } = await world();
    await engine.sync({ limit: 10 });
    await store.upsertIssue(
      draftWithLinks(createRef({ system: 'gitlab', workspace: '42', id: 'draft-1' }), 'New', [
        createLink({ type: LinkType.BLOCKED_BY, target: ref(3) }),
      ]),
    );
    const created = await engine.sync({ limit: 10 });
    expect(created.failures).toEqual([]);
    expect(created.stats.pushedCreated).toBe(1);
    expect(linkPairs(await storedIssue(store, 'gitlab', (issue) => issue.title === 'New'))).toEqual([
      ['blocked_by', '3'],
    ]);
    gl.resetCalls();
    await expectQuietSyncs(engine, () => writes(gl));
  });

  it('falls back to REST link reads, once warned, on a GitLab without work items', async () => {
    const { gl, connector, logger } = await world({ graphqlWorkItems: false });
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 50 });
    expect(linkPairs(page.items.find((issue) => issue.ref.id === '2')!)).toEqual([
      ['blocks', '1'],
      ['blocks', '3'],
      ['relates_to', '4'],
    ]);
    expect(page.items.every((issue) => issue.parent === null)).toBe(true);
    expect(gl.callsByEndpoint()).toEqual({ [LIST]: 1, [GITLAB_GRAPHQL_ENDPOINT]: 1, [REST_LINKS]: 5 });
    expect(logger.warnings.join('\n')).toMatch(/cannot read work-item relations/);
    // The refusal is the server's (a document it cannot validate), not a connector bug.
    gl.violations.length = 0;
    // GraphQL is not asked again; only the issue not seen before costs a REST read.
    gl.state.addIssue(42, { title: 'Later' });
    gl.resetCalls();
    await connector.listIssues({ updatedSince: null, cursor: null, limit: 50 });
    expect(gl.callsByEndpoint()).toEqual({ [LIST]: 1, [REST_LINKS]: 1 });
  });

  it('reads through REST the links of an issue with more than 100 (the batch reads 100)', async () => {
    const { gl, connector } = await world();
    gl.state.addManyIssues(42, 101);
    for (let iid = 6; iid <= 106; iid += 1)
      gl.state.links.push({
        issue_link_id: 20_000 + iid,
        source_project_id: 42,
        source_iid: 1,
        target_project_id: 42,
        target_iid: iid,
        link_type: 'relates_to',
        created_at: '2026-01-01T00:00:00.000Z',
      });
    gl.resetCalls();
    const one = await connector.getIssue(ref(1));
    expect(one.links).toHaveLength(102);
    expect(gl.callsByEndpoint()).toEqual({
      'GET /projects/{id}/issues/{iid}': 1,
      [GITLAB_GRAPHQL_ENDPOINT]: 1,
      [REST_LINKS]: 1,
    });
  });

  it('projects links as GitLab holds them: sorted, by project and iid, other types as relates_to', () => {
    const connector = new GitLabConnector({ projectId: '42', token: 't' });
    const draft = createIssue({
      ref: createRef({ system: 'local', workspace: 'here', id: 'x' }),
      title: 'x',
      status: CanonicalStatus.TODO,
      issueType: CanonicalIssueType.TASK,
      links: [
        createLink({
          type: LinkType.BLOCKS,
          target: createRef({
            system: 'gitlab',
            workspace: '42',
            id: '10',
            key: '10',
            url: 'https://gitlab.example/web/-/issues/10',
          }),
        }),
        createLink({ type: LinkType.PARENT_OF, target: ref(3) }),
        createLink({
          type: LinkType.BLOCKED_BY,
          target: createRef({ system: 'jira', workspace: 'j', id: '1' }),
        }),
        createLink({ type: LinkType.BLOCKS, target: ref(9) }),
      ],
    });
    const projected = connector.projectIssue(draft);
    expect(projected.links.map((link) => [link.type, link.target.workspace, link.target.id])).toEqual([
      ['blocks', '42', '9'],
      ['blocks', '42', '10'],
      ['relates_to', '42', '3'],
    ]);
    expect(connector.projectIssue(projected)).toEqual(projected);
    expect(projectGitLabIssue(draft).links).toEqual([]);
    // A parent reads back as GitLab holds it: a GitLab ref (key = iid unless given); others as null.
    const withParent = {
      ...draft,
      parent: createRef({
        system: 'gitlab',
        workspace: '42',
        id: '7',
        url: 'https://gitlab.example/web/-/issues/7',
      }),
    };
    expect(connector.projectIssue(withParent).parent).toMatchObject({ workspace: '42', id: '7', key: '7' });
    const foreign = { ...draft, parent: createRef({ system: 'jira', workspace: 'j', id: '1' }) };
    expect(connector.projectIssue(foreign).parent).toBeNull();
    expect(projectGitLabIssue(withParent).parent).toBeNull();
  });
});
