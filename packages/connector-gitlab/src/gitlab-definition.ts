import {
  CONNECTOR_PROTOCOL_VERSION,
  ConnectorConfigError,
  defineConnector,
  type JsonValue,
  NANGO_MANAGED_TOKEN,
} from '@spec-kitty/core';
import * as v from 'valibot';
import {
  GITLAB_DEFAULT_BASE_URL,
  type GitLabConnectorConfigInput,
  gitLabConfigSchema,
  GITLAB_REQUIRED_MESSAGE as REQUIRED,
} from './gitlab-config';
import { GitLabConnector } from './gitlab-connector';
import { discoverGitLabResources, discoverGitLabWorkspaces } from './gitlab-discovery';
import { gitlabWebhooks } from './gitlab-webhooks';
import { VERSION } from './version';

/** What a host passes as GitLab hosted (Nango) params: no credentials. */
export interface GitLabHostedParamsInput {
  /** Numeric project id or `namespace/path`. */
  projectId: string;
  /** REST API root (default `https://gitlab.com/api/v4`). */
  baseUrl?: string | undefined;
}

/** GitLab hosted (Nango) params, validated (the original's `GitLabHostedParams`). */
export interface GitLabHostedParams {
  /** Numeric project id or `namespace/path`, trimmed. */
  projectId: string;
  /** REST API root. */
  baseUrl: string;
}

/** Hosted (Nango) parameters: no credentials. */
export const gitLabHostedParamsSchema = v.strictObject({
  projectId: v.pipe(v.string('projectId must be a string'), v.trim(), v.nonEmpty(REQUIRED)),
  baseUrl: v.optional(
    v.pipe(v.string('baseUrl must be a string'), v.url('baseUrl must be an absolute URL')),
    GITLAB_DEFAULT_BASE_URL,
  ),
}) satisfies v.GenericSchema<GitLabHostedParamsInput, GitLabHostedParams>;

/** `connector_params` from discovery → hosted params (the original's `connector_params_to_hosted_params`). */
export function gitLabParamsFromConnectorParams(
  params: Readonly<Record<string, JsonValue>>,
): GitLabHostedParams {
  const missing = ['project_id'].filter((key) => !(key in params));
  if (missing.length > 0) {
    throw new ConnectorConfigError(
      `Missing required connector_params keys: [${missing.map((key) => `'${key}'`).join(', ')}]`,
    );
  }
  const baseUrl = params.base_url;
  return {
    projectId: String(params.project_id),
    baseUrl: baseUrl === undefined ? GITLAB_DEFAULT_BASE_URL : String(baseUrl),
  };
}

/** The GitLab connector definition, registered on import of `@spec-kitty/connector-gitlab`. */
export const gitlabConnectorDefinition = defineConnector<GitLabConnectorConfigInput, GitLabHostedParams>({
  id: 'gitlab',
  displayName: 'GitLab',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@spec-kitty/connector-gitlab',
  packageVersion: VERSION,
  mode: 'hosted',
  configSchema: gitLabConfigSchema,
  webhooks: gitlabWebhooks,
  create: (config, runtime) => new GitLabConnector(config, runtime),
  hosted: {
    paramsSchema: gitLabHostedParamsSchema,
    toConfig: (params) => ({
      projectId: params.projectId,
      token: NANGO_MANAGED_TOKEN,
      baseUrl: params.baseUrl,
    }),
    paramsFromConnectorParams: gitLabParamsFromConnectorParams,
    requiredConnectorParams: ['project_id'],
    nangoProviderKey: 'gitlab',
    discoveryBaseUrl: 'https://gitlab.com',
  },
  discovery: {
    headers: { Accept: 'application/json' },
    workspaces: discoverGitLabWorkspaces,
    resources: discoverGitLabResources,
  },
  cli: {
    workspaceHint: 'project id or group/project path',
    workspaceToConfig: (workspace) => ({ projectId: workspace }),
    credentialEnv: { token: 'GITLAB_TOKEN' },
  },
});

/** @deprecated Renamed to `gitlabConnectorDefinition` (one naming scheme: `<id>ConnectorDefinition`). */
export const gitLabConnectorDefinition = gitlabConnectorDefinition;
