// Importing this module registers the "memory" connector (listed in package.json "sideEffects").
import { registerConnector } from '@spec-kitty/core';
import { type InMemoryConnectorConfigInput, memoryConnectorDefinition } from './memory-definition';

registerConnector(memoryConnectorDefinition);

export { InMemoryConnector, type InMemoryConnectorOptions } from './memory-connector';
export {
  type InMemoryConnectorConfig,
  type InMemoryConnectorConfigInput,
  memoryConnectorDefinition,
} from './memory-definition';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  interface ConnectorTypes {
    memory: InMemoryConnectorConfigInput;
  }
}
