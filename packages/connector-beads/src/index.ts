// Importing this module registers the "beads" connector (listed in package.json "sideEffects").
import { registerConnector } from '@spec-kitty/core';
import type { BeadsConnectorConfigInput } from './beads-config';
import { beadsConnectorDefinition } from './beads-definition';

registerConnector(beadsConnectorDefinition);

export type { BeadsConnectorConfig, BeadsConnectorConfigInput } from './beads-config';
export { BeadsConnector, type BeadsConnectorOptions } from './beads-connector';
export { beadsConnectorDefinition } from './beads-definition';
export type { BdTrackerSyncTarget, TrackerSyncConflict } from './beads-tracker-sync-guard';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  /** Types `createConnector('beads', config)` once this package is imported. */
  interface ConnectorTypes {
    beads: BeadsConnectorConfigInput;
  }
}
