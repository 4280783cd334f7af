import { CONNECTOR_PROTOCOL_VERSION, type ConnectorDefinition } from '@spec-kitty/core';
import { type AcmeConnectorConfig, acmeConfigSchema } from './acme-config.js';
import { AcmeConnector } from './acme-connector.js';
import { type AcmeHostedParams, acmeHosted } from './acme-hosted.js';
import { PACKAGE_NAME, VERSION } from './version.js';

/** The `acme` connector: registered when the package is imported. */
export const acmeConnectorDefinition: ConnectorDefinition<AcmeConnectorConfig, AcmeHostedParams> = {
  id: 'acme',
  displayName: 'Acme Tracker',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: PACKAGE_NAME,
  packageVersion: VERSION,
  mode: 'hosted',
  configSchema: acmeConfigSchema,
  create: (config, runtime) => new AcmeConnector(config, runtime),
  hosted: acmeHosted,
};
