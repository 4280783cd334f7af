import { CONNECTOR_PROTOCOL_VERSION, ConnectorConfigError, defineConnector } from '@spec-kitty/core';
import { type AzureDevOpsConnectorConfig, azureConfigSchema } from './azure-config';
import { AzureDevOpsConnector } from './azure-connector';
import { discoverAzureProjects, discoverAzureWorkspaces } from './azure-discovery';
import { azureWebhooks } from './azure-webhooks';
import { VERSION } from './version';

/**
 * The Azure DevOps connector definition, registered on import of `@spec-kitty/connector-azure`.
 * Azure DevOps is not a hosted (Nango) provider, as in the original; it runs direct with a PAT.
 */
export const azureConnectorDefinition = defineConnector<AzureDevOpsConnectorConfig>({
  id: 'azure_devops',
  displayName: 'Azure DevOps',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@spec-kitty/connector-azure',
  packageVersion: VERSION,
  mode: 'direct',
  configSchema: azureConfigSchema,
  webhooks: azureWebhooks,
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
