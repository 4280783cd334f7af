import {
  type CanonicalIssue,
  type CanonicalLink,
  type CanonicalStatus,
  ConcurrentModificationError,
  ConnectorRequestError,
  type ConnectorRuntime,
  capabilities,
  type EventsPage,
  type ExternalRef,
  FailureClass,
  type HttpClient,
  IssueNotFoundError,
  type IssuePatch,
  type IssueTombstone,
  LinkType,
  type ListIssuesQuery,
  type Page,
  parseConnectorConfig,
  rejectUnknownPatchKeys,
  type TrackerCapabilities,
  type TrackerConnector,
  type WriteOptions,
} from '@spec-kitty/core';
import { createHttpClient, createPageWalk, isHttpStatus } from '@spec-kitty/core/http';
import {
  type AzureWorkItemPayload,
  azureRecycleBinSchema,
  azureWiqlResultSchema,
  azureWorkItemSchema,
} from './azure-api-schemas';
import { AZURE_BATCH_SIZE, readWorkItemsBatch, type WorkItemsBatchTarget } from './azure-batch';
import { type AzureDevOpsConnectorConfigInput, azureConfigSchema } from './azure-config';
import { checkAzureGone } from './azure-gone';
import {
  addHyperlink,
  addRelation,
  JSON_PATCH_CONTENT_TYPE,
  type JsonPatchOperation,
  removeRelation,
  setField,
  testRev,
} from './azure-json-patch';
import {
  AZURE_SYSTEM,
  type AzureStatusMap,
  azureAssignee,
  azureWorkItemToCanonical,
  canonicalPriorityToAzure,
  canonicalTypeToAzure,
  createMarkerUrl,
  isAzureRelationLink,
  LINK_REL,
  PARENT_REL,
  projectAzureIssue,
  relationTargetId,
  statusToAzureState,
} from './azure-mapping';
import {
  type AzureListCursor,
  decodeAzureCursor,
  encodeAzureCursor,
  initialCursor,
} from './azure-pagination';
import {
  changedWindowQuery,
  idWindowQuery,
  isResultCapError,
  learnedResultCap,
  splitWindow,
  titleQuery,
  WIQL_MAX_RESULTS,
} from './azure-wiql';
import { PACKAGE_ID } from './version';

/** The work-item REST API version this connector speaks. */
export const AZURE_API_VERSION = '7.1';
/** The comments API version (still preview in 7.1). */
export const AZURE_COMMENTS_API_VERSION = '7.1-preview.4';

/** Runtime inputs of an `AzureDevOpsConnector` that are not config. */
export interface AzureDevOpsConnectorOptions extends ConnectorRuntime {
  /** A ready HTTP client (tests, hosts). Default: `createHttpClient` on `fetch`. */
  http?: HttpClient;
  /** Clock for the open end of a bisected window (tests). */
  now?: () => Date;
}

/** @deprecated Renamed `AzureDevOpsConnectorOptions`. */
export type AzureDevOpsConnectorRuntime = AzureDevOpsConnectorOptions;

/** Oldest possible ChangedDate, used as the lower end when a window without a start is bisected. */
const EPOCH = new Date('2000-01-01T00:00:00.000Z');
const MAX_CACHED_SCANS = 8;

interface CachedScan {
  ids: number[];
  asOf: number;
}

/**
 * Azure DevOps Boards connector: WIQL for ids (`timePrecision=true`), `workitemsbatch` in chunks of
 * 200 for content, JSON Patch writes guarded by `test /rev`, relations, and the comments API.
 */
export class AzureDevOpsConnector implements TrackerConnector {
  readonly name = AZURE_SYSTEM;
  readonly organization: string;
  readonly project: string;
  readonly workspace: string;
  readonly #http: HttpClient;
  readonly #baseUrl: string;
  readonly #statusMap: AzureStatusMap;
  readonly #overlapMs: number;
  readonly #maxPages: number;
  readonly #now: () => Date;
  /** Last rev this connector saw per work item, for `test /rev` on the next write. */
  readonly #revs = new Map<string, number>();
  readonly #scans = new Map<string, CachedScan>();
  #scanCounter = 0;
  /** WIQL's result cap, learned from VS402337 messages (20,000 on Azure DevOps Services). */
  #resultCap: number = WIQL_MAX_RESULTS;

  /** Validates `config` with the schema (bad input → `ConnectorConfigError` naming each field). */
  constructor(input: AzureDevOpsConnectorConfigInput, runtime: AzureDevOpsConnectorOptions = {}) {
    const config = parseConnectorConfig('azure_devops', azureConfigSchema, input);
    this.organization = config.organization;
    this.project = config.project;
    this.workspace = `${config.organization}/${config.project}`;
    this.#baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.#statusMap = config.statusMap;
    this.#maxPages = config.maxPages;
    this.#overlapMs = config.overlapSeconds * 1000;
    this.#now = runtime.now ?? (() => new Date());
    const pat = config.personalAccessToken;
    this.#http =
      runtime.http ??
      createHttpClient({
        baseUrl: `${this.#baseUrl}/${encodeURIComponent(config.organization)}`,
        headers: {
          Authorization: `Basic ${Buffer.from(`:${pat}`, 'utf8').toString('base64')}`,
          Accept: 'application/json',
        },
        provider: AZURE_SYSTEM,
        secrets: pat ? [pat] : [],
        ...(runtime.fetch ? { fetch: runtime.fetch } : {}),
        userAgent: PACKAGE_ID,
      });
  }

  async getCapabilities(): Promise<TrackerCapabilities> {
    return capabilities({
      supportsWebhooks: true,
      supportsComments: true,
      supportsHierarchy: true,
      supportsDependencies: true,
      supportsCustomFields: false,
      supportsMultiAssignee: false,
      supportsSprintsOrCycles: true,
      supportsBulkRead: true,
      supportsBulkWrite: false,
      supportsDelete: false,
      // System.AssignedTo: one assignee, by unique name (see azureAssignee).
      supportsAssignment: true,
      supportsTerminalTransition: true,
      // One workitemsbatch request per page: a SyncEngine run with no limit pages at 200.
      maxPageSize: AZURE_BATCH_SIZE,
      reportsDeletions: true,
    });
  }

  async listIssues(query: ListIssuesQuery): Promise<Page<CanonicalIssue>> {
    const limit = Math.max(1, Math.trunc(query.limit) || 1);
    const signal = query.signal;
    let cursor: AzureListCursor =
      query.cursor === null
        ? initialCursor(
            query.updatedSince
              ? new Date(query.updatedSince.getTime() - this.#overlapMs).toISOString()
              : null,
          )
        : decodeAzureCursor(query.cursor);
    // Empty windows are skipped within the call; the walk bounds how many.
    const walk = createPageWalk({
      provider: AZURE_SYSTEM,
      what: 'work item windows',
      maxPages: this.#maxPages,
    });

    for (;;) {
      let scan = cursor.scan === null ? undefined : this.#scans.get(cursor.scan);
      let scanId = cursor.scan;
      let offset = cursor.offset;
      if (scan === undefined) {
        // No cached id list (first page, or a cursor from another process): run WIQL for the window.
        const result = await this.#queryWindow(cursor, signal);
        cursor = result.cursor;
        const seen = new Set(cursor.seen);
        scan = { ids: result.ids.filter((id) => !seen.has(id)), asOf: result.asOf };
        scanId = this.#remember(scan);
        offset = 0;
      }
      const pageIds = scan.ids.slice(offset, offset + limit);
      const items = await this.#batch(pageIds, signal);
      if (cursor.mode === 'date' && offset === 0 && cursor.to !== null && items.length > 0) {
        // Width of the data this bisected window really spans (from its oldest change): the
        // starting guess for the next window.
        const stamps = items
          .map((item) => Date.parse(String(item.fields?.['System.ChangedDate'] ?? '')))
          .filter((ms) => !Number.isNaN(ms));
        if (stamps.length > 0)
          cursor = { ...cursor, width: Math.max(1, Date.parse(cursor.to) - Math.min(...stamps)) };
      }
      const mapped = items.map((item) => this.#map(item));
      const nextOffset = offset + pageIds.length;
      if (nextOffset < scan.ids.length) {
        const resume: Partial<AzureListCursor> =
          cursor.mode === 'date'
            ? this.#keyset(items, scan.asOf, cursor)
            : { idFrom: Math.max(cursor.idFrom, ...pageIds.map((id) => id + 1)) };
        return {
          items: mapped,
          nextCursor: encodeAzureCursor({ ...cursor, ...resume, scan: scanId, offset: nextOffset }),
        };
      }
      // Window exhausted; a narrowed window continues with the rest of the range.
      if (scanId !== null) this.#scans.delete(scanId);
      let next: AzureListCursor | null = null;
      if (cursor.mode === 'id' && cursor.idTo !== null) {
        next = { ...cursor, idFrom: cursor.idTo, idTo: null, scan: null, offset: 0 };
      } else if (cursor.mode === 'date' && cursor.to !== null) {
        // Open-ended first; #queryWindow narrows it again if needed, starting from a width
        // scaled to fill ~70% of the (learned) result cap.
        const count = scan.ids.length;
        const factor = count === 0 ? 64 : Math.min(64, Math.max(1, (0.7 * this.#resultCap) / count));
        const width = cursor.width === null ? null : Math.max(1, Math.floor(cursor.width * factor));
        next = { ...cursor, from: cursor.to, to: null, width, seen: [], scan: null, offset: 0 };
      }
      if (next === null) return { items: mapped, nextCursor: null };
      const encoded = encodeAzureCursor(next);
      if (mapped.length > 0) return { items: mapped, nextCursor: encoded };
      walk.next(encoded);
      cursor = next;
    }
  }

  /**
   * Tombstones of the work items Azure DevOps says are gone: moved to another project
   * (`System.TeamProject` changed; `movedTo` is the same id there), or deleted (null in a
   * `workitemsbatch` with `errorPolicy: omit`, then found in the recycle bin, or answering 404 to a
   * single GET when destroyed). Live items are omitted; any failure throws. Listings carry no
   * tombstones (WIQL never returns deleted items).
   */
  async checkGone(
    refs: readonly ExternalRef[],
    options: { signal?: AbortSignal } = {},
  ): Promise<IssueTombstone[]> {
    return checkAzureGone(
      {
        organization: this.organization,
        project: this.project,
        workspace: this.workspace,
        batch: (ids, signal) =>
          readWorkItemsBatch(this.#http, this.#batchTarget, ids, { fields: ['System.TeamProject'] }, signal),
        recycleBin: async (signal) => {
          const response = await this.#http.request({
            method: 'GET',
            path: `${this.#projectPath}/_apis/wit/recyclebin`,
            query: { 'api-version': AZURE_API_VERSION },
            schema: azureRecycleBinSchema,
            ...(signal ? { signal } : {}),
          });
          return new Set(response.data.value.map((entry) => entry.id));
        },
        get: async (id, signal) =>
          (
            await this.#http.request({
              method: 'GET',
              path: this.#itemPath(String(id)),
              query: { 'api-version': AZURE_API_VERSION, fields: 'System.TeamProject' },
              schema: azureWorkItemSchema,
              ...(signal ? { signal } : {}),
            })
          ).data,
      },
      refs,
      options.signal,
    );
  }

  async getIssue(ref: ExternalRef, options?: { signal?: AbortSignal }): Promise<CanonicalIssue> {
    return this.#map(await this.#fetch(ref.id, options?.signal));
  }

  /**
   * The work items `refs` name that exist, each as `getIssue` reads it (all fields and the
   * relations; an item moved to another project is answered as `getIssue` answers it): one
   * `workitemsbatch` per 200 distinct ids, no other request. Items the batch answers null
   * (deleted, destroyed, unreadable) and refs whose id is no work item id are left out.
   */
  async getIssues(
    refs: readonly ExternalRef[],
    options: { signal?: AbortSignal } = {},
  ): Promise<CanonicalIssue[]> {
    const ids = [...new Set(refs.map((ref) => ref.id).filter(isWorkItemId))].map(Number);
    const items = await readWorkItemsBatch(
      this.#http,
      this.#batchTarget,
      ids,
      { expand: 'relations' },
      options.signal,
    );
    return items.filter((item) => item !== null).map((item) => this.#map(item));
  }

  async createIssue(issue: CanonicalIssue, options?: WriteOptions): Promise<CanonicalIssue> {
    const ops: JsonPatchOperation[] = [setField('System.Title', issue.title)];
    if (issue.body) ops.push(setField('System.Description', issue.body));
    if (issue.priority !== null)
      ops.push(setField('Microsoft.VSTS.Common.Priority', canonicalPriorityToAzure(issue.priority)));
    if (issue.labels.length > 0) ops.push(setField('System.Tags', issue.labels.join('; ')));
    const assignee = azureAssignee(issue.assignees);
    if (assignee !== null) ops.push(setField('System.AssignedTo', assignee));
    if (issue.parent && issue.parent.system === AZURE_SYSTEM)
      ops.push(addRelation(PARENT_REL, this.#itemUrl(issue.parent.id)));
    // Links go in the same request; a `parent_of` is left to a later update, since a target that
    // already has a parent would make the service refuse the whole create.
    const createdLinks = issue.links.filter(
      (link) => isAzureRelationLink(link) && link.type !== LinkType.PARENT_OF,
    );
    ops.push(...this.#missingLinkOps([], createdLinks));
    if (options?.idempotencyKey)
      ops.push(addHyperlink(createMarkerUrl(options.idempotencyKey), 'spec-kitty create marker'));
    const type = canonicalTypeToAzure(issue.issueType);
    if (issue.parent && issue.parent.system === AZURE_SYSTEM) this.#revs.delete(issue.parent.id);
    for (const link of createdLinks) this.#revs.delete(link.target.id);
    const created = await this.#patchRequest(
      'POST',
      `${this.#projectPath}/_apis/wit/workitems/$${encodeURIComponent(type)}`,
      ops,
      null,
      options?.signal,
    );
    const wanted = statusToAzureState(issue.status, this.#statusMap);
    // New items start in the process's initial state; move them only when needed.
    if (created.fields?.['System.State'] !== wanted) {
      const moved = await this.#patchRequest(
        'PATCH',
        this.#itemPath(String(created.id)),
        [testRev(created.rev ?? 1), setField('System.State', wanted)],
        String(created.id),
        options?.signal,
      );
      return this.#map(moved);
    }
    return this.#map(created);
  }

  /**
   * After an ambiguous create failure: work items with the same title whose create-marker
   * hyperlink matches the idempotency key (one WIQL + one batch).
   */
  async findCreatedIssue(issue: CanonicalIssue, options: WriteOptions): Promise<CanonicalIssue | null> {
    const key = options.idempotencyKey;
    if (!key) return null;
    const marker = createMarkerUrl(key);
    const response = await this.#http.request({
      method: 'POST',
      path: `${this.#projectPath}/_apis/wit/wiql`,
      query: { 'api-version': AZURE_API_VERSION, timePrecision: 'true', $top: String(AZURE_BATCH_SIZE) },
      json: { query: titleQuery(issue.title) },
      schema: azureWiqlResultSchema,
      idempotent: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const ids = response.data.workItems.map((row) => row.id).slice(0, AZURE_BATCH_SIZE);
    if (ids.length === 0) return null;
    const items = await this.#batch(ids, options.signal);
    const match = items.find((item) =>
      (item.relations ?? []).some((relation) => relation.rel === 'Hyperlink' && relation.url === marker),
    );
    return match ? this.#map(match) : null;
  }

  async updateIssue(ref: ExternalRef, patch: IssuePatch, options?: WriteOptions): Promise<CanonicalIssue> {
    // Stricter than the original HTTP connectors (which ignored unknown keys): PK-001 before any write.
    rejectUnknownPatchKeys(patch, this.name);
    const signal = options?.signal;
    const ops: JsonPatchOperation[] = [];
    if (patch.title !== undefined) ops.push(setField('System.Title', patch.title));
    if (patch.body !== undefined) ops.push(setField('System.Description', patch.body ?? ''));
    if (patch.priority !== undefined && patch.priority !== null)
      ops.push(setField('Microsoft.VSTS.Common.Priority', canonicalPriorityToAzure(patch.priority)));
    if (patch.labels !== undefined) ops.push(setField('System.Tags', patch.labels.join('; ')));
    // '' resets an identity field (unassigns).
    if (patch.assignees !== undefined)
      ops.push(setField('System.AssignedTo', azureAssignee(patch.assignees) ?? ''));
    if (patch.status !== undefined)
      ops.push(setField('System.State', statusToAzureState(patch.status, this.#statusMap)));
    let rev = this.#revs.get(ref.id);
    if (patch.parent !== undefined || patch.links !== undefined) {
      // Re-parenting and links need the current relations (and give a fresh rev when none is known).
      const current = await this.#fetch(ref.id, signal);
      rev ??= current.rev;
      const relations = current.relations ?? [];
      if (patch.parent !== undefined) {
        const index = relations.findIndex((relation) => relation.rel === PARENT_REL);
        const currentParent = index >= 0 ? relationTargetId(relations[index]?.url ?? '') : null;
        const wantedParent = patch.parent && patch.parent.system === AZURE_SYSTEM ? patch.parent.id : null;
        if (currentParent !== wantedParent) {
          if (index >= 0) ops.push(removeRelation(index));
          if (wantedParent !== null) ops.push(addRelation(PARENT_REL, this.#itemUrl(wantedParent)));
        }
      }
      if (patch.links !== undefined) {
        // Missing links are added in the same PATCH; a relation is never removed by a link list.
        const adds = this.#missingLinkOps(relations, patch.links.filter(isAzureRelationLink));
        ops.push(...adds);
        // The service adds the reverse relations to the targets, which bumps their revs.
        if (adds.length > 0) for (const link of patch.links) this.#revs.delete(link.target.id);
      }
    }
    if (ops.length === 0) return this.getIssue(ref, signal ? { signal } : undefined);
    if (rev === undefined) rev = (await this.#fetch(ref.id, signal)).rev;
    const updated = await this.#patchRequest(
      'PATCH',
      this.#itemPath(ref.id),
      [testRev(rev ?? 1), ...ops],
      ref.id,
      signal,
    );
    return this.#map(updated);
  }

  /** How `issue` reads back from Azure DevOps, honouring `statusMap`: see `projectAzureIssue`. */
  projectIssue(issue: CanonicalIssue): CanonicalIssue {
    return projectAzureIssue(issue, this.#statusMap);
  }

  async transitionIssue(ref: ExternalRef, target: CanonicalStatus): Promise<CanonicalIssue> {
    return this.updateIssue(ref, { status: target });
  }

  async upsertLink(ref: ExternalRef, link: CanonicalLink): Promise<void> {
    const rel = LINK_REL[link.type];
    const current = await this.#fetch(ref.id);
    const exists = (current.relations ?? []).some(
      (relation) => relation.rel === rel && relationTargetId(relation.url) === link.target.id,
    );
    if (exists) return;
    await this.#patchRequest(
      'PATCH',
      this.#itemPath(ref.id),
      [testRev(current.rev ?? 1), addRelation(rel, this.#itemUrl(link.target.id))],
      ref.id,
    );
    // The service adds the reverse relation to the target, which bumps its rev.
    this.#revs.delete(link.target.id);
  }

  /** `add /relations/-` for each link `relations` does not hold yet (once per rel and target). */
  #missingLinkOps(
    relations: readonly { rel: string; url: string }[],
    links: readonly CanonicalLink[],
  ): JsonPatchOperation[] {
    const held = new Set(relations.map((relation) => `${relation.rel} ${relationTargetId(relation.url)}`));
    const ops: JsonPatchOperation[] = [];
    for (const link of links) {
      const rel = LINK_REL[link.type];
      const key = `${rel} ${link.target.id}`;
      if (held.has(key)) continue;
      held.add(key);
      ops.push(addRelation(rel, this.#itemUrl(link.target.id)));
    }
    return ops;
  }

  async addComment(ref: ExternalRef, body: string): Promise<void> {
    try {
      await this.#http.request({
        method: 'POST',
        path: `${this.#projectPath}/_apis/wit/workItems/${encodeURIComponent(ref.id)}/comments`,
        query: { 'api-version': AZURE_COMMENTS_API_VERSION },
        json: { text: body },
      });
    } catch (error) {
      throw this.#notFound(error, ref.id);
    }
    // A comment is a new revision of the work item.
    this.#revs.delete(ref.id);
  }

  async listEvents(): Promise<EventsPage> {
    return { events: [], checkpoint: null };
  }

  get #projectPath(): string {
    return encodeURIComponent(this.project);
  }

  get #batchTarget(): WorkItemsBatchTarget {
    return { projectPath: this.#projectPath, apiVersion: AZURE_API_VERSION };
  }

  #itemPath(id: string): string {
    return `${this.#projectPath}/_apis/wit/workitems/${encodeURIComponent(id)}`;
  }

  #itemUrl(id: string): string {
    return `${this.#baseUrl}/${this.organization}/_apis/wit/workItems/${id}`;
  }

  #map(item: AzureWorkItemPayload): CanonicalIssue {
    if (item.rev !== undefined) this.#revs.set(String(item.id), item.rev);
    return azureWorkItemToCanonical(item, this.workspace, this.#statusMap);
  }

  #remember(scan: CachedScan): string {
    this.#scanCounter += 1;
    const id = `${Date.now().toString(36)}.${this.#scanCounter}`;
    this.#scans.set(id, scan);
    while (this.#scans.size > MAX_CACHED_SCANS) {
      const oldest = this.#scans.keys().next().value;
      if (oldest === undefined) break;
      this.#scans.delete(oldest);
    }
    return id;
  }

  /**
   * The keyset position after a page, for resuming without the cached id list: the newest
   * ChangedDate among items not edited since the WIQL ran (later edits will be read again),
   * plus the ids at that instant.
   */
  #keyset(
    items: AzureWorkItemPayload[],
    asOf: number,
    cursor: AzureListCursor,
  ): Pick<AzureListCursor, 'from' | 'seen'> {
    let from = cursor.from;
    let fromMs = from === null ? Number.NEGATIVE_INFINITY : Date.parse(from);
    let seen = [...cursor.seen];
    for (const item of items) {
      const changed = item.fields?.['System.ChangedDate'];
      const ms = typeof changed === 'string' ? Date.parse(changed) : Number.NaN;
      if (Number.isNaN(ms) || ms > asOf) continue;
      if (ms > fromMs) {
        fromMs = ms;
        from = new Date(ms).toISOString();
        seen = [item.id];
      } else if (ms === fromMs && !seen.includes(item.id)) seen.push(item.id);
    }
    return { from, seen };
  }

  /**
   * Runs WIQL for the cursor's window, narrowing it while the service refuses more than the
   * result cap (VS402337). Full scans window by id (`[System.Id] >= a AND < a + cap`: ids are
   * unique, so one narrowing always fits); incremental scans window by ChangedDate and bisect.
   */
  async #queryWindow(
    cursor: AzureListCursor,
    signal?: AbortSignal,
  ): Promise<{ ids: number[]; asOf: number; cursor: AzureListCursor }> {
    let window = cursor;
    let hint = cursor.mode === 'date' ? cursor.width : null;
    for (;;) {
      const text =
        window.mode === 'id'
          ? idWindowQuery(window.idFrom, window.idTo)
          : changedWindowQuery(
              window.from === null ? null : new Date(window.from),
              window.to === null ? null : new Date(window.to),
            );
      try {
        const response = await this.#http.request({
          method: 'POST',
          path: `${this.#projectPath}/_apis/wit/wiql`,
          query: { 'api-version': AZURE_API_VERSION, timePrecision: 'true' },
          json: { query: text },
          schema: azureWiqlResultSchema,
          idempotent: true,
          ...(signal ? { signal } : {}),
        });
        const asOf = response.data.asOf ? Date.parse(response.data.asOf) : Number.NaN;
        return {
          ids: response.data.workItems.map((row) => row.id),
          asOf: Number.isNaN(asOf) ? Number.POSITIVE_INFINITY : asOf,
          cursor: window,
        };
      } catch (error) {
        if (!isResultCapError(error)) throw error;
        this.#resultCap = learnedResultCap(error) ?? this.#resultCap;
        if (window.mode === 'id') {
          const span =
            window.idTo === null ? this.#resultCap - 1 : Math.floor((window.idTo - window.idFrom) / 2);
          if (span < 1) throw this.#unsplittable(window.idFrom, error);
          window = { ...window, idTo: window.idFrom + span };
          continue;
        }
        const start = window.from === null ? EPOCH : new Date(window.from);
        const to = window.to === null ? null : new Date(window.to);
        if (hint !== null && (to === null || start.getTime() + hint < to.getTime())) {
          window = { ...window, to: new Date(start.getTime() + hint).toISOString() };
          hint = null;
          continue;
        }
        hint = null;
        const mid = splitWindow(start, to ?? new Date(this.#now().getTime() + 24 * 3600 * 1000));
        if (mid === null) throw this.#unsplittable(start.toISOString(), error);
        window = { ...window, to: mid.toISOString() };
      }
    }
  }

  #unsplittable(at: string | number, cause: unknown): ConnectorRequestError {
    return new ConnectorRequestError(
      `Azure DevOps: WIQL keeps exceeding its result cap at ${at}; the window cannot be split further. Narrow the project or contact the administrator.`,
      { failureClass: FailureClass.NON_RETRYABLE, provider: AZURE_SYSTEM, cause },
    );
  }

  async #batch(ids: number[], signal?: AbortSignal): Promise<AzureWorkItemPayload[]> {
    const items = await readWorkItemsBatch(
      this.#http,
      this.#batchTarget,
      ids,
      { expand: 'relations' },
      signal,
    );
    // Items deleted between the WIQL and the batch come back as null and are skipped.
    return items.filter((item) => item !== null);
  }

  async #fetch(id: string, signal?: AbortSignal): Promise<AzureWorkItemPayload> {
    try {
      const response = await this.#http.request({
        method: 'GET',
        path: this.#itemPath(id),
        query: { 'api-version': AZURE_API_VERSION, $expand: 'relations' },
        schema: azureWorkItemSchema,
        ...(signal ? { signal } : {}),
      });
      if (response.data.rev !== undefined) this.#revs.set(id, response.data.rev);
      return response.data;
    } catch (error) {
      throw this.#notFound(error, id);
    }
  }

  async #patchRequest(
    method: 'POST' | 'PATCH',
    path: string,
    ops: JsonPatchOperation[],
    id: string | null,
    signal?: AbortSignal,
  ): Promise<AzureWorkItemPayload> {
    try {
      const response = await this.#http.request({
        method,
        path,
        query: { 'api-version': AZURE_API_VERSION, $expand: 'relations' },
        json: ops,
        headers: { 'Content-Type': JSON_PATCH_CONTENT_TYPE },
        schema: azureWorkItemSchema,
        ...(signal ? { signal } : {}),
      });
      return response.data;
    } catch (error) {
      if (id !== null && isHttpStatus(error, [409, 412]) && ops.some((op) => op.op === 'test')) {
        this.#revs.delete(id);
        throw new ConcurrentModificationError(
          `Azure DevOps work item ${id} changed concurrently since it was read (test /rev failed, HTTP ${error.statusCode}); re-read it and reconcile before writing again.`,
          { statusCode: error.statusCode, provider: AZURE_SYSTEM, cause: error },
        );
      }
      throw id === null ? error : this.#notFound(error, id);
    }
  }

  #notFound(error: unknown, id: string): unknown {
    if (isHttpStatus(error, 404)) {
      return new IssueNotFoundError(
        `Azure DevOps work item ${id} not found in ${this.workspace} (HTTP 404). Check the id and that the PAT has Work Items (Read) scope.`,
        { cause: error },
      );
    }
    return error;
  }
}

/** A work item id as the API takes it: a positive 32-bit integer, in decimal. */
function isWorkItemId(id: string): boolean {
  return /^\d{1,10}$/.test(id) && Number(id) > 0 && Number(id) <= 2_147_483_647;
}
