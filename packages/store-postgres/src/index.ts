// Curated public surface of @spec-kitty/store-postgres. Importing it has no side effects.
export {
  migrateComponent,
  type PostgresMigration,
  quoteSchema,
  readComponentVersion,
} from './pg-migrations';
export { PostgresIssueStore, type PostgresIssueStoreOptions } from './postgres-issue-store';
export type {
  ConflictDecision,
  PendingConflictResolution,
  StoredConflict,
  StoredConflictResolution,
  SyncRunRecord,
  WorkPackageMapping,
} from './postgres-records';
export type { RunLease, RunLeaseOptions } from './postgres-run-lease';
export { PostgresStore, type PostgresStoreOptions, redactConnectionString } from './postgres-store';
export {
  ConflictResolutionError,
  type ConflictResolutionFailure,
  PostgresStoreError,
  RunLeaseHeldError,
  type RunLeaseHolder,
  RunLeaseLostError,
} from './store-errors';
export { LATEST_SCHEMA_VERSION, POSTGRES_MIGRATIONS } from './store-migrations';
export { VERSION } from './version';
