import { createHttpClient } from '@spec-kitty/core/http';
import type { LinearFake } from '@spec-kitty/fake-trackers/linear';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linearConnectorDefinition, linearParamsFromConnectorParams } from './linear-definition';
import { discoverLinearResources, discoverLinearWorkspaces } from './linear-discovery';
import { API_KEY, startFake } from './test-helpers';

describe('Linear discovery', () => {
  let fake: LinearFake;
  beforeEach(async () => {
    fake = await startFake();
  });
  afterEach(async () => {
    await fake.close();
    fake.server.assertNoViolations();
  });

  const http = () =>
    createHttpClient({ baseUrl: fake.graphqlUrl, provider: 'linear', headers: { Authorization: API_KEY } });

  it('returns the organization as the one workspace, shaped like the original', async () => {
    fake.state.organization = { id: 'org-1', name: 'Acme Inc', urlKey: 'acme' };
    expect(await discoverLinearWorkspaces(http())).toEqual({
      items: [
        {
          id: 'org-1',
          name: 'acme',
          display: 'Acme Inc',
          kind: 'workspace',
          provider: 'linear',
          providerContext: {
            org_id: 'org-1',
            url_key: 'acme',
            workspace_handle: 'acme',
            workspace_url: 'https://linear.app/acme',
          },
        },
      ],
      truncated: false,
    });
  });

  it('returns every team as a resource, paginated past 250', async () => {
    for (let i = 0; i < 260; i += 1) fake.state.addTeam({ key: `T${i}`, name: `Team ${i}`, states: [] });
    const workspace = (await discoverLinearWorkspaces(http())).items[0];
    if (!workspace) throw new Error('no workspace');
    const result = await discoverLinearResources(http(), workspace);
    expect(result.truncated).toBe(false);
    expect(result.items).toHaveLength(261);
    const eng = result.items.find((item) => item.routingMetadata.team_key === 'ENG');
    expect(eng).toEqual({
      provider: 'linear',
      parentWorkspaceId: workspace.id,
      resourceType: 'team',
      stableRef: fake.state.defaultTeam.id,
      displayName: 'Engineering',
      connectorParams: { team_id: fake.state.defaultTeam.id },
      routingMetadata: {
        team_key: 'ENG',
        team_name: 'Engineering',
        url_key: 'acme',
        display_key: 'ENG',
        resource_url: 'https://linear.app/acme/team/ENG',
      },
    });
    expect(fake.operationCount('Teams')).toBe(2);
  });

  it('is wired into the connector definition', () => {
    expect(linearConnectorDefinition.discovery?.workspaces).toBe(discoverLinearWorkspaces);
    expect(linearConnectorDefinition.mode).toBe('hosted');
  });
});

describe('hosted params', () => {
  it('maps discovery connector_params (team_id required) and builds a credential-free config', () => {
    expect(() => linearParamsFromConnectorParams({})).toThrow(
      "Missing required connector_params keys: ['team_id']",
    );
    const params = linearParamsFromConnectorParams({ team_id: 'team-1', extra: true });
    expect(params).toEqual({
      teamId: 'team-1',
      workspace: 'linear',
      graphqlUrl: 'https://api.linear.app/graphql',
      statusToStateId: {},
    });
    expect(linearConnectorDefinition.hosted?.toConfig(params)).toMatchObject({
      apiKey: 'nango-managed',
      teamId: 'team-1',
    });
  });
});
