import {
  CanonicalStatus,
  CONNECTOR_PROTOCOL_VERSION,
  ConnectorConfigError,
  defineConnector,
  type JsonValue,
  NANGO_MANAGED_TOKEN,
} from '@spec-kitty/core';
import { DEFAULT_MAX_PAGES } from '@spec-kitty/core/http';
import * as v from 'valibot';
import { GITLAB_DEFAULT_BASE_URL, GitLabConnector, type GitLabConnectorConfig } from './gitlab-connector';
import { discoverGitLabResources, discoverGitLabWorkspaces } from './gitlab-discovery';
import { VERSION } from './version';

const REQUIRED = 'GitLab project_id and token are required';

const required = v.pipe(v.string(REQUIRED), v.trim(), v.nonEmpty(REQUIRED));
const labelName = v.pipe(
  v.string('statusLabels values must be label names'),
  v.trim(),
  v.nonEmpty('statusLabels values must not be empty'),
  v.check((label) => !label.includes(','), 'statusLabels values cannot contain commas'),
);

export const gitLabConfigSchema = v.strictObject({
  /** Numeric project id or `namespace/path`. */
  projectId: v.pipe(
    v.union([v.string(REQUIRED), v.pipe(v.number(), v.integer(), v.transform(String))], REQUIRED),
    v.trim(),
    v.nonEmpty(REQUIRED),
  ),
  token: required,
  baseUrl: v.optional(
    v.pipe(
      v.string('baseUrl must be a string'),
      v.trim(),
      v.url('baseUrl must be an absolute URL such as https://gitlab.com/api/v4'),
    ),
    GITLAB_DEFAULT_BASE_URL,
  ),
  statusLabels: v.optional(
    v.strictObject(
      Object.fromEntries(
        Object.values(CanonicalStatus).map((status) => [status, v.optional(labelName)]),
      ) as Record<CanonicalStatus, v.OptionalSchema<typeof labelName, undefined>>,
      'statusLabels keys must be canonical statuses (todo, in_progress, in_review, blocked, done, canceled)',
    ),
    {},
  ),
  overlapSeconds: v.optional(
    v.pipe(v.number('overlapSeconds must be a number'), v.minValue(0, 'overlapSeconds must be >= 0')),
    1,
  ),
  maxPages: v.optional(
    v.pipe(
      v.number('maxPages must be a number'),
      v.integer('maxPages must be an integer'),
      v.minValue(1, 'maxPages must be >= 1'),
    ),
    DEFAULT_MAX_PAGES,
  ),
});

export type GitLabConnectorConfigInput = v.InferInput<typeof gitLabConfigSchema>;

/** Hosted (Nango) parameters: no credentials. */
export const gitLabHostedParamsSchema = v.strictObject({
  projectId: v.pipe(v.string('projectId must be a string'), v.trim(), v.nonEmpty(REQUIRED)),
  baseUrl: v.optional(
    v.pipe(v.string('baseUrl must be a string'), v.url('baseUrl must be an absolute URL')),
    GITLAB_DEFAULT_BASE_URL,
  ),
});
export type GitLabHostedParams = v.InferOutput<typeof gitLabHostedParamsSchema>;
export type GitLabHostedParamsInput = v.InferInput<typeof gitLabHostedParamsSchema>;

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

export const gitLabConnectorDefinition = defineConnector<GitLabConnectorConfig, GitLabHostedParams>({
  id: 'gitlab',
  displayName: 'GitLab',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@spec-kitty/connector-gitlab',
  packageVersion: VERSION,
  mode: 'hosted',
  configSchema: gitLabConfigSchema,
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
