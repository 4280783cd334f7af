import { type ExternalRef, refIdentity } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import type { IssueStore, SyncBaseStore } from '../store/issue-store';
import { compareCodePoints } from '../util/python-text';

/**
 * A copy-on-write view over a store for `plan()`: reads see earlier planned writes, writes never
 * reach the real store. The engine runs its one code path against it, so a plan cannot drift
 * from what `push`/`sync` then do.
 */
export class DryRunStore implements IssueStore, SyncBaseStore {
  readonly #inner: IssueStore;
  readonly #innerBases: SyncBaseStore | null;
  readonly #issues = new Map<string, CanonicalIssue | null>();
  readonly #bases = new Map<string, CanonicalIssue | null>();

  constructor(inner: IssueStore, innerBases: SyncBaseStore | null) {
    this.#inner = inner;
    this.#innerBases = innerBases;
  }

  async listIssues(query?: { system?: string | null }): Promise<CanonicalIssue[]> {
    const system = query?.system ?? null;
    const byIdentity = new Map<string, CanonicalIssue>();
    for (const issue of await this.#inner.listIssues(query)) byIdentity.set(refIdentity(issue.ref), issue);
    for (const [identity, issue] of this.#issues) {
      if (issue === null) byIdentity.delete(identity);
      else if (system === null || issue.ref.system === system) byIdentity.set(identity, issue);
    }
    return [...byIdentity.keys()]
      .sort(compareCodePoints)
      .map((identity) => byIdentity.get(identity) as CanonicalIssue);
  }

  async getIssue(ref: ExternalRef): Promise<CanonicalIssue | null> {
    const identity = refIdentity(ref);
    return this.#issues.has(identity) ? (this.#issues.get(identity) ?? null) : this.#inner.getIssue(ref);
  }

  async upsertIssue(issue: CanonicalIssue): Promise<void> {
    this.#issues.set(refIdentity(issue.ref), issue);
  }

  async deleteIssue(ref: ExternalRef): Promise<void> {
    this.#issues.set(refIdentity(ref), null);
  }

  async getSyncBase(ref: ExternalRef): Promise<CanonicalIssue | null> {
    const identity = refIdentity(ref);
    if (this.#bases.has(identity)) return this.#bases.get(identity) ?? null;
    return this.#innerBases ? this.#innerBases.getSyncBase(ref) : null;
  }

  async putSyncBase(issue: CanonicalIssue): Promise<void> {
    this.#bases.set(refIdentity(issue.ref), issue);
  }

  async deleteSyncBase(ref: ExternalRef): Promise<void> {
    this.#bases.set(refIdentity(ref), null);
  }
}
