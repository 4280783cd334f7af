import {
  type CanonicalStatus,
  CONNECTOR_PROTOCOL_VERSION,
  ConnectorConfigError,
  type ConnectorDefinition,
  defineConnector,
  type JsonValue,
  NANGO_MANAGED_TOKEN,
} from '@spec-kitty/core';
import * as v from 'valibot';
import {
  DEFAULT_OVERLAP_MS,
  type LinearConnectorConfig,
  linearConfigSchema,
  linearSharedConfigFields as optionalFields,
  LINEAR_REQUIRED_MESSAGE as REQUIRED_MESSAGE,
} from './linear-config';
import { LinearConnector } from './linear-connector';
import { discoverLinearResources, discoverLinearWorkspaces } from './linear-discovery';
import { linearWebhooks } from './linear-webhooks';
import { VERSION } from './version';

/** What a host passes as Linear hosted (Nango) params: no credentials. */
export interface LinearHostedParamsInput {
  /** The Linear team id. */
  teamId: string;
  /** `ExternalRef.workspace` of every issue (default "linear"). */
  workspace?: string | undefined;
  /** GraphQL endpoint (default `https://api.linear.app/graphql`). */
  graphqlUrl?: string | undefined;
  /** Canonical status → workflow state id. */
  statusToStateId?: Partial<Record<CanonicalStatus, string>> | undefined;
}

/** Linear hosted (Nango) params, validated (the original's `LinearHostedParams`). */
export interface LinearHostedParams {
  /** The Linear team id, trimmed. */
  teamId: string;
  /** `ExternalRef.workspace` of every issue. */
  workspace: string;
  /** GraphQL endpoint. */
  graphqlUrl: string;
  /** Canonical status → workflow state id. */
  statusToStateId: Partial<Record<CanonicalStatus, string>>;
}

/** Hosted (Nango) parameters: no credentials (the original's `LinearHostedParams`). */
export const linearHostedParamsSchema = v.strictObject({
  teamId: v.pipe(v.string('teamId must be a string'), v.trim(), v.nonEmpty(REQUIRED_MESSAGE)),
  ...optionalFields,
}) satisfies v.GenericSchema<LinearHostedParamsInput, LinearHostedParams>;

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

/** The Linear connector definition, registered on import of `@spec-kitty/connector-linear`. */
export const linearConnectorDefinition = defineConnector<LinearConnectorConfig, LinearHostedParams>({
  id: 'linear',
  displayName: 'Linear',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@spec-kitty/connector-linear',
  packageVersion: VERSION,
  mode: 'hosted',
  configSchema: linearConfigSchema as unknown as ConnectorDefinition<LinearConnectorConfig>['configSchema'],
  webhooks: linearWebhooks,
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
