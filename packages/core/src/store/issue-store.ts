import type { ExternalRef } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import type { SyncCheckpoint } from '../model/page';

/** The local canonical store (the original's `LocalIssueStore`). Implementations never alias stored objects. */
export interface IssueStore {
  /** All issues, or only those whose `ref.system` equals `system`; sorted by identity. */
  listIssues(query?: { system?: string | null }): Promise<CanonicalIssue[]>;
  getIssue(ref: ExternalRef): Promise<CanonicalIssue | null>;
  upsertIssue(issue: CanonicalIssue): Promise<void>;
  /** Removing a missing issue is not an error. */
  deleteIssue(ref: ExternalRef): Promise<void>;
}

/**
 * Optional: the store keeps the last state both sides agreed on ("base"), enabling a three-way
 * merge where only fields changed on both sides since the last sync are conflicts.
 */
export interface SyncBaseStore {
  getSyncBase(ref: ExternalRef): Promise<CanonicalIssue | null>;
  putSyncBase(issue: CanonicalIssue): Promise<void>;
  deleteSyncBase(ref: ExternalRef): Promise<void>;
}

/** Optional: the store persists engine checkpoints per scope (e.g. `github:octo/hello`). */
export interface CheckpointStore {
  getCheckpoint(scope: string): Promise<SyncCheckpoint | null>;
  putCheckpoint(scope: string, checkpoint: SyncCheckpoint): Promise<void>;
}

export function supportsSyncBase<S extends IssueStore>(store: S): store is S & SyncBaseStore {
  const candidate = store as Partial<SyncBaseStore>;
  return typeof candidate.getSyncBase === 'function' && typeof candidate.putSyncBase === 'function';
}

export function supportsCheckpoints<S extends IssueStore>(store: S): store is S & CheckpointStore {
  const candidate = store as Partial<CheckpointStore>;
  return typeof candidate.getCheckpoint === 'function' && typeof candidate.putCheckpoint === 'function';
}
