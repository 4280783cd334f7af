import {
  type CanonicalIssue,
  type CanonicalLink,
  CanonicalStatus,
  CapabilityNotSupportedError,
  ConnectorConfigError,
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
  type ListEventsQuery,
  type ListIssuesQuery,
  type Logger,
  type Page,
  parseConnectorConfig,
  refIdentity,
  rejectUnknownPatchKeys,
  silentLogger,
  type TrackerCapabilities,
  type TrackerConnector,
  type WriteOptions,
} from '@spec-kitty/core';
import {
  createHttpClient,
  createOpaqueCursorCodec,
  createPageWalk,
  DEFAULT_MAX_PAGES,
  PageWalkLimitError,
} from '@spec-kitty/core/http';
import type * as v from 'valibot';
import {
  checkGoneSchema,
  createIssueSchema,
  createLabelSchema,
  findCreatedIssueSchema,
  getIssueSchema,
  getIssuesSchema,
  issueLabelsPageSchema,
  issueRelationsBatchSchema,
  issueRelationsSchema,
  type LinearIncomingRelations,
  type LinearIssueNode,
  type LinearIssueRelations,
  type LinearOutgoingRelations,
  type LinearWorkflowState,
  listIssuesSchema,
  successSchema,
  teamLabelsSchema,
  teamStatesSchema,
  updateIssueSchema,
} from './linear-api-schemas';
import { isLinearIssueId, readIssuesById } from './linear-bulk-read';
import {
  type LinearConnectorConfig,
  type LinearConnectorConfigInput,
  linearConfigSchema,
} from './linear-config';
import { checkedTombstone, listedTombstone } from './linear-gone';
import { linearGraphql } from './linear-graphql';
import {
  canonicalPriorityToLinear,
  deterministicIssueId,
  isRelationLink,
  linearRef,
  markerToken,
  projectLinearIssue,
  toCanonical,
  withMarker,
} from './linear-mapping';
import {
  CHECK_GONE,
  CHECK_GONE_BATCH,
  CREATE_COMMENT,
  CREATE_ISSUE,
  CREATE_ISSUE_RELATION,
  CREATE_LABEL,
  FIND_CREATED_ISSUE,
  GET_ISSUE,
  GET_ISSUES,
  GET_ISSUES_BATCH,
  ISSUE_LABELS_PAGE,
  ISSUE_RELATIONS,
  ISSUE_RELATIONS_BATCH,
  inlineRelations,
  LINEAR_MAX_PAGE_SIZE,
  LIST_ISSUES,
  MAX_RELATIONS,
  RELATIONS_BATCH_SIZE,
  TEAM_LABELS,
  TEAM_STATES,
  UPDATE_ISSUE,
} from './linear-queries';
import { resolveStateId } from './linear-status';
import { PACKAGE_ID } from './version';

/** Runtime inputs of a `LinearConnector` that are not config. */
export interface LinearConnectorOptions extends ConnectorRuntime {
  /** A ready HTTP client (tests, hosts). Default: `createHttpClient` on `fetch`. */
  http?: HttpClient;
}

/** An issue's relation connections as `IssueRelationsBatch` (and `GetIssue`) read them. */
interface RelationConnections {
  relations: LinearOutgoingRelations;
  inverseRelations: LinearIncomingRelations;
}

/** Opaque `listIssues` cursor state (see `listIssues`). */
interface ScanCursor {
  v: 1;
  /** Linear `after` cursor within the current pass. */
  a: string | null;
  /** Lower bound (ISO, inclusive) of the current pass; null = no updatedAt filter. */
  f: string | null;
  /** High-water mark: the newest updatedAt seen on the first page of the current pass (ISO). */
  h: string | null;
  /** Ids already returned with updatedAt == h (boundary de-duplication for the catch-up pass). */
  b: string[];
  /** Pages fetched in the current pass. */
  n: number;
  /** true while in a catch-up pass. */
  c: boolean;
}

/**
 * The incremental filter: issues updated since `since`, or with activity (history entries) since
 * then. Linear does not move an issue's `updatedAt` when only its labels change, but it records
 * the change in the issue's history, which `IssueFilter.activity` filters on; so one query, with
 * no extra request, also returns issues whose labels changed.
 */
function changedSince(since: string): Record<string, unknown>[] {
  return [{ updatedAt: { gte: since } }, { activity: { some: { createdAt: { gte: since } } } }];
}

/** The cursor codec; `floor` is the pass's lower bound, given to a bare Linear endCursor. */
function scanCursors(floor: string | null) {
  return createOpaqueCursorCodec<ScanCursor>({
    trackerName: 'Linear',
    provider: 'linear',
    prefix: 'lin1.',
    parse: (data) => {
      const parsed = data as Partial<ScanCursor> | null;
      return typeof parsed === 'object' && parsed !== null && parsed.v === 1 && Array.isArray(parsed.b)
        ? (parsed as ScanCursor)
        : undefined;
    },
    // A bare Linear endCursor (the original's cursor format): continue that pass as-is.
    legacy: (raw) => ({ v: 1, a: raw, f: floor, h: null, b: [], n: 1, c: false }),
  });
}

/**
 * Linear over its GraphQL API. Behaviour follows the original `LinearConnector`, with these
 * improvements (all documented in the README): every document is valid against Linear's
 * schema (labels are written by id — `labelNames` does not exist); pages of up to 250; a
 * newest-first incremental scan that cannot miss an issue updated during the scan; rate limits
 * read from `RATELIMITED` and `X-RateLimit-*`; statuses resolved, never guessed; links
 * de-duplicated and BLOCKED_BY written in the right direction; `getIssue` of a missing issue
 * throws `IssueNotFoundError`; duplicate-free creates.
 */
export class LinearConnector implements TrackerConnector {
  readonly name = 'linear';
  readonly config: LinearConnectorConfig;
  readonly #http: HttpClient;
  readonly #logger: Logger;
  #states: Promise<LinearWorkflowState[]> | null = null;
  #labels: Promise<Map<string, string>> | null = null;

  /** Validates `config` with the schema (bad input → `ConnectorConfigError` naming each field). */
  constructor(config: LinearConnectorConfigInput, options: LinearConnectorOptions = {}) {
    this.config = parseConnectorConfig('linear', linearConfigSchema, config);
    this.#logger = options.logger ?? silentLogger;
    this.#http =
      options.http ??
      createHttpClient({
        baseUrl: this.config.graphqlUrl,
        provider: 'linear',
        // Linear personal API keys go in Authorization as-is (no "Bearer"), like the original.
        headers: {
          Authorization: this.config.apiKey,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        logger: this.#logger,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        userAgent: PACKAGE_ID,
      });
  }

  async getCapabilities(): Promise<TrackerCapabilities> {
    return capabilities({
      supportsWebhooks: true,
      supportsComments: true,
      supportsHierarchy: true,
      supportsDependencies: true,
      supportsCustomFields: true,
      supportsMultiAssignee: false,
      supportsSprintsOrCycles: true,
      supportsBulkRead: true,
      supportsBulkWrite: false,
      supportsDelete: false,
      // 250 issues per ListIssues request: Linear's page cap, and the listing's complexity
      // (relations inlined, see inlineRelations) stays under its 10 000-point budget at it.
      maxPageSize: LINEAR_MAX_PAGE_SIZE,
      reportsDeletions: true,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Reads
  // ---------------------------------------------------------------------------------------------

  /**
   * One page of the team's issues, newest `updatedAt` first (`orderBy: updatedAt`, `first` ≤ 250).
   *
   * Incremental pulls: the filter is `updatedAt >= updatedSince - overlapMs`, or activity since
   * then (a label-only change leaves `updatedAt` alone; see `changedSince`). The high-water mark
   * is the newest `updatedAt` of the first page (the top of a newest-first list), carried in the
   * cursor. An issue updated while a multi-page pass runs jumps to the front, behind the cursor;
   * so when such a pass ends, a catch-up pass reads `updatedAt >= highWaterMark`, skipping the
   * ids already returned at exactly the mark (boundary de-duplication), and repeats until a pass
   * fits in one page. A single-page pass is one consistent response and needs no catch-up.
   */
  async listIssues(query: ListIssuesQuery): Promise<Page<CanonicalIssue>> {
    const filters = query.filters ?? {};
    if (filters.query_key !== undefined && filters.query_key !== null) {
      return this.#searchByKey(String(filters.query_key), query.signal);
    }
    const first = Math.max(
      1,
      Math.min(Math.trunc(query.limit) || LINEAR_MAX_PAGE_SIZE, LINEAR_MAX_PAGE_SIZE),
    );
    const floor = query.updatedSince
      ? new Date(query.updatedSince.getTime() - this.config.overlapMs).toISOString()
      : null;
    const state: ScanCursor = query.cursor
      ? scanCursors(floor).decode(query.cursor)
      : { v: 1, a: null, f: floor, h: null, b: [], n: 0, c: false };

    const filter: Record<string, unknown> = { team: { id: { eq: this.config.teamId } } };
    if (state.f !== null) filter.or = changedSince(state.f);
    if (filters.query_text !== undefined && filters.query_text !== null) {
      filter.title = { containsIgnoreCase: String(filters.query_text) };
    } else if (filters.title_contains !== undefined && filters.title_contains !== null) {
      filter.title = { contains: String(filters.title_contains) };
    }

    const data = await linearGraphql(this.#http, {
      operationName: 'ListIssues',
      query: LIST_ISSUES,
      // Incremental passes include archived issues, so archiving or trashing one (which moves its
      // updatedAt) shows up as a tombstone; a full scan has nothing to retire and skips them.
      variables: {
        first,
        after: state.a,
        filter,
        relations: inlineRelations(first),
        includeArchived: state.f !== null,
      },
      schema: listIssuesSchema,
      ...(query.signal ? { signal: query.signal } : {}),
    });
    const { nodes, pageInfo } = data.issues;

    let highWater = state.h;
    if (state.a === null) highWater = nodes[0]?.updatedAt ?? state.h;
    const skip = state.c ? new Set(state.b) : new Set<string>();
    const boundary = new Set(state.b);
    const kept: LinearIssueNode[] = [];
    for (const node of nodes) {
      if (state.c && node.updatedAt === state.f && skip.has(node.id)) continue;
      kept.push(node);
      if (highWater !== null && node.updatedAt === highWater) boundary.add(node.id);
    }
    const observedAt = new Date().toISOString();
    const tombstones: IssueTombstone[] = [];
    const live: LinearIssueNode[] = [];
    for (const node of kept) {
      const tombstone = listedTombstone(node, this.config.workspace, observedAt);
      if (tombstone) tombstones.push(tombstone);
      else live.push(node);
    }
    const relations = await this.#overflowingRelations(live, query.signal);
    const items = await Promise.all(
      live.map((node) => this.#canonical(node, query.signal, relationLists(relations.get(node.id)))),
    );

    const pages = state.n + 1;
    let next: ScanCursor | null = null;
    if (pageInfo.hasNextPage && pageInfo.endCursor && pageInfo.endCursor === state.a) {
      // Handing the same cursor back would make the caller's page walk request this page forever.
      throw new PageWalkLimitError(
        `linear: stopped listing issues after page ${pages} of the pass: Linear returned the cursor this page was requested with as its next cursor (a pagination loop); retrying will loop again.`,
        { provider: 'linear', reason: 'repeated_cursor', pages },
      );
    }
    if (pageInfo.hasNextPage && pageInfo.endCursor) {
      next = { ...state, a: pageInfo.endCursor, h: highWater, b: [...boundary], n: pages };
    } else if (pages > 1 && highWater !== null) {
      // The pass spanned several requests: read what changed since its first page.
      next = { v: 1, a: null, f: highWater, h: highWater, b: [...boundary], n: 0, c: true };
    }
    const nextCursor = next ? scanCursors(floor).encode(next) : null;
    return tombstones.length > 0 ? { items, nextCursor, tombstones } : { items, nextCursor };
  }

  /**
   * Tombstones of the refs that left the team: trashed or purged (`deleted`), archived
   * (`archived`), moved to another team (`moved`, `movedTo` the same id under its new
   * identifier). One `CheckGone` query per 250 ids (`id: { in }`, `includeArchived: true`);
   * live issues are omitted, and any failure throws.
   */
  async checkGone(
    refs: readonly ExternalRef[],
    options: { signal?: AbortSignal } = {},
  ): Promise<IssueTombstone[]> {
    const observedAt = new Date().toISOString();
    const nodes = await readIssuesById(
      this.#http,
      refs.map((ref) => ref.id),
      {
        operationName: 'CheckGone',
        query: CHECK_GONE,
        schema: checkGoneSchema,
        batchSize: CHECK_GONE_BATCH,
        signal: options.signal,
      },
    );
    const byId = new Map(nodes.map((node) => [node.id, node]));
    const tombstones: IssueTombstone[] = [];
    for (const ref of refs) {
      const tombstone = checkedTombstone(ref, byId.get(ref.id), this.config.teamId, observedAt);
      if (tombstone) tombstones.push(tombstone);
    }
    return tombstones;
  }

  async #searchByKey(identifier: string, signal?: AbortSignal): Promise<Page<CanonicalIssue>> {
    const node = await this.#fetchIssue(identifier, signal).catch((error: unknown) => {
      if (IssueNotFoundError.isInstance(error)) return null;
      throw error;
    });
    if (node === null || node.team?.id !== this.config.teamId) return { items: [], nextCursor: null };
    return { items: [await this.#canonical(node, signal)], nextCursor: null };
  }

  /** Throws `IssueNotFoundError` when Linear has no such issue (the original threw ConnectorRequestError). */
  async getIssue(ref: ExternalRef, options: { signal?: AbortSignal } = {}): Promise<CanonicalIssue> {
    return this.#canonical(await this.#fetchIssue(ref.id, options.signal), options.signal);
  }

  /**
   * The issues `refs` name that exist, each as `getIssue` reads it (archived, trashed and other
   * teams' issues included): one `GetIssues` query per 250 ids, plus one `IssueRelationsBatch`
   * per 25 issues whose relations did not fit inline and one `IssueLabelsPage` per issue with
   * more than 10 labels, as in the listing. Refs that name no issue are left out; a ref by
   * identifier (`ENG-12`), which the id filter cannot match, is read with `GetIssue`.
   */
  async getIssues(
    refs: readonly ExternalRef[],
    options: { signal?: AbortSignal } = {},
  ): Promise<CanonicalIssue[]> {
    const signal = options.signal;
    const ids = [...new Set(refs.map((ref) => ref.id))];
    const nodes = await readIssuesById(this.#http, ids.filter(isLinearIssueId), {
      operationName: 'GetIssues',
      query: GET_ISSUES,
      schema: getIssuesSchema,
      batchSize: GET_ISSUES_BATCH,
      variables: (first) => ({ relations: inlineRelations(first) }),
      signal,
    });
    for (const id of ids.filter((id) => !isLinearIssueId(id))) {
      const node = await this.#fetchIssue(id, signal).catch((error: unknown) => {
        if (IssueNotFoundError.isInstance(error)) return null;
        throw error;
      });
      if (node !== null) nodes.push(node);
    }
    const unique = [...new Map(nodes.map((node) => [node.id, node])).values()];
    const relations = await this.#overflowingRelations(unique, signal);
    // The full relation connections replace the cut-short inline ones, so the node (and `raw`)
    // is the one `GetIssue` answers.
    return Promise.all(unique.map((node) => this.#canonical({ ...node, ...relations.get(node.id) }, signal)));
  }

  async #fetchIssue(id: string, signal?: AbortSignal): Promise<LinearIssueNode> {
    const data = await linearGraphql(this.#http, {
      operationName: 'GetIssue',
      query: GET_ISSUE,
      variables: { id },
      schema: getIssueSchema,
      onNotFound: (entity, message) =>
        entity === 'Issue'
          ? new IssueNotFoundError(`Linear issue not found: ${id}`)
          : new ConnectorRequestError(`Linear GraphQL error in GetIssue: ${message}`, {
              failureClass: FailureClass.NOT_FOUND,
              provider: 'linear',
            }),
      ...(signal ? { signal } : {}),
    });
    if (data.issue === null) throw new IssueNotFoundError(`Linear issue not found: ${id}`);
    return data.issue;
  }

  /**
   * The relations of the listed issues whose inline relations were cut short, read with one
   * `IssueRelationsBatch` query per `RELATIONS_BATCH_SIZE` such issues (never one per issue),
   * up to `MAX_RELATIONS` per direction.
   */
  async #overflowingRelations(
    nodes: readonly LinearIssueNode[],
    signal?: AbortSignal,
  ): Promise<Map<string, RelationConnections>> {
    const ids = nodes
      .filter((node) => node.relations?.pageInfo.hasNextPage || node.inverseRelations?.pageInfo.hasNextPage)
      .map((node) => node.id);
    const read = await readIssuesById(this.#http, ids, {
      operationName: 'IssueRelationsBatch',
      query: ISSUE_RELATIONS_BATCH,
      schema: issueRelationsBatchSchema,
      batchSize: RELATIONS_BATCH_SIZE,
      signal,
    });
    const out = new Map<string, RelationConnections>();
    for (const node of read) {
      if (node.relations.pageInfo.hasNextPage || node.inverseRelations.pageInfo.hasNextPage) {
        this.#logger.warn(
          `Linear issue ${node.id} has more than ${MAX_RELATIONS} relations in one direction; links beyond the first ${MAX_RELATIONS} are not read`,
        );
      }
      out.set(node.id, { relations: node.relations, inverseRelations: node.inverseRelations });
    }
    return out;
  }

  /** Maps a node, first fetching the rest of its labels when the inline page was full. */
  async #canonical(
    node: LinearIssueNode,
    signal?: AbortSignal,
    relations?: RelationLists,
  ): Promise<CanonicalIssue> {
    const page = node.labels;
    if (!page?.pageInfo.hasNextPage) return toCanonical(node, this.config.workspace, undefined, relations);
    const labels = page.nodes.map((label) => label.name);
    const walk = createPageWalk({
      provider: 'linear',
      what: `the labels of issue ${node.identifier ?? node.id}`,
      maxPages: this.config.maxPages ?? DEFAULT_MAX_PAGES,
    });
    let after = page.pageInfo.endCursor;
    while (after) {
      walk.next(after);
      const data = await linearGraphql(this.#http, {
        operationName: 'IssueLabelsPage',
        query: ISSUE_LABELS_PAGE,
        variables: { id: node.id, after },
        schema: issueLabelsPageSchema,
        ...(signal ? { signal } : {}),
      });
      labels.push(...data.issue.labels.nodes.map((label) => label.name));
      after = data.issue.labels.pageInfo.hasNextPage ? data.issue.labels.pageInfo.endCursor : null;
    }
    return toCanonical(node, this.config.workspace, labels, relations);
  }

  // ---------------------------------------------------------------------------------------------
  // Writes
  // ---------------------------------------------------------------------------------------------

  /**
   * Creates the issue with a client-chosen id derived from the idempotency key (default: the
   * source issue's identity) and a marker line in the description. A retry with the same key
   * cannot create a second issue: Linear refuses the duplicate id and the existing issue is
   * returned. After an ambiguous failure (timeout, dropped connection, 5xx) the issue is looked
   * up before the error is rethrown.
   */
  async createIssue(issue: CanonicalIssue, options: WriteOptions = {}): Promise<CanonicalIssue> {
    const key = idempotencyKeyFor(issue, options);
    const id = deterministicIssueId(key);
    const input: Record<string, unknown> = {
      id,
      teamId: this.config.teamId,
      title: issue.title,
      description: withMarker(issue.body, key),
      priority: canonicalPriorityToLinear(issue.priority),
    };
    if (issue.labels.length > 0) input.labelIds = await this.#labelIds(issue.labels, options.signal);
    if (issue.parent) input.parentId = issue.parent.id;
    const stateId = await this.#stateIdForCreate(issue.status, options.signal);
    if (stateId !== null) input.stateId = stateId;
    if (Object.keys(issue.customFields).length > 0) {
      this.#logger.warn('Linear does not support custom field persistence; skipping spec_kitty_mission blob');
    }

    let created: LinearIssueNode | null;
    try {
      const data = await linearGraphql(this.#http, {
        operationName: 'CreateIssue',
        query: CREATE_ISSUE,
        variables: { input },
        schema: createIssueSchema,
        mutation: true,
        onNotFound: (entity, message) =>
          this.#writeNotFound('CreateIssue', entity, message, issue.parent?.id ?? null),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      created = data.issueCreate.issue;
      if (!data.issueCreate.success) throw writeRefused('issueCreate', issue.title);
    } catch (error) {
      if (isAmbiguous(error) || isDuplicateId(error)) {
        const existing = await this.findCreatedIssue(issue, options).catch(() => null);
        if (existing) return existing;
      }
      throw error;
    }
    if (issue.links.some(isRelationLink)) {
      const ref = this.#ref(created?.id ?? id);
      await this.#addMissingLinks(ref, issue.links, options.signal);
      return this.getIssue(ref, options);
    }
    return created ? this.#canonical(created, options.signal) : this.getIssue(this.#ref(id));
  }

  /**
   * The issue a previous `createIssue` with the same idempotency key made, or null: one query
   * for the deterministic id or the description marker (archived issues included).
   */
  async findCreatedIssue(issue: CanonicalIssue, options: WriteOptions): Promise<CanonicalIssue | null> {
    const key = idempotencyKeyFor(issue, options);
    const data = await linearGraphql(this.#http, {
      operationName: 'FindCreatedIssue',
      query: FIND_CREATED_ISSUE,
      variables: {
        filter: {
          team: { id: { eq: this.config.teamId } },
          or: [{ id: { eq: deterministicIssueId(key) } }, { description: { contains: markerToken(key) } }],
        },
      },
      schema: findCreatedIssueSchema,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const node = data.issues.nodes[0];
    return node ? this.#canonical(node, options.signal) : null;
  }

  async updateIssue(
    ref: ExternalRef,
    patch: IssuePatch,
    options: WriteOptions = {},
  ): Promise<CanonicalIssue> {
    rejectUnknownPatchKeys(patch, 'linear');
    const input: Record<string, unknown> = {};
    if (patch.title !== undefined) input.title = patch.title;
    if (patch.body !== undefined) input.description = patch.body;
    if (patch.priority !== undefined) input.priority = canonicalPriorityToLinear(patch.priority);
    // Better than the original: a null parent clears it (the original could not).
    if (patch.parent !== undefined) input.parentId = patch.parent === null ? null : patch.parent.id;
    if (patch.status !== undefined) input.stateId = await this.#stateId(patch.status, options.signal);
    if (patch.labels !== undefined) input.labelIds = await this.#labelIds(patch.labels, options.signal);
    if (patch.customFields !== undefined) {
      this.#logger.warn('Linear does not support custom field persistence; skipping spec_kitty_mission blob');
    }
    // Links the issue lacks are added as relations (never removed: a relation someone else made
    // stays); hierarchy links are the parent field. assignees and issueType are not written.
    if (patch.links !== undefined) await this.#addMissingLinks(ref, patch.links, options.signal);
    if (Object.keys(input).length === 0) return this.getIssue(ref, options);
    const data = await linearGraphql(this.#http, {
      operationName: 'UpdateIssue',
      query: UPDATE_ISSUE,
      variables: { id: ref.id, input },
      schema: updateIssueSchema,
      mutation: true,
      onNotFound: (entity, message) => this.#writeNotFound('UpdateIssue', entity, message, ref.id),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!data.issueUpdate.success) throw writeRefused('issueUpdate', ref.id);
    return data.issueUpdate.issue
      ? this.#canonical(data.issueUpdate.issue, options.signal)
      : this.getIssue(ref, options);
  }

  /** How `issue` reads back from Linear (task type, one assignee, …): see `projectLinearIssue`. */
  projectIssue(issue: CanonicalIssue): CanonicalIssue {
    return projectLinearIssue(issue);
  }

  async transitionIssue(ref: ExternalRef, target: CanonicalStatus): Promise<CanonicalIssue> {
    return this.updateIssue(
      ref,
      { status: target },
      { idempotencyKey: `transition:${refIdentity(ref)}:${target}` },
    );
  }

  /**
   * Creates the Linear relation for `link` unless it already exists (relations are read first,
   * so repeated syncs never pile up duplicates). BLOCKS: ref blocks target; BLOCKED_BY: target
   * blocks ref (the original wrote both as "ref blocks target"); DUPLICATES: ref duplicates
   * target; RELATES_TO: related in either direction counts; PARENT_OF / CHILD_OF set the parent
   * (Linear's hierarchy is the parent field, not a relation).
   */
  async upsertLink(ref: ExternalRef, link: CanonicalLink): Promise<void> {
    const target = link.target.id;
    if (link.type === LinkType.CHILD_OF || link.type === LinkType.PARENT_OF) {
      const [child, parent] = link.type === LinkType.CHILD_OF ? [ref.id, target] : [target, ref.id];
      const current = await this.#relations(child);
      if (current.parent && matches(current.parent, parent)) return;
      await this.updateIssue(this.#ref(child), { parent: this.#ref(parent) });
      return;
    }
    const input = relationInput(await this.#relations(ref.id), ref.id, link);
    if (input !== null) await this.#createRelation(ref.id, input);
  }

  /**
   * Creates the relations `links` names that `ref` lacks, after one read of its relations. Only
   * links Linear holds as relations (`isRelationLink`: not hierarchy, target a Linear issue).
   */
  async #addMissingLinks(ref: ExternalRef, links: readonly CanonicalLink[], signal?: AbortSignal) {
    const wanted = links.filter(isRelationLink);
    if (wanted.length === 0) return;
    const current = await this.#relations(ref.id, signal);
    const done = new Set<string>();
    for (const link of wanted) {
      const input = relationInput(current, ref.id, link);
      if (input === null) continue;
      const key = `${input.issueId} ${input.type} ${input.relatedIssueId}`;
      if (done.has(key)) continue;
      done.add(key);
      await this.#createRelation(ref.id, input, signal);
    }
  }

  async #createRelation(
    refId: string,
    input: { issueId: string; relatedIssueId: string; type: string },
    signal?: AbortSignal,
  ): Promise<void> {
    const data = await linearGraphql(this.#http, {
      operationName: 'CreateIssueRelation',
      query: CREATE_ISSUE_RELATION,
      variables: { input },
      schema: successSchema('issueRelationCreate'),
      mutation: true,
      onNotFound: () =>
        new IssueNotFoundError(`Linear issue not found: ${input.issueId} or ${input.relatedIssueId}`),
      ...(signal ? { signal } : {}),
    });
    if (!(data as { issueRelationCreate: { success: boolean } }).issueRelationCreate.success) {
      throw writeRefused('issueRelationCreate', refId);
    }
  }

  async #relations(id: string, signal?: AbortSignal): Promise<LinearIssueRelations> {
    const data = await linearGraphql(this.#http, {
      operationName: 'IssueRelations',
      query: ISSUE_RELATIONS,
      variables: { id },
      schema: issueRelationsSchema,
      onNotFound: () => new IssueNotFoundError(`Linear issue not found: ${id}`),
      ...(signal ? { signal } : {}),
    });
    if (data.issue === null) throw new IssueNotFoundError(`Linear issue not found: ${id}`);
    return data.issue;
  }

  async addComment(ref: ExternalRef, body: string): Promise<void> {
    const data = await linearGraphql(this.#http, {
      operationName: 'CreateComment',
      query: CREATE_COMMENT,
      variables: { input: { issueId: ref.id, body } },
      schema: successSchema('commentCreate'),
      mutation: true,
      onNotFound: () => new IssueNotFoundError(`Linear issue not found: ${ref.id}`),
    });
    if (!(data as { commentCreate: { success: boolean } }).commentCreate.success)
      throw writeRefused('commentCreate', ref.id);
  }

  /** Linear has no pollable event stream here; incremental sync goes through `updatedSince`. */
  async listEvents(_query: ListEventsQuery): Promise<EventsPage> {
    return { events: [], checkpoint: null };
  }

  async close(): Promise<void> {}

  // ---------------------------------------------------------------------------------------------
  // Team metadata (fetched lazily, once per connector instance)
  // ---------------------------------------------------------------------------------------------

  /** What a write's `Entity not found: <entity>` means, with the fix. */
  #writeNotFound(operation: string, entity: string, message: string, issueId: string | null): Error {
    if (entity === 'Issue') {
      return new IssueNotFoundError(
        operation === 'CreateIssue'
          ? `Linear parent issue not found: ${issueId ?? 'unknown'} (parent refs must be Linear issue ids)`
          : `Linear issue not found: ${issueId ?? 'unknown'}`,
      );
    }
    if (entity === 'Team') {
      return new ConnectorConfigError(
        `Linear team not found: ${this.config.teamId}. Set teamId to a team id your API key can access.`,
      );
    }
    if (entity === 'WorkflowState') {
      return new ConnectorConfigError(
        `Linear workflow state not found (${operation}): check statusToStateId; every value must be a workflow state id of team ${this.config.teamId}.`,
      );
    }
    return new ConnectorRequestError(`Linear GraphQL error in ${operation}: ${message}`, {
      failureClass: FailureClass.VALIDATION,
      provider: 'linear',
    });
  }

  #ref(id: string): ExternalRef {
    return linearRef(this.config.workspace, id, null, null);
  }

  #teamStates(signal?: AbortSignal): Promise<LinearWorkflowState[]> {
    this.#states ??= linearGraphql(this.#http, {
      operationName: 'TeamWorkflowStates',
      query: TEAM_STATES,
      variables: { teamId: this.config.teamId },
      schema: teamStatesSchema,
      onNotFound: () =>
        new ConnectorConfigError(
          `Linear team not found: ${this.config.teamId}. Set teamId to a team id your API key can access.`,
        ),
      ...(signal ? { signal } : {}),
    }).then((data) => [...data.team.states.nodes].sort((a, b) => a.position - b.position));
    this.#states.catch(() => {
      this.#states = null;
    });
    return this.#states;
  }

  async #stateId(status: CanonicalStatus, signal?: AbortSignal): Promise<string> {
    if (this.config.statusToStateId[status] !== undefined)
      return resolveStateId(status, this.config.statusToStateId, null);
    return resolveStateId(status, this.config.statusToStateId, await this.#teamStates(signal));
  }

  /** On create, an unresolvable `todo` falls back to Linear's default state (which reads back as todo). */
  async #stateIdForCreate(status: CanonicalStatus, signal?: AbortSignal): Promise<string | null> {
    if (this.config.statusToStateId[status] !== undefined) return this.config.statusToStateId[status] ?? null;
    if (status === CanonicalStatus.TODO) {
      try {
        return await this.#stateId(status, signal);
      } catch (error) {
        if (CapabilityNotSupportedError.isInstance(error)) return null;
        throw error;
      }
    }
    return this.#stateId(status, signal);
  }

  #teamLabels(signal?: AbortSignal): Promise<Map<string, string>> {
    this.#labels ??= (async () => {
      const byName = new Map<string, string>();
      const walk = createPageWalk({
        provider: 'linear',
        what: 'the team labels',
        maxPages: this.config.maxPages ?? DEFAULT_MAX_PAGES,
      });
      let after: string | null = null;
      do {
        if (after !== null) walk.next(after);
        const data: v.InferOutput<typeof teamLabelsSchema> = await linearGraphql(this.#http, {
          operationName: 'TeamLabels',
          query: TEAM_LABELS,
          variables: {
            first: LINEAR_MAX_PAGE_SIZE,
            after,
            filter: { or: [{ team: { id: { eq: this.config.teamId } } }, { team: { null: true } }] },
          },
          schema: teamLabelsSchema,
          ...(signal ? { signal } : {}),
        });
        for (const label of data.issueLabels.nodes) {
          // A team label wins over a workspace label of the same name.
          if (!byName.has(label.name) || label.team !== null) byName.set(label.name, label.id);
        }
        after = data.issueLabels.pageInfo.hasNextPage ? data.issueLabels.pageInfo.endCursor : null;
      } while (after);
      return byName;
    })();
    this.#labels.catch(() => {
      this.#labels = null;
    });
    return this.#labels;
  }

  /** Creates a team label; if someone else created it meanwhile, re-reads the labels and uses theirs. */
  async #createLabel(name: string, signal?: AbortSignal): Promise<string> {
    try {
      const data = await linearGraphql(this.#http, {
        operationName: 'CreateIssueLabel',
        query: CREATE_LABEL,
        variables: { input: { name, teamId: this.config.teamId } },
        schema: createLabelSchema,
        mutation: true,
        ...(signal ? { signal } : {}),
      });
      return data.issueLabelCreate.issueLabel.id;
    } catch (error) {
      this.#labels = null;
      return findIgnoringCaseOrThrow(await this.#teamLabels(signal), name, error);
    }
  }

  /** Label names → ids (Linear writes labels by id); missing labels are created in the team. */
  async #labelIds(names: readonly string[], signal?: AbortSignal): Promise<string[]> {
    const byName = await this.#teamLabels(signal);
    const ids: string[] = [];
    for (const name of new Set(names)) {
      let id = byName.get(name) ?? findIgnoringCase(byName, name);
      if (id === undefined) {
        id = await this.#createLabel(name, signal);
        byName.set(name, id);
      }
      ids.push(id);
    }
    return ids;
  }
}

/** The relation lists `toCanonical` reads links from, overriding the node's inline ones. */
type RelationLists = NonNullable<Parameters<typeof toCanonical>[3]>;

function relationLists(connections: RelationConnections | undefined): RelationLists | undefined {
  return connections
    ? { outgoing: connections.relations.nodes, incoming: connections.inverseRelations.nodes }
    : undefined;
}

function findIgnoringCaseOrThrow(byName: Map<string, string>, name: string, cause: unknown): string {
  const id = byName.get(name) ?? findIgnoringCase(byName, name);
  if (id === undefined) throw cause;
  return id;
}

function findIgnoringCase(byName: Map<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [candidate, id] of byName) if (candidate.toLowerCase() === lower) return id;
  return undefined;
}

function matches(node: { id: string; identifier: string | null }, target: string): boolean {
  return node.id === target || (node.identifier !== null && node.identifier === target);
}

/** The `issueRelationCreate` input that writes `link` from `refId`, or null when `current` already holds it. */
function relationInput(
  current: LinearIssueRelations,
  refId: string,
  link: CanonicalLink,
): { issueId: string; relatedIssueId: string; type: string } | null {
  const target = link.target.id;
  const outgoing = (type: string) =>
    current.relations.nodes.some((r) => r.type === type && matches(r.relatedIssue, target));
  const incoming = (type: string) =>
    current.inverseRelations.nodes.some((r) => r.type === type && matches(r.issue, target));
  switch (link.type) {
    case LinkType.BLOCKS:
      return outgoing('blocks') ? null : { issueId: refId, relatedIssueId: target, type: 'blocks' };
    case LinkType.BLOCKED_BY:
      return incoming('blocks') ? null : { issueId: target, relatedIssueId: refId, type: 'blocks' };
    case LinkType.DUPLICATES:
      return outgoing('duplicate') ? null : { issueId: refId, relatedIssueId: target, type: 'duplicate' };
    default:
      return outgoing('related') || incoming('related')
        ? null
        : { issueId: refId, relatedIssueId: target, type: 'related' };
  }
}

/** The key a create is made idempotent by: the caller's, else the source issue's identity. */
function idempotencyKeyFor(issue: CanonicalIssue, options: WriteOptions): string {
  return options.idempotencyKey ?? `create:${refIdentity(issue.ref)}`;
}

/** A failure after which the create may or may not have happened. */
function isAmbiguous(error: unknown): boolean {
  if (!ConnectorRequestError.isInstance(error)) return false;
  const failure = error as ConnectorRequestError;
  return (
    failure.failureClass === FailureClass.TRANSIENT ||
    (failure.statusCode !== null && failure.statusCode >= 500)
  );
}

/** Linear refused the client-chosen id because an issue already has it: an earlier attempt succeeded. */
function isDuplicateId(error: unknown): boolean {
  return (
    ConnectorRequestError.isInstance(error) &&
    /already exists|duplicate|CONFLICT/i.test((error as Error).message)
  );
}

function writeRefused(mutation: string, subject: string): ConnectorRequestError {
  return new ConnectorRequestError(`Linear ${mutation} returned success: false for ${subject}`, {
    failureClass: FailureClass.NON_RETRYABLE,
    provider: 'linear',
  });
}
