import { CONNECTOR_PROTOCOL_VERSION, type ConnectorDefinition } from '@spec-kitty/core';
import * as v from 'valibot';
import { InMemoryConnector } from './memory-connector';
import { VERSION } from './version';

const nonEmpty = (field: string) =>
  v.pipe(v.string(`${field} must be a string`), v.trim(), v.nonEmpty(`${field} must not be empty`));

const memoryConfigSchema = v.strictObject({
  name: v.optional(nonEmpty('name'), 'memory'),
  workspace: v.optional(nonEmpty('workspace'), 'memory'),
});

export type InMemoryConnectorConfigInput = v.InferInput<typeof memoryConfigSchema>;
export type InMemoryConnectorConfig = v.InferOutput<typeof memoryConfigSchema>;

export const memoryConnectorDefinition: ConnectorDefinition<InMemoryConnectorConfig> = {
  id: 'memory',
  displayName: 'In-memory',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@spec-kitty/connector-memory',
  packageVersion: VERSION,
  mode: 'direct',
  configSchema: memoryConfigSchema,
  create: (config) => new InMemoryConnector({ name: config.name, workspace: config.workspace }),
};
