// Importing this module registers the "azure_devops" connector (listed in package.json "sideEffects").
import { registerConnector } from '@spec-kitty/core';
import { type AzureDevOpsConnectorConfigInput, azureConnectorDefinition } from './azure-definition';

registerConnector(azureConnectorDefinition);

export {
  AZURE_API_VERSION,
  AZURE_BATCH_SIZE,
  AZURE_COMMENTS_API_VERSION,
  AZURE_DEFAULT_BASE_URL,
  AzureDevOpsConnector,
  type AzureDevOpsConnectorConfig,
  type AzureDevOpsConnectorRuntime,
} from './azure-connector';
export {
  type AzureDevOpsConnectorConfigInput,
  azureConfigSchema,
  azureConnectorDefinition,
} from './azure-definition';
export { azureProjectToResource, discoverAzureProjects, discoverAzureWorkspaces } from './azure-discovery';
export {
  type AzureStatusMap,
  azureStateToStatus,
  azureTypeToCanonical,
  azureWorkItemToCanonical,
  canonicalPriorityToAzure,
  canonicalTypeToAzure,
  DEFAULT_STATUS_STATES,
  LINK_REL,
  projectAzureIssue,
  statusToAzureState,
} from './azure-mapping';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  interface ConnectorTypes {
    azure_devops: AzureDevOpsConnectorConfigInput;
  }
}
