import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectorConfigError, ConnectorRequestError, DiscoveryContractError } from '../errors/errors';
import { createNangoConnectionContext } from '../hosted/nango-connection-context';
import {
  fakeGitHubDefinition,
  fakeHostedDefinition,
  fakeLocalOnlyDefinition,
} from '../hosted/testing/fake-definitions';
import { type LoopbackServer, sendJson, startLoopback } from '../http/testing/loopback-server';
import type { ConnectorDefinition } from '../protocol/connector-definition';
import { createConnectorRegistry } from '../registry/plugin-registry';
import { discoverResources, discoverWorkspaces } from './discover';
import type { DiscoveredWorkspace } from './discovery-types';
import { connectorParamsToHostedParams } from './hosted-params';

const SECRET = 'sk-discovery-secret-42';

type Discovery = NonNullable<ConnectorDefinition['discovery']>;

/** A miniature GitHub discoverer written the way connector packages write theirs. */
const githubDiscovery: Discovery = {
  async workspaces(http) {
    const orgs = await http.request<{ id: number; login: string }[]>({ method: 'GET', path: '/user/orgs' });
    return {
      items: orgs.data.map((org) => ({
        id: String(org.id),
        name: org.login,
        display: org.login,
        kind: 'org',
        provider: 'github',
        providerContext: {
          workspace_type: 'org',
          workspace_handle: org.login,
          workspace_url: `https://github.com/${org.login}`,
        },
      })),
      truncated: false,
    };
  },
  async resources(http, workspace) {
    const repos = await http.request<
      { id: number; name: string; full_name: string; owner: { login: string } }[]
    >({
      method: 'GET',
      path: `/orgs/${workspace.name}/repos`,
      query: { sort: 'full_name', per_page: 100 },
    });
    return {
      items: repos.data.map((repo) => ({
        provider: 'github',
        parentWorkspaceId: workspace.id,
        resourceType: 'repository',
        stableRef: String(repo.id),
        displayName: repo.full_name,
        connectorParams: { owner: repo.owner.login, repo: repo.name },
        routingMetadata: { display_key: repo.name, resource_url: null },
      })),
      truncated: false,
    };
  },
};

let nango: LoopbackServer;
let mode: 'ok' | 'broken-json' | 'fail' = 'ok';
beforeAll(async () => {
  nango = await startLoopback((request, response) => {
    if (mode === 'fail') return sendJson(response, 403, { message: 'Forbidden' });
    if (request.url === '/proxy/user/orgs') return sendJson(response, 200, [{ id: 1, login: 'octo' }]);
    if (request.url === '/proxy/orgs/octo/repos?sort=full_name&per_page=100') {
      if (mode === 'broken-json')
        return sendJson(response, 200, [{ id: 9, name: '', full_name: '', owner: { login: 'octo' } }]);
      return sendJson(response, 200, [
        { id: 9, name: 'hello', full_name: 'octo/hello', owner: { login: 'octo' } },
      ]);
    }
    sendJson(response, 404, { message: 'Not Found' });
  });
});
afterAll(async () => nango.close());
afterEach(() => {
  mode = 'ok';
});

function context() {
  return createNangoConnectionContext({
    connectionId: 'conn',
    providerConfigKey: 'github',
    nangoSecretKey: SECRET,
    nangoBaseUrl: nango.url,
  });
}

function registryWith(...definitions: ConnectorDefinition<never, never>[]) {
  const registry = createConnectorRegistry();
  for (const definition of definitions) registry.register(definition);
  return registry;
}

describe('discovery base URL', () => {
  it("roots a third-party discoverer at its definition's hosted.discoveryBaseUrl", async () => {
    const registry = registryWith(fakeHostedDefinition('acme', ['project_key']) as never);
    // The fake Nango answers 404 for this path; only the request it received matters here.
    await discoverWorkspaces('acme', context(), { registry, retry: false }).catch(() => null);
    const sent = nango.requests.at(-1);
    // The proxy path is the base URL's path plus the discoverer's path.
    expect(sent?.url).toBe('/proxy/v2/projects');
  });
});

describe('discoverWorkspaces / discoverResources', () => {
  it('runs the provider discoverer through the Nango proxy and returns the validated result', async () => {
    const registry = registryWith(fakeGitHubDefinition(githubDiscovery) as never);
    const workspaces = await discoverWorkspaces('github', context(), { registry });
    expect(workspaces.items.map((item) => item.name)).toEqual(['octo']);
    const sent = nango.requests.at(-1);
    expect(sent?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(sent?.headers['provider-config-key']).toBe('github');
    const resources = await discoverResources(
      'github',
      workspaces.items[0] as DiscoveredWorkspace,
      context(),
      { registry },
    );
    expect(resources).toEqual({
      items: [
        {
          provider: 'github',
          parentWorkspaceId: '1',
          resourceType: 'repository',
          stableRef: '9',
          displayName: 'octo/hello',
          connectorParams: { owner: 'octo', repo: 'hello' },
          routingMetadata: { display_key: 'hello', resource_url: null },
        },
      ],
      truncated: false,
    });
  });

  it("sends the provider's discovery headers (and the caller's) through the proxy, rooted at baseUrl when given", async () => {
    const registry = registryWith(
      fakeGitHubDefinition({
        ...githubDiscovery,
        headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
      }) as never,
    );
    await discoverWorkspaces('github', context(), { registry, headers: { 'X-Trace': 't1' } });
    const sent = nango.requests.at(-1);
    expect(sent?.url).toBe('/proxy/user/orgs');
    expect(sent?.headers['nango-proxy-accept']).toBe('application/vnd.github+json');
    expect(sent?.headers['nango-proxy-x-github-api-version']).toBe('2022-11-28');
    expect(sent?.headers['nango-proxy-x-trace']).toBe('t1');
    // The vendor sees which package made the call.
    expect(sent?.headers['nango-proxy-user-agent']).toBe(
      `spec-kitty-tracker/${registry.get('github').packageName}@${registry.get('github').packageVersion}`,
    );
    const rooted = await discoverWorkspaces('github', context(), {
      registry,
      baseUrl: 'https://api.github.com/api/v3',
    }).catch(() => null);
    expect(rooted).toBeNull(); // the loopback only answers /proxy/user/orgs
    expect(nango.requests.at(-1)?.url).toBe('/proxy/api/v3/user/orgs');
  });

  it('turns a discoverer result that breaks the contract into a DiscoveryContractError with an items[i] path', async () => {
    mode = 'broken-json';
    const registry = registryWith(fakeGitHubDefinition(githubDiscovery) as never);
    const workspace = (await discoverWorkspaces('github', context(), { registry }))
      .items[0] as DiscoveredWorkspace;
    const error = await discoverResources('github', workspace, context(), { registry }).catch(
      (caught: unknown) => caught,
    );
    expect(DiscoveryContractError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'RS-005', fieldPath: 'items[0].display_name', provider: 'github' });
  });

  it('HTTP failures are classified ConnectorRequestErrors without the secret', async () => {
    mode = 'fail';
    const registry = registryWith(fakeGitHubDefinition(githubDiscovery) as never);
    const error = await discoverWorkspaces('github', context(), { registry }).catch(
      (caught: unknown) => caught,
    );
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 403, failureClass: 'permission', provider: 'github' });
    expect((error as Error).message).not.toContain(SECRET);
  });

  it('unknown providers fail like the original, with an install hint for known packages', async () => {
    const registry = registryWith(fakeLocalOnlyDefinition('azure_devops') as never);
    await expect(discoverWorkspaces('beads', context(), { registry })).rejects.toThrow(
      new ConnectorConfigError(
        'Unknown provider: beads (install and import @spec-kitty/connector-beads to discover beads)',
      ),
    );
    await expect(discoverWorkspaces('nope', context(), { registry })).rejects.toThrow(
      new ConnectorConfigError('Unknown provider: nope'),
    );
    // Registered but without a discovery hook.
    await expect(discoverWorkspaces('azure_devops', context(), { registry })).rejects.toThrow(
      new ConnectorConfigError('Unknown provider: azure_devops'),
    );
  });
});

describe('discovery context', () => {
  it('hands discoverers the host logger and signal', async () => {
    const seen: unknown[] = [];
    const logger = { debug() {}, info() {}, warn: (message: string) => seen.push(message), error() {} };
    const controller = new AbortController();
    const discovery: Discovery = {
      async workspaces(_http, context) {
        context?.logger.warn(
          'Failed to fetch GitHub user identity (status 500), omitting personal workspace',
        );
        seen.push(context?.signal === controller.signal);
        return { items: [], truncated: false };
      },
      resources: githubDiscovery.resources,
    };
    const registry = registryWith(fakeGitHubDefinition(discovery) as never);
    await discoverWorkspaces('github', context(), { registry, logger, signal: controller.signal });
    expect(seen).toEqual([
      'Failed to fetch GitHub user identity (status 500), omitting personal workspace',
      true,
    ]);
  });
});

describe('connectorParamsToHostedParams', () => {
  const registry = registryWith(
    fakeGitHubDefinition() as never,
    fakeHostedDefinition('jira', ['project_key', 'base_url']) as never,
    fakeHostedDefinition('gitlab', ['project_id']) as never,
    fakeHostedDefinition('acme', ['workspace_slug', 'project_key']) as never,
  );

  it('delegates to the connector after checking the required keys (extra keys tolerated)', () => {
    expect(
      connectorParamsToHostedParams(
        'github',
        { owner: 'o', repo: 'r', base_url: 'ignored', extra: 1 },
        { registry },
      ),
    ).toEqual({
      owner: 'o',
      repo: 'r',
      baseUrl: 'https://api.github.com',
    });
  });

  it.each([
    ['github', { owner: 'o' }, "Missing required connector_params keys: ['repo']"],
    ['github', {}, "Missing required connector_params keys: ['owner', 'repo']"],
    ['jira', { cloud_id: 'c' }, "Missing required connector_params keys: ['project_key', 'base_url']"],
    ['acme', { project_key: 'P' }, "Missing required connector_params keys: ['workspace_slug']"],
    ['gitlab', { base_url: 'x' }, "Missing required connector_params keys: ['project_id']"],
    ['beads', {}, "Unsupported hosted provider: 'beads'"],
    ['clickup', {}, "Unsupported hosted provider: 'clickup'"],
  ])('%s %j → %s', (provider, params, message) => {
    expect(() => connectorParamsToHostedParams(provider, params, { registry })).toThrow(
      new ConnectorConfigError(message),
    );
  });

  it("accepts a registered third-party definition's hosted facts", () => {
    expect(
      connectorParamsToHostedParams('acme', { workspace_slug: 'w', project_key: 'P' }, { registry }),
    ).toEqual({ project: 'w' });
  });

  it('names the package when the connector is not imported', () => {
    expect(() => connectorParamsToHostedParams('linear', { team_id: 't' }, { registry })).toThrow(
      /@spec-kitty\/connector-linear/,
    );
  });
});

describe('deprecated subpaths', () => {
  it('warn once per process, with the DeprecationWarning type, and still work', async () => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const registry = registryWith(fakeGitHubDefinition(githubDiscovery) as never);
    const workspaceShim = await import('../deprecated/workspace-discovery');
    const resourceShim = await import('../deprecated/resource-discovery');
    expect(emit).not.toHaveBeenCalled(); // importing is side-effect free
    const first = await workspaceShim.discoverWorkspaces('github', context(), { registry });
    await workspaceShim.discoverWorkspaces('github', context(), { registry });
    await resourceShim.discoverResources('github', first.items[0] as DiscoveredWorkspace, context(), {
      registry,
    });
    await resourceShim.discoverResources('github', first.items[0] as DiscoveredWorkspace, context(), {
      registry,
    });
    expect(emit).toHaveBeenCalledTimes(2);
    expect(emit).toHaveBeenNthCalledWith(1, workspaceShim.WORKSPACE_DISCOVERY_DEPRECATION, {
      type: 'DeprecationWarning',
      code: 'SPEC_KITTY_WORKSPACE_DISCOVERY',
    });
    expect(emit).toHaveBeenNthCalledWith(2, resourceShim.RESOURCE_DISCOVERY_DEPRECATION, {
      type: 'DeprecationWarning',
      code: 'SPEC_KITTY_RESOURCE_DISCOVERY',
    });
    expect(first.items).toHaveLength(1);
  });
});
