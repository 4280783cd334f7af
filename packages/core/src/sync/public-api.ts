// Curated public surface of the sync engine and the mission bridge, re-exported by src/index.ts.
// Engine internals (merge, dedupe, backoff, result builders) are on src/internal/index.ts.

export {
  BidirectionalIssueSync,
  type BidirectionalIssueSyncOptions,
} from '../mission/bidirectional-issue-sync';
export { decisionLinkMismatches } from '../mission/decision-link-mismatches';
export {
  createDecisionReference,
  type DecisionReference,
  type DecisionReferenceInit,
  decisionReferenceToJSON,
} from '../mission/decision-reference';
export { assertNoForbiddenLegacyKeys, FORBIDDEN_TEAMSPACE_LEGACY_KEYS } from '../mission/legacy-keys';
export { MISSION_CUSTOM_FIELD, missionPayload, renderMissionComment } from '../mission/mission-payload';
export {
  createMissionSeed,
  type MissionSeed,
  type MissionSeedInit,
  missionSeedFromIssue,
} from '../mission/mission-seed';
export { createMissionUpdate, type MissionUpdate, type MissionUpdateInit } from '../mission/mission-update';
export { supportsUnsyncedListing, type UnsyncedIssue, type UnsyncedIssueStore } from '../store/issue-store';
export {
  type PlanOptions,
  SyncEngine,
  type SyncEngineOptions,
  type SyncEventsOptions,
  type SyncOptions,
  type SyncPlan,
  type SyncRunOptions,
} from './sync-engine';
export type { PlannedWrite, SyncProgressEvent, SyncProgressHandler } from './sync-events';
export {
  type DiscardedLocalChange,
  formatSyncFailure,
  type SyncEventsGap,
  type SyncEventsSummary,
  type SyncFailure,
  type SyncFailureInit,
  SyncOperation,
  type SyncResult,
  type SyncStats,
} from './sync-result';
export { DEFAULT_OPERATION_DEADLINE_MS, type RetryOptions } from './sync-retry';
export {
  type DrainWebhookInboxOptions,
  type DrainWebhookInboxResult,
  drainWebhookInbox,
} from './sync-webhook-events-drain';
