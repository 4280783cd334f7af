// Importing this module registers the "beads" connector (listed in package.json "sideEffects").
import { registerConnector } from '@spec-kitty/core';
import type { BeadsConnectorConfigInput } from './beads-config';
import { beadsConnectorDefinition } from './beads-definition';

registerConnector(beadsConnectorDefinition);

export {
  commentArgv,
  configListArgv,
  createArgv,
  depAddArgv,
  listArgv,
  showArgv,
  updateArgv,
  updateFlags,
} from './beads-argv';
export {
  type BeadsConnectorConfig,
  type BeadsConnectorConfigInput,
  beadsConfigSchema,
  resolveBeadsConfig,
} from './beads-config';
export { BeadsConnector, type BeadsConnectorOptions } from './beads-connector';
export { beadsConnectorDefinition } from './beads-definition';
export {
  BEADS_SYSTEM,
  beadsToCanonical,
  parseBeadsJson,
  projectBeadsIssue,
  STATUS_TO_BEADS,
  TYPE_TO_BEADS,
} from './beads-mapping';
export {
  BD_TRACKER_SYNC_CONFIG_PREFIXES,
  type BdTrackerSyncTarget,
  findTrackerSyncConflicts,
  type TrackerSyncConflict,
} from './beads-tracker-sync-guard';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  interface ConnectorTypes {
    beads: BeadsConnectorConfigInput;
  }
}
