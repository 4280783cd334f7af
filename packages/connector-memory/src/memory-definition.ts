import { CONNECTOR_PROTOCOL_VERSION, defineConnector } from '@spec-kitty/core';
import { type InMemoryConnectorConfig, memoryConfigSchema } from './memory-config';
import { InMemoryConnector } from './memory-connector';
import { VERSION } from './version';

/** The in-memory connector definition, registered on import of `@spec-kitty/connector-memory`. */
export const memoryConnectorDefinition = defineConnector<InMemoryConnectorConfig>({
  id: 'memory',
  displayName: 'In-memory',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@spec-kitty/connector-memory',
  packageVersion: VERSION,
  mode: 'direct',
  configSchema: memoryConfigSchema,
  create: (config) => new InMemoryConnector(config),
  cli: {
    workspaceHint: 'any name',
    workspaceToConfig: (workspace) => ({ workspace }),
    credentialEnv: {},
  },
});
