import {
  CanonicalIssueType,
  CanonicalStatus,
  connectorParamsToHostedParams,
  createHostedConnector,
  createIssue,
  createNangoConnectionContext,
  createRef,
  discoverResources,
  discoverWorkspaces,
} from '@spec-kitty/core';
import { GitLabFake } from '@spec-kitty/fake-trackers/gitlab';
import { FakeNangoProxy } from '@spec-kitty/fake-trackers/nango';
import { afterEach, describe, expect, it } from 'vitest';
import './index';

const SECRET = 'nango-secret-key';
const TOKEN = 'glpat-upstream';
let gitlab: GitLabFake | null = null;
let nango: FakeNangoProxy | null = null;

afterEach(async () => {
  const violations = [...(gitlab?.violations ?? [])];
  await nango?.close();
  await gitlab?.close();
  gitlab = null;
  nango = null;
  expect(violations).toEqual([]);
});

async function setup(stripSuccessResponseHeaders: boolean) {
  gitlab = await new GitLabFake({ token: TOKEN }).start();
  const group = gitlab.state.addGroup({ id: 9, path: 'acme' });
  gitlab.state.addProject({ id: 42, path: 'web', groupId: group.id });
  nango = await new FakeNangoProxy({
    secretKey: SECRET,
    connections: [
      {
        connectionId: 'conn-1',
        providerConfigKey: 'gitlab',
        credentials: { authorization: `Bearer ${TOKEN}` },
      },
    ],
    upstreams: { gitlab: gitlab.url },
    stripSuccessResponseHeaders,
  }).start();
  const nangoContext = createNangoConnectionContext({
    connectionId: 'conn-1',
    providerConfigKey: 'gitlab',
    nangoSecretKey: SECRET,
    nangoBaseUrl: nango.url,
  });
  return { gl: gitlab, proxy: nango, nangoContext };
}

describe.each([false, true])('GitLab hosted through the Nango proxy (stripped headers: %s)', (stripped) => {
  it('discovers, builds a hosted connector and syncs issues', async () => {
    const { gl, proxy, nangoContext } = await setup(stripped);
    gl.state.addManyIssues(42, 130);
    const workspaces = await discoverWorkspaces('gitlab', nangoContext);
    expect(workspaces.items.map((workspace) => workspace.name)).toEqual(['acme']);
    const resources = await discoverResources('gitlab', workspaces.items[0]!, nangoContext);
    const [resource] = resources.items;
    expect(resource?.connectorParams).toEqual({ project_id: '42', base_url: 'https://gitlab.com/api/v4' });
    const params = connectorParamsToHostedParams('gitlab', resource!.connectorParams);
    const connector = createHostedConnector({ provider: 'gitlab', nangoContext, params });

    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await connector.listIssues({ updatedSince: null, cursor, limit: 50 });
      for (const issue of page.items) seen.add(issue.ref.id);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 50);
    expect(seen.size).toBe(130);
    expect(pages).toBe(3);

    const created = await connector.createIssue(
      createIssue({
        ref: createRef({ system: 'local', workspace: 'w', id: 'x' }),
        title: 'Hosted',
        status: CanonicalStatus.DONE,
        issueType: CanonicalIssueType.TASK,
      }),
    );
    expect(created.status).toBe('done');
    // Every upstream request went through the proxy with the injected credentials, never the sentinel.
    expect(proxy.forwarded.length).toBeGreaterThan(0);
    for (const request of proxy.forwarded) {
      expect(request.url).toMatch(/\/api\/(v4\/|graphql$)/);
      expect(JSON.stringify(request.headers)).not.toContain('nango-managed');
      expect(JSON.stringify(request.headers)).not.toContain(SECRET);
    }
  });
});

describe('GitLab hosted with a project path', () => {
  it('keeps the URL-encoded path through the proxy', async () => {
    const { gl, nangoContext } = await setup(false);
    gl.state.addIssue(42, { title: 'By path' });
    const connector = createHostedConnector({
      provider: 'gitlab',
      nangoContext,
      params: { projectId: 'acme/web' },
    });
    const issue = await connector.getIssue(createRef({ system: 'gitlab', workspace: 'acme/web', id: '1' }));
    expect(issue.title).toBe('By path');
    expect(gl.calls.map((call) => call.path)).toEqual([
      '/api/v4/projects/acme%2Fweb/issues/1',
      // Its relations, through the proxy too, by the project's full path.
      '/api/graphql',
    ]);
  });
});
