// Importing this module registers the "acme" connector (listed in package.json "sideEffects").
import { registerConnector } from '@spec-kitty/core';
import type { AcmeConnectorConfigInput } from './acme-config.js';
import { acmeConnectorDefinition } from './acme-definition.js';

registerConnector(acmeConnectorDefinition);

export type { AcmeConnectorConfig, AcmeConnectorConfigInput } from './acme-config.js';
export { AcmeConnector, type AcmeConnectorOptions } from './acme-connector.js';
export { acmeConnectorDefinition } from './acme-definition.js';
export type { AcmeHostedParams } from './acme-hosted.js';
export { VERSION } from './version.js';

declare module '@spec-kitty/core' {
  interface ConnectorTypes {
    acme: AcmeConnectorConfigInput;
  }
}
