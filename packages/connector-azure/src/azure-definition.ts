import {
  CanonicalStatus,
  CONNECTOR_PROTOCOL_VERSION,
  ConnectorConfigError,
  defineConnector,
} from '@spec-kitty/core';
import { DEFAULT_MAX_PAGES } from '@spec-kitty/core/http';
import * as v from 'valibot';
import {
  AZURE_DEFAULT_BASE_URL,
  AzureDevOpsConnector,
  type AzureDevOpsConnectorConfig,
} from './azure-connector';
import { discoverAzureProjects, discoverAzureWorkspaces } from './azure-discovery';
import { VERSION } from './version';

const REQUIRED = 'Azure organization and project are required';
const required = v.pipe(v.string(REQUIRED), v.trim(), v.nonEmpty(REQUIRED));
const stateName = v.pipe(
  v.string('statusMap values must be state names'),
  v.trim(),
  v.nonEmpty('statusMap values must not be empty'),
);

export const azureConfigSchema = v.strictObject({
  organization: required,
  project: required,
  /** Not validated for emptiness (as the original); a wrong PAT fails with `authentication`. */
  personalAccessToken: v.string('personalAccessToken must be a string'),
  baseUrl: v.optional(
    v.pipe(
      v.string('baseUrl must be a string'),
      v.trim(),
      v.url('baseUrl must be an absolute URL such as https://dev.azure.com'),
    ),
    AZURE_DEFAULT_BASE_URL,
  ),
  statusMap: v.optional(
    v.strictObject(
      Object.fromEntries(
        Object.values(CanonicalStatus).map((status) => [status, v.optional(stateName)]),
      ) as Record<CanonicalStatus, v.OptionalSchema<typeof stateName, undefined>>,
      'statusMap keys must be canonical statuses (todo, in_progress, in_review, blocked, done, canceled)',
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

export type AzureDevOpsConnectorConfigInput = v.InferInput<typeof azureConfigSchema>;

/** Azure DevOps is not a hosted (Nango) provider, as in the original; it runs direct with a PAT. */
export const azureConnectorDefinition = defineConnector<AzureDevOpsConnectorConfig>({
  id: 'azure_devops',
  displayName: 'Azure DevOps',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@spec-kitty/connector-azure',
  packageVersion: VERSION,
  mode: 'direct',
  configSchema: azureConfigSchema,
  create: (config, runtime) => new AzureDevOpsConnector(config, runtime),
  discovery: {
    // Routes are rooted at the organisation: hosts pass `baseUrl` (https://dev.azure.com/<organization>).
    baseUrl: 'https://dev.azure.com',
    headers: { Accept: 'application/json' },
    workspaces: discoverAzureWorkspaces,
    resources: discoverAzureProjects,
  },
  cli: {
    workspaceHint: 'organization/project',
    workspaceToConfig(workspace) {
      const match = /^([^/\s]+)\/([^/]+)$/.exec(workspace);
      if (!match) {
        throw new ConnectorConfigError(
          `Azure DevOps workspace must be organization/project, got ${JSON.stringify(workspace)}.`,
        );
      }
      return { organization: match[1]!, project: match[2]! };
    },
    credentialEnv: { personalAccessToken: 'AZURE_DEVOPS_TOKEN' },
  },
});
