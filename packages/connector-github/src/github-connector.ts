import {
  type CanonicalIssue,
  type CanonicalLink,
  type CanonicalStatus,
  CapabilityNotSupportedError,
  ConnectorRequestError,
  type ConnectorRuntime,
  capabilities,
  createCheckpoint,
  createLink,
  type EventsPage,
  type ExternalRef,
  type HttpClient,
  IssueNotFoundError,
  type IssuePatch,
  IssuePayloadContractError,
  type IssueTombstone,
  LinkType,
  type ListEventsQuery,
  type ListIssuesQuery,
  type Logger,
  type Page,
  refIdentity,
  rejectUnknownPatchKeys,
  silentLogger,
  type TrackerCapabilities,
  type TrackerConnector,
  type TrackerEvent,
  TrackerEventType,
  type WriteOptions,
} from '@spec-kitty/core';
import {
  abortableSleep,
  createHttpClient,
  createOpaqueCursorCodec,
  createPageWalk,
  formatIssuePath,
  type HttpRequestOptions,
  type HttpResponse,
  hasIdempotencyMarker,
  idempotencyKeysIn,
  isHttpStatus,
  legacyPageNumber,
  mapBounded,
  PageWalkLimitError,
  withIdempotencyMarker,
} from '@spec-kitty/core/http';
import * as v from 'valibot';
import {
  type GitHubIssuePayload,
  githubIssueEventSchema,
  githubIssueSchema,
  githubListSchema,
} from './github-api-schemas';
import {
  type GitHubConnectorConfig,
  type GitHubConnectorConfigInput,
  parseGitHubConfig,
} from './github-config';
import { checkGitHubGone } from './github-gone';
import {
  GITHUB_SYSTEM,
  githubIssueToCanonical,
  githubRef,
  parseGitHubDate,
  parseIssueApiUrl,
  projectGitHubIssue,
  projectGitHubLinks,
  relationCounts,
  statusToGitHubState,
  workspaceOf,
} from './github-mapping';
import { pageSignal } from './github-pagination';
import { GitHubRelationCache } from './github-relation-cache';
import { PACKAGE_ID } from './version';

/** The REST API version sent as `X-GitHub-Api-Version`. */
export const GITHUB_API_VERSION = '2022-11-28';
const MAX_PER_PAGE = 100;
/** How many newest-created pages `findCreatedIssue` scans for a marker. */
const FIND_CREATED_MAX_PAGES = 3;
const ETAG_CACHE_SIZE = 32;
/** Relation reads (sub-issues, dependencies) in flight at once while mapping a page. */
const RELATION_READ_CONCURRENCY = 4;

/** Runtime options of `new GitHubConnector(config, options)`: core's `ConnectorRuntime` plus a ready client. */
export interface GitHubConnectorOptions extends ConnectorRuntime {
  /** A ready HTTP client (tests, hosts with their own transport); otherwise one is built from `fetch`. */
  http?: HttpClient;
}

/** Opaque `listIssues` cursor: a keyset position (updated_at watermark + ids already emitted there). */
interface ScanCursor {
  /** `since` sent to GitHub (ISO), or null for the start of a full scan. */
  s: string | null;
  /** Page within the same `since` (only >1 when more than a page of rows share one timestamp). */
  p: number;
  /** Ids already emitted whose `updated_at` equals `s`. */
  b: number[];
  /** `per_page` of the request that produced this position (kept while paging within one `since`). */
  n?: number;
}

const scanCursors = createOpaqueCursorCodec<ScanCursor | number>({
  trackerName: 'GitHub',
  provider: GITHUB_SYSTEM,
  prefix: 'gh1.',
  parse: (data) => {
    const parsed = data as Partial<ScanCursor> | null;
    const valid =
      typeof parsed === 'object' &&
      parsed !== null &&
      (parsed.s === null || typeof parsed.s === 'string') &&
      Number.isInteger(parsed.p) &&
      (parsed.p as number) >= 1 &&
      Array.isArray(parsed.b) &&
      parsed.b.every((id) => Number.isInteger(id)) &&
      (parsed.n === undefined || (Number.isInteger(parsed.n) && parsed.n >= 1 && parsed.n <= MAX_PER_PAGE));
    return valid ? (parsed as ScanCursor) : undefined;
  },
  // Page-number cursors of the original ("2") are still accepted.
  legacy: (raw) => legacyPageNumber(raw) ?? undefined,
});

function isAmbiguousWriteFailure(error: unknown): boolean {
  // No status = the request may have reached GitHub (reset, timeout); 5xx may have been applied too.
  if (!ConnectorRequestError.isInstance(error)) return false;
  return error.statusCode === null || error.statusCode >= 500;
}

function formatIssueProblem(issue: v.BaseIssue<unknown>): string {
  return `${formatIssuePath(issue)}: expected ${issue.expected ?? 'a valid value'} but received ${issue.received}`;
}

interface CachedGet {
  etag: string;
  data: unknown;
  link: string | null;
}

/** Link types `upsertLink` can write (sub-issues and issue dependencies). */
const SUPPORTED_LINK_TYPES = [
  LinkType.PARENT_OF,
  LinkType.CHILD_OF,
  LinkType.BLOCKS,
  LinkType.BLOCKED_BY,
] as const;

/**
 * GitHub Issues over REST v3 (`/repos/{owner}/{repo}/issues…`), the original's behaviour plus:
 * keyset pagination on `updated_at` (ascending, `since` + overlap, boundary de-duplication) driven
 * by the `Link` header with a short-page fallback; conditional requests (ETag → 304); sub-issues as
 * parent/child links; issue dependencies as blocks/blocked_by links; `state_reason` ↔ done/canceled; create-if-absent through a hidden marker.
 */
export class GitHubConnector implements TrackerConnector {
  readonly name = GITHUB_SYSTEM;
  readonly config: Readonly<Omit<GitHubConnectorConfig, 'token'>>;
  readonly workspace: string;
  readonly #http: HttpClient;
  readonly #repoPath: string;
  readonly #etags = new Map<string, CachedGet>();
  /** Idempotency keys whose create failed ambiguously in this process: check before retrying. */
  readonly #ambiguousCreates = new Set<string>();
  /** Idempotency keys seen in created bodies -> issue number (see `#findCreatedPayload`). */
  #markerIndex: { builtAt: number; numbers: Map<string, number> } | null = null;
  #lastWriteAt: number | null = null;
  readonly #relations = new GitHubRelationCache();
  readonly #logger: Logger;

  constructor(config: GitHubConnectorConfigInput, runtime: GitHubConnectorOptions = {}) {
    const resolved = parseGitHubConfig(config);
    const { token, ...publicConfig } = resolved;
    this.config = Object.freeze(publicConfig);
    this.workspace = workspaceOf(resolved.owner, resolved.repo);
    this.#logger = runtime.logger ?? silentLogger;
    this.#repoPath = `/repos/${encodeURIComponent(resolved.owner)}/${encodeURIComponent(resolved.repo)}`;
    this.#http =
      runtime.http ??
      createHttpClient({
        baseUrl: resolved.baseUrl,
        provider: GITHUB_SYSTEM,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/vnd.github+json',
          'X-GitHub-Api-Version': GITHUB_API_VERSION,
        },
        secrets: [token],
        ...(runtime.fetch ? { fetch: runtime.fetch } : {}),
        ...(runtime.logger ? { logger: runtime.logger } : {}),
        ...(resolved.timeoutMs !== undefined ? { timeoutMs: resolved.timeoutMs } : {}),
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
      supportsMultiAssignee: true,
      supportsSprintsOrCycles: true,
      supportsBulkRead: true,
      supportsBulkWrite: false,
      supportsDelete: false,
      supportsAssignment: true,
      supportsTerminalTransition: true,
      maxPageSize: MAX_PER_PAGE,
      reportsDeletions: true,
    });
  }

  // ------------------------------------------------------------------ reads

  async listIssues(query: ListIssuesQuery): Promise<Page<CanonicalIssue>> {
    const limit = Math.max(1, Math.min(Math.trunc(query.limit) || 1, MAX_PER_PAGE));
    const decoded = query.cursor === null || query.cursor === '' ? null : scanCursors.decode(query.cursor);
    const labels = labelFilter(query.filters?.labels);
    const initialSince =
      query.updatedSince === null
        ? null
        : new Date(query.updatedSince.getTime() - this.config.overlapSeconds * 1000);
    const scan: ScanCursor =
      typeof decoded === 'number'
        ? { s: initialSince ? githubIso(initialSince) : null, p: decoded, b: [] }
        : (decoded ?? { s: initialSince ? githubIso(initialSince) : null, p: 1, b: [] });
    // The inclusive `since` repeats the boundary rows already emitted: ask for that many more so a
    // page still yields `limit` new rows. Paging within one `since` must keep the same page size.
    const perPage =
      scan.p > 1 && scan.n !== undefined ? scan.n : Math.min(limit + scan.b.length, MAX_PER_PAGE);
    const { rows, headers } = await this.#getList(
      `${this.#repoPath}/issues`,
      {
        state: 'all',
        sort: 'updated',
        direction: 'asc',
        per_page: perPage,
        ...(scan.p > 1 ? { page: scan.p } : {}),
        ...(scan.s !== null ? { since: scan.s } : {}),
        ...(labels.length > 0 ? { labels: labels.join(',') } : {}),
      },
      query.signal,
      // Only a scan's first page is worth an ETag: it is what an unchanged poll repeats.
      query.cursor === null,
    );
    const boundary = new Set(scan.b);
    const payloads: GitHubIssuePayload[] = [];
    for (const [index, row] of rows.entries()) {
      if (typeof row !== 'object' || row === null || 'pull_request' in row) continue;
      const payload = this.#parseIssue(row, `[${index}]`);
      if (atBoundary(payload.updated_at, scan.s) && boundary.has(payload.id)) continue;
      payloads.push(payload);
    }
    const items = await this.#toCanonical(payloads, this.workspace, query.signal);
    const signal = pageSignal(headers, rows.length, perPage);
    if (!signal.hasNext) return { items, nextCursor: null };
    if (typeof decoded === 'number') return { items, nextCursor: String(decoded + 1) };
    const next = nextScan(scan, rows, perPage, this.config.maxPages);
    if (next.p > this.config.maxPages) {
      // Paging within one `since` only happens while whole pages share a timestamp; a server that
      // answers "more" forever there must not loop the caller.
      throw new PageWalkLimitError(
        `github: stopped listing issues after ${scan.p} page(s) at one updated_at (maxPages = ${this.config.maxPages}) while GitHub still offered another page. Raise maxPages in the connector config if that many issues really share one timestamp.`,
        { provider: GITHUB_SYSTEM, reason: 'max_pages', pages: scan.p },
      );
    }
    return { items, nextCursor: scanCursors.encode(next) };
  }

  async getIssue(ref: ExternalRef, options?: { signal?: AbortSignal }): Promise<CanonicalIssue> {
    const payload = await this.#fetchIssue(ref, options?.signal);
    const [issue] = await this.#toCanonical([payload], this.#workspaceOf(ref), options?.signal);
    return issue as CanonicalIssue;
  }

  /**
   * Tombstones of the refs GitHub says are gone: deleted (410, or 404 while the repository still
   * answers) or transferred (the 301 lands on another repository: moved, with `movedTo`).
   * Other failures throw. Listings cannot see deletions, so pages carry no tombstones.
   */
  async checkGone(
    refs: readonly ExternalRef[],
    options?: { signal?: AbortSignal },
  ): Promise<IssueTombstone[]> {
    return checkGitHubGone(
      {
        get: async (path, query, signal) =>
          (await this.#http.request<unknown>({ method: 'GET', path, query, ...(signal ? { signal } : {}) }))
            .data,
        issuePath: (ref) => this.#issuePath(ref),
        workspaceOf: (ref) => this.#workspaceOf(ref),
      },
      refs,
      options?.signal,
    );
  }

  /** How `issue` reads back from GitHub (open/closed only, no priority): see `projectGitHubIssue`. */
  projectIssue(issue: CanonicalIssue): CanonicalIssue {
    return projectGitHubIssue(issue);
  }

  /**
   * Finds an issue this connector created with `options.idempotencyKey` (a hidden marker in its
   * body) among the newest-created issues, so an ambiguous create is never repeated blindly.
   */
  async findCreatedIssue(_issue: CanonicalIssue, options: WriteOptions): Promise<CanonicalIssue | null> {
    const key = options.idempotencyKey;
    if (!key) return null;
    const payload = await this.#findCreatedPayload(key, options.signal);
    if (payload === null) return null;
    const [issue] = await this.#toCanonical([payload], this.workspace, options.signal);
    return issue ?? null;
  }

  /**
   * The issue carrying `key`'s marker, or null. The first lookup scans the newest-created issues
   * (up to 3 pages of 100) and indexes every marker it sees; for `markerIndexTtlSeconds` later
   * lookups use the index (this connector adds its own creates to it), so a bulk push costs one
   * scan instead of one per issue. A key whose create failed ambiguously always forces a rescan.
   */
  async #findCreatedPayload(key: string, signal?: AbortSignal): Promise<GitHubIssuePayload | null> {
    const index = this.#markerIndex;
    const fresh = index !== null && Date.now() - index.builtAt < this.config.markerIndexTtlSeconds * 1000;
    if (fresh && !this.#ambiguousCreates.has(key)) {
      const number = index.numbers.get(key);
      if (number === undefined) return null;
      const payload = await this.#fetchIssueOrNull(number, signal);
      if (payload !== null && hasIdempotencyMarker(payload.body, key)) return payload;
    }
    return this.#scanMarkers(key, signal);
  }

  async #scanMarkers(key: string, signal?: AbortSignal): Promise<GitHubIssuePayload | null> {
    const numbers = new Map<string, number>();
    let found: GitHubIssuePayload | null = null;
    for (let page = 1; page <= FIND_CREATED_MAX_PAGES; page += 1) {
      const { rows, headers } = await this.#getList(
        `${this.#repoPath}/issues`,
        {
          state: 'all',
          sort: 'created',
          direction: 'desc',
          per_page: MAX_PER_PAGE,
          ...(page > 1 ? { page } : {}),
        },
        signal,
        page === 1,
      );
      for (const [index, row] of rows.entries()) {
        if (typeof row !== 'object' || row === null || 'pull_request' in row) continue;
        const { body, number } = row as { body?: unknown; number?: unknown };
        if (typeof body !== 'string' || typeof number !== 'number') continue;
        for (const marked of idempotencyKeysIn(body)) if (!numbers.has(marked)) numbers.set(marked, number);
        if (found === null && hasIdempotencyMarker(body, key)) found = this.#parseIssue(row, `[${index}]`);
      }
      if (!pageSignal(headers, rows.length, MAX_PER_PAGE).hasNext) break;
    }
    this.#markerIndex = { builtAt: Date.now(), numbers };
    return found;
  }

  async #fetchIssueOrNull(number: number, signal?: AbortSignal): Promise<GitHubIssuePayload | null> {
    try {
      return await this.#fetchIssue(githubRef(this.workspace, number, null), signal);
    } catch (error) {
      if (IssueNotFoundError.isInstance(error)) return null;
      throw error;
    }
  }

  // ------------------------------------------------------------------ writes

  async createIssue(issue: CanonicalIssue, options: WriteOptions = {}): Promise<CanonicalIssue> {
    const key = options.idempotencyKey;
    let created: GitHubIssuePayload | null = null;
    if (key && this.#ambiguousCreates.has(key)) {
      // An earlier attempt may have been applied: find it instead of creating a duplicate.
      created = await this.#findCreatedPayload(key, options.signal);
    }
    if (created === null) {
      const body = key ? withIdempotencyMarker(issue.body, key) : issue.body;
      try {
        const response = await this.#write({
          method: 'POST',
          path: `${this.#repoPath}/issues`,
          json: {
            title: issue.title,
            ...(body !== null ? { body } : {}),
            labels: [...issue.labels],
            assignees: [...issue.assignees],
          },
          schema: githubIssueSchema,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        created = response.data;
      } catch (error) {
        if (key && isAmbiguousWriteFailure(error)) this.#ambiguousCreates.add(key);
        throw error;
      }
    }
    try {
      // Follow-ups GitHub's create endpoint cannot do; each is skipped when already true.
      const ref = githubRef(this.workspace, created.number, created.html_url);
      const state = statusToGitHubState(issue.status);
      if (
        state.state === 'closed' &&
        (created.state !== 'closed' || created.state_reason !== state.state_reason)
      ) {
        created = await this.#patch(ref, { ...state }, options.signal);
      }
      if (issue.parent && (await this.#setParent(ref, created, issue.parent, options.signal))) {
        created = await this.#fetchIssue(ref, options.signal);
      }
    } catch (error) {
      // The issue exists: a retry with the same key must find it, not create another one.
      if (key) this.#ambiguousCreates.add(key);
      throw error;
    }
    if (key) {
      this.#ambiguousCreates.delete(key);
      this.#markerIndex?.numbers.set(key, created.number);
    }
    const ref = githubRef(this.workspace, created.number, created.html_url);
    if (await this.#writeCreatedLinks(ref, issue.links, options.signal))
      created = await this.#fetchIssue(ref, options.signal);
    const [result] = await this.#toCanonical([created], this.workspace, options.signal);
    return result as CanonicalIssue;
  }

  /**
   * Links of a just-created issue, as `projectGitHubLinks` keeps them; true when any was written.
   * A refused link is logged, never thrown: the issue exists, and a failed create would be
   * answered by `findCreatedIssue` on retry, without its links.
   */
  async #writeCreatedLinks(
    ref: ExternalRef,
    links: readonly CanonicalLink[],
    signal?: AbortSignal,
  ): Promise<boolean> {
    let written = false;
    for (const link of projectGitHubLinks(links)) {
      signal?.throwIfAborted();
      try {
        await this.upsertLink(ref, link);
        written = true;
      } catch (error) {
        this.#logger.warn(
          `GitHub issue ${refIdentity(ref)} was created, but its ${link.type} link to ${refIdentity(link.target)} failed: ${String(error)}`,
        );
      }
    }
    return written;
  }

  async updateIssue(
    ref: ExternalRef,
    patch: IssuePatch,
    options: WriteOptions = {},
  ): Promise<CanonicalIssue> {
    rejectUnknownPatchKeys(patch, GITHUB_SYSTEM);
    const payload: Record<string, unknown> = {};
    if (patch.title !== undefined) payload.title = patch.title;
    if (patch.body !== undefined) payload.body = patch.body;
    if (patch.labels !== undefined) payload.labels = [...patch.labels];
    if (patch.assignees !== undefined) payload.assignees = [...patch.assignees];
    if (patch.status !== undefined) Object.assign(payload, statusToGitHubState(patch.status));
    let result: GitHubIssuePayload | null = null;
    if (Object.keys(payload).length > 0) result = await this.#patch(ref, payload, options.signal);
    if (patch.parent !== undefined) {
      const current = result ?? (await this.#fetchIssue(ref, options.signal));
      const changed = await this.#setParent(ref, current, patch.parent, options.signal);
      if (changed) result = await this.#fetchIssue(ref, options.signal);
      else result = current;
    }
    if (patch.links !== undefined) {
      const current = result ?? (await this.#fetchIssue(ref, options.signal));
      const changed = await this.#addMissingLinks(ref, current, patch.links, options.signal);
      result = changed ? await this.#fetchIssue(ref, options.signal) : current;
    }
    if (result === null) return this.getIssue(ref, options);
    const [issue] = await this.#toCanonical([result], this.#workspaceOf(ref), options.signal);
    return issue as CanonicalIssue;
  }

  /**
   * Writes the links of `wanted` GitHub holds (`projectGitHubLinks`) that `ref` lacks, after one
   * read of its relations; true when something was written. A shorter list removes nothing.
   */
  async #addMissingLinks(
    ref: ExternalRef,
    payload: GitHubIssuePayload,
    wanted: readonly CanonicalLink[],
    signal?: AbortSignal,
  ): Promise<boolean> {
    const links = projectGitHubLinks(wanted);
    if (links.length === 0) return false;
    const workspace = this.#workspaceOf(ref);
    const keyOf = (link: CanonicalLink) => `${link.type} ${this.#workspaceOf(link.target)} ${link.target.id}`;
    const current = await this.#relationsOf(payload, workspace, signal);
    const have = new Set(current.map(keyOf));
    let changed = false;
    for (const link of links) {
      if (have.has(keyOf(link))) continue;
      await this.upsertLink(ref, link);
      have.add(keyOf(link));
      changed = true;
    }
    return changed;
  }

  /**
   * Canonical issues with their links. The listing only counts an issue's sub-issues and
   * dependencies, so each issue that has any costs one paged read per kind it has (sub-issues,
   * blocked by, blocking), at most `RELATION_READ_CONCURRENCY` at a time; issues without
   * relations (most) cost nothing extra. An issue listed again at the `updated_at` and counts its
   * relations were last read at (the overlap window of an incremental pull) costs nothing either.
   */
  async #toCanonical(
    payloads: readonly GitHubIssuePayload[],
    workspace: string,
    signal?: AbortSignal,
  ): Promise<CanonicalIssue[]> {
    const links = await mapBounded(payloads, RELATION_READ_CONCURRENCY, async (payload) => {
      const known = this.#relations.get(workspace, payload);
      if (known !== undefined) return [...known];
      const read = await this.#relationsOf(payload, workspace, signal);
      if (read.length > 0 && payload.updated_at) this.#relations.set(workspace, payload, read);
      return read;
    });
    return payloads.map((payload, index) => githubIssueToCanonical(payload, workspace, links[index]));
  }

  /** Sub-issues (`parent_of`), blockers (`blocked_by`) and blocked issues (`blocks`) of one issue. */
  async #relationsOf(
    payload: GitHubIssuePayload,
    workspace: string,
    signal?: AbortSignal,
  ): Promise<CanonicalLink[]> {
    const counts = relationCounts(payload);
    const path = this.#issuePath(githubRef(workspace, payload.number, null));
    const kinds: [number, string, LinkType][] = [
      [counts.children, `${path}/sub_issues`, LinkType.PARENT_OF],
      [counts.blockedBy, `${path}/dependencies/blocked_by`, LinkType.BLOCKED_BY],
      [counts.blocking, `${path}/dependencies/blocking`, LinkType.BLOCKS],
    ];
    const links: CanonicalLink[] = [];
    for (const [count, listPath, type] of kinds) {
      if (count <= 0) continue;
      for (const [index, row] of (await this.#walkList(listPath, signal)).entries()) {
        const target = this.#parseIssue(row, `[${index}]`);
        const targetWorkspace = parseIssueApiUrl(target.url)?.workspace ?? workspace;
        links.push(createLink({ type, target: githubRef(targetWorkspace, target.number, target.html_url) }));
      }
    }
    return links;
  }

  /** Every row of a paged list endpoint (100 a page, at most `maxPages` pages). */
  async #walkList(path: string, signal?: AbortSignal): Promise<unknown[]> {
    const walk = createPageWalk({ provider: GITHUB_SYSTEM, what: path, maxPages: this.config.maxPages });
    const all: unknown[] = [];
    for (let page = 1; ; page += 1) {
      const { rows, headers } = await this.#getList(
        path,
        { per_page: MAX_PER_PAGE, ...(page > 1 ? { page } : {}) },
        signal,
        false,
      );
      all.push(...rows);
      const more = pageSignal(headers, rows.length, MAX_PER_PAGE);
      if (!more.hasNext) return all;
      walk.next(more.nextUrl ?? `page=${page + 1}`);
    }
  }

  async transitionIssue(ref: ExternalRef, target: CanonicalStatus): Promise<CanonicalIssue> {
    return this.updateIssue(
      ref,
      { status: target },
      { idempotencyKey: `transition:${refIdentity(ref)}:${target}` },
    );
  }

  /**
   * Sub-issues: `parent_of` (ref is the parent of target) and `child_of` (ref is a child of target).
   * Issue dependencies: `blocked_by` (ref is blocked by target) and `blocks` (ref blocks target).
   * Upserting a link that already exists costs reads only, never a second write.
   * Other link types (`relates_to`, `duplicates`, …) have no GitHub REST equivalent.
   */
  async upsertLink(ref: ExternalRef, link: CanonicalLink): Promise<void> {
    if (link.type === LinkType.PARENT_OF) {
      const child = await this.#fetchIssue(link.target);
      await this.#setParent(link.target, child, ref);
      return;
    }
    if (link.type === LinkType.CHILD_OF) {
      const child = await this.#fetchIssue(ref);
      await this.#setParent(ref, child, link.target);
      return;
    }
    if (link.type === LinkType.BLOCKED_BY) {
      await this.#addBlockedBy(ref, link.target);
      return;
    }
    if (link.type === LinkType.BLOCKS) {
      await this.#addBlockedBy(link.target, ref);
      return;
    }
    throw new CapabilityNotSupportedError(
      `GitHub connector cannot upsert a "${link.type}" link: only ${SUPPORTED_LINK_TYPES.join(', ')} are supported ` +
        '(parent_of/child_of as GitHub sub-issues, blocks/blocked_by as GitHub issue dependencies). ' +
        'Record other relations in the issue body or a comment instead.',
      { capability: 'links' },
    );
  }

  /**
   * Records that `blockedRef` is blocked by `blockerRef` (POST …/dependencies/blocked_by on the
   * blocked issue with the blocker's numeric issue id). Reads the existing blockers first and
   * writes nothing when the dependency is already there. Returns false when nothing had to change.
   */
  async #addBlockedBy(
    blockedRef: ExternalRef,
    blockerRef: ExternalRef,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const blocker = await this.#fetchIssue(blockerRef, signal);
    const path = `${this.#issuePath(blockedRef)}/dependencies/blocked_by`;
    const walk = createPageWalk({
      provider: GITHUB_SYSTEM,
      what: `the blockers of ${refIdentity(blockedRef)}`,
      maxPages: this.config.maxPages,
    });
    try {
      for (let page = 1; ; page += 1) {
        const { rows, headers } = await this.#getList(
          path,
          { per_page: MAX_PER_PAGE, ...(page > 1 ? { page } : {}) },
          signal,
          false,
        );
        for (const row of rows) {
          if (typeof row === 'object' && row !== null && (row as { id?: unknown }).id === blocker.id)
            return false;
        }
        const more = pageSignal(headers, rows.length, MAX_PER_PAGE);
        if (!more.hasNext) break;
        walk.next(more.nextUrl ?? `page=${page + 1}`);
      }
      await this.#write({
        method: 'POST',
        path,
        json: { issue_id: blocker.id },
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (isHttpStatus(error, 404)) {
        throw new IssueNotFoundError(
          `GitHub issue not found while linking ${refIdentity(blockedRef)} blocked by ${refIdentity(blockerRef)}`,
          { cause: error },
        );
      }
      throw error;
    }
    return true;
  }

  async addComment(ref: ExternalRef, body: string): Promise<void> {
    try {
      await this.#write({
        method: 'POST',
        path: `${this.#issuePath(ref)}/comments`,
        json: { body },
      });
    } catch (error) {
      if (isHttpStatus(error, 404)) {
        throw new IssueNotFoundError(`GitHub issue not found: ${refIdentity(ref)} (cannot add a comment)`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /** Issue events (`/issues/events`), newest first, page-number checkpoints like the original. */
  async listEvents(query: ListEventsQuery): Promise<EventsPage> {
    const perPage = Math.max(1, Math.min(Math.trunc(query.limit) || 1, MAX_PER_PAGE));
    const cursor = query.cursor?.cursor ?? null;
    const page = (cursor ? legacyPageNumber(cursor) : null) ?? 1;
    const { rows, headers } = await this.#getList(
      `${this.#repoPath}/issues/events`,
      { per_page: perPage, ...(page > 1 ? { page } : {}) },
      query.signal,
      page === 1,
    );
    const events: TrackerEvent[] = [];
    for (const [index, row] of rows.entries()) {
      if (typeof row !== 'object' || row === null) continue;
      const parsed = v.safeParse(githubIssueEventSchema, row);
      if (!parsed.success) throw this.#contractError(parsed.issues, `events[${index}]`);
      const item = parsed.output;
      const number = item.issue?.number;
      if (number === null || number === undefined) continue;
      events.push({
        eventId: String(item.id),
        eventType: TrackerEventType.UPDATED,
        issueRef: githubRef(this.workspace, number, item.issue?.html_url),
        timestamp: parseGitHubDate(item.created_at) ?? new Date(),
        payload: JSON.parse(JSON.stringify(item)) as TrackerEvent['payload'],
      });
    }
    const signal = pageSignal(headers, rows.length, perPage);
    return { events, checkpoint: createCheckpoint({ cursor: signal.hasNext ? String(page + 1) : null }) };
  }

  async close(): Promise<void> {
    this.#etags.clear();
  }

  // ------------------------------------------------------------------ helpers

  #workspaceOf(ref: ExternalRef): string {
    return ref.workspace.includes('/') ? ref.workspace : this.workspace;
  }

  #issuePath(ref: ExternalRef): string {
    const number = ref.id.trim();
    if (!/^\d+$/.test(number)) {
      throw new IssueNotFoundError(
        `GitHub issue ref id must be an issue number, got '${ref.id}' (${refIdentity(ref)}); use the ref returned by the connector.`,
      );
    }
    const workspace = this.#workspaceOf(ref);
    if (workspace === this.workspace) return `${this.#repoPath}/issues/${number}`;
    const [owner, repo] = workspace.split('/');
    return `/repos/${encodeURIComponent(owner ?? '')}/${encodeURIComponent(repo ?? '')}/issues/${number}`;
  }

  #contractError(issues: readonly v.BaseIssue<unknown>[], prefix: string): IssuePayloadContractError {
    const [first] = issues;
    const detail = first ? formatIssueProblem(first) : 'invalid payload';
    const path = first ? formatIssuePath(first, prefix) : prefix;
    return new IssuePayloadContractError(`Unexpected GitHub payload at ${prefix}: ${detail}`, {
      provider: GITHUB_SYSTEM,
      kind: 'response',
      fieldPath: path,
      reason: 'HTTP-002',
    });
  }

  #parseIssue(row: unknown, where: string): GitHubIssuePayload {
    const parsed = v.safeParse(githubIssueSchema, row);
    if (!parsed.success) throw this.#contractError(parsed.issues, `issues${where}`);
    return parsed.output;
  }

  async #fetchIssue(ref: ExternalRef, signal?: AbortSignal): Promise<GitHubIssuePayload> {
    const path = this.#issuePath(ref);
    try {
      const { data } = await this.#conditionalGet(path, {}, signal);
      return this.#parseIssue(data, '');
    } catch (error) {
      if (isHttpStatus(error, 404)) {
        throw new IssueNotFoundError(
          `GitHub issue not found: ${refIdentity(ref)} (GET ${path} returned 404; check the number and that the token can read the repository)`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async #patch(
    ref: ExternalRef,
    payload: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<GitHubIssuePayload> {
    try {
      const response = await this.#write({
        method: 'PATCH',
        path: this.#issuePath(ref),
        json: payload,
        schema: githubIssueSchema,
        ...(signal ? { signal } : {}),
      });
      return response.data;
    } catch (error) {
      if (isHttpStatus(error, 404)) {
        throw new IssueNotFoundError(`GitHub issue not found: ${refIdentity(ref)}`, { cause: error });
      }
      throw error;
    }
  }

  /**
   * Makes `childRef` a sub-issue of `parentRef` (or detaches it when `parentRef` is null).
   * Returns false when nothing had to change.
   */
  async #setParent(
    childRef: ExternalRef,
    child: GitHubIssuePayload,
    parentRef: ExternalRef | null,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const current = parseIssueApiUrl(child.parent_issue_url);
    if (parentRef === null) {
      if (current === null) return false;
      const parentPath = `/repos/${current.workspace.split('/').map(encodeURIComponent).join('/')}/issues/${current.number}`;
      await this.#write({
        method: 'DELETE',
        path: `${parentPath}/sub_issue`,
        json: { sub_issue_id: child.id },
        ...(signal ? { signal } : {}),
      });
      return true;
    }
    const parentWorkspace = this.#workspaceOf(parentRef);
    if (current && current.workspace === parentWorkspace && String(current.number) === parentRef.id.trim())
      return false;
    if (this.#workspaceOf(childRef).split('/')[0] !== parentWorkspace.split('/')[0]) {
      throw new CapabilityNotSupportedError(
        `GitHub sub-issues must share the repository owner: cannot make ${refIdentity(childRef)} a child of ${refIdentity(parentRef)}.`,
        { capability: 'hierarchy' },
      );
    }
    try {
      await this.#write({
        method: 'POST',
        path: `${this.#issuePath(parentRef)}/sub_issues`,
        json: { sub_issue_id: child.id, ...(current ? { replace_parent: true } : {}) },
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (isHttpStatus(error, 404)) {
        throw new IssueNotFoundError(`GitHub parent issue not found: ${refIdentity(parentRef)}`, {
          cause: error,
        });
      }
      throw error;
    }
    return true;
  }

  /**
   * Sends a write, at least `writeIntervalMs` after the previous one (GitHub asks integrators to
   * space content-creating requests; its secondary limit allows about 80 per minute).
   */
  async #write<T>(options: HttpRequestOptions<T>): Promise<HttpResponse<T>> {
    const interval = this.config.writeIntervalMs;
    if (interval > 0 && this.#lastWriteAt !== null) {
      const wait = this.#lastWriteAt + interval - Date.now();
      if (wait > 0) await abortableSleep(wait, options.signal);
    }
    try {
      return await this.#http.request(options);
    } finally {
      this.#lastWriteAt = Date.now();
    }
  }

  /**
   * GET with `If-None-Match` when a previous answer carried an ETag; a 304 reuses the cached body.
   * `cache: false` skips storing the answer (deep pages of a scan are rarely asked for again).
   */
  async #conditionalGet(
    path: string,
    query: Record<string, string | number>,
    signal?: AbortSignal,
    cache = true,
  ): Promise<{ data: unknown; headers: Headers }> {
    const cacheKey = `${path}?${new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)])).toString()}`;
    const cached = this.#etags.get(cacheKey);
    const response = await this.#http.request<unknown>({
      method: 'GET',
      path,
      query,
      ...(cached ? { headers: { 'If-None-Match': cached.etag }, acceptStatuses: [304] } : {}),
      ...(signal ? { signal } : {}),
    });
    if (response.status === 304 && cached) {
      this.#etags.delete(cacheKey);
      this.#etags.set(cacheKey, cached);
      const headers = new Headers();
      if (cached.link !== null) headers.set('link', cached.link);
      return { data: cached.data, headers };
    }
    const etag = response.headers.get('etag');
    if (etag && cache) {
      this.#etags.delete(cacheKey);
      this.#etags.set(cacheKey, { etag, data: response.data, link: response.headers.get('link') });
      while (this.#etags.size > ETAG_CACHE_SIZE) {
        const oldest = this.#etags.keys().next().value;
        if (oldest === undefined) break;
        this.#etags.delete(oldest);
      }
    }
    return { data: response.data, headers: response.headers };
  }

  async #getList(
    path: string,
    query: Record<string, string | number>,
    signal: AbortSignal | undefined,
    cache: boolean,
  ): Promise<{ rows: unknown[]; headers: Headers }> {
    const { data, headers } = await this.#conditionalGet(path, query, signal, cache);
    const parsed = v.safeParse(githubListSchema, data);
    if (!parsed.success) throw this.#contractError(parsed.issues, 'list');
    return { rows: parsed.output, headers };
  }
}

/** `filters.labels`: a list (the original's form) or one comma-separated string. */
function labelFilter(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter((label) => label !== '');
  if (typeof value === 'string')
    return value
      .split(',')
      .map((label) => label.trim())
      .filter(Boolean);
  return [];
}

/** True when `updatedAt` is exactly the watermark `since` (same instant, any ISO spelling). */
function atBoundary(updatedAt: unknown, since: string | null): boolean {
  if (since === null || typeof updatedAt !== 'string') return false;
  const left = Date.parse(updatedAt);
  return !Number.isNaN(left) && left === Date.parse(since);
}

/** GitHub's own timestamp format (second resolution, `Z`). */
function githubIso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The next keyset position after a page sorted by `updated_at` ascending: restart at page 1 from
 * the page's highest `updated_at`, remembering the ids already emitted at exactly that timestamp.
 * When the whole page shares the current watermark (more rows at one second than fit in a page),
 * move to the next page of the same `since` instead, so the scan always progresses. A first page
 * wholly at one timestamp continues at page 2 of that timestamp when `maxPages` allows paging there.
 */
function nextScan(scan: ScanCursor, rows: unknown[], perPage: number, maxPages: number): ScanCursor {
  let maxUpdated: string | null = null;
  for (const row of rows) {
    const updated = (row as { updated_at?: unknown } | null)?.updated_at;
    if (typeof updated === 'string' && (maxUpdated === null || Date.parse(updated) > Date.parse(maxUpdated)))
      maxUpdated = updated;
  }
  const idsAt = (timestamp: string) =>
    rows
      .filter((row) => atBoundary((row as { updated_at?: unknown } | null)?.updated_at, timestamp))
      .map((row) => (row as { id?: unknown }).id)
      .filter((id): id is number => typeof id === 'number');
  if (maxUpdated === null) return { s: scan.s, p: scan.p + 1, b: scan.b, n: perPage };
  if (scan.s !== null && Date.parse(maxUpdated) <= Date.parse(scan.s)) {
    return { s: scan.s, p: scan.p + 1, b: [...new Set([...scan.b, ...idsAt(scan.s)])], n: perPage };
  }
  if (
    scan.p === 1 &&
    maxPages > 1 &&
    rows.every((row) => atBoundary((row as { updated_at?: unknown } | null)?.updated_at, maxUpdated))
  ) {
    // A first page wholly at one timestamp is also page 1 from that timestamp (nothing sorts
    // before it): continue at page 2 instead of reading the same rows again.
    return { s: maxUpdated, p: 2, b: idsAt(maxUpdated), n: perPage };
  }
  return { s: maxUpdated, p: 1, b: idsAt(maxUpdated) };
}
