import {
  CanonicalStatus,
  CONNECTOR_PROTOCOL_VERSION,
  ConnectorConfigError,
  defineConnector,
  type JsonValue,
  NANGO_MANAGED_TOKEN,
} from '@spec-kitty/core';
import * as v from 'valibot';
import { JiraConnector, type JiraConnectorConfig } from './jira-connector';
import { discoverJiraResources, discoverJiraWorkspaces } from './jira-discovery';
import { VERSION } from './version';

const statusNameMapSchema = v.pipe(
  v.record(
    v.picklist(Object.values(CanonicalStatus), 'statusNameMap keys must be canonical statuses'),
    v.string('statusNameMap values must be Jira status names'),
  ),
  v.transform((map) => map as Partial<Record<CanonicalStatus, string>>),
);

const optionalName = (field: string) =>
  v.optional(
    v.nullable(
      v.pipe(v.string(`${field} must be a string`), v.trim(), v.nonEmpty(`${field} must not be empty`)),
    ),
    null,
  );

export const jiraConfigSchema = v.strictObject({
  // Blank baseUrl / projectKey pass the schema and are refused by the connector with the
  // original's message: "Jira base_url and project_key are required".
  baseUrl: v.string('baseUrl must be a string, e.g. https://your-domain.atlassian.net'),
  email: v.string('email must be a string (the Atlassian account email)'),
  apiToken: v.string('apiToken must be a string (an Atlassian API token)'),
  projectKey: v.string('projectKey must be a string, e.g. "PROJ"'),
  defaultIssueType: v.optional(
    v.pipe(v.string(), v.trim(), v.nonEmpty('defaultIssueType must not be empty')),
    'Task',
  ),
  statusNameMap: v.optional(statusNameMapSchema, {}),
  specKittyMissionFieldId: optionalName('specKittyMissionFieldId'),
  specKittyMissionFieldName: optionalName('specKittyMissionFieldName'),
  timeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});

export type JiraConnectorConfigInput = v.InferInput<typeof jiraConfigSchema>;

/** Hosted (Nango) params: the config without credentials (the original's `JiraHostedParams`). */
export const jiraHostedParamsSchema = v.strictObject({
  baseUrl: v.string('baseUrl must be a string, e.g. https://api.atlassian.com/ex/jira/<cloudId>'),
  projectKey: v.string('projectKey must be a string'),
  defaultIssueType: v.optional(v.string(), 'Task'),
  statusNameMap: v.optional(statusNameMapSchema, {}),
  specKittyMissionFieldId: optionalName('specKittyMissionFieldId'),
  specKittyMissionFieldName: optionalName('specKittyMissionFieldName'),
});

export type JiraHostedParams = v.InferOutput<typeof jiraHostedParamsSchema>;
export type JiraHostedParamsInput = v.InferInput<typeof jiraHostedParamsSchema>;

function pyList(values: readonly string[]): string {
  return `[${values.map((value) => `'${value}'`).join(', ')}]`;
}

/** `connector_params` from discovery → hosted params (requires `project_key`, `base_url`; `cloud_id` ignored). */
export function jiraParamsFromConnectorParams(params: Readonly<Record<string, JsonValue>>): JiraHostedParams {
  const missing = ['project_key', 'base_url'].filter((key) => !(key in params));
  if (missing.length > 0)
    throw new ConnectorConfigError(`Missing required connector_params keys: ${pyList(missing)}`);
  return {
    baseUrl: String(params.base_url),
    projectKey: String(params.project_key),
    defaultIssueType: 'Task',
    statusNameMap: {},
    specKittyMissionFieldId: null,
    specKittyMissionFieldName: null,
  };
}

export const jiraConnectorDefinition = defineConnector<JiraConnectorConfig, JiraHostedParams>({
  id: 'jira',
  displayName: 'Jira',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@spec-kitty/connector-jira',
  packageVersion: VERSION,
  mode: 'hosted',
  configSchema: jiraConfigSchema,
  create: (config, runtime) =>
    new JiraConnector(config, {
      ...(runtime?.fetch !== undefined ? { fetch: runtime.fetch } : {}),
      ...(runtime?.logger !== undefined ? { logger: runtime.logger } : {}),
    }),
  hosted: {
    paramsSchema: jiraHostedParamsSchema,
    toConfig: (params) => ({
      ...params,
      // Credentials are the managed sentinel; the Nango proxy injects the real auth.
      email: NANGO_MANAGED_TOKEN,
      apiToken: NANGO_MANAGED_TOKEN,
    }),
    paramsFromConnectorParams: jiraParamsFromConnectorParams,
    requiredConnectorParams: ['project_key', 'base_url'],
    nangoProviderKey: 'jira',
    discoveryBaseUrl: 'https://api.atlassian.com',
  },
  discovery: {
    headers: { Accept: 'application/json' },
    workspaces: discoverJiraWorkspaces,
    resources: discoverJiraResources,
  },
  cli: {
    workspaceHint: 'the project key, e.g. PROJ (also --set baseUrl=… --set email=…)',
    workspaceToConfig: (workspace) => ({ projectKey: workspace }),
    credentialEnv: { apiToken: 'JIRA_API_TOKEN' },
  },
});
