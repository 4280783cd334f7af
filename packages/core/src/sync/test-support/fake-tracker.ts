// Test-only tracker with the reference (InMemoryConnector) semantics, kept inside core so core's
// tests need no workspace cycle. `filterBeforePaging` models real trackers that filter by
// `updatedSince` server-side before paging (Jira JQL, GitHub `since`).
import { capabilities, type TrackerCapabilities } from '../../capabilities';
import { ConnectorRequestError, IssueNotFoundError } from '../../errors/errors';
import type { CanonicalStatus } from '../../model/enums';
import { type ExternalRef, refIdentity, refsEqual } from '../../model/external-ref';
import { type CanonicalIssue, cloneIssue, issueContentEqual } from '../../model/issue';
import type { CanonicalLink } from '../../model/link';
import { createCheckpoint, type Page } from '../../model/page';
import type {
  EventsPage,
  IssuePatch,
  ListIssuesQuery,
  TrackerConnector,
  WriteOptions,
} from '../../protocol/connector';
import { rejectUnknownPatchKeys } from '../../protocol/patch-contract';
import { compareCodePoints } from '../../util/python-text';

export interface FakeTrackerOptions {
  name?: string;
  now?: () => Date;
  filterBeforePaging?: boolean;
  capabilities?: Partial<TrackerCapabilities>;
}

/** A clock that advances one second per reading, from 2026-01-01T00:00:00Z. */
export function steppingClock(start = Date.UTC(2026, 0, 1)): () => Date {
  let tick = 0;
  return () => new Date(start + 1000 * tick++);
}

export class FakeTracker implements TrackerConnector {
  readonly name: string;
  readonly issues = new Map<string, CanonicalIssue>();
  readonly #now: () => Date;
  readonly #filterBeforePaging: boolean;
  readonly #caps: TrackerCapabilities;
  #sorted: string[] | null = null;
  #filtered: { since: number; keys: string[] } | null = null;

  constructor(options: FakeTrackerOptions = {}) {
    this.name = options.name ?? 'memory';
    this.#now = options.now ?? steppingClock(Date.UTC(2026, 5, 1));
    this.#filterBeforePaging = options.filterBeforePaging ?? false;
    this.#caps = capabilities({
      supportsSprintsOrCycles: true,
      supportsBulkRead: true,
      supportsBulkWrite: true,
      supportsDelete: true,
      supportsAssignment: true,
      supportsTerminalTransition: true,
      ...options.capabilities,
    });
  }

  /** Puts an issue in directly, as stored (no timestamps added). */
  seed(issue: CanonicalIssue): void {
    const key = refIdentity(issue.ref);
    if (!this.issues.has(key)) this.#sorted = null;
    this.#touch();
    this.issues.set(key, cloneIssue(issue));
  }

  /** Edits an issue as a tracker user would: content changes and `updatedAt` moves to now. */
  edit(ref: ExternalRef, changes: IssuePatch): CanonicalIssue {
    const existing = this.issues.get(refIdentity(ref));
    if (!existing) throw new Error(`no issue ${refIdentity(ref)}`);
    const edited = cloneIssue(existing, { ...changes, updatedAt: this.#now() });
    this.#touch();
    this.issues.set(refIdentity(ref), edited);
    return edited;
  }

  /** Deletes an issue as a tracker user would (this tracker reports no tombstones). */
  deleteIssue(ref: ExternalRef): void {
    this.issues.delete(refIdentity(ref));
    this.#sorted = null;
    this.#touch();
  }

  #touch(): void {
    this.#filtered = null;
  }

  async getCapabilities(): Promise<TrackerCapabilities> {
    return this.#caps;
  }

  async listIssues(query: ListIssuesQuery): Promise<Page<CanonicalIssue>> {
    this.#sorted ??= [...this.issues.keys()].sort(compareCodePoints);
    const since = query.updatedSince?.getTime() ?? null;
    const matches = (issue: CanonicalIssue): boolean =>
      since === null || (issue.updatedAt !== null && issue.updatedAt.getTime() >= since);
    const start = query.cursor === null ? 0 : Number.parseInt(query.cursor, 10);
    if (Number.isNaN(start) || start < 0) {
      throw new ConnectorRequestError(`malformed cursor: '${query.cursor}'`, {
        statusCode: 400,
        provider: this.name,
      });
    }
    let keys = this.#sorted;
    if (this.#filterBeforePaging && since !== null) {
      // Cached per watermark, like a server's index; any write invalidates it.
      if (this.#filtered?.since !== since) {
        const filtered = this.#sorted.filter((key) => matches(this.issues.get(key) as CanonicalIssue));
        this.#filtered = { since, keys: filtered };
      }
      keys = this.#filtered.keys;
    }
    const end = start + query.limit;
    const items: CanonicalIssue[] = [];
    for (const key of keys.slice(start, end)) {
      const issue = this.issues.get(key) as CanonicalIssue;
      if (this.#filterBeforePaging || matches(issue)) items.push(cloneIssue(issue));
    }
    return { items, nextCursor: end < keys.length ? String(end) : null };
  }

  async getIssue(ref: ExternalRef): Promise<CanonicalIssue> {
    const issue = this.issues.get(refIdentity(ref));
    if (!issue) throw new IssueNotFoundError(`Issue not found: ${refIdentity(ref)}`);
    return cloneIssue(issue);
  }

  async createIssue(issue: CanonicalIssue, _options?: WriteOptions): Promise<CanonicalIssue> {
    const key = refIdentity(issue.ref);
    const existing = this.issues.get(key);
    if (existing) {
      if (issueContentEqual(existing, issue)) return cloneIssue(existing);
      throw new ConnectorRequestError(`issue already exists with different content: ${key}`, {
        statusCode: 409,
        provider: this.name,
      });
    }
    const now = this.#now();
    const stored = cloneIssue(issue, { createdAt: issue.createdAt ?? now, updatedAt: now });
    this.#touch();
    this.issues.set(key, stored);
    this.#sorted = null;
    return cloneIssue(stored);
  }

  async updateIssue(ref: ExternalRef, patch: IssuePatch, _options?: WriteOptions): Promise<CanonicalIssue> {
    rejectUnknownPatchKeys(patch, this.name);
    const key = refIdentity(ref);
    const existing = this.issues.get(key);
    if (!existing) throw new IssueNotFoundError(`Issue not found: ${key}`);
    const stored = cloneIssue(existing, { ...patch, updatedAt: this.#now() });
    this.#touch();
    this.issues.set(key, stored);
    return cloneIssue(stored);
  }

  async transitionIssue(ref: ExternalRef, target: CanonicalStatus): Promise<CanonicalIssue> {
    return this.updateIssue(ref, { status: target });
  }

  async upsertLink(ref: ExternalRef, link: CanonicalLink): Promise<void> {
    const existing = this.issues.get(refIdentity(ref));
    if (!existing) throw new IssueNotFoundError(`Issue not found: ${refIdentity(ref)}`);
    if (!existing.links.some((item) => item.type === link.type && refsEqual(item.target, link.target))) {
      this.#touch();
      this.issues.set(
        refIdentity(ref),
        cloneIssue(existing, { links: [...existing.links, link], updatedAt: this.#now() }),
      );
    }
  }

  async addComment(ref: ExternalRef, body: string): Promise<void> {
    const existing = this.issues.get(refIdentity(ref));
    if (!existing) throw new IssueNotFoundError(`Issue not found: ${refIdentity(ref)}`);
    const previous = existing.customFields.comments;
    const comments = Array.isArray(previous) ? [...previous, body] : [body];
    this.#touch();
    this.issues.set(
      refIdentity(ref),
      cloneIssue(existing, { customFields: { ...existing.customFields, comments }, updatedAt: this.#now() }),
    );
  }

  async listEvents(): Promise<EventsPage> {
    return { events: [], checkpoint: createCheckpoint() };
  }
}

/** A `FakeTracker` with a bulk read (`getIssues`): the refs' issues that exist, missing ones left out. */
export class BulkReadingFakeTracker extends FakeTracker {
  async getIssues(refs: readonly ExternalRef[]): Promise<CanonicalIssue[]> {
    const found: CanonicalIssue[] = [];
    for (const ref of refs) {
      const issue = this.issues.get(refIdentity(ref));
      if (issue) found.push(cloneIssue(issue));
    }
    return found;
  }
}
