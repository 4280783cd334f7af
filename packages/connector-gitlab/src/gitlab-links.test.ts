// With `readLinks`, issue links fill `CanonicalIssue.links` (one bounded read per listed issue:
// GitLab REST has no batch form) and round-trip through sync without echo writes.
import {
  CanonicalIssueType,
  CanonicalStatus,
  cloneIssue,
  createConnector,
  createIssue,
  createLink,
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  LinkType,
  OwnershipPolicy,
  SyncEngine,
} from '@spec-kitty/core';
import { GitLabFake } from '@spec-kitty/fake-trackers/gitlab';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it } from 'vitest';
import { GitLabConnector } from './gitlab-connector';
import { projectGitLabIssue } from './gitlab-mapping';
import './index';

const TOKEN = 'glpat-links';
const LINKS = 'GET /projects/{id}/issues/{iid}/links';
const track = useFakes();
const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
const linksOf = (issue: { links: readonly { type: string; target: { id: string } }[] }) =>
  issue.links.map((link) => [link.type, link.target.id]);
const writes = (gl: GitLabFake) => gl.calls.filter((call) => call.method !== 'GET').length;
const ref = (iid: number) => createRef({ system: 'gitlab', workspace: '42', id: String(iid) });

async function world(readLinks = true) {
  const gl = await track(
    await new GitLabFake({ token: TOKEN, startTime: new Date(Date.now() - 3600_000) }).start(),
  );
  gl.state.addProject({ id: 42, path: 'web' });
  gl.state.addManyIssues(42, 5);
  const connector = createConnector('gitlab', {
    projectId: '42',
    token: TOKEN,
    baseUrl: gl.apiUrl,
    readLinks,
  });
  // Made out of canonical order, through the API as another user would.
  await connector.upsertLink(ref(2), createLink({ type: LinkType.RELATES_TO, target: ref(4) }));
  await connector.upsertLink(ref(2), createLink({ type: LinkType.BLOCKS, target: ref(3) }));
  await connector.upsertLink(ref(1), createLink({ type: LinkType.BLOCKED_BY, target: ref(2) }));
  gl.resetCalls();
  const store = new InMemoryIssueStore();
  return { gl, connector, store, engine: new SyncEngine({ connector, store, policy }) };
}

describe('GitLab links read back', () => {
  it('fills links from each listed issue’s links, sorted, with one read per issue', async () => {
    const { gl, connector } = await world();
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 50 });
    const byId = new Map(page.items.map((issue) => [issue.ref.id, issue]));
    expect(linksOf(byId.get('2')!)).toEqual([
      ['blocks', '1'],
      ['blocks', '3'],
      ['relates_to', '4'],
    ]);
    expect(linksOf(byId.get('1')!)).toEqual([['blocked_by', '2']]);
    expect(linksOf(byId.get('3')!)).toEqual([['blocked_by', '2']]);
    expect(linksOf(byId.get('5')!)).toEqual([]);
    expect(byId.get('2')?.links[0]?.target.workspace).toBe('42');
    expect(gl.callsByEndpoint()).toEqual({ 'GET /projects/{id}/issues': 1, [LINKS]: 5 });
  });

  it('reads no links (and projects none) unless readLinks is on', async () => {
    const { gl, connector } = await world(false);
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 50 });
    expect(page.items.every((issue) => issue.links.length === 0)).toBe(true);
    expect(gl.callCount(LINKS)).toBe(0);
  });

  it('round-trips links through sync: no echo writes; a local link is written once', async () => {
    const { gl, engine, store } = await world();
    await engine.pull({ limit: 10 });
    gl.resetCalls();
    for (let round = 0; round < 2; round++) {
      const result = await engine.sync({ limit: 10 });
      expect(result.failures).toEqual([]);
      expect(result.stats.pushedUpdated).toBe(0);
    }
    expect(writes(gl)).toBe(0);

    const local = (await store.listIssues({ system: 'gitlab' })).find((issue) => issue.ref.id === '5')!;
    await store.upsertIssue(
      cloneIssue(local, {
        links: [createLink({ type: LinkType.BLOCKS, target: ref(1) })],
        updatedAt: new Date(Date.now() + 60_000),
      }),
    );
    gl.resetCalls();
    expect((await engine.sync({ limit: 10 })).failures).toEqual([]);
    expect(gl.callCount('POST /projects/{id}/issues/{iid}/links')).toBe(1);
    expect(writes(gl)).toBe(1);
    gl.resetCalls();
    for (let round = 0; round < 2; round++) {
      const result = await engine.sync({ limit: 10 });
      expect(result.failures).toEqual([]);
      expect(result.stats.pushedUpdated).toBe(0);
    }
    expect(writes(gl)).toBe(0);
    const one = (await store.listIssues({ system: 'gitlab' })).find((issue) => issue.ref.id === '1')!;
    expect(linksOf(one)).toEqual([
      ['blocked_by', '2'],
      ['blocked_by', '5'],
    ]);
  });

  it('writes the links of a new local issue with the create and keeps them', async () => {
    const { gl, engine, store } = await world();
    await engine.sync({ limit: 10 });
    await store.upsertIssue(
      createIssue({
        ref: createRef({ system: 'gitlab', workspace: '42', id: 'draft-1' }),
        title: 'New',
        status: CanonicalStatus.TODO,
        issueType: CanonicalIssueType.TASK,
        links: [createLink({ type: LinkType.BLOCKED_BY, target: ref(3) })],
      }),
    );
    const created = await engine.sync({ limit: 10 });
    expect(created.failures).toEqual([]);
    expect(created.stats.pushedCreated).toBe(1);
    const stored = (await store.listIssues({ system: 'gitlab' })).find((issue) => issue.title === 'New')!;
    expect(linksOf(stored)).toEqual([['blocked_by', '3']]);
    gl.resetCalls();
    for (let round = 0; round < 2; round++) {
      const result = await engine.sync({ limit: 10 });
      expect(result.failures).toEqual([]);
      expect(result.stats.pushedUpdated).toBe(0);
    }
    expect(writes(gl)).toBe(0);
  });

  it('projects links as GitLab holds them: sorted, by project and iid, other types as relates_to', () => {
    const connector = new GitLabConnector({ projectId: '42', token: 't', readLinks: true });
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
  });
});
