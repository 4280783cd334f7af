// Test-only connector definitions with hosted and discovery hooks, shaped like the real
// GitHub/Linear packages, so core's hosted factory and discovery entry points can be tested
// against an explicit registry without importing connector packages (which depend on core).
import * as v from 'valibot';
import { createHttpClient } from '../../http/http-client';
import type { TrackerConnector } from '../../protocol/connector';
import {
  CONNECTOR_PROTOCOL_VERSION,
  type ConnectorDefinition,
  type ConnectorRuntime,
} from '../../protocol/connector-definition';
import type { HttpClient } from '../../protocol/http-client';
import { NANGO_MANAGED_TOKEN } from '../nango-connection-context';

const nonEmpty = (field: string) =>
  v.pipe(v.string(`${field} must be a string`), v.nonEmpty(`${field} must not be empty`));

const githubConfigSchema = v.object({
  token: nonEmpty('token'),
  owner: nonEmpty('owner'),
  repo: nonEmpty('repo'),
  baseUrl: v.optional(v.string(), 'https://api.github.com'),
});
type GitHubConfig = v.InferOutput<typeof githubConfigSchema>;

const githubParamsSchema = v.object({
  owner: nonEmpty('owner'),
  repo: nonEmpty('repo'),
  baseUrl: v.optional(v.string(), 'https://api.github.com'),
});
type GitHubParams = v.InferOutput<typeof githubParamsSchema>;

/** A connector that only lists issue titles; enough to see requests go through the runtime fetch. */
export interface ProbeConnector extends TrackerConnector {
  readonly config: GitHubConfig;
  readonly http: HttpClient;
  listTitles(): Promise<string[]>;
}

function createProbeConnector(config: GitHubConfig, runtime: ConnectorRuntime | undefined): ProbeConnector {
  const http = createHttpClient({
    baseUrl: config.baseUrl,
    provider: 'github',
    headers: { Authorization: `Bearer ${config.token}`, Accept: 'application/vnd.github+json' },
    ...(runtime?.fetch !== undefined ? { fetch: runtime.fetch } : {}),
    retry: false,
  });
  const connector = {
    name: 'github',
    config,
    http,
    async listTitles() {
      const response = await http.request({
        method: 'GET',
        path: `/repos/${config.owner}/${config.repo}/issues`,
        schema: v.array(v.object({ title: v.string() })),
      });
      return response.data.map((issue) => issue.title);
    },
  };
  return connector as unknown as ProbeConnector;
}

export function fakeGitHubDefinition(
  discovery?: ConnectorDefinition<GitHubConfig, GitHubParams>['discovery'],
): ConnectorDefinition<GitHubConfig, GitHubParams> {
  return {
    id: 'github',
    displayName: 'GitHub (test)',
    protocolVersion: CONNECTOR_PROTOCOL_VERSION,
    packageName: '@spec-kitty/connector-github',
    packageVersion: '0.0.0-test',
    mode: 'hosted',
    configSchema: githubConfigSchema,
    create: (config, runtime) => createProbeConnector(config, runtime),
    hosted: {
      paramsSchema: githubParamsSchema,
      toConfig: (params) => ({
        token: NANGO_MANAGED_TOKEN,
        owner: params.owner,
        repo: params.repo,
        baseUrl: params.baseUrl,
      }),
      // The original ignores a `base_url` key for GitHub.
      paramsFromConnectorParams: (params) => ({
        owner: String(params.owner),
        repo: String(params.repo),
        baseUrl: 'https://api.github.com',
      }),
      requiredConnectorParams: ['owner', 'repo'],
      nangoProviderKey: 'github',
      discoveryBaseUrl: 'https://api.github.com',
    },
    ...(discovery !== undefined ? { discovery } : {}),
  };
}

/** A definition without hosted support (like Azure DevOps). */
export function fakeLocalOnlyDefinition(id: string): ConnectorDefinition<{ x?: string }> {
  return {
    id,
    displayName: id,
    protocolVersion: CONNECTOR_PROTOCOL_VERSION,
    packageName: `@test/${id}`,
    packageVersion: '1.0.0',
    mode: 'direct',
    configSchema: v.object({ x: v.optional(v.string()) }),
    create: () => ({ name: id }) as unknown as TrackerConnector,
  };
}

const projectConfigSchema = v.object({ token: nonEmpty('token'), project: nonEmpty('project') });
type ProjectConfig = v.InferOutput<typeof projectConfigSchema>;
const projectParamsSchema = v.object({ project: nonEmpty('project') });
type ProjectParams = v.InferOutput<typeof projectParamsSchema>;

/**
 * A hosted definition of any id (a third-party one like 'acme', or a stand-in for a first-party
 * id) whose facts come from the arguments: required connector params, discovery base URL, and a
 * discoverer that lists `/projects` under that base.
 */
export function fakeHostedDefinition(
  id: string,
  requiredConnectorParams: readonly string[],
  discoveryBaseUrl = `https://api.${id}.test/v2`,
): ConnectorDefinition<ProjectConfig, ProjectParams> {
  return {
    id,
    displayName: id,
    protocolVersion: CONNECTOR_PROTOCOL_VERSION,
    packageName: `${id}-tracker-connector`,
    packageVersion: '2.0.0',
    mode: 'hosted',
    configSchema: projectConfigSchema,
    create: (config) => ({ name: id, config }) as unknown as TrackerConnector,
    hosted: {
      paramsSchema: projectParamsSchema,
      toConfig: (params) => ({ token: NANGO_MANAGED_TOKEN, project: params.project }),
      paramsFromConnectorParams: (params) => ({
        project: String(params[requiredConnectorParams[0] ?? 'project']),
      }),
      requiredConnectorParams,
      nangoProviderKey: id,
      discoveryBaseUrl,
    },
    discovery: {
      async workspaces(http) {
        const response = await http.request({ method: 'GET', path: '/projects', schema: v.unknown() });
        return { items: [], truncated: response.status !== 200 };
      },
      async resources() {
        return { items: [], truncated: false };
      },
    },
  };
}
