import {
  type CanonicalIssue,
  type CanonicalLink,
  type CanonicalStatus,
  ConnectorRequestError,
  type ConnectorRuntime,
  capabilities,
  cloneIssue,
  createLink,
  type EventsPage,
  type ExternalRef,
  FailureClass,
  type HttpClient,
  IssueNotFoundError,
  type IssuePatch,
  type IssueTombstone,
  type ListIssuesQuery,
  type Logger,
  type Page,
  rejectUnknownPatchKeys,
  silentLogger,
  type TrackerCapabilities,
  type TrackerConnector,
  type WriteOptions,
} from '@spec-kitty/core';
import {
  batchesOf,
  createHttpClient,
  graphqlRequest,
  isHttpStatus,
  mapBounded,
  PageWalkLimitError,
  withIdempotencyMarker,
} from '@spec-kitty/core/http';
import {
  type GitLabIssuePayload,
  gitLabIssueLinkListSchema,
  gitLabIssueListSchema,
  gitLabIssueSchema,
  gitLabUserListSchema,
} from './gitlab-api-schemas';
import { GITLAB_BULK_READ_MAX, gitLabBulkRead } from './gitlab-bulk-read';
import { type GitLabConnectorConfigInput, parseGitLabConfig } from './gitlab-config';
import { checkGitLabGone, gitLabMovedTombstone } from './gitlab-gone';
import {
  GITLAB_SYSTEM,
  type GitLabStatusLabels,
  gitLabIssueToCanonical,
  gitLabLinkOrder,
  gitLabLinkTarget,
  gitLabLinkTypeToCanonical,
  hasCreateMarker,
  linkTargetProject,
  linkTypeToGitLab,
  projectGitLabIssue,
  projectGitLabLinks,
  statusLabelValues,
  statusToGitLabState,
} from './gitlab-mapping';
import { decodeListCursor, encodeListCursor, type GitLabListCursor, nextPageFrom } from './gitlab-pagination';
import {
  GITLAB_RELATIONS_QUERY,
  type GitLabIssueRelations,
  gitLabGraphQLUrl,
  gitLabRelationsDataSchema,
  RELATIONS_BATCH,
  relationsFromData,
} from './gitlab-relations';
import { PACKAGE_ID } from './version';

/** Runtime options of `new GitLabConnector(config, options)`: core's `ConnectorRuntime` plus a ready client. */
export interface GitLabConnectorOptions extends ConnectorRuntime {
  /** A ready HTTP client (tests, custom transports). When absent one is built from `fetch`. */
  http?: HttpClient;
}

const MAX_PER_PAGE = 100;
/**
 * Most boundary iids excluded with `not[iids][]` on a keyset step. Beyond that (many issues at
 * one instant) the URL would grow for a few saved rows: the boundary filter alone handles them.
 */
const MAX_EXCLUDED_IIDS = 20;
const FIND_CREATED_MAX_PAGES = 5;
/** REST link reads (`GET …/issues/{iid}/links`) in flight at once, when GraphQL cannot answer. */
const LINK_READ_CONCURRENCY = 4;

/** Issues whose last relations read is remembered for `updateIssue` (oldest forgotten first). */
const RELATION_CACHE_SIZE = 10_000;

/** The relations of one issue, read in full. */
interface ReadRelations {
  readonly parent: ExternalRef | null;
  readonly links: CanonicalLink[];
}

/** Relations as last seen, with the issue's `updated_at` (ms) then, when known. */
interface CachedRelations extends ReadRelations {
  readonly at: number | null;
}

/**
 * GitLab REST v4 connector. Issues are addressed by project-scoped `iid`; `ExternalRef.workspace`
 * is the configured `projectId`.
 */
export class GitLabConnector implements TrackerConnector {
  readonly name = GITLAB_SYSTEM;
  readonly projectId: string;
  readonly #http: HttpClient;
  readonly #projectPath: string;
  readonly #overlapMs: number;
  readonly #userIds = new Map<string, number>();
  readonly #logger: Logger;
  readonly #statusLabels: GitLabStatusLabels;
  readonly #maxPages: number;
  readonly #readLinks: boolean;
  readonly #graphqlUrl: string;
  /** False once GitLab answered the relations query with errors (no work items: older GitLab). */
  #graphqlRelations = true;
  /** GitLab's numeric id of the configured project (known from config or the first payload). */
  #numericProjectId: number | null;
  /** The project's full path, which GraphQL addresses it by (from config or `references.full`). */
  #fullPath: string | null;
  /**
   * The relations each issue had when last read or written, by iid. GitLab records a link or a
   * hierarchy change as a system note, which bumps the issue's `updated_at`: an issue listed
   * again at the `updated_at` its relations were read at is not read again (a no-op sync costs
   * no GraphQL request). A field update does not change them either, so `updateIssue` without
   * `links` answers from here; what it wrote is re-read at the next listing (`at` null).
   */
  readonly #relationCache = new Map<number, CachedRelations>();

  constructor(input: GitLabConnectorConfigInput, runtime: GitLabConnectorOptions = {}) {
    const config = parseGitLabConfig(input);
    this.projectId = config.projectId;
    this.#projectPath = `projects/${encodeURIComponent(config.projectId)}`;
    this.#overlapMs = config.overlapSeconds * 1000;
    this.#logger = runtime.logger ?? silentLogger;
    this.#statusLabels = config.statusLabels;
    this.#maxPages = config.maxPages;
    this.#readLinks = config.readLinks;
    this.#numericProjectId = /^\d+$/.test(config.projectId) ? Number(config.projectId) : null;
    this.#fullPath = this.#numericProjectId === null ? config.projectId : null;
    this.#graphqlUrl = gitLabGraphQLUrl(config.baseUrl);
    this.#http =
      runtime.http ??
      createHttpClient({
        baseUrl: config.baseUrl,
        headers: { 'PRIVATE-TOKEN': config.token, Accept: 'application/json' },
        provider: GITLAB_SYSTEM,
        ...(runtime.fetch ? { fetch: runtime.fetch } : {}),
        userAgent: PACKAGE_ID,
      });
  }

  async getCapabilities(): Promise<TrackerCapabilities> {
    return capabilities({
      supportsWebhooks: true,
      supportsComments: true,
      // GitLab issues have no parent in this mapping and no custom fields: reported truthfully.
      supportsHierarchy: false,
      supportsDependencies: true,
      supportsCustomFields: false,
      supportsMultiAssignee: true,
      supportsSprintsOrCycles: true,
      supportsBulkRead: true,
      supportsBulkWrite: false,
      supportsDelete: false,
      // Usernames are resolved to user ids, so assignees round-trip.
      supportsAssignment: true,
      // done/canceled close the issue (`state_event=close`).
      supportsTerminalTransition: true,
      maxPageSize: MAX_PER_PAGE,
      reportsDeletions: true,
    });
  }

  async listIssues(query: ListIssuesQuery): Promise<Page<CanonicalIssue>> {
    const perPage = Math.max(1, Math.min(Math.trunc(query.limit) || 1, MAX_PER_PAGE));
    const search = query.filters?.search;
    const base: Record<string, string> = {
      state: 'all',
      order_by: 'updated_at',
      sort: 'asc',
      per_page: String(perPage),
    };
    if (search !== undefined && search !== null) base.search = String(search);

    const decoded = query.cursor === null ? null : decodeListCursor(query.cursor);
    if (decoded !== null && 'legacyPage' in decoded) {
      // The original's bare page-number cursor: plain offset paging.
      const since = query.updatedSince ? this.#windowStart(query.updatedSince) : null;
      const response = await this.#listPage(
        { ...base, page: String(decoded.legacyPage), ...(since ? { updated_after: since } : {}) },
        query.signal,
      );
      const next = nextPageFrom(response.headers, decoded.legacyPage, response.data.length, perPage);
      return this.#page(response.data, next === null ? null : String(next), query.signal);
    }

    const cursor: GitLabListCursor = decoded ?? {
      after: query.updatedSince ? this.#windowStart(query.updatedSince) : null,
      seen: [],
      page: 1,
    };
    const params: Record<string, string | string[]> = { ...base, page: String(cursor.page) };
    if (cursor.after !== null) params.updated_after = cursor.after;
    // `updated_after` is inclusive: without the exclusion the boundary issues already returned
    // would take rows of this page, and a 10,000-issue scan would need 101 pages of 100.
    // Pages inside one window (page > 1) keep the same exclusion, so their offsets stay consistent.
    if (cursor.seenIids && cursor.seenIids.length > 0) params['not[iids][]'] = cursor.seenIids.map(String);
    const response = await this.#listPage(params, query.signal);
    const rows = response.data;
    const afterMs = cursor.after === null ? null : Date.parse(cursor.after);
    const seen = new Set(cursor.seen);
    const fresh = rows.filter(
      (row) => !(seen.has(row.id) && afterMs !== null && Date.parse(row.updated_at ?? '') === afterMs),
    );
    const nextPage = nextPageFrom(response.headers, cursor.page, rows.length, perPage);
    let nextCursor: string | null = null;
    const stamps = rows.map((row) => Date.parse(row.updated_at ?? ''));
    const ascending = stamps.every((stamp, index) => index === 0 || stamp >= (stamps[index - 1] as number));
    if (cursor.offset || !ascending) {
      // The server ignored order_by=updated_at (older GitLab): a keyset step would skip issues,
      // so page by offset inside the window for the rest of this scan.
      if (!cursor.offset)
        this.#logger.warn(
          `GitLab ignored order_by=updated_at&sort=asc for project ${this.projectId}; paging by offset for this scan.`,
        );
      if (nextPage !== null && rows.length > 0)
        nextCursor = encodeListCursor({ after: cursor.after, seen: [], page: nextPage, offset: true });
      return this.#page(fresh, nextCursor, query.signal);
    }
    if (nextPage !== null && rows.length > 0) {
      const last = rows[rows.length - 1] as GitLabIssuePayload;
      const lastStamp = last.updated_at ?? '';
      const lastMs = Date.parse(lastStamp);
      if (afterMs === null || lastMs > afterMs) {
        // Keyset step: restart the window at the newest timestamp seen, remembering the ids there.
        const atBoundary = rows.filter((row) => Date.parse(row.updated_at ?? '') === lastMs);
        nextCursor = encodeListCursor({
          after: lastStamp,
          seen: atBoundary.map((row) => row.id),
          page: 1,
          ...(atBoundary.length <= MAX_EXCLUDED_IIDS ? { seenIids: atBoundary.map((row) => row.iid) } : {}),
        });
      } else {
        // A whole page shares the boundary timestamp: page on inside the window, at most maxPages
        // pages (a server answering "more" forever at one timestamp must not loop the caller).
        const maxPages = this.#maxPages;
        if (cursor.page >= maxPages) {
          throw new PageWalkLimitError(
            `gitlab: stopped listing issues after ${cursor.page} page(s) sharing updated_at ${cursor.after ?? lastStamp} (maxPages = ${maxPages}) while GitLab still offered another page. Raise maxPages in the connector config if that many issues really share one timestamp.`,
            { provider: 'gitlab', reason: 'max_pages', pages: cursor.page },
          );
        }
        nextCursor = encodeListCursor({
          after: cursor.after,
          seen: [...seen, ...rows.map((row) => row.id)],
          page: cursor.page + 1,
          ...(cursor.seenIids ? { seenIids: cursor.seenIids } : {}),
        });
      }
    }
    return this.#page(fresh, nextCursor, query.signal);
  }

  /** A listing page: moved originals (closed, `moved_to_id` set) are tombstones, not items. */
  async #page(
    rows: readonly GitLabIssuePayload[],
    nextCursor: string | null,
    signal?: AbortSignal,
  ): Promise<Page<CanonicalIssue>> {
    const observedAt = new Date().toISOString();
    const tombstones: IssueTombstone[] = [];
    const live: GitLabIssuePayload[] = [];
    for (const row of rows) {
      const tombstone = gitLabMovedTombstone(row, this.projectId, observedAt);
      if (tombstone) tombstones.push(tombstone);
      else live.push(row);
    }
    const items = await this.#toCanonical(live, signal);
    return tombstones.length > 0 ? { items, nextCursor, tombstones } : { items, nextCursor };
  }

  /**
   * Tombstones of the refs GitLab says are gone: missing from a bulk `iids[]` listing of the
   * project (deleted: GitLab deletes outright) or closed with `moved_to_id` (moved; `movedTo` is
   * null, GitLab names only the new issue's global id). Live issues are omitted; failures throw.
   */
  async checkGone(
    refs: readonly ExternalRef[],
    options?: { signal?: AbortSignal },
  ): Promise<IssueTombstone[]> {
    return checkGitLabGone(
      {
        workspace: this.projectId,
        listByIids: gitLabBulkRead(this.#http, this.#projectPath),
      },
      refs,
      options?.signal,
    );
  }

  /**
   * The issues `refs` name, each as `getIssue` reads it: the project's listing filtered by
   * `iids[]` (one request per 100 distinct iids), then their links and parents as `getIssue`
   * reads them, batched (`readLinks`: one GraphQL request per 100 issues, REST per issue only
   * where GraphQL cannot answer). Deleted issues, ids that are no iid, and moved originals
   * (`moved_to_id`: `checkGone` reports them) are left out; any failed request throws.
   */
  async getIssues(
    refs: readonly ExternalRef[],
    options?: { signal?: AbortSignal },
  ): Promise<CanonicalIssue[]> {
    // As `getIssue`: the ref's iid in the configured project; an id that is no iid names no issue.
    const iids = [...new Set(refs.map((ref) => ref.id.trim()).filter((iid) => /^\d+$/.test(iid)))].map(
      (iid) => String(Number(iid)),
    );
    const read = gitLabBulkRead(this.#http, this.#projectPath);
    const asked = new Set(iids);
    const rows: GitLabIssuePayload[] = [];
    for (const batch of batchesOf(iids, GITLAB_BULK_READ_MAX)) {
      for (const row of await read(batch, options?.signal)) {
        if (asked.has(String(row.iid)) && typeof row.moved_to_id !== 'number') rows.push(row);
      }
    }
    return this.#toCanonical(rows, options?.signal);
  }

  async getIssue(ref: ExternalRef, options?: { signal?: AbortSignal }): Promise<CanonicalIssue> {
    const [issue] = await this.#toCanonical(
      [await this.#fetchIssue(ref.id, options?.signal)],
      options?.signal,
    );
    return issue as CanonicalIssue;
  }

  /**
   * Canonical issues, with their links and parent when `readLinks` is on: one GraphQL request per
   * 100 issues (`#relationsOf`), so a listing page costs one extra request, not one per issue.
   */
  async #toCanonical(
    payloads: readonly GitLabIssuePayload[],
    signal?: AbortSignal,
  ): Promise<CanonicalIssue[]> {
    for (const payload of payloads) {
      if (payload.project_id !== undefined) this.#numericProjectId ??= payload.project_id;
      const full = payload.references?.full;
      if (this.#fullPath === null && full) this.#fullPath = full.replace(/#\d+$/, '');
    }
    if (!this.#readLinks) return payloads.map((payload) => this.#map(payload));
    const stampOf = (payload: GitLabIssuePayload): number | null => {
      const at = Date.parse(payload.updated_at ?? '');
      return Number.isNaN(at) ? null : at;
    };
    const stale = payloads.filter((payload) => {
      const at = stampOf(payload);
      return at === null || this.#relationCache.get(payload.iid)?.at !== at;
    });
    const staleSet = new Set(stale);
    const relations = new Map<number, ReadRelations>();
    for (const payload of payloads) {
      const cached = this.#relationCache.get(payload.iid);
      if (cached && !staleSet.has(payload)) relations.set(payload.iid, cached);
    }
    if (stale.length > 0) {
      const read = await this.#relationsOf(
        stale.map((payload) => payload.iid),
        signal,
      );
      for (const payload of stale) {
        const found = read.get(payload.iid);
        if (!found) continue;
        relations.set(payload.iid, found);
        this.#remember(payload.iid, { ...found, at: stampOf(payload) });
      }
    }
    return payloads.map((payload) => {
      const read = relations.get(payload.iid);
      return gitLabIssueToCanonical(
        payload,
        this.projectId,
        this.#statusLabels,
        read?.links ?? [],
        read?.parent ?? null,
      );
    });
  }

  /**
   * Links and parents of `iids`: GraphQL `project.workItems(iids:)` in batches of 100 (hierarchy
   * and linked-items widgets). An issue the batch cannot answer in full (more than 100 links, no
   * linked-items widget) has its links read through REST; when GitLab refuses the query itself
   * (an instance without work items), every later read uses REST and parents read as null.
   */
  async #relationsOf(iids: readonly number[], signal?: AbortSignal): Promise<Map<number, ReadRelations>> {
    const answered = new Map<number, GitLabIssueRelations>();
    if (this.#graphqlRelations && this.#fullPath !== null) {
      for (let start = 0; start < iids.length && this.#graphqlRelations; start += RELATIONS_BATCH) {
        const batch = iids.slice(start, start + RELATIONS_BATCH);
        for (const [iid, read] of await this.#relationsBatch(batch, signal)) answered.set(iid, read);
      }
    }
    const missing = iids.filter((iid) => !answered.get(iid)?.links);
    const restLinks = await mapBounded(missing, LINK_READ_CONCURRENCY, (iid) =>
      this.#linksOf(String(iid), signal),
    );
    const result = new Map<number, ReadRelations>();
    for (const iid of iids) {
      const read = answered.get(iid);
      result.set(iid, { parent: read?.parent ?? null, links: read?.links ?? [] });
    }
    missing.forEach((iid, index) => {
      result.set(iid, { parent: answered.get(iid)?.parent ?? null, links: restLinks[index] ?? [] });
    });
    for (const [iid, read] of result) this.#remember(iid, { ...read, at: null });
    return result;
  }

  #remember(iid: number, read: CachedRelations): void {
    this.#relationCache.delete(iid);
    this.#relationCache.set(iid, read);
    if (this.#relationCache.size > RELATION_CACHE_SIZE) {
      const oldest = this.#relationCache.keys().next();
      if (!oldest.done) this.#relationCache.delete(oldest.value);
    }
  }

  /** One GraphQL request for up to 100 iids; an empty map (and REST from now on) when GitLab refuses it. */
  async #relationsBatch(
    iids: readonly number[],
    signal?: AbortSignal,
  ): Promise<Map<number, GitLabIssueRelations>> {
    try {
      const data = await graphqlRequest(this.#http, {
        path: this.#graphqlUrl,
        query: GITLAB_RELATIONS_QUERY,
        variables: { fullPath: this.#fullPath, iids: iids.map(String), first: iids.length },
        schema: gitLabRelationsDataSchema,
        errorLabel: 'GitLab GraphQL error',
        ...(signal ? { signal } : {}),
      });
      if (data.project === null)
        this.#logger.warn(
          `GitLab GraphQL did not find project ${this.#fullPath}; reading links of project ${this.projectId} through REST.`,
        );
      return relationsFromData(data, this.projectId, this.#numericProjectId);
    } catch (error) {
      // A query GitLab cannot run (no `workItems`: an instance older than work items, or a proxy
      // without /api/graphql) is not a read failure: fall back to REST for good. Everything
      // else (authentication, rate limits, outages) fails the read as any request would.
      const refused =
        ConnectorRequestError.isInstance(error) &&
        (error.failureClass === FailureClass.NON_RETRYABLE || isHttpStatus(error, 404));
      if (!refused) throw error;
      this.#graphqlRelations = false;
      this.#logger.warn(
        `GitLab GraphQL cannot read work-item relations (${error.message}); links of project ${this.projectId} are read per issue through REST and parents read as null.`,
      );
      return new Map();
    }
  }

  /** The links of issue `iid`, each seen from it (`blocks` on one side is `is_blocked_by` on the other). */
  async #linksOf(iid: string, signal?: AbortSignal): Promise<CanonicalLink[]> {
    try {
      const response = await this.#http.request({
        method: 'GET',
        path: `${this.#projectPath}/issues/${encodeURIComponent(iid)}/links`,
        schema: gitLabIssueLinkListSchema,
        ...(signal ? { signal } : {}),
      });
      return response.data.map((row) =>
        createLink({
          type: gitLabLinkTypeToCanonical(row.link_type),
          target: gitLabLinkTarget(
            row.project_id === this.#numericProjectId ? this.projectId : String(row.project_id),
            row.iid,
          ),
        }),
      );
    } catch (error) {
      throw this.#notFound(error, iid);
    }
  }

  /**
   * Creates the links of `wanted` (as `projectGitLabLinks` reads them) that issue `ref` lacks,
   * after one read of its relations; returns the links it has afterwards. A shorter list removes nothing.
   */
  async #addMissingLinks(
    ref: ExternalRef,
    current: readonly CanonicalLink[],
    wanted: readonly CanonicalLink[],
  ): Promise<CanonicalLink[]> {
    const links = [...current];
    const keyOf = (link: CanonicalLink) => `${link.type} ${link.target.workspace} ${link.target.id}`;
    const have = new Set(links.map(keyOf));
    for (const link of projectGitLabLinks(wanted, this.projectId)) {
      if (have.has(keyOf(link))) continue;
      await this.upsertLink(ref, link);
      have.add(keyOf(link));
      links.push(link);
    }
    return links;
  }

  async createIssue(issue: CanonicalIssue, options?: WriteOptions): Promise<CanonicalIssue> {
    const description = options?.idempotencyKey
      ? withIdempotencyMarker(issue.body, options.idempotencyKey)
      : issue.body;
    const statusLabel = this.#statusLabels[issue.status];
    const labels =
      statusLabel && !issue.labels.includes(statusLabel) ? [...issue.labels, statusLabel] : issue.labels;
    // Arrays and strings as GitLab's OpenAPI description declares them (GitLab also coerces others).
    const body: Record<string, unknown> = { title: issue.title, labels: [...labels] };
    if (description !== null) body.description = description;
    if (issue.assignees.length > 0)
      body.assignee_ids = await this.#resolveAssignees(issue.assignees, options?.signal);
    const response = await this.#http.request({
      method: 'POST',
      path: `${this.#projectPath}/issues`,
      json: body,
      schema: gitLabIssueSchema,
      ...(options?.signal ? { signal: options.signal } : {}),
    });
    let created = response.data;
    if (statusToGitLabState(issue.status) === 'closed' && created.state !== 'closed') {
      created = await this.#put(String(created.iid), { state_event: 'close' }, options?.signal);
    }
    if (!this.#readLinks) return this.#map(created);
    // Links as `projectGitLabLinks` keeps them. A refused link is logged, never thrown: the issue
    // exists, and a failed create would be answered by `findCreatedIssue` on retry, without links.
    const ref = gitLabLinkTarget(this.projectId, created.iid);
    const written: CanonicalLink[] = [];
    for (const link of projectGitLabLinks(issue.links, this.projectId)) {
      try {
        await this.upsertLink(ref, link);
        written.push(link);
      } catch (error) {
        this.#logger.warn(
          `GitLab issue #${created.iid} was created, but its ${link.type} link to #${link.target.id} failed: ${String(error)}`,
        );
      }
    }
    this.#remember(created.iid, { parent: null, links: written, at: null });
    return cloneIssue(this.#map(created), { links: gitLabLinkOrder(written) });
  }

  async findCreatedIssue(issue: CanonicalIssue, options: WriteOptions): Promise<CanonicalIssue | null> {
    const key = options.idempotencyKey;
    if (!key) return null;
    // Newest first, searched by title; the marker in the description proves it is ours.
    for (let page = 1; page <= FIND_CREATED_MAX_PAGES; page += 1) {
      const response = await this.#listPage(
        {
          state: 'all',
          search: issue.title,
          in: 'title',
          order_by: 'created_at',
          sort: 'desc',
          per_page: String(MAX_PER_PAGE),
          page: String(page),
        },
        options.signal,
      );
      const match = response.data.find((row) => hasCreateMarker(row.description, key));
      if (match) return this.#map(match);
      if (nextPageFrom(response.headers, page, response.data.length, MAX_PER_PAGE) === null) break;
    }
    // Full-text search can miss unusual titles: also check the most recently created issues.
    const recent = await this.#listPage(
      { state: 'all', order_by: 'created_at', sort: 'desc', per_page: String(MAX_PER_PAGE), page: '1' },
      options.signal,
    );
    const match = recent.data.find((row) => hasCreateMarker(row.description, key));
    return match ? this.#map(match) : null;
  }

  /**
   * Fields as `#updateFields`; with `readLinks`, then one read of the issue's relations, the
   * missing links of `patch.links` (a POST per missing one), and its links and parent in the
   * result. A parent is read, never written: a `parent` patch that would change it is refused
   * before any write.
   */
  async updateIssue(ref: ExternalRef, patch: IssuePatch, options?: WriteOptions): Promise<CanonicalIssue> {
    if (this.#readLinks && patch.parent !== undefined) {
      throw new ConnectorRequestError(
        `GitLab connector cannot set the parent of issue #${ref.id} (project ${this.projectId}): it reads the work-item hierarchy but does not write it. Change the parent in GitLab, or let the tracker own the field (ownership policy fieldOwners: { parent: 'external' }).`,
        { failureClass: FailureClass.VALIDATION, provider: GITLAB_SYSTEM },
      );
    }
    const updated = await this.#updateFields(ref, patch, options);
    if (!this.#readLinks) return updated;
    const iid = Number(ref.id);
    const known = patch.links === undefined ? this.#relationCache.get(iid) : undefined;
    const read = known ?? (await this.#relationsOf([iid], options?.signal)).get(iid);
    const links =
      patch.links !== undefined
        ? await this.#addMissingLinks(ref, read?.links ?? [], patch.links)
        : (read?.links ?? []);
    this.#remember(iid, { parent: read?.parent ?? null, links, at: null });
    return cloneIssue(updated, { links: gitLabLinkOrder(links), parent: read?.parent ?? null });
  }

  async #updateFields(ref: ExternalRef, patch: IssuePatch, options?: WriteOptions): Promise<CanonicalIssue> {
    // Stricter than the original HTTP connectors (which ignored unknown keys): PK-001 before any write.
    rejectUnknownPatchKeys(patch, this.name);
    const signal = options?.signal;
    const body: Record<string, unknown> = {};
    if (patch.title !== undefined) body.title = patch.title;
    if (patch.body !== undefined) body.description = patch.body ?? '';
    const statusLabels = statusLabelValues(this.#statusLabels);
    if (patch.labels !== undefined) {
      let labels = [...patch.labels];
      if (statusLabels.length > 0) {
        // Keep the status label: the wanted one, or (status not in the patch) the current one.
        const keep =
          patch.status !== undefined
            ? this.#statusLabels[patch.status]
            : (await this.#fetchIssue(ref.id, signal)).labels?.find((label) => statusLabels.includes(label));
        labels = labels.filter((label) => !statusLabels.includes(label));
        if (keep) labels.push(keep);
      }
      body.labels = labels;
    }
    if (patch.assignees !== undefined)
      body.assignee_ids = await this.#resolveAssignees(patch.assignees, signal);
    const wanted = patch.status === undefined ? null : statusToGitLabState(patch.status);

    if (patch.status !== undefined && patch.labels === undefined && statusLabels.length > 0) {
      // Status labels: read once, then one PUT carrying only what really changes (labels and/or
      // state_event), or none at all.
      const current = await this.#fetchIssue(ref.id, signal);
      const change = this.#statusLabelChange(patch.status);
      const labels = (current.labels ?? []).filter((label) => !change.remove.includes(label));
      if (change.add && !labels.includes(change.add)) labels.push(change.add);
      if (labels.join(',') !== (current.labels ?? []).join(',')) body.labels = labels;
      if (current.state !== wanted) body.state_event = wanted === 'closed' ? 'close' : 'reopen';
      if (Object.keys(body).length === 0) return this.#map(current);
      return this.#map(await this.#put(ref.id, body, signal));
    }

    if (Object.keys(body).length === 0) {
      if (wanted === null) return this.#map(await this.#fetchIssue(ref.id, signal));
      // Status only: read first, so `state_event` is sent only when the state really changes.
      const current = await this.#fetchIssue(ref.id, signal);
      if (current.state === wanted) return this.#map(current);
      return this.#map(
        await this.#put(ref.id, { state_event: wanted === 'closed' ? 'close' : 'reopen' }, signal),
      );
    }
    let updated = await this.#put(ref.id, body, signal);
    if (wanted !== null && updated.state !== wanted) {
      updated = await this.#put(ref.id, { state_event: wanted === 'closed' ? 'close' : 'reopen' }, signal);
    }
    return this.#map(updated);
  }

  /** How `issue` reads back from GitLab, honouring `statusLabels`: see `projectGitLabIssue`. */
  projectIssue(issue: CanonicalIssue): CanonicalIssue {
    return projectGitLabIssue(
      issue,
      this.#statusLabels,
      this.#readLinks ? { ownProject: this.projectId } : null,
    );
  }

  async transitionIssue(ref: ExternalRef, target: CanonicalStatus): Promise<CanonicalIssue> {
    return this.updateIssue(ref, { status: target });
  }

  async upsertLink(ref: ExternalRef, link: CanonicalLink): Promise<void> {
    try {
      await this.#http.request({
        method: 'POST',
        path: `${this.#projectPath}/issues/${encodeURIComponent(ref.id)}/links`,
        json: {
          target_project_id: linkTargetProject(link.target, this.projectId),
          target_issue_iid: String(link.target.id).trim(),
          link_type: linkTypeToGitLab(link.type),
        },
      });
    } catch (error) {
      // 409 "Issue(s) already assigned": the link exists, which is what an upsert wants.
      if (isHttpStatus(error, 409)) return;
      throw this.#notFound(error, ref.id);
    }
  }

  async addComment(ref: ExternalRef, body: string): Promise<void> {
    try {
      await this.#http.request({
        method: 'POST',
        path: `${this.#projectPath}/issues/${encodeURIComponent(ref.id)}/notes`,
        json: { body },
      });
    } catch (error) {
      throw this.#notFound(error, ref.id);
    }
  }

  async listEvents(): Promise<EventsPage> {
    return { events: [], checkpoint: null };
  }

  #map(payload: GitLabIssuePayload): CanonicalIssue {
    return gitLabIssueToCanonical(payload, this.projectId, this.#statusLabels);
  }

  /** The status label to carry for `status` plus the other configured ones to drop. */
  #statusLabelChange(status: CanonicalStatus): { add: string | null; remove: string[] } {
    const add = this.#statusLabels[status] ?? null;
    return { add, remove: statusLabelValues(this.#statusLabels).filter((label) => label !== add) };
  }

  #windowStart(since: Date): string {
    return new Date(since.getTime() - this.#overlapMs).toISOString();
  }

  async #listPage(query: Record<string, string | string[]>, signal?: AbortSignal) {
    return this.#http.request({
      method: 'GET',
      path: `${this.#projectPath}/issues`,
      query,
      schema: gitLabIssueListSchema,
      ...(signal ? { signal } : {}),
    });
  }

  async #fetchIssue(iid: string, signal?: AbortSignal): Promise<GitLabIssuePayload> {
    if (!/^\d+$/.test(iid.trim())) {
      // Not an iid (e.g. a local draft's id): no GitLab issue can have it, so no request is sent.
      throw new IssueNotFoundError(
        `GitLab issue ref id must be an issue iid, got '${iid}' (project ${this.projectId}); use the ref returned by the connector.`,
      );
    }
    try {
      const response = await this.#http.request({
        method: 'GET',
        path: `${this.#projectPath}/issues/${encodeURIComponent(iid)}`,
        schema: gitLabIssueSchema,
        ...(signal ? { signal } : {}),
      });
      return response.data;
    } catch (error) {
      throw this.#notFound(error, iid);
    }
  }

  async #put(iid: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<GitLabIssuePayload> {
    try {
      const response = await this.#http.request({
        method: 'PUT',
        path: `${this.#projectPath}/issues/${encodeURIComponent(iid)}`,
        json: body,
        schema: gitLabIssueSchema,
        ...(signal ? { signal } : {}),
      });
      return response.data;
    } catch (error) {
      throw this.#notFound(error, iid);
    }
  }

  #notFound(error: unknown, iid: string): unknown {
    if (isHttpStatus(error, 404)) {
      return new IssueNotFoundError(
        `GitLab issue #${iid} not found in project ${this.projectId} (HTTP 404). Check the iid and that the token can read the project.`,
        { cause: error },
      );
    }
    return error;
  }

  /** Usernames → user ids via `GET /users?username=` (cached per connector). Numeric strings are ids. */
  async #resolveAssignees(assignees: readonly string[], signal?: AbortSignal): Promise<number[]> {
    const ids: number[] = [];
    for (const assignee of assignees) {
      const name = assignee.trim().replace(/^@/, '');
      if (/^\d+$/.test(name)) {
        ids.push(Number(name));
        continue;
      }
      let id = this.#userIds.get(name.toLowerCase());
      if (id === undefined) {
        const response = await this.#http.request({
          method: 'GET',
          path: 'users',
          query: { username: name },
          schema: gitLabUserListSchema,
          ...(signal ? { signal } : {}),
        });
        const user = response.data.find(
          (candidate) => candidate.username.toLowerCase() === name.toLowerCase(),
        );
        if (!user) {
          throw new ConnectorRequestError(
            `GitLab user "${name}" not found; assignees must be GitLab usernames (or numeric user ids) of users who exist on this instance.`,
            { failureClass: FailureClass.VALIDATION, provider: GITLAB_SYSTEM },
          );
        }
        id = user.id;
        this.#userIds.set(name.toLowerCase(), id);
      }
      if (!ids.includes(id)) ids.push(id);
    }
    return ids;
  }
}

export type { GitLabIssuePayload };
