// Importing this module registers the "azure_devops" connector (listed in package.json "sideEffects").
import { registerConnector } from '@spec-kitty/core';
import type { AzureDevOpsConnectorConfigInput } from './azure-config';
import { azureConnectorDefinition } from './azure-definition';

registerConnector(azureConnectorDefinition);

export type { AzureDevOpsConnectorConfig, AzureDevOpsConnectorConfigInput } from './azure-config';
export {
  AzureDevOpsConnector,
  type AzureDevOpsConnectorOptions,
  type AzureDevOpsConnectorRuntime,
} from './azure-connector';
export { azureConnectorDefinition } from './azure-definition';
export type { AzureStatusMap } from './azure-mapping';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  /** Types `createConnector('azure_devops', config)` once this package is imported. */
  interface ConnectorTypes {
    azure_devops: AzureDevOpsConnectorConfigInput;
  }
}
