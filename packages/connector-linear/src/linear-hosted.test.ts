import {
  type ConnectorRequestError,
  connectorParamsToHostedParams,
  createHostedConnector,
  createNangoConnectionContext,
  discoverResources,
  discoverWorkspaces,
  NANGO_MANAGED_TOKEN,
} from '@spec-kitty/core';
import { LinearFake } from '@spec-kitty/fake-trackers/linear';
import { FakeNangoProxy } from '@spec-kitty/fake-trackers/nango';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LinearConnector } from './linear-connector';
import { localIssue } from './test-helpers';
import './index';

const NANGO_SECRET = 'nango-secret-key-for-linear-tests';
const LINEAR_TOKEN = 'lin_oauth_real_vendor_token';

const track = useFakes();

describe('LinearConnector hosted through the Nango proxy', () => {
  let linear: LinearFake;
  let nango: FakeNangoProxy;
  beforeEach(async () => {
    linear = await new LinearFake({ apiKeys: [LINEAR_TOKEN] }).start();
    await track(linear.server);
    nango = await new FakeNangoProxy({
      secretKey: NANGO_SECRET,
      connections: [
        {
          connectionId: 'conn-1',
          providerConfigKey: 'linear',
          credentials: { authorization: `Bearer ${LINEAR_TOKEN}` },
        },
      ],
      upstreams: { linear: linear.server.url },
    }).start();
  });
  afterEach(async () => {
    await nango.close();
  });

  const context = () =>
    createNangoConnectionContext({
      connectionId: 'conn-1',
      providerConfigKey: 'linear',
      nangoSecretKey: NANGO_SECRET,
      nangoBaseUrl: nango.url,
    });

  it('discovers the workspace and teams, and runs the connector built from a discovered resource', async () => {
    const workspaces = await discoverWorkspaces('linear', context());
    expect(workspaces.items.map((w) => w.name)).toEqual(['acme']);
    const workspace = workspaces.items[0];
    if (!workspace) throw new Error('no workspace');
    const resources = await discoverResources('linear', workspace, context());
    const resource = resources.items[0];
    expect(resource?.connectorParams).toEqual({ team_id: linear.state.defaultTeam.id });
    const params = connectorParamsToHostedParams('linear', resource?.connectorParams ?? {});
    const connector = createHostedConnector({
      provider: 'linear',
      nangoContext: context(),
      params,
    }) as LinearConnector;
    expect(connector.config.apiKey).toBe(NANGO_MANAGED_TOKEN);

    linear.state.addIssue({ teamId: linear.state.defaultTeam.id, title: 'Through Nango' });
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 50 });
    expect(page.items.map((i) => i.title)).toEqual(['Through Nango']);
    const created = await connector.createIssue(localIssue('h1', { labels: ['hosted'] }));
    expect(created.labels).toEqual(['hosted']);

    // Every upstream request carried the connection's Linear token, never the Nango secret.
    expect(nango.forwarded.length).toBeGreaterThan(0);
    for (const request of nango.forwarded) {
      expect(request.url).toMatch(/\/graphql$/);
      expect(request.headers.authorization).toBe(`Bearer ${LINEAR_TOKEN}`);
    }
  });

  it('keeps working when an older Nango strips the rate-limit headers from successful answers', async () => {
    nango.stripSuccessResponseHeaders = true;
    const connector = createHostedConnector({
      provider: 'linear',
      nangoContext: context(),
      params: { teamId: linear.state.defaultTeam.id },
    }) as LinearConnector;
    for (let i = 0; i < 3; i += 1)
      linear.state.addIssue({ teamId: linear.state.defaultTeam.id, title: `I${i}` });
    const first = await connector.listIssues({ updatedSince: null, cursor: null, limit: 2 });
    const second = await connector.listIssues({ updatedSince: null, cursor: first.nextCursor, limit: 2 });
    expect([...first.items, ...second.items].map((i) => i.title).sort()).toEqual(['I0', 'I1', 'I2']);
  });

  it('reports a RATELIMITED answer relayed by Nango as rate_limit, without leaking the Nango secret', async () => {
    linear.rateLimit({ resetInMs: 900_000 });
    const connector = createHostedConnector({
      provider: 'linear',
      nangoContext: context(),
      params: { teamId: linear.state.defaultTeam.id },
    });
    const error = await connector
      .listIssues({ updatedSince: null, cursor: null, limit: 5 })
      .catch((e: unknown) => e);
    expect((error as ConnectorRequestError).failureClass).toBe('rate_limit');
    expect((error as ConnectorRequestError).retryAfterSeconds).toBeGreaterThan(800);
    expect(String(error)).not.toContain(NANGO_SECRET);
    expect(String(error)).not.toContain(LINEAR_TOKEN);
  });

  it('rejects hosted params without a team id', () => {
    expect(() =>
      createHostedConnector({ provider: 'linear', nangoContext: context(), params: { teamId: ' ' } }),
    ).toThrow(/Linear api_key and team_id are required/);
  });
});
