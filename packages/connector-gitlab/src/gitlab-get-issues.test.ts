import { ConnectorRequestError, createConnector, createLink, createRef, LinkType } from '@spec-kitty/core';
import { GITLAB_GRAPHQL_ENDPOINT, GitLabFake } from '@spec-kitty/fake-trackers/gitlab';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it } from 'vitest';
import type { GitLabConnector } from './gitlab-connector';
import './index';

const TOKEN = 'glpat-bulk-read';
const LIST = 'GET /projects/{id}/issues';
const track = useFakes();
const ref = (iid: number | string, workspace = '42') =>
  createRef({ system: 'gitlab', workspace, id: String(iid) });

async function world(options: { readLinks?: boolean; timeoutMs?: number } = {}) {
  const gl = await track(await new GitLabFake({ token: TOKEN }).start());
  const group = gl.state.addGroup({ id: 9, path: 'acme' });
  gl.state.addProject({ id: 42, path: 'web', groupId: group.id });
  gl.state.addProject({ id: 43, path: 'api', groupId: group.id });
  const connect = () =>
    createConnector('gitlab', {
      projectId: '42',
      token: TOKEN,
      baseUrl: gl.apiUrl,
      ...(options.readLinks === undefined ? {} : { readLinks: options.readLinks }),
    }) as GitLabConnector;
  return { gl, group, connect };
}

describe('GitLabConnector.getIssues (iids[] listing)', () => {
  it('answers each issue exactly as getIssue does (labels, assignees, links, parent, raw)', async () => {
    const { gl, group, connect } = await world();
    const other = gl.state.addUser({ username: 'ada' });
    gl.state.addIssue(42, { title: 'one', labels: ['bug', 'type:feature'], assignee_ids: [other.id] });
    gl.state.addIssue(42, { title: 'two', description: 'Body', state: 'closed' });
    gl.state.addIssue(42, { title: 'three', author_id: other.id });
    const epic = gl.state.addEpic(group.id, { title: 'Roadmap' });
    gl.state.setParent(42, 3, { kind: 'epic', groupId: group.id, iid: epic.iid });
    const writer = connect();
    await writer.upsertLink(ref(1), createLink({ type: LinkType.BLOCKS, target: ref(2) }));
    await writer.upsertLink(ref(3), createLink({ type: LinkType.RELATES_TO, target: ref(1) }));
    gl.resetCalls();

    const bulk = await connect().getIssues([ref(1), ref(2), ref(3)]);
    // One listing and one relations query for the three issues.
    expect(gl.callsByEndpoint()).toEqual({ [LIST]: 1, [GITLAB_GRAPHQL_ENDPOINT]: 1 });

    // getIssue through a fresh connector, so nothing is answered from the relations cache.
    const single = connect();
    const byId = new Map(bulk.map((issue) => [issue.ref.id, issue]));
    expect(bulk).toHaveLength(3);
    for (const iid of [1, 2, 3]) expect(byId.get(String(iid))).toEqual(await single.getIssue(ref(iid)));
    // The comparison covers what the mapping reads, not just empty defaults.
    expect(byId.get('1')?.links.map((link) => [link.type, link.target.id])).toEqual([
      ['blocks', '2'],
      ['relates_to', '3'],
    ]);
    expect(byId.get('3')?.parent?.id).toBe(String(epic.iid));
    expect(byId.get('1')?.assignees).toEqual(['ada']);
    expect(byId.get('2')?.status).toBe('done');
  });

  it('leaves out deleted, moved, unknown and non-iid refs; answers duplicates once', async () => {
    const { gl, connect } = await world({ readLinks: false });
    for (const title of ['live', 'deleted', 'moved']) gl.state.addIssue(42, { title });
    gl.state.deleteIssue(42, 2);
    gl.state.moveIssue(42, 3, 43);
    const connector = connect();
    const issues = await connector.getIssues([ref(1), ref(2), ref(3), ref(99), ref('draft-1'), ref(1)]);
    expect(issues.map((issue) => issue.ref.id)).toEqual(['1']);
    expect(gl.callCount(LIST)).toBe(1);
    // checkGone is what reports the deletion and the move.
    const tombstones = await connector.checkGone([ref(1), ref(2), ref(3)]);
    expect(tombstones.map((t) => [t.ref.id, t.reason])).toEqual([
      ['2', 'deleted'],
      ['3', 'moved'],
    ]);
  });

  it('sends no request for no refs (nor for refs that hold no iid)', async () => {
    const { gl, connect } = await world();
    const connector = connect();
    expect(await connector.getIssues([])).toEqual([]);
    expect(await connector.getIssues([ref('local-draft')])).toEqual([]);
    expect(gl.calls).toHaveLength(0);
  });

  it('splits 150 refs into ceil(150 / 100) = 2 listing calls, with relations batched alike', async () => {
    const { gl, connect } = await world();
    gl.state.addManyIssues(42, 150);
    const sizes: number[] = [];
    // A rule that never matches, to see each listing's iids.
    gl.injectFault({
      endpoint: LIST,
      times: Number.POSITIVE_INFINITY,
      match: (request) => {
        sizes.push(request.query.getAll('iids[]').length);
        return false;
      },
      fault: { kind: 'reset' },
    });
    const refs = Array.from({ length: 150 }, (_, index) => ref(index + 1));
    const issues = await connect().getIssues(refs);
    expect(new Set(issues.map((issue) => issue.ref.id))).toEqual(new Set(refs.map((r) => r.id)));
    expect(gl.callsByEndpoint()).toEqual({ [LIST]: 2, [GITLAB_GRAPHQL_ENDPOINT]: 2 });
    expect(sizes).toEqual([100, 50]);
  });

  it('without readLinks, reads nothing but the listing', async () => {
    const { gl, connect } = await world({ readLinks: false });
    gl.state.addManyIssues(42, 150);
    const issues = await connect().getIssues(Array.from({ length: 150 }, (_, index) => ref(index + 1)));
    expect(issues).toHaveLength(150);
    expect(gl.callsByEndpoint()).toEqual({ [LIST]: 2 });
  });

  it('throws on a 5xx of any batch, never answering part of the refs', async () => {
    const { gl, connect } = await world({ readLinks: false });
    gl.state.addManyIssues(42, 101);
    gl.injectFault({
      endpoint: LIST,
      times: Number.POSITIVE_INFINITY,
      match: (request) => request.query.getAll('iids[]').includes('101'),
      fault: { kind: 'status', status: 503 },
    });
    const error = await connect()
      .getIssues(Array.from({ length: 101 }, (_, index) => ref(index + 1)))
      .catch((caught: unknown) => caught);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect(gl.calls.filter((call) => call.endpoint === LIST && call.status === 200)).toHaveLength(1);
  });

  it('passes the signal to the request: an abort rejects a listing in flight', async () => {
    const { gl, connect } = await world({ readLinks: false });
    gl.state.addIssue(42, { title: 'one' });
    gl.injectFault({ endpoint: LIST, fault: { kind: 'latency', ms: 10_000 } });
    const connector = connect();
    const controller = new AbortController();
    const pending = connector.getIssues([ref(1)], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow();
    await expect(connector.getIssues([ref(1)], { signal: AbortSignal.abort() })).rejects.toThrow();
  });
});
