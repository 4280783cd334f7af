// @spec-kitty/core/internal — engine and transport internals for connector authors, store authors
// and tests (e.g. checking a projection with `syncFieldEqual`, building a `SyncResult` in a test).
// Hosts use the root entry. These names may change in any minor release before 1.0.
// Importing it has no side effects.

export { NANGO_STRIPPED_REQUEST_HEADERS, toNangoProxyRequest } from '../hosted/nango-proxy-fetch';
export {
  contentEqual,
  dedupePage,
  type MergeInput,
  type MergeOutput,
  mergeIssues,
  syncFieldEqual,
} from '../sync/sync-merge';
export type { IssueProjection } from '../sync/sync-projection';
export { createSyncFailure, createSyncResult, createSyncStats } from '../sync/sync-result';
export { backoffDelayMs } from '../sync/sync-retry';
