import { type ExternalRef, refIdentity } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import type {
  IssueStore,
  SyncBaseStore,
  TombstoneQuery,
  TombstoneRecord,
  TombstoneStore,
} from '../store/issue-store';
import { compareCodePoints } from '../util/python-text';

/**
 * A copy-on-write view over a store for `plan()`: reads see earlier planned writes, writes never
 * reach the real store. The engine runs its one code path against it, so a plan cannot drift
 * from what `push`/`sync` then do.
 */
export class DryRunStore implements IssueStore, SyncBaseStore, TombstoneStore {
  readonly #inner: IssueStore;
  readonly #innerBases: SyncBaseStore | null;
  readonly #innerTombstones: TombstoneStore | null;
  readonly #issues = new Map<string, CanonicalIssue | null>();
  readonly #bases = new Map<string, CanonicalIssue | null>();
  readonly #tombstones = new Map<string, TombstoneRecord>();

  constructor(
    inner: IssueStore,
    innerBases: SyncBaseStore | null,
    innerTombstones: TombstoneStore | null = null,
  ) {
    this.#inner = inner;
    this.#innerBases = innerBases;
    this.#innerTombstones = innerTombstones;
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

  async putTombstone(record: TombstoneRecord): Promise<void> {
    this.#tombstones.set(refIdentity(record.ref), record);
  }

  async getTombstone(ref: ExternalRef): Promise<TombstoneRecord | null> {
    const planned = this.#tombstones.get(refIdentity(ref));
    if (planned !== undefined) return planned;
    return this.#innerTombstones ? this.#innerTombstones.getTombstone(ref) : null;
  }

  async listTombstones(query: TombstoneQuery = {}): Promise<TombstoneRecord[]> {
    const byIdentity = new Map<string, TombstoneRecord>();
    for (const record of (await this.#innerTombstones?.listTombstones({ system: query.system })) ?? [])
      byIdentity.set(refIdentity(record.ref), record);
    for (const [identity, record] of this.#tombstones) byIdentity.set(identity, record);
    const listed = [...byIdentity].filter(
      ([, record]) =>
        (query.system === undefined || record.ref.system === query.system) &&
        (query.origin === undefined || record.origin === query.origin) &&
        (query.pushed === undefined || record.pushed === query.pushed),
    );
    listed.sort(
      ([leftId, left], [rightId, right]) =>
        Date.parse(left.observedAt) - Date.parse(right.observedAt) || compareCodePoints(leftId, rightId),
    );
    return listed.map(([, record]) => record);
  }
}
