// Curated public surface of @spec-kitty/store-postgres. Importing it has no side effects.

// The conflict records are core's, re-exported so existing imports from this package keep working.
export {
  type ConflictDecision,
  ConflictResolutionError,
  type ConflictResolutionFailure,
  type StoredConflict,
  type StoredConflictResolution,
} from '@spec-kitty/core';
export {
  migrateComponent,
  type PostgresMigration,
  quoteSchema,
  readComponentVersion,
} from './pg-migrations';
export { PostgresIssueStore, type PostgresIssueStoreOptions } from './postgres-issue-store';
export type { SyncRunRecord, WorkPackageMapping } from './postgres-records';
export type { RunLease, RunLeaseOptions } from './postgres-run-lease';
export { PostgresStore, type PostgresStoreOptions, redactConnectionString } from './postgres-store';
export type { StoreContext } from './store-context';
export {
  PostgresStoreError,
  RunLeaseHeldError,
  type RunLeaseHolder,
  RunLeaseLostError,
} from './store-errors';
export { LATEST_SCHEMA_VERSION, POSTGRES_MIGRATIONS } from './store-migrations';
export { VERSION } from './version';
