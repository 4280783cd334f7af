import { CONNECTOR_PROTOCOL_VERSION, defineConnector } from '@spec-kitty/core';
import { type FPConnectorConfig, fpConfigSchema } from './fp-config';
import { FPConnector } from './fp-connector';
import { VERSION } from './version';

/** Registered on import as id "fp" (mode 'local': drives the `fp` CLI on this machine). */
export const fpConnectorDefinition = defineConnector<FPConnectorConfig>({
  id: 'fp',
  displayName: 'fp (Fiberplane)',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@spec-kitty/connector-fp',
  packageVersion: VERSION,
  mode: 'local',
  configSchema: fpConfigSchema,
  create: (config, runtime) =>
    new FPConnector(config, runtime?.runner === undefined ? {} : { runner: runtime.runner }),
  cli: {
    workspaceHint: 'any name',
    workspaceToConfig: (workspace) => ({ workspace }),
    credentialEnv: {},
  },
});
