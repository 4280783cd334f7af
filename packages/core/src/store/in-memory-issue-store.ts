import { type ExternalRef, refIdentity } from '../model/external-ref';
import { type CanonicalIssue, cloneIssue, issueContentEqual } from '../model/issue';
import { createCheckpoint, type SyncCheckpoint } from '../model/page';
import { compareCodePoints } from '../util/python-text';
import type {
  CheckpointStore,
  IssueStore,
  SyncBaseStore,
  UnsyncedIssue,
  UnsyncedIssueStore,
} from './issue-store';

/**
 * Map-backed store, sorted by identity, with sync bases and checkpoints. Issues are immutable, so
 * it keeps and returns them by reference (an issue not built by `createIssue` is validated into
 * one on the way in); a sync base recorded from the stored issue is the same object.
 */
export class InMemoryIssueStore implements IssueStore, SyncBaseStore, CheckpointStore, UnsyncedIssueStore {
  readonly #issues = new Map<string, CanonicalIssue>();
  readonly #bases = new Map<string, CanonicalIssue>();
  readonly #checkpoints = new Map<string, SyncCheckpoint>();
  #sortedKeys: string[] | null = null;
  /** Identities whose issue content differs from its base (or has none), kept current on every write. */
  readonly #unsynced = new Set<string>();
  /** Stored issues per system, kept current on every write, so listing the unsynced scans nothing. */
  readonly #countBySystem = new Map<string, number>();

  async listIssues(query?: { system?: string | null }): Promise<CanonicalIssue[]> {
    this.#sortedKeys ??= [...this.#issues.keys()].sort(compareCodePoints);
    const system = query?.system ?? null;
    const result: CanonicalIssue[] = [];
    for (const key of this.#sortedKeys) {
      const issue = this.#issues.get(key);
      if (issue && (system === null || issue.ref.system === system)) result.push(issue);
    }
    return result;
  }

  /** The stored issue, or null. */
  async getIssue(ref: ExternalRef): Promise<CanonicalIssue | null> {
    return this.#issues.get(refIdentity(ref)) ?? null;
  }

  /** Inserts or replaces the issue. */
  async upsertIssue(issue: CanonicalIssue): Promise<void> {
    const key = refIdentity(issue.ref);
    const previous = this.#issues.get(key);
    if (previous === undefined) this.#sortedKeys = null;
    const stored = cloneIssue(issue);
    this.#issues.set(key, stored);
    if (previous?.ref.system !== stored.ref.system) {
      if (previous !== undefined) this.#countIn(previous.ref.system, -1);
      this.#countIn(stored.ref.system, 1);
    }
    this.#track(key, stored, this.#bases.get(key));
  }

  #countIn(system: string, delta: number): void {
    const count = (this.#countBySystem.get(system) ?? 0) + delta;
    if (count === 0) this.#countBySystem.delete(system);
    else this.#countBySystem.set(system, count);
  }

  #track(key: string, issue: CanonicalIssue | undefined, base: CanonicalIssue | undefined): void {
    if (issue !== undefined && (base === undefined || !issueContentEqual(issue, base)))
      this.#unsynced.add(key);
    else this.#unsynced.delete(key);
  }

  async deleteIssue(ref: ExternalRef): Promise<void> {
    const key = refIdentity(ref);
    const previous = this.#issues.get(key);
    if (previous !== undefined) {
      this.#issues.delete(key);
      this.#sortedKeys = null;
      this.#countIn(previous.ref.system, -1);
    }
    this.#unsynced.delete(key);
  }

  /** The issue's sync base, or null. */
  async getSyncBase(ref: ExternalRef): Promise<CanonicalIssue | null> {
    return this.#bases.get(refIdentity(ref)) ?? null;
  }

  /** Records the sync base. */
  async putSyncBase(issue: CanonicalIssue): Promise<void> {
    const key = refIdentity(issue.ref);
    const base = cloneIssue(issue);
    this.#bases.set(key, base);
    this.#track(key, this.#issues.get(key), base);
  }

  /** Forgets the sync base. */
  async deleteSyncBase(ref: ExternalRef): Promise<void> {
    const key = refIdentity(ref);
    this.#bases.delete(key);
    this.#track(key, this.#issues.get(key), undefined);
  }

  async listUnsyncedIssues(query: { system: string }): Promise<{
    /** Issues that differ from their sync base (or have none). */
    unsynced: UnsyncedIssue[];
    /** How many issues of the system the store holds. */
    total: number;
  }> {
    const total = this.#countBySystem.get(query.system) ?? 0;
    // Only unsynced issues are listed: a no-op push compares nothing.
    const unsynced: UnsyncedIssue[] = [];
    for (const key of [...this.#unsynced].sort(compareCodePoints)) {
      const issue = this.#issues.get(key);
      if (!issue || issue.ref.system !== query.system) continue;
      const base = this.#bases.get(key);
      unsynced.push({ issue, base: base ?? null });
    }
    return { unsynced, total };
  }

  /** The checkpoint of `scope`, or null. */
  async getCheckpoint(scope: string): Promise<SyncCheckpoint | null> {
    return this.#checkpoints.get(scope) ?? null;
  }

  /** Records the checkpoint of `scope`. */
  async putCheckpoint(scope: string, checkpoint: SyncCheckpoint): Promise<void> {
    this.#checkpoints.set(scope, createCheckpoint(checkpoint));
  }
}
