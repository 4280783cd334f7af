// Curated public surface of @spec-kitty/store-sqlite. Importing it has no side effects.
export { SqliteIssueStore, type SqliteIssueStoreOptions, type StoredBytes } from './sqlite-issue-store';
export {
  LATEST_SCHEMA_VERSION,
  migrate,
  readSchemaVersion,
  SQLITE_MIGRATIONS,
  type SqliteMigration,
} from './sqlite-migrations';
export type {
  ConflictDecision,
  StoredConflict,
  StoredConflictResolution,
  SyncRunRecord,
  WorkPackageMapping,
} from './sqlite-records';
export { isProcessAlive, type RunLock, type RunLockOptions } from './sqlite-run-lock';
export {
  ConflictResolutionError,
  type ConflictResolutionFailure,
  RunLockHeldError,
  type RunLockHolder,
  SqliteStoreError,
} from './store-errors';
export { VERSION } from './version';
