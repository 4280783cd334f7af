// Beads has its own tracker sync (`bd linear|jira|github|gitlab|ado sync`), configured through
// `bd config` keys. Running it and spec-kitty's sync between the same Beads workspace and the same
// tracker makes two engines push the same issues: duplicates and echo loops. This module spots it.
import { ConnectorConfigError } from '@spec-kitty/core';
import { isRecord } from './beads-mapping';

/** Trackers bd can sync with itself, keyed by the spec-kitty connector id. */
export type BdTrackerSyncTarget = 'linear' | 'jira' | 'github' | 'gitlab' | 'azure_devops';

/** `bd config` key prefixes of bd's own sync, per spec-kitty connector id. */
export const BD_TRACKER_SYNC_CONFIG_PREFIXES: Readonly<Record<BdTrackerSyncTarget, readonly string[]>> =
  Object.freeze({
    linear: ['linear.'],
    jira: ['jira.'],
    github: ['github.'],
    gitlab: ['gitlab.'],
    azure_devops: ['ado.', 'azure_devops.', 'azuredevops.'],
  });

const DISPLAY: Readonly<Record<BdTrackerSyncTarget, { name: string; command: string; namespace: string }>> = {
  linear: { name: 'Linear', command: 'bd linear sync', namespace: 'linear.*' },
  jira: { name: 'Jira', command: 'bd jira sync', namespace: 'jira.*' },
  github: { name: 'GitHub', command: 'bd github sync', namespace: 'github.*' },
  gitlab: { name: 'GitLab', command: 'bd gitlab sync', namespace: 'gitlab.*' },
  azure_devops: { name: 'Azure DevOps', command: 'bd ado sync', namespace: 'ado.*' },
};

/** One tracker that the Beads workspace is configured to sync with through bd itself. */
export interface TrackerSyncConflict {
  /** spec-kitty connector id of the tracker. */
  readonly tracker: BdTrackerSyncTarget;
  /** The `bd config` keys that configure it, sorted (names only; values can be secrets). */
  readonly keys: readonly string[];
  /** True when bd recorded a past sync (`<prefix>last_sync`), i.e. bd's engine has actually run. */
  readonly hasSynced: boolean;
}

export function isBdTrackerSyncTarget(value: string): value is BdTrackerSyncTarget {
  return Object.hasOwn(BD_TRACKER_SYNC_CONFIG_PREFIXES, value);
}

/** The trackers a `bd config list --json` payload configures for bd's own sync. */
export function findTrackerSyncConflicts(config: unknown): TrackerSyncConflict[] {
  if (!isRecord(config)) return [];
  const keys = Object.keys(config).filter((key) => key !== 'schema_version');
  const conflicts: TrackerSyncConflict[] = [];
  for (const tracker of Object.keys(BD_TRACKER_SYNC_CONFIG_PREFIXES) as BdTrackerSyncTarget[]) {
    const prefixes = BD_TRACKER_SYNC_CONFIG_PREFIXES[tracker];
    const matching = keys
      .filter((key) => prefixes.some((prefix) => key.toLowerCase().startsWith(prefix)))
      .filter((key) => config[key] !== '' && config[key] !== null)
      .sort();
    if (matching.length === 0) continue;
    conflicts.push({
      tracker,
      keys: matching,
      hasSynced: matching.some((key) => key.toLowerCase().endsWith('.last_sync')),
    });
  }
  return conflicts;
}

/** The error a host gets when it is about to sync Beads with a tracker bd already syncs with. */
export function trackerSyncConflictError(
  conflict: TrackerSyncConflict,
  where: { workspace: string; cwd: string | null },
): ConnectorConfigError {
  const display = DISPLAY[conflict.tracker];
  const location =
    where.cwd === null ? `workspace "${where.workspace}"` : `workspace "${where.workspace}" (${where.cwd})`;
  return new ConnectorConfigError(
    `Beads ${location} is also configured for bd's own ${display.name} sync ` +
      `(bd config keys: ${conflict.keys.join(', ')}${conflict.hasSynced ? '; bd has already synced' : ''}). ` +
      `Syncing it with ${display.name} through spec-kitty as well would push the same issues twice ` +
      `(duplicates and echo updates). Use one engine: either stop running \`${display.command}\` and remove ` +
      `its config (\`bd config unset <key>\` for each ${display.namespace} key), or do not sync this Beads ` +
      `workspace with ${display.name} through spec-kitty.`,
  );
}
