import { CONNECTOR_PROTOCOL_VERSION, defineConnector } from '@spec-kitty/core';
import * as v from 'valibot';
import { InMemoryConnector } from './memory-connector';
import { VERSION } from './version';

const nonEmpty = (field: string) =>
  v.pipe(v.string(`${field} must be a string`), v.trim(), v.nonEmpty(`${field} must not be empty`));

const memoryConfigSchema = v.strictObject(
  {
    name: v.optional(nonEmpty('name'), 'memory'),
    // Required, with no shared fallback: two trackers that both omitted it would otherwise serve
    // the same identities (`memory:memory:<id>`).
    workspace: nonEmpty('workspace'),
  },
  (issue) =>
    issue.received === 'undefined' && issue.expected === '"workspace"'
      ? 'workspace is required: give each in-memory tracker its own workspace (there is no shared fallback)'
      : issue.expected === 'never'
        ? 'unknown config key'
        : `invalid config (expected ${issue.expected})`,
);

export type InMemoryConnectorConfigInput = v.InferInput<typeof memoryConfigSchema>;
export type InMemoryConnectorConfig = v.InferOutput<typeof memoryConfigSchema>;

export const memoryConnectorDefinition = defineConnector<InMemoryConnectorConfig>({
  id: 'memory',
  displayName: 'In-memory',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@spec-kitty/connector-memory',
  packageVersion: VERSION,
  mode: 'direct',
  configSchema: memoryConfigSchema,
  create: (config) => new InMemoryConnector({ name: config.name, workspace: config.workspace }),
  cli: {
    workspaceHint: 'any name',
    workspaceToConfig: (workspace) => ({ workspace }),
    credentialEnv: {},
  },
});
