import {
  CanonicalStatus,
  CONNECTOR_PROTOCOL_VERSION,
  ConnectorConfigError,
  type ConnectorDefinition,
  defineConnector,
  type JsonValue,
  NANGO_MANAGED_TOKEN,
} from '@spec-kitty/core';
import { DEFAULT_MAX_PAGES } from '@spec-kitty/core/http';
import * as v from 'valibot';
import {
  DEFAULT_OVERLAP_MS,
  LINEAR_GRAPHQL_URL,
  LinearConnector,
  type LinearConnectorConfig,
} from './linear-connector';
import { discoverLinearResources, discoverLinearWorkspaces } from './linear-discovery';
import { VERSION } from './version';

const REQUIRED_MESSAGE = 'Linear api_key and team_id are required';

const statusMapping = v.record(
  v.picklist(Object.values(CanonicalStatus), 'statusToStateId keys must be canonical statuses'),
  v.pipe(
    v.string('statusToStateId values must be Linear workflow state ids'),
    v.nonEmpty('state ids must not be empty'),
  ),
);

const optionalFields = {
  workspace: v.optional(
    v.pipe(v.string('workspace must be a string'), v.trim(), v.nonEmpty('workspace must not be empty')),
    'linear',
  ),
  graphqlUrl: v.optional(
    v.pipe(v.string('graphqlUrl must be a string'), v.url('graphqlUrl must be a URL')),
    LINEAR_GRAPHQL_URL,
  ),
  statusToStateId: v.optional(statusMapping, {}),
};

export const linearConfigSchema = v.pipe(
  v.strictObject({
    apiKey: v.string('apiKey must be a string (a Linear API key or OAuth token)'),
    teamId: v.string('teamId must be a string (the Linear team id)'),
    ...optionalFields,
    overlapMs: v.optional(
      v.pipe(v.number('overlapMs must be a number'), v.integer(), v.minValue(0, 'overlapMs must be >= 0')),
      DEFAULT_OVERLAP_MS,
    ),
    maxPages: v.optional(
      v.pipe(
        v.number('maxPages must be a number'),
        v.integer('maxPages must be an integer'),
        v.minValue(1, 'maxPages must be >= 1'),
      ),
      DEFAULT_MAX_PAGES,
    ),
  }),
  v.check((config) => config.apiKey.trim() !== '' && config.teamId.trim() !== '', REQUIRED_MESSAGE),
);

export type LinearConnectorConfigInput = v.InferInput<typeof linearConfigSchema>;

/** Hosted (Nango) parameters: no credentials (the original's `LinearHostedParams`). */
export const linearHostedParamsSchema = v.strictObject({
  teamId: v.pipe(v.string('teamId must be a string'), v.trim(), v.nonEmpty(REQUIRED_MESSAGE)),
  ...optionalFields,
});
export type LinearHostedParamsInput = v.InferInput<typeof linearHostedParamsSchema>;
export type LinearHostedParams = v.InferOutput<typeof linearHostedParamsSchema>;

/** The connector config a hosted connection runs with (credential = `NANGO_MANAGED_TOKEN`). */
export function linearHostedParamsToConfig(params: LinearHostedParams): LinearConnectorConfig {
  return {
    apiKey: NANGO_MANAGED_TOKEN,
    teamId: params.teamId,
    workspace: params.workspace,
    graphqlUrl: params.graphqlUrl,
    statusToStateId: params.statusToStateId,
    overlapMs: DEFAULT_OVERLAP_MS,
  };
}

/** Discovery `connector_params` → hosted params: requires `team_id`; other keys are ignored. */
export function linearParamsFromConnectorParams(
  params: Readonly<Record<string, JsonValue>>,
): LinearHostedParams {
  const teamId = params.team_id;
  if (teamId === undefined)
    throw new ConnectorConfigError("Missing required connector_params keys: ['team_id']");
  return v.parse(linearHostedParamsSchema, { teamId: String(teamId) });
}

export const linearConnectorDefinition = defineConnector<LinearConnectorConfig, LinearHostedParams>({
  id: 'linear',
  displayName: 'Linear',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@spec-kitty/connector-linear',
  packageVersion: VERSION,
  mode: 'hosted',
  configSchema: linearConfigSchema as unknown as ConnectorDefinition<LinearConnectorConfig>['configSchema'],
  create: (config, runtime) =>
    new LinearConnector(config, {
      ...(runtime?.fetch ? { fetch: runtime.fetch } : {}),
      ...(runtime?.logger ? { logger: runtime.logger } : {}),
    }),
  hosted: {
    paramsSchema: linearHostedParamsSchema,
    toConfig: linearHostedParamsToConfig,
    paramsFromConnectorParams: linearParamsFromConnectorParams,
    requiredConnectorParams: ['team_id'],
    nangoProviderKey: 'linear',
    discoveryBaseUrl: 'https://api.linear.app',
  },
  discovery: {
    headers: { Accept: 'application/json' },
    workspaces: discoverLinearWorkspaces,
    resources: discoverLinearResources,
  },
  cli: {
    workspaceHint: 'the Linear team id',
    workspaceToConfig: (workspace) => ({ teamId: workspace }),
    credentialEnv: { apiKey: 'LINEAR_API_KEY' },
  },
});
