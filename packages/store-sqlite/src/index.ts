// Curated public surface of @spec-kitty/store-sqlite. Importing it has no side effects.

// The conflict records are core's, re-exported so existing imports from this package keep working.
export {
  type ConflictDecision,
  ConflictResolutionError,
  type ConflictResolutionFailure,
  type StoredConflict,
  type StoredConflictResolution,
} from '@spec-kitty/core';
export { SqliteIssueStore, type SqliteIssueStoreOptions, type StoredBytes } from './sqlite-issue-store';
export {
  LATEST_SCHEMA_VERSION,
  migrate,
  readSchemaVersion,
  SQLITE_MIGRATIONS,
  type SqliteMigration,
} from './sqlite-migrations';
export type { SyncRunRecord, WorkPackageMapping } from './sqlite-records';
export { isProcessAlive, type RunLock, type RunLockOptions } from './sqlite-run-lock';
export {
  RunLockHeldError,
  type RunLockHolder,
  SqliteStoreError,
} from './store-errors';
export { VERSION } from './version';
