import { createNangoConnectionContext, discoverResources, discoverWorkspaces } from '@spec-kitty/core';
import { createHttpClient } from '@spec-kitty/core/http';
import { JiraFake } from '@spec-kitty/fake-trackers/jira';
import { FakeNangoProxy } from '@spec-kitty/fake-trackers/nango';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it } from 'vitest';
import { jiraConnectorDefinition, jiraParamsFromConnectorParams } from './jira-definition';
import { discoverJiraResources, discoverJiraWorkspaces } from './jira-discovery';
import './index';

const track = useFakes();
let fake: JiraFake | null = null;

async function discoveryClient(options: ConstructorParameters<typeof JiraFake>[0] = {}) {
  fake = await track(new JiraFake({ oauthToken: 'oauth-token', ...options }).start());
  return createHttpClient({
    baseUrl: fake.url,
    provider: 'jira',
    headers: { authorization: 'Bearer oauth-token' },
  });
}

describe('Jira discovery', () => {
  it('lists accessible sites as workspaces with the original shape', async () => {
    const http = await discoveryClient({
      sites: [
        { id: 'c-1', name: 'acme', url: 'https://acme.atlassian.net' },
        { id: 'c-2', name: 'beta', url: '' },
      ],
    });
    const result = await discoverJiraWorkspaces(http);
    expect(result).toEqual({
      truncated: false,
      items: [
        {
          id: 'c-1',
          name: 'acme',
          display: 'https://acme.atlassian.net',
          kind: 'site',
          provider: 'jira',
          providerContext: {
            cloud_id: 'c-1',
            site_url: 'https://acme.atlassian.net',
            workspace_handle: 'acme',
            workspace_url: 'https://acme.atlassian.net',
          },
        },
        {
          id: 'c-2',
          name: 'beta',
          display: 'beta',
          kind: 'site',
          provider: 'jira',
          providerContext: { cloud_id: 'c-2', site_url: '', workspace_handle: null, workspace_url: null },
        },
      ],
    });
  });

  it('pages project search (50 per page) keyed by project id, never the key', async () => {
    const http = await discoveryClient({ extraProjectCount: 60 });
    const [site] = (await discoverJiraWorkspaces(http)).items;
    const result = await discoverJiraResources(http, site!);
    expect(result.truncated).toBe(false);
    expect(result.items).toHaveLength(61);
    expect(fake?.callCount('GET /rest/api/3/project/search')).toBe(2);
    expect(result.items[0]).toEqual({
      provider: 'jira',
      parentWorkspaceId: 'cloud-1',
      resourceType: 'project',
      stableRef: '10000',
      displayName: 'Project',
      connectorParams: {
        project_key: 'PROJ',
        cloud_id: 'cloud-1',
        base_url: 'https://api.atlassian.com/ex/jira/cloud-1',
      },
      routingMetadata: {
        project_id: '10000',
        project_key: 'PROJ',
        project_name: 'Project',
        display_key: 'PROJ',
        resource_url: 'https://mysite.atlassian.net/browse/PROJ',
      },
    });
  });

  it('sends Accept: application/json on hosted discovery through the Nango proxy, as direct mode does', async () => {
    await discoveryClient({ extraProjectCount: 3 });
    const nango = await new FakeNangoProxy({
      secretKey: 'nango-secret',
      connections: [
        {
          connectionId: 'c',
          providerConfigKey: 'jira',
          credentials: { authorization: 'Bearer oauth-token' },
        },
      ],
      upstreams: { jira: fake!.url },
    }).start();
    try {
      const context = createNangoConnectionContext({
        connectionId: 'c',
        providerConfigKey: 'jira',
        nangoSecretKey: 'nango-secret',
        nangoBaseUrl: nango.url,
      });
      const [site] = (await discoverWorkspaces('jira', context)).items;
      const projects = await discoverResources('jira', site!, context);
      expect(projects.items).toHaveLength(4);
      expect(nango.forwarded.map((request) => new URL(request.url).pathname)).toEqual([
        '/oauth/token/accessible-resources',
        '/ex/jira/cloud-1/rest/api/3/project/search',
      ]);
      for (const request of nango.forwarded) expect(request.headers.accept).toBe('application/json');
    } finally {
      await nango.close();
    }
  });

  it('stops after 20 pages and reports truncation', async () => {
    const http = await discoveryClient({ extraProjectCount: 1000 });
    const [site] = (await discoverJiraWorkspaces(http)).items;
    const result = await discoverJiraResources(http, site!);
    expect(result.items).toHaveLength(1000);
    expect(result.truncated).toBe(true);
    expect(fake?.callCount('GET /rest/api/3/project/search')).toBe(20);
  });

  it('rejects a workspace without a cloud id', async () => {
    const http = await discoveryClient();
    await expect(
      discoverJiraResources(http, {
        id: 'x',
        name: 'x',
        display: 'x',
        kind: 'site',
        provider: 'jira',
        providerContext: null,
      }),
    ).rejects.toThrow(/no providerContext.cloud_id/);
  });
});

describe('hosted params', () => {
  it('maps connector params to hosted params and config with managed credentials', () => {
    expect(() => jiraParamsFromConnectorParams({ cloud_id: 'c' })).toThrow(
      "Missing required connector_params keys: ['project_key', 'base_url']",
    );
    const params = jiraParamsFromConnectorParams({
      project_key: 'PROJ',
      base_url: 'https://api.atlassian.com/ex/jira/c',
      cloud_id: 'c',
    });
    expect(params).toMatchObject({
      projectKey: 'PROJ',
      baseUrl: 'https://api.atlassian.com/ex/jira/c',
      defaultIssueType: 'Task',
    });
    const config = jiraConnectorDefinition.hosted?.toConfig(params);
    expect(config).toMatchObject({ email: 'nango-managed', apiToken: 'nango-managed', projectKey: 'PROJ' });
  });
});
