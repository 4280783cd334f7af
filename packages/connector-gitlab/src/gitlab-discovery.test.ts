import { createHttpClient } from '@spec-kitty/core/http';
import { GitLabFake } from '@spec-kitty/fake-trackers/gitlab';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it } from 'vitest';
import {
  discoverGitLabResources,
  discoverGitLabWorkspaces,
  gitLabGroupToWorkspace,
  gitLabProjectToResource,
} from './gitlab-discovery';

const track = useFakes();

async function setup() {
  const gl = await track(new GitLabFake().start());
  return { gl, http: createHttpClient({ baseUrl: gl.apiUrl, provider: 'gitlab' }) };
}

describe('GitLab discovery', () => {
  it('lists groups with min_access_level=10 in the original shape', async () => {
    const { gl, http } = await setup();
    gl.state.addGroup({ id: 10, path: 'acme', name: 'ACME', accessLevel: 10 });
    gl.state.addGroup({ id: 11, path: 'hidden', accessLevel: 5 });
    const result = await discoverGitLabWorkspaces(http);
    expect(result.truncated).toBe(false);
    expect(result.items).toEqual([
      {
        id: '10',
        name: 'acme',
        display: 'ACME',
        kind: 'group',
        provider: 'gitlab',
        providerContext: {
          group_id: '10',
          full_path: 'acme',
          web_url: 'https://gitlab.example.test/groups/acme',
          workspace_handle: 'acme',
          workspace_url: 'https://gitlab.example.test/groups/acme',
        },
      },
    ]);
    expect(gl.callCount('GET /groups')).toBe(1);
  });

  it('lists group projects including subgroups in the original shape', async () => {
    const { gl, http } = await setup();
    gl.state.addGroup({ id: 10, path: 'acme' });
    gl.state.addGroup({ id: 12, path: 'team', parentId: 10 });
    gl.state.addProject({ id: 20, path: 'web', groupId: 12, name: 'Web' });
    const [workspace] = (await discoverGitLabWorkspaces(http)).items;
    const result = await discoverGitLabResources(http, workspace!);
    expect(result).toEqual({
      truncated: false,
      items: [
        {
          provider: 'gitlab',
          parentWorkspaceId: '10',
          resourceType: 'project',
          stableRef: '20',
          displayName: 'acme / team / Web',
          connectorParams: { project_id: '20', base_url: 'https://gitlab.com/api/v4' },
          routingMetadata: {
            project_id: '20',
            path_with_namespace: 'acme/team/web',
            web_url: 'https://gitlab.example.test/acme/team/web',
            namespace_id: '12',
            namespace_path: 'acme/team',
            display_key: 'acme/team/web',
            resource_url: 'https://gitlab.example.test/acme/team/web',
          },
        },
      ],
    });
  });

  it('caps at 20 pages and reports truncation; stops early on X-Next-Page', async () => {
    const { gl, http } = await setup();
    for (let index = 0; index < 2001; index += 1)
      gl.state.addGroup({ path: `g${String(index).padStart(4, '0')}` });
    const warnings: string[] = [];
    const logger = {
      debug() {},
      info() {},
      error() {},
      warn: (message: string) => void warnings.push(message),
    };
    const result = await discoverGitLabWorkspaces(http, { logger });
    expect(result.items).toHaveLength(2000);
    expect(result.truncated).toBe(true);
    expect(warnings).toEqual(['GitLab discovery: more than 2000 groups; the list is truncated.']);
    expect(gl.callCount('GET /groups')).toBe(20);
  });

  it('exactly 20 full pages and nothing more is not truncated when headers say so', async () => {
    const { gl, http } = await setup();
    for (let index = 0; index < 2000; index += 1)
      gl.state.addGroup({ path: `g${String(index).padStart(4, '0')}` });
    expect((await discoverGitLabWorkspaces(http)).truncated).toBe(false);
    gl.setPaginationHeaders(false);
    // Without headers the original's rule applies: 20 full pages = truncated.
    expect((await discoverGitLabWorkspaces(http)).truncated).toBe(true);
  });

  it('prefixes api/v4 when the client is rooted at the host (core hosted discovery)', async () => {
    const { gl } = await setup();
    gl.state.addGroup({ id: 10, path: 'acme' });
    const seen: string[] = [];
    const rewrite: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      seen.push(url.toString());
      return fetch(`${gl.url}${url.pathname}${url.search}`, init);
    };
    const http = createHttpClient({
      baseUrl: 'https://gitlab.com',
      provider: 'gitlab',
      fetch: rewrite,
    });
    expect((await discoverGitLabWorkspaces(http)).items).toHaveLength(1);
    expect(seen[0]).toMatch(/^https:\/\/gitlab\.com\/api\/v4\/groups\?/);
  });

  it('keeps the original key-absent / null defaults', () => {
    expect(gitLabGroupToWorkspace({ id: 1, full_path: 'a' }).providerContext).toMatchObject({
      web_url: '',
      workspace_url: null,
    });
    expect(gitLabGroupToWorkspace({ id: 1, full_path: 'a', web_url: null }).providerContext).toMatchObject({
      web_url: null,
      workspace_url: null,
    });
    const workspace = gitLabGroupToWorkspace({ id: 1, full_path: 'a' });
    const bare = gitLabProjectToResource({ id: 3 }, workspace);
    expect(bare.displayName).toBe('');
    expect(bare.routingMetadata).toEqual({
      project_id: '3',
      path_with_namespace: '',
      web_url: '',
      namespace_id: '',
      namespace_path: '',
      display_key: null,
      resource_url: null,
    });
    expect(
      gitLabProjectToResource({ id: 3, namespace: { id: null } }, workspace).routingMetadata.namespace_id,
    ).toBe('None');
  });
});
