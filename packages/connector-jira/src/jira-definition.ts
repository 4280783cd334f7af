import {
  CONNECTOR_PROTOCOL_VERSION,
  ConnectorConfigError,
  defineConnector,
  type JsonValue,
  NANGO_MANAGED_TOKEN,
} from '@spec-kitty/core';
import * as v from 'valibot';
import {
  type JiraConnectorConfigInput,
  type JiraStatusNameMap,
  jiraConfigSchema,
  optionalName,
  statusNameMapSchema,
} from './jira-config';
import { JiraConnector } from './jira-connector';
import { discoverJiraResources, discoverJiraWorkspaces } from './jira-discovery';
import { jiraWebhooks } from './jira-webhooks';
import { VERSION } from './version';

/** What a host passes as Jira hosted (Nango) params: the config without credentials. */
export interface JiraHostedParamsInput {
  /** OAuth base (`https://api.atlassian.com/ex/jira/{cloudId}`) or site URL. */
  baseUrl: string;
  /** Project key, e.g. `PROJ`. */
  projectKey: string;
  /** Jira issue type used for canonical `task` and `chore` (default "Task"). */
  defaultIssueType?: string | undefined;
  /** Canonical status → Jira status name. */
  statusNameMap?: JiraStatusNameMap | undefined;
  /** Custom field holding `customFields.spec_kitty_mission`. */
  specKittyMissionFieldId?: string | null | undefined;
  /** …or its display name. */
  specKittyMissionFieldName?: string | null | undefined;
}

/** Jira hosted (Nango) params, validated (the original's `JiraHostedParams`). */
export interface JiraHostedParams {
  /** OAuth base or site URL. */
  baseUrl: string;
  /** Project key. */
  projectKey: string;
  /** Jira issue type used for canonical `task` and `chore`. */
  defaultIssueType: string;
  /** Canonical status → Jira status name. */
  statusNameMap: JiraStatusNameMap;
  /** Custom field id holding `customFields.spec_kitty_mission`, or null. */
  specKittyMissionFieldId: string | null;
  /** Display name of that custom field, or null. */
  specKittyMissionFieldName: string | null;
}

/** Hosted (Nango) params: the config without credentials (the original's `JiraHostedParams`). */
export const jiraHostedParamsSchema = v.strictObject({
  baseUrl: v.string('baseUrl must be a string, e.g. https://api.atlassian.com/ex/jira/<cloudId>'),
  projectKey: v.string('projectKey must be a string'),
  defaultIssueType: v.optional(v.string(), 'Task'),
  statusNameMap: v.optional(statusNameMapSchema, {}),
  specKittyMissionFieldId: optionalName('specKittyMissionFieldId'),
  specKittyMissionFieldName: optionalName('specKittyMissionFieldName'),
}) satisfies v.GenericSchema<JiraHostedParamsInput, JiraHostedParams>;

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

/** The Jira connector definition, registered on import of `@spec-kitty/connector-jira`. */
export const jiraConnectorDefinition = defineConnector<JiraConnectorConfigInput, JiraHostedParams>({
  id: 'jira',
  displayName: 'Jira',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@spec-kitty/connector-jira',
  packageVersion: VERSION,
  mode: 'hosted',
  configSchema: jiraConfigSchema,
  webhooks: jiraWebhooks,
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
