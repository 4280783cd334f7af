// Importing this module registers the "fp" connector (listed in package.json "sideEffects").
import { registerConnector } from '@spec-kitty/core';
import type { FPConnectorConfigInput } from './fp-config';
import { fpConnectorDefinition } from './fp-definition';

registerConnector(fpConnectorDefinition);

export type { FPConnectorConfig, FPConnectorConfigInput } from './fp-config';
export { FPConnector, type FPConnectorOptions } from './fp-connector';
export { fpConnectorDefinition } from './fp-definition';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  /** Types `createConnector('fp', config)` once this package is imported. */
  interface ConnectorTypes {
    fp: FPConnectorConfigInput;
  }
}
