import {
  createNangoConnectionContext,
  discoverResources,
  discoverWorkspaces,
  type Logger,
} from '@spec-kitty/core';
import { createHttpClient, PageWalkLimitError } from '@spec-kitty/core/http';
import { GitHubFake } from '@spec-kitty/fake-trackers/github';
import { afterEach, describe, expect, it } from 'vitest';
import './index';
import { FakeNangoProxy } from '@spec-kitty/fake-trackers/nango';
import { GitHubConnector } from './github-connector';
import { discoverGitHubResources, discoverGitHubWorkspaces } from './github-discovery';

const TOKEN = 'gho_discovery_token';
const SECRET = 'nango-secret';

let fake: GitHubFake;
let nango: FakeNangoProxy | undefined;

afterEach(async () => {
  try {
    fake.assertNoViolations();
  } finally {
    await nango?.close();
    nango = undefined;
    await fake.close();
  }
});

function directClient() {
  return createHttpClient({
    baseUrl: fake.url,
    provider: 'github',
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
}

function recordingLogger(lines: string[]): Logger {
  const push = (message: string) => {
    lines.push(message);
  };
  return { debug: () => {}, info: push, warn: push, error: push };
}

async function viaNango(stripVendorHeaders: boolean) {
  const proxy = await new FakeNangoProxy({
    secretKey: SECRET,
    connections: [
      { connectionId: 'c', providerConfigKey: 'github', credentials: { authorization: `Bearer ${TOKEN}` } },
    ],
    upstreams: { github: fake.url },
    stripSuccessResponseHeaders: stripVendorHeaders,
  }).start();
  nango = proxy;
  return createNangoConnectionContext({
    connectionId: 'c',
    providerConfigKey: 'github',
    nangoSecretKey: SECRET,
    nangoBaseUrl: proxy.url,
  });
}

describe('GitHub discovery', () => {
  it('lists orgs first, then the viewer, with the original shapes (through core + Nango)', async () => {
    fake = await new GitHubFake({
      token: TOKEN,
      login: 'octocat',
      userName: 'The Octocat',
      orgs: [{ login: 'acme', description: 'Acme Inc.' }, { login: 'bare' }],
    }).start();
    const result = await discoverWorkspaces('github', await viaNango(false));
    expect(result.truncated).toBe(false);
    expect(result.items.map((item) => [item.kind, item.name, item.display])).toEqual([
      ['org', 'acme', 'Acme Inc.'],
      ['org', 'bare', 'bare'],
      ['user', 'octocat', 'The Octocat'],
    ]);
    const acme = result.items[0];
    expect(acme?.providerContext).toEqual({
      workspace_type: 'org',
      login: 'acme',
      account_id: acme?.id,
      workspace_handle: 'acme',
      workspace_url: 'https://github.com/acme',
    });
    expect(acme?.id).toMatch(/^\d+$/);
  });

  it('sends the GitHub media type and API version on hosted discovery, as direct mode does', async () => {
    fake = await new GitHubFake({ token: TOKEN, login: 'octocat', orgs: [{ login: 'acme' }] }).start();
    const context = await viaNango(false);
    const [acme] = (await discoverWorkspaces('github', context)).items;
    await discoverResources('github', acme!, context);
    expect(nango?.forwarded.map((request) => new URL(request.url).pathname)).toEqual([
      '/user/orgs',
      '/user',
      '/orgs/acme/repos',
    ]);
    for (const request of nango?.forwarded ?? []) {
      expect(request.headers.accept).toBe('application/vnd.github+json');
      expect(request.headers['x-github-api-version']).toBe('2022-11-28');
    }
  });

  it('pages through more than 30 orgs (the original stopped at the first page)', async () => {
    fake = await new GitHubFake({
      token: TOKEN,
      orgs: Array.from({ length: 135 }, (_, index) => ({ login: `org-${index}` })),
    }).start();
    const result = await discoverGitHubWorkspaces(directClient());
    expect(result.items.filter((item) => item.kind === 'org')).toHaveLength(135);
    expect(result.items.at(-1)?.kind).toBe('user');
    expect(fake.server.callCount('GET /user/orgs')).toBe(2);
  });

  it('omits the personal workspace with a warning when /user fails', async () => {
    fake = await new GitHubFake({ token: TOKEN, orgs: [{ login: 'acme' }] }).start();
    fake.server.injectFault({
      endpoint: 'GET /user',
      fault: { kind: 'status', status: 403, body: { message: 'Forbidden' } },
    });
    const lines: string[] = [];
    const result = await discoverGitHubWorkspaces(directClient(), { logger: recordingLogger(lines) });
    expect(result.items.map((item) => item.kind)).toEqual(['org']);
    expect(lines).toEqual(['Failed to fetch GitHub user identity (status 403), omitting personal workspace']);
    // The same through core's entry point, which hands its logger to the discoverer.
    fake.server.injectFault({
      endpoint: 'GET /user',
      fault: { kind: 'status', status: 401, body: { message: 'Bad credentials' } },
    });
    const viaCore = await discoverWorkspaces('github', await viaNango(false), {
      logger: recordingLogger(lines),
    });
    expect(viaCore.items.map((item) => item.kind)).toEqual(['org']);
    expect(lines.at(-1)).toBe(
      'Failed to fetch GitHub user identity (status 401), omitting personal workspace',
    );
  });

  it('lists repositories of an org across Link pages with the original routing metadata', async () => {
    fake = await new GitHubFake({
      token: TOKEN,
      orgs: [{ login: 'acme' }],
      repos: Array.from({ length: 205 }, (_, index) => ({
        owner: 'acme',
        name: `repo-${String(index).padStart(3, '0')}`,
        private: index === 0,
      })),
    }).start();
    const workspaces = await discoverGitHubWorkspaces(directClient());
    const org = workspaces.items.find((item) => item.kind === 'org');
    if (!org) throw new Error('no org');
    const result = await discoverResources('github', org, await viaNango(false));
    expect(result.items).toHaveLength(205);
    expect(result.truncated).toBe(false);
    expect(fake.server.callCount('GET /orgs/{org}/repos')).toBe(3);
    const first = result.items[0];
    expect(first).toMatchObject({
      provider: 'github',
      parentWorkspaceId: org.id,
      resourceType: 'repository',
      displayName: 'acme/repo-000',
      connectorParams: { owner: 'acme', repo: 'repo-000' },
      routingMetadata: {
        full_name: 'acme/repo-000',
        default_branch: 'main',
        html_url: 'https://github.com/acme/repo-000',
        visibility: 'private',
        display_key: 'repo-000',
        resource_url: 'https://github.com/acme/repo-000',
      },
    });
    expect(first?.stableRef).toBe(first?.routingMetadata.repo_id);
  });

  it('pages with the short-page rule when the proxy strips Link, and truncates after 10 pages', async () => {
    fake = await new GitHubFake({
      token: TOKEN,
      repos: Array.from({ length: 1001 }, (_, index) => ({
        owner: 'octocat',
        name: `r${String(index).padStart(4, '0')}`,
      })),
    }).start();
    const context = await viaNango(true);
    const workspaces = await discoverWorkspaces('github', context);
    const user = workspaces.items.find((item) => item.kind === 'user');
    if (!user) throw new Error('no user workspace');
    const result = await discoverResources('github', user, context);
    expect(result.items).toHaveLength(1000);
    expect(result.truncated).toBe(true);
    expect(fake.server.callCount('GET /user/repos')).toBe(10);
  });

  it('follows the query of next links, not their /repositories/{id} path', async () => {
    fake = await new GitHubFake({
      token: TOKEN,
      linkStyle: 'repository-id',
      orgs: [{ login: 'acme' }],
      repos: Array.from({ length: 150 }, (_, index) => ({ owner: 'acme', name: `r${index}` })),
    }).start();
    fake.seedIssue({ title: 'a' });
    fake.seedIssue({ title: 'b' });
    fake.seedIssue({ title: 'c' });
    const result = await discoverGitHubResources(directClient(), {
      id: '1',
      name: 'acme',
      display: 'acme',
      kind: 'org',
      provider: 'github',
      providerContext: { workspace_type: 'org' },
    });
    expect(result.items).toHaveLength(150);
    const connector = new GitHubConnector({
      owner: 'octocat',
      repo: 'hello-world',
      token: TOKEN,
      baseUrl: fake.url,
    });
    const first = await connector.listIssues({ updatedSince: null, cursor: null, limit: 2 });
    expect(first.nextCursor).not.toBeNull();
    const rest = await connector.listIssues({ updatedSince: null, cursor: first.nextCursor, limit: 2 });
    expect([...first.items, ...rest.items].map((issue) => issue.title)).toEqual(['a', 'b', 'c']);
  });

  it('stops when the server repeats a next link instead of fetching the same page again', async () => {
    fake = await new GitHubFake({ token: TOKEN, orgs: [{ login: 'acme' }] }).start();
    fake.server.injectFault({
      endpoint: 'GET /orgs/{org}/repos',
      times: Number.POSITIVE_INFINITY,
      fault: {
        kind: 'status',
        status: 200,
        headers: { link: `<${fake.url}/orgs/acme/repos?per_page=100&page=2>; rel="next"` },
        body: [],
      },
    });
    const workspace = {
      id: '1',
      name: 'acme',
      display: 'acme',
      kind: 'org',
      provider: 'github',
      providerContext: { workspace_type: 'org' },
    };
    const error = await discoverGitHubResources(directClient(), workspace).catch((e: unknown) => e);
    expect(PageWalkLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'repeated_cursor', pages: 2 });
    expect(fake.server.callCount('GET /orgs/{org}/repos')).toBe(2);
    fake.server.clearFaults();
  });

  it('uses the user endpoint with affiliation=owner for a personal workspace', async () => {
    fake = await new GitHubFake({
      token: TOKEN,
      orgs: [{ login: 'acme' }],
      repos: [{ owner: 'acme', name: 'x' }],
    }).start();
    const result = await discoverGitHubResources(directClient(), {
      id: '1',
      name: 'octocat',
      display: 'octocat',
      kind: 'user',
      provider: 'github',
      providerContext: { workspace_type: 'user' },
    });
    expect(result.items.map((item) => item.displayName)).toEqual(['octocat/hello-world']);
  });
});
