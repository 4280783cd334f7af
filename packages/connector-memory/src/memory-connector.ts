import {
  type CanonicalIssue,
  type CanonicalLink,
  type CanonicalStatus,
  ConnectorRequestError,
  type ConnectorRuntime,
  capabilities,
  cloneIssue,
  compareCodePoints,
  createCheckpoint,
  createTombstone,
  type EventsPage,
  type ExternalRef,
  IssueNotFoundError,
  type IssuePatch,
  type IssueTombstone,
  issueContentEqual,
  type JsonValue,
  type ListEventsQuery,
  type ListIssuesQuery,
  type Page,
  parseConnectorConfig,
  refIdentity,
  refsEqual,
  rejectUnknownPatchKeys,
  type TrackerCapabilities,
  type TrackerConnector,
  type TrackerEvent,
  TrackerEventType,
  type WriteOptions,
} from '@spec-kitty/core';
import { type InMemoryConnectorConfigInput, memoryConfigSchema } from './memory-config';

/** Runtime inputs of an `InMemoryConnector` that are not config (not JSON). */
export interface InMemoryConnectorOptions extends ConnectorRuntime {
  /** Clock for timestamps; injectable so tests and benchmarks are deterministic. */
  now?: () => Date;
}

// Python int() accepts surrounding whitespace, a sign, leading zeros and "_" between digits.
const PY_INT = /^\s*[+-]?\d(?:_?\d)*\s*$/;

function parseOffsetCursor(cursor: string, provider: string): number {
  if (!PY_INT.test(cursor)) throw malformedCursor(cursor, provider);
  const value = Number.parseInt(cursor.trim().replace(/_/g, ''), 10);
  if (value < 0) throw malformedCursor(cursor, provider);
  return value;
}

function malformedCursor(cursor: string, provider: string): ConnectorRequestError {
  const repr = `'${cursor.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return new ConnectorRequestError(`malformed cursor: ${repr}`, { statusCode: 400, provider });
}

/**
 * The reference connector: a tracker held in memory, with the original's exact behaviour
 * (create-if-absent, PK-001 on unknown patch keys, offset cursors over the unfiltered list, event log).
 */
export class InMemoryConnector implements TrackerConnector {
  readonly name: string;
  readonly workspace: string;
  readonly #now: () => Date;
  readonly #maxPageSize: number | undefined;
  readonly #issues = new Map<string, CanonicalIssue>();
  readonly #events: TrackerEvent[] = [];
  /** Issues `remove` took out, by identity: what `checkGone` and first listing pages report. */
  readonly #gone = new Map<string, IssueTombstone>();
  #sortedKeys: string[] | null = null;

  /**
   * `config.workspace` is required (no shared fallback: two trackers without one would share
   * identities); `config.maxPageSize` caps `listIssues` pages and is declared as the capability.
   * Bad config → `ConnectorConfigError` naming each field.
   */
  constructor(config: InMemoryConnectorConfigInput, options: InMemoryConnectorOptions = {}) {
    const valid = parseConnectorConfig('memory', memoryConfigSchema, config);
    this.name = valid.name;
    this.workspace = valid.workspace;
    this.#maxPageSize = valid.maxPageSize;
    this.#now = options.now ?? (() => new Date());
  }

  /** Test helper: put an issue straight into the tracker without events (like poking `_issues`). */
  seed(issue: CanonicalIssue): void {
    const key = refIdentity(issue.ref);
    if (!this.#issues.has(key)) this.#sortedKeys = null;
    this.#gone.delete(key);
    this.#issues.set(key, cloneIssue(issue));
  }

  /**
   * Test helper: takes the issue out of the tracker as someone deleting, archiving or moving it
   * would (`movedTo` only with `moved`). It leaves listings, `getIssue` throws
   * `IssueNotFoundError`, `checkGone` reports it, and first listing pages whose `updatedSince` is
   * at or before the removal carry its tombstone.
   */
  remove(
    ref: ExternalRef,
    options: { reason?: 'deleted' | 'archived' | 'moved'; movedTo?: ExternalRef | null } = {},
  ): IssueTombstone {
    const key = refIdentity(ref);
    const issue = this.#issues.get(key);
    if (issue === undefined) throw new IssueNotFoundError(`Issue not found: ${key}`);
    this.#issues.delete(key);
    this.#sortedKeys = null;
    const tombstone = createTombstone({
      ref: issue.ref,
      reason: options.reason ?? 'deleted',
      movedTo: options.movedTo ?? null,
      observedAt: this.#now(),
    });
    this.#gone.set(key, tombstone);
    return tombstone;
  }

  /** Test helper: a copy of the event log. */
  events(): TrackerEvent[] {
    return [...this.#events];
  }

  get size(): number {
    return this.#issues.size;
  }

  async getCapabilities(): Promise<TrackerCapabilities> {
    return capabilities({
      supportsWebhooks: false,
      supportsComments: true,
      supportsHierarchy: true,
      supportsDependencies: true,
      supportsCustomFields: true,
      supportsMultiAssignee: true,
      supportsSprintsOrCycles: true,
      supportsBulkRead: true,
      supportsBulkWrite: true,
      supportsDelete: true,
      supportsAssignment: true,
      supportsTerminalTransition: true,
      reportsDeletions: true,
      ...(this.#maxPageSize !== undefined ? { maxPageSize: this.#maxPageSize } : {}),
    });
  }

  async listIssues(query: ListIssuesQuery): Promise<Page<CanonicalIssue>> {
    this.#sortedKeys ??= [...this.#issues.keys()].sort(compareCodePoints);
    const start = query.cursor === null ? 0 : parseOffsetCursor(query.cursor, this.name);
    const end = start + Math.min(query.limit, this.#maxPageSize ?? query.limit);
    const since = query.updatedSince?.getTime() ?? null;
    const items: CanonicalIssue[] = [];
    for (const key of this.#sortedKeys.slice(start, end)) {
      const issue = this.#issues.get(key);
      if (issue === undefined) continue;
      // The filter applies after slicing, as in the original: pages may be empty but still have a next cursor.
      if (since !== null && (issue.updatedAt === null || issue.updatedAt.getTime() < since)) continue;
      items.push(cloneIssue(issue));
    }
    const nextCursor = end < this.#sortedKeys.length ? String(end) : null;
    // Tombstones ride on the first page only, so one pass reports each once.
    const tombstones =
      query.cursor === null
        ? [...this.#gone.values()].filter(
            (tombstone) => since === null || Date.parse(tombstone.observedAt) >= since,
          )
        : [];
    return tombstones.length > 0 ? { items, nextCursor, tombstones } : { items, nextCursor };
  }

  /**
   * The tombstones of the refs `remove` took out (their recorded reason), a `deleted` one for any
   * other ref this tracker does not hold; refs it holds are omitted. Never fails.
   */
  async checkGone(refs: readonly ExternalRef[]): Promise<IssueTombstone[]> {
    const observedAt = this.#now();
    return refs
      .filter((ref) => !this.#issues.has(refIdentity(ref)))
      .map(
        (ref) => this.#gone.get(refIdentity(ref)) ?? createTombstone({ ref, reason: 'deleted', observedAt }),
      );
  }

  async getIssue(ref: ExternalRef): Promise<CanonicalIssue> {
    const issue = this.#issues.get(refIdentity(ref));
    if (issue === undefined) throw new IssueNotFoundError(`Issue not found: ${refIdentity(ref)}`);
    return cloneIssue(issue);
  }

  /** The refs' issues that exist (missing refs left out, a repeated ref answered once): one call for any number. */
  async getIssues(refs: readonly ExternalRef[]): Promise<CanonicalIssue[]> {
    const found: CanonicalIssue[] = [];
    const answered = new Set<string>();
    for (const ref of refs) {
      const key = refIdentity(ref);
      const issue = this.#issues.get(key);
      if (issue === undefined || answered.has(key)) continue;
      answered.add(key);
      found.push(cloneIssue(issue));
    }
    return found;
  }

  async createIssue(issue: CanonicalIssue, _options?: WriteOptions): Promise<CanonicalIssue> {
    const key = refIdentity(issue.ref);
    const existing = this.#issues.get(key);
    if (existing !== undefined) {
      if (issueContentEqual(existing, issue)) return cloneIssue(existing);
      throw new ConnectorRequestError(`issue already exists with different content: ${key}`, {
        statusCode: 409,
        provider: this.name,
      });
    }
    const now = this.#now();
    const stored = cloneIssue(issue, { createdAt: issue.createdAt ?? now, updatedAt: now });
    this.#gone.delete(key);
    this.#issues.set(key, stored);
    this.#sortedKeys = null;
    this.#record(TrackerEventType.CREATED, stored.ref, { title: stored.title });
    return cloneIssue(stored);
  }

  async updateIssue(ref: ExternalRef, patch: IssuePatch, _options?: WriteOptions): Promise<CanonicalIssue> {
    rejectUnknownPatchKeys(patch, this.name);
    const key = refIdentity(ref);
    const existing = this.#issues.get(key);
    if (existing === undefined) throw new IssueNotFoundError(`Issue not found: ${key}`);
    const stored = cloneIssue(existing, { ...patch, updatedAt: this.#now() });
    this.#issues.set(key, stored);
    this.#record(TrackerEventType.UPDATED, stored.ref, { patch: patchToJson(patch) });
    return cloneIssue(stored);
  }

  async transitionIssue(ref: ExternalRef, target: CanonicalStatus): Promise<CanonicalIssue> {
    const updated = await this.updateIssue(
      ref,
      { status: target },
      {
        idempotencyKey: `transition:${refIdentity(ref)}:${target}`,
      },
    );
    this.#record(TrackerEventType.TRANSITIONED, updated.ref, { status: target });
    return updated;
  }

  async upsertLink(ref: ExternalRef, link: CanonicalLink): Promise<void> {
    const key = refIdentity(ref);
    const existing = this.#issues.get(key);
    if (existing === undefined) throw new IssueNotFoundError(`Issue not found: ${key}`);
    const present = existing.links.some(
      (item) => item.type === link.type && refsEqual(item.target, link.target),
    );
    if (!present) {
      this.#issues.set(
        key,
        cloneIssue(existing, { links: [...existing.links, link], updatedAt: this.#now() }),
      );
    }
    this.#record(TrackerEventType.LINK_UPSERTED, existing.ref, {
      type: link.type,
      target: refIdentity(link.target),
    });
  }

  async addComment(ref: ExternalRef, body: string): Promise<void> {
    const key = refIdentity(ref);
    const existing = this.#issues.get(key);
    if (existing === undefined) throw new IssueNotFoundError(`Issue not found: ${key}`);
    const previous = existing.customFields.comments;
    const comments = Array.isArray(previous) ? [...previous, body] : [body];
    this.#issues.set(
      key,
      cloneIssue(existing, { customFields: { ...existing.customFields, comments }, updatedAt: this.#now() }),
    );
    this.#record(TrackerEventType.COMMENT_ADDED, existing.ref, { body });
  }

  async listEvents(query: ListEventsQuery): Promise<EventsPage> {
    const start = query.cursor?.cursor ? parseOffsetCursor(query.cursor.cursor, this.name) : 0;
    const end = start + query.limit;
    return {
      events: this.#events.slice(start, end),
      checkpoint: createCheckpoint({ cursor: end < this.#events.length ? String(end) : null }),
    };
  }

  #record(
    eventType: TrackerEvent['eventType'],
    issueRef: ExternalRef,
    payload: Record<string, JsonValue>,
  ): void {
    this.#events.push({
      eventId: globalThis.crypto.randomUUID(),
      eventType,
      issueRef,
      timestamp: this.#now(),
      payload,
    });
  }
}

function patchToJson(patch: IssuePatch): Record<string, JsonValue> {
  // Strings, numbers and null are JSON already: only other values take the JSON round trip (the
  // event log keeps every payload, and the round trip copied each string).
  const json: Record<string, JsonValue> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    json[field] =
      value === null || typeof value === 'string' || typeof value === 'number'
        ? value
        : (JSON.parse(JSON.stringify(value)) as JsonValue);
  }
  return json;
}
