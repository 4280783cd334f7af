import { CONNECTOR_PROTOCOL_VERSION, defineConnector } from '@spec-kitty/core';
import { type BeadsConnectorConfig, beadsConfigSchema } from './beads-config';
import { BeadsConnector } from './beads-connector';
import { beadsPreflight } from './beads-preflight';
import { VERSION } from './version';

/** Registered on import as id "beads" (mode 'local': drives the `bd` CLI on this machine). */
export const beadsConnectorDefinition = defineConnector<BeadsConnectorConfig>({
  id: 'beads',
  displayName: 'Beads',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@spec-kitty/connector-beads',
  packageVersion: VERSION,
  mode: 'local',
  configSchema: beadsConfigSchema,
  create: (config, runtime) =>
    new BeadsConnector(config, runtime?.runner === undefined ? {} : { runner: runtime.runner }),
  cli: {
    workspaceHint: 'any name',
    workspaceToConfig: (workspace) => ({ workspace }),
    credentialEnv: {},
    preflight: beadsPreflight,
  },
});
