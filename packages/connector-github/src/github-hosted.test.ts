// Hosted mode: the connector built by core's createHostedConnector, through a Nango proxy fake in
// front of the GitHub fake, with and without vendor response headers.
import { runConnectorConformance } from '@spec-kitty/connector-testkit';
import {
  CanonicalIssueType,
  CanonicalStatus,
  ConnectorConfigError,
  connectorParamsToHostedParams,
  createHostedConnector,
  createIssue,
  createNangoConnectionContext,
  createRef,
  NANGO_MANAGED_TOKEN,
  type TrackerConnector,
} from '@spec-kitty/core';
import { GitHubFake } from '@spec-kitty/fake-trackers/github';
import { afterEach, describe, expect, it } from 'vitest';
import './index';
import { FakeNangoProxy } from '@spec-kitty/fake-trackers/nango';
import { githubHosted } from './github-hosted';

const SECRET = 'nango-secret-key-0123456789';
const PROVIDER_TOKEN = 'ghs_installation_token_abcdef';

interface HostedEnv {
  fake: GitHubFake;
  nango: FakeNangoProxy;
  connector: TrackerConnector;
  close(): Promise<void>;
}

async function startHosted(stripVendorHeaders: boolean): Promise<HostedEnv> {
  const fake = await new GitHubFake({ token: PROVIDER_TOKEN }).start();
  const nango = await new FakeNangoProxy({
    secretKey: SECRET,
    connections: [
      {
        connectionId: 'conn-1',
        providerConfigKey: 'github',
        credentials: { authorization: `Bearer ${PROVIDER_TOKEN}` },
      },
    ],
    upstreams: { github: fake.url },
    stripSuccessResponseHeaders: stripVendorHeaders,
  }).start();
  const connector = createHostedConnector({
    provider: 'github',
    nangoContext: createNangoConnectionContext({
      connectionId: 'conn-1',
      providerConfigKey: 'github',
      nangoSecretKey: SECRET,
      nangoBaseUrl: nango.url,
    }),
    params: { owner: fake.owner, repo: fake.repo },
  });
  return {
    fake,
    nango,
    connector,
    close: async () => {
      try {
        fake.assertNoViolations();
      } finally {
        await nango.close();
        await fake.close();
      }
    },
  };
}

for (const stripVendorHeaders of [false, true]) {
  runConnectorConformance({
    name: `GitHubConnector hosted through the Nango proxy fake${stripVendorHeaders ? ' (vendor headers stripped)' : ''}`,
    workspace: 'octocat/hello-world',
    secrets: [SECRET, PROVIDER_TOKEN],
    factory: async () => {
      const env = await startHosted(stripVendorHeaders);
      return {
        connector: env.connector,
        // Deletions are checked through the proxy too: the fake behind it loses the issue.
        removeIssue: (ref) => {
          env.fake.deleteIssue(Number(ref.id));
          return 'deleted';
        },
        failReads: () =>
          env.fake.server.injectFault({
            times: Number.POSITIVE_INFINITY,
            fault: { kind: 'status', status: 503 },
          }),
        cleanup: env.close,
      };
    },
  });
}

let env: HostedEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const draft = (title: string) =>
  createIssue({
    ref: createRef({ system: 'local', workspace: 'm', id: title }),
    title,
    body: null,
    status: CanonicalStatus.TODO,
    issueType: CanonicalIssueType.TASK,
  });

describe('hosted GitHub connector', () => {
  it('sends every call through the proxy with the Nango headers, never the placeholder token', async () => {
    env = await startHosted(false);
    await env.connector.createIssue(draft('hosted'));
    expect(env.nango.rejections).toEqual([]);
    expect(env.nango.server.calls.length).toBeGreaterThan(0);
    for (const call of env.nango.server.calls)
      expect(call.path.startsWith('/proxy/repos/octocat/hello-world/issues')).toBe(true);
    for (const request of env.nango.forwarded) {
      expect(request.headers.authorization).toBe(`Bearer ${PROVIDER_TOKEN}`);
      expect(request.headers['x-github-api-version']).toBe('2022-11-28');
      expect(JSON.stringify(request.headers)).not.toContain(NANGO_MANAGED_TOKEN);
    }
    expect(env.fake.issues().map((issue) => issue.title)).toEqual(['hosted']);
  });

  it('pages to the end and reads incrementally when vendor headers are stripped', async () => {
    env = await startHosted(true);
    for (let index = 1; index <= 5; index += 1) env.fake.seedIssue({ title: `Issue ${index}` });
    env.fake.seedIssue({ title: 'PR', pullRequest: true });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await env.connector.listIssues({ updatedSince: null, cursor, limit: 2 });
      seen.push(...page.items.map((issue) => issue.title));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(['Issue 1', 'Issue 2', 'Issue 3', 'Issue 4', 'Issue 5']);
  });

  it('gets 304s through the proxy when it forwards headers', async () => {
    env = await startHosted(false);
    env.fake.seedIssue({ title: 'one' });
    const query = { updatedSince: new Date('2025-12-31T00:00:00Z'), cursor: null, limit: 50 };
    await env.connector.listIssues(query);
    const again = await env.connector.listIssues(query);
    expect(again.items.map((issue) => issue.title)).toEqual(['one']);
    expect(env.fake.notModifiedCount).toBe(1);
  });
});

describe('hosted params', () => {
  it('maps params to a config with the managed token and the default base URL', () => {
    expect(githubHosted.toConfig({ owner: 'o', repo: 'r', baseUrl: 'https://api.github.com' })).toMatchObject(
      {
        owner: 'o',
        repo: 'r',
        token: NANGO_MANAGED_TOKEN,
        baseUrl: 'https://api.github.com',
      },
    );
  });

  it('builds params from discovered connector_params, requiring owner and repo and ignoring base_url', () => {
    expect(
      connectorParamsToHostedParams('github', { owner: 'acme', repo: 'rockets', base_url: 'https://x' }),
    ).toEqual({
      owner: 'acme',
      repo: 'rockets',
      baseUrl: 'https://api.github.com',
    });
    expect(() => githubHosted.paramsFromConnectorParams({ repo: 'r' })).toThrow(
      new ConnectorConfigError("Missing required connector_params keys: ['owner']"),
    );
  });

  it('rejects blank hosted params with a message naming the field', () => {
    const context = createNangoConnectionContext({
      connectionId: 'c',
      providerConfigKey: 'github',
      nangoSecretKey: 's',
    });
    expect(() =>
      createHostedConnector({ provider: 'github', nangoContext: context, params: { owner: ' ', repo: 'r' } }),
    ).toThrow(/owner must not be empty/);
  });
});
