// Importing this module registers the "linear" connector (listed in package.json "sideEffects").
import { registerConnector } from '@spec-kitty/core';
import type { LinearConnectorConfigInput } from './linear-config';
import { linearConnectorDefinition } from './linear-definition';

registerConnector(linearConnectorDefinition);

export type {
  LinearConnectorConfig,
  LinearConnectorConfigInput,
  LinearStatusMapping,
} from './linear-config';
export { LinearConnector, type LinearConnectorOptions } from './linear-connector';
export {
  type LinearHostedParams,
  type LinearHostedParamsInput,
  linearConnectorDefinition,
} from './linear-definition';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  /** Types `createConnector('linear', config)` once this package is imported. */
  interface ConnectorTypes {
    linear: LinearConnectorConfigInput;
  }
}
