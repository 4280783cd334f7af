import { CONNECTOR_PROTOCOL_VERSION, type ConnectorDefinition } from '@spec-kitty/core';
import { type AzureDevOpsConnectorConfig, azureConfigSchema } from './azure-config';
import { AzureDevOpsConnector } from './azure-connector';
import { discoverAzureProjects, discoverAzureWorkspaces } from './azure-discovery';
import { VERSION } from './version';

/** Azure DevOps is not a hosted (Nango) provider, as in the original; it runs direct with a PAT. */
export const azureConnectorDefinition: ConnectorDefinition<AzureDevOpsConnectorConfig> = {
  id: 'azure_devops',
  displayName: 'Azure DevOps',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@spec-kitty/connector-azure',
  packageVersion: VERSION,
  mode: 'direct',
  configSchema: azureConfigSchema,
  create: (config, runtime) => new AzureDevOpsConnector(config, runtime),
  discovery: {
    headers: { Accept: 'application/json' },
    workspaces: discoverAzureWorkspaces,
    resources: discoverAzureProjects,
  },
};
