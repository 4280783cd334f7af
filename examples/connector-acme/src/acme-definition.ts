import { CONNECTOR_PROTOCOL_VERSION, ConnectorConfigError, defineConnector } from '@spec-kitty/core';
import { type AcmeConnectorConfig, acmeConfigSchema } from './acme-config.js';
import { AcmeConnector } from './acme-connector.js';
import { type AcmeHostedParams, acmeHosted } from './acme-hosted.js';
import { PACKAGE_NAME, VERSION } from './version.js';

/** The `acme` connector: registered when the package is imported. */
export const acmeConnectorDefinition = defineConnector<AcmeConnectorConfig, AcmeHostedParams>({
  id: 'acme',
  displayName: 'Acme Tracker',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: PACKAGE_NAME,
  packageVersion: VERSION,
  mode: 'hosted',
  configSchema: acmeConfigSchema,
  create: (config, runtime) => new AcmeConnector(config, runtime),
  // `spec-kitty-tracker bind --workspace demo` → { project: 'demo' }; the token comes from ACME_TOKEN.
  cli: {
    workspaceHint: 'an Acme project slug, e.g. demo',
    workspaceToConfig(workspace) {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(workspace)) {
        throw new ConnectorConfigError(
          `--workspace ${JSON.stringify(workspace)} is not an Acme project slug; expected an Acme project slug, e.g. demo`,
        );
      }
      return { project: workspace };
    },
    credentialEnv: { token: 'ACME_TOKEN' },
  },
  hosted: acmeHosted,
});
