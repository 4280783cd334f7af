// Importing this module registers the "memory" connector (listed in package.json "sideEffects").
import { registerConnector } from '@spec-kitty/core';
import type { InMemoryConnectorConfigInput } from './memory-config';
import { memoryConnectorDefinition } from './memory-definition';

registerConnector(memoryConnectorDefinition);

export type { InMemoryConnectorConfig, InMemoryConnectorConfigInput } from './memory-config';
export { InMemoryConnector, type InMemoryConnectorOptions } from './memory-connector';
export { memoryConnectorDefinition } from './memory-definition';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  /** Types `createConnector('memory', config)` once this package is imported. */
  interface ConnectorTypes {
    memory: InMemoryConnectorConfigInput;
  }
}
