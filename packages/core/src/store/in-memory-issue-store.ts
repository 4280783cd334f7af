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

/** Map-backed store: clones on the way in and out, sorted by identity, keeps sync bases and checkpoints. */
export class InMemoryIssueStore implements IssueStore, SyncBaseStore, CheckpointStore, UnsyncedIssueStore {
  readonly #issues = new Map<string, CanonicalIssue>();
  readonly #bases = new Map<string, CanonicalIssue>();
  readonly #checkpoints = new Map<string, SyncCheckpoint>();
  #sortedKeys: string[] | null = null;

  async listIssues(query?: { system?: string | null }): Promise<CanonicalIssue[]> {
    this.#sortedKeys ??= [...this.#issues.keys()].sort(compareCodePoints);
    const system = query?.system ?? null;
    const result: CanonicalIssue[] = [];
    for (const key of this.#sortedKeys) {
      const issue = this.#issues.get(key);
      if (issue && (system === null || issue.ref.system === system)) result.push(cloneIssue(issue));
    }
    return result;
  }

  async getIssue(ref: ExternalRef): Promise<CanonicalIssue | null> {
    const issue = this.#issues.get(refIdentity(ref));
    return issue ? cloneIssue(issue) : null;
  }

  async upsertIssue(issue: CanonicalIssue): Promise<void> {
    const key = refIdentity(issue.ref);
    if (!this.#issues.has(key)) this.#sortedKeys = null;
    this.#issues.set(key, cloneIssue(issue));
  }

  async deleteIssue(ref: ExternalRef): Promise<void> {
    if (this.#issues.delete(refIdentity(ref))) this.#sortedKeys = null;
  }

  async getSyncBase(ref: ExternalRef): Promise<CanonicalIssue | null> {
    const base = this.#bases.get(refIdentity(ref));
    return base ? cloneIssue(base) : null;
  }

  async putSyncBase(issue: CanonicalIssue): Promise<void> {
    this.#bases.set(refIdentity(issue.ref), cloneIssue(issue));
  }

  async deleteSyncBase(ref: ExternalRef): Promise<void> {
    this.#bases.delete(refIdentity(ref));
  }

  async listUnsyncedIssues(query: { system: string }): Promise<{ unsynced: UnsyncedIssue[]; total: number }> {
    this.#sortedKeys ??= [...this.#issues.keys()].sort(compareCodePoints);
    const unsynced: UnsyncedIssue[] = [];
    let total = 0;
    for (const key of this.#sortedKeys) {
      const issue = this.#issues.get(key);
      if (!issue || issue.ref.system !== query.system) continue;
      total += 1;
      const base = this.#bases.get(key) ?? null;
      // Only unsynced issues are cloned: a no-op push copies nothing.
      if (base === null || !issueContentEqual(issue, base)) {
        unsynced.push({ issue: cloneIssue(issue), base: base === null ? null : cloneIssue(base) });
      }
    }
    return { unsynced, total };
  }

  async getCheckpoint(scope: string): Promise<SyncCheckpoint | null> {
    return this.#checkpoints.get(scope) ?? null;
  }

  async putCheckpoint(scope: string, checkpoint: SyncCheckpoint): Promise<void> {
    this.#checkpoints.set(scope, createCheckpoint(checkpoint));
  }
}
