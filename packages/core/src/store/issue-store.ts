import type { ExternalRef } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import type { SyncCheckpoint } from '../model/page';

/**
 * The local canonical store (the original's `LocalIssueStore`). Issues are immutable values, so
 * an implementation may keep and return them by reference; it never hands out an object it
 * would later change.
 */
export interface IssueStore {
  /** All issues, or only those whose `ref.system` equals `system`; sorted by identity. */
  listIssues(query?: { system?: string | null }): Promise<CanonicalIssue[]>;
  /** The stored issue, or null. */
  getIssue(ref: ExternalRef): Promise<CanonicalIssue | null>;
  /** Inserts or replaces the issue (by `refIdentity`). */
  upsertIssue(issue: CanonicalIssue): Promise<void>;
  /** Removing a missing issue is not an error. */
  deleteIssue(ref: ExternalRef): Promise<void>;
}

/**
 * Optional: the store keeps the last state both sides agreed on ("base"), enabling a three-way
 * merge where only fields changed on both sides since the last sync are conflicts.
 */
export interface SyncBaseStore {
  /** The last synced version of the issue (the merge base), or null. */
  getSyncBase(ref: ExternalRef): Promise<CanonicalIssue | null>;
  /** Records the synced version. */
  putSyncBase(issue: CanonicalIssue): Promise<void>;
  /** Forgets the synced version. */
  deleteSyncBase(ref: ExternalRef): Promise<void>;
}

/** Optional: the store persists engine checkpoints per scope (e.g. `github:octo/hello`). */
export interface CheckpointStore {
  /** The checkpoint of `scope`, or null. */
  getCheckpoint(scope: string): Promise<SyncCheckpoint | null>;
  /** Records the checkpoint of `scope`. */
  putCheckpoint(scope: string, checkpoint: SyncCheckpoint): Promise<void>;
}

/** An issue whose local content is not yet on the tracker (never synced, or moved off its base). */
export interface UnsyncedIssue {
  /** The local issue. */
  readonly issue: CanonicalIssue;
  /** Its sync base, or null when never synced. */
  readonly base: CanonicalIssue | null;
}

/**
 * Optional, with SyncBaseStore: find unsynced issues without handing every issue and base to the
 * engine (a no-op push then costs no clones; SQL stores can answer it with one query).
 */
export interface UnsyncedIssueStore {
  /** Unsynced issues of `system`, sorted by identity, and how many issues that system has in all. */
  listUnsyncedIssues(query: { system: string }): Promise<{
    /** Issues that differ from their sync base (or have none). */
    unsynced: UnsyncedIssue[];
    /** How many issues of the system the store holds. */
    total: number;
  }>;
}

/**
 * Optional: the store can commit a group of writes at once (a SQL store: one transaction). The
 * engine runs each pulled page, with its checkpoint, in one batch: a crash then loses at most the
 * page in flight, and the checkpoint never runs ahead of the issues it covers.
 */
export interface BatchingIssueStore {
  /**
   * Runs `fn`; the writes it makes through this store commit together when it resolves, and none
   * of them when it throws. Nested calls join the outer batch.
   */
  batch<T>(fn: () => Promise<T>): Promise<T>;
}

/** Whether the store can write a batch in one transaction. */
export function supportsBatching<S extends IssueStore>(store: S): store is S & BatchingIssueStore {
  return typeof (store as Partial<BatchingIssueStore>).batch === 'function';
}

/** Whether the store can list issues that differ from their sync base. */
export function supportsUnsyncedListing<S extends IssueStore>(store: S): store is S & UnsyncedIssueStore {
  return typeof (store as Partial<UnsyncedIssueStore>).listUnsyncedIssues === 'function';
}

/** Whether the store keeps sync bases (three-way merge). */
export function supportsSyncBase<S extends IssueStore>(store: S): store is S & SyncBaseStore {
  const candidate = store as Partial<SyncBaseStore>;
  return typeof candidate.getSyncBase === 'function' && typeof candidate.putSyncBase === 'function';
}

/** Whether the store keeps checkpoints. */
export function supportsCheckpoints<S extends IssueStore>(store: S): store is S & CheckpointStore {
  const candidate = store as Partial<CheckpointStore>;
  return typeof candidate.getCheckpoint === 'function' && typeof candidate.putCheckpoint === 'function';
}
