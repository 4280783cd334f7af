import { describe, expect, it } from 'vitest';
import { useFakes } from '../testing/use-fakes';
import { GitLabFake } from './gitlab-fake';
import { GITLAB_GRAPHQL_ENDPOINT } from './gitlab-graphql-routes';

const track = useFakes();
const TOKEN = 'glpat-graphql';

const RELATIONS = `query Relations($fullPath: ID!, $iids: [String!]) {
  project(fullPath: $fullPath) {
    workItems(iids: $iids, first: 100) {
      nodes {
        iid
        widgets {
          ... on WorkItemWidgetHierarchy { parent { iid project { id } namespace { fullPath } } }
          ... on WorkItemWidgetLinkedItems {
            linkedItems(first: 100) { pageInfo { hasNextPage } nodes { linkType workItem { iid project { id } } } }
          }
        }
      }
    }
  }
}`;

async function world(options: { graphqlWorkItems?: boolean } = {}) {
  const gl = await track(new GitLabFake({ token: TOKEN, ...options }).start());
  const group = gl.state.addGroup({ id: 9, path: 'acme' });
  gl.state.addProject({ id: 42, path: 'web', groupId: group.id });
  gl.state.addManyIssues(42, 3);
  gl.state.links.push({
    issue_link_id: 7,
    source_project_id: 42,
    source_iid: 1,
    target_project_id: 42,
    target_iid: 2,
    link_type: 'blocks',
    created_at: '2026-01-01T00:00:00.000Z',
  });
  const epic = gl.state.addEpic(group.id, { title: 'Roadmap' });
  gl.state.setParent(42, 2, { kind: 'epic', groupId: group.id, iid: epic.iid });
  gl.state.setParent(42, 3, { kind: 'issue', projectId: 42, iid: 1 });
  const post = async (body: unknown, token = TOKEN) => {
    const response = await fetch(gl.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'private-token': token },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { gl, post };
}

describe('GitLabFake GraphQL (work items)', () => {
  it('answers links and parents of several issues in one request', async () => {
    const { gl, post } = await world();
    const { status, body } = await post({
      query: RELATIONS,
      variables: { fullPath: 'acme/web', iids: ['1', '2', '3'] },
    });
    expect(status).toBe(200);
    const nodes = (
      body as {
        data: { project: { workItems: { nodes: { iid: string; widgets: Record<string, unknown>[] }[] } } };
      }
    ).data.project.workItems.nodes;
    const byIid = new Map(nodes.map((node) => [node.iid, node.widgets]));
    expect([...byIid.keys()].sort()).toEqual(['1', '2', '3']);
    const widget = (iid: string, key: string) => byIid.get(iid)?.find((entry) => key in entry)?.[key];
    expect(widget('1', 'linkedItems')).toEqual({
      pageInfo: { hasNextPage: false },
      nodes: [{ linkType: 'blocks', workItem: { iid: '2', project: { id: 'gid://gitlab/Project/42' } } }],
    });
    expect(widget('2', 'linkedItems')).toMatchObject({ nodes: [{ linkType: 'is_blocked_by' }] });
    expect(widget('2', 'parent')).toEqual({ iid: '1', project: null, namespace: { fullPath: 'acme' } });
    expect(widget('3', 'parent')).toEqual({
      iid: '1',
      project: { id: 'gid://gitlab/Project/42' },
      namespace: { fullPath: 'acme/web' },
    });
    expect(widget('1', 'parent')).toBeNull();
    expect(gl.callCount(GITLAB_GRAPHQL_ENDPOINT)).toBe(1);
  });

  it('rejects documents that do not validate against the schema, and bad tokens', async () => {
    const { gl, post } = await world();
    const invalid = await post({ query: '{ project(fullPath: "acme/web") { issuez { nodes { iid } } } }' });
    expect(invalid.status).toBe(200);
    expect(JSON.stringify(invalid.body.errors)).toContain(
      'Cannot query field \\"issuez\\" on type \\"Project\\"',
    );
    expect(gl.violations.join('\n')).toContain('issuez');
    gl.violations.length = 0;
    expect((await post({ query: RELATIONS, variables: { fullPath: 'acme/web' } }, 'wrong')).status).toBe(401);
  });

  it('finds projects by full path only, and can play a GitLab without work items', async () => {
    const { post } = await world();
    const byId = await post({ query: RELATIONS, variables: { fullPath: '42', iids: ['1'] } });
    expect(byId.body).toEqual({ data: { project: null } });
    const old = await world({ graphqlWorkItems: false });
    const refused = await old.post({ query: RELATIONS, variables: { fullPath: 'acme/web', iids: ['1'] } });
    expect(JSON.stringify(refused.body.errors)).toContain('workItems');
    old.gl.violations.length = 0;
  });
});
