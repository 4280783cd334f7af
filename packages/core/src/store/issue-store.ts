import type { ExternalRef } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import type { SyncCheckpoint } from '../model/page';
import type { IssueTombstone } from '../model/tombstone';

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
  /**
   * Unsynced issues of `system`, sorted by identity, and how many issues that system has in all.
   * A tombstoned issue (TombstoneStore) is never listed: it is not pushed as an edit.
   */
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

/**
 * Optional: the store can read a page's stored issues and sync bases ahead, in one round trip. The
 * engine calls it (inside the page's batch) with the refs of a pulled page before it merges them
 * one at a time, so a store across the network (PostgreSQL) answers each `getIssue` and
 * `getSyncBase` of the page without a query of its own.
 */
export interface PrefetchingIssueStore {
  /** Reads the issues and sync bases of `refs` ahead; a later write of one must not be hidden by it. */
  prefetch(refs: readonly ExternalRef[]): Promise<void>;
}

/**
 * A tombstone as a store keeps it: never a silent delete — the issue row stays, marked gone, with
 * its sync base, so nothing local is lost and a later run can tell "gone" from "never seen".
 */
export interface TombstoneRecord extends IssueTombstone {
  /** `remote`: seen gone on the tracker; `local`: deleted locally (a host, `issues delete`). */
  readonly origin: 'remote' | 'local';
  /** Local: the remote issue was closed (`canceled`). Remote: always true (nothing to push). */
  readonly pushed: boolean;
}

/** Filters of `TombstoneStore.listTombstones`; each one given narrows the listing. */
export interface TombstoneQuery {
  /** Only tombstones whose `ref.system` equals it. */
  readonly system?: string;
  /** Only tombstones of this origin. */
  readonly origin?: 'remote' | 'local';
  /** Only pushed (or only unpushed) tombstones. */
  readonly pushed?: boolean;
}

/**
 * Optional: the store keeps tombstones of issues gone from the tracker or deleted locally (detect
 * it with `supportsTombstones`). A tombstoned issue stays in the store but is never pushed as an
 * edit: `listUnsyncedIssues` does not return it. `BatchingIssueStore.batch` may contain
 * `putTombstone` calls (a SQL store writes them in the same transaction as the page).
 */
export interface TombstoneStore {
  /** Idempotent upsert by `refIdentity(record.ref)`; keeps the issue and its sync base. */
  putTombstone(record: TombstoneRecord): Promise<void>;
  /** The tombstone of `ref`, or null. */
  getTombstone(ref: ExternalRef): Promise<TombstoneRecord | null>;
  /** Tombstones matching every filter given; oldest first (`observedAt`, then identity). */
  listTombstones(query?: TombstoneQuery): Promise<TombstoneRecord[]>;
}

/** Whether the store keeps tombstones (deletions). */
export function supportsTombstones<S extends IssueStore>(store: S): store is S & TombstoneStore {
  const candidate = store as Partial<TombstoneStore>;
  return (
    typeof candidate.putTombstone === 'function' &&
    typeof candidate.getTombstone === 'function' &&
    typeof candidate.listTombstones === 'function'
  );
}

/** Whether the store can write a batch in one transaction. */
export function supportsBatching<S extends IssueStore>(store: S): store is S & BatchingIssueStore {
  return typeof (store as Partial<BatchingIssueStore>).batch === 'function';
}

/** Whether the store can read a page's issues and bases ahead (see `PrefetchingIssueStore`). */
export function supportsPrefetch<S extends IssueStore>(store: S): store is S & PrefetchingIssueStore {
  return typeof (store as Partial<PrefetchingIssueStore>).prefetch === 'function';
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
