import {
  type CanonicalIssue,
  type CanonicalLink,
  CanonicalStatus,
  ConnectorConfigError,
  type ConnectorRuntime,
  capabilities,
  type EventsPage,
  type ExternalRef,
  type HttpClient,
  IssueNotFoundError,
  type IssuePatch,
  type IssueTombstone,
  isCanonicalStatus,
  type JsonValue,
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
  type WriteOptions,
} from '@spec-kitty/core';
import { batchesOf, createHttpClient, isHttpStatus, PageWalkLimitError } from '@spec-kitty/core/http';
import { markdownToAdf } from './jira-adf';
import {
  createdIssueSchema,
  issueBeanSchema,
  type JiraIssueBean,
  searchResultsSchema,
  transitionsSchema,
} from './jira-api-schemas';
import { JIRA_BULK_READ_MAX, jiraBulkRead, projectOfIssueKey } from './jira-bulk-read';
import { type JiraConnectorConfig, type JiraConnectorConfigInput, parseJiraConfig } from './jira-config';
import { JiraFieldCatalog, missionFieldValue, type ResolvedField } from './jira-fields';
import { checkJiraGone } from './jira-gone';
import { buildIssueSearchJql, createdMarkerJql, isAtOrAfter, jqlString } from './jira-jql';
import {
  CREATE_MARKER_PREFIX,
  ISSUE_FIELDS,
  issueTypeToJira,
  JIRA_SYSTEM,
  jiraLinkType,
  jiraRef,
  linksFromJira,
  priorityToJira,
  projectJiraIssue,
  projectJiraLinks,
  pythonJsonDumps,
  statusFromJiraName,
  toCanonicalIssue,
} from './jira-mapping';
import {
  chooseTransition,
  desiredStatusName,
  type JiraTransition,
  noTransitionError,
  parseTransitions,
  requiredFieldsError,
} from './jira-transitions';
import { PACKAGE_ID } from './version';

/** Runtime options of `new JiraConnector(config, options)`: core's `ConnectorRuntime` plus a ready client. */
export interface JiraConnectorOptions extends ConnectorRuntime {
  /** A ready HttpClient (tests, custom transports); otherwise one is built from config + fetch. */
  http?: HttpClient;
}

const MISSION_KEY = 'spec_kitty_mission';
/**
 * Largest `maxResults` sent to enhanced search. Jira Cloud serves at most 100 issues per page when
 * fields are selected (5000 for ids only); asking for more is silently cut, so the cap is explicit.
 */
const JIRA_MAX_PAGE_SIZE = 100;
const PROVIDER = 'jira';

/** FNV-1a (64-bit) hex digest: a short, stable, dependency-free marker for create idempotency. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * Jira Cloud REST v3 connector (the original's `JiraConnector`, id `jira`).
 * Public contract as the original; underneath: enhanced search paging, zone-safe JQL time
 * filters, deterministic transitions that refuse clearly, Markdown ↔ ADF, custom fields by name,
 * create markers so an ambiguous create is never duplicated.
 */
export class JiraConnector implements TrackerConnector {
  readonly name = 'jira';
  readonly config: Readonly<JiraConnectorConfig>;
  readonly #http: HttpClient;
  readonly #baseUrl: string;
  readonly #logger: Logger;
  readonly #fields: JiraFieldCatalog;
  #missionField: Promise<ResolvedField | null> | null = null;

  constructor(input: JiraConnectorConfigInput, options: JiraConnectorOptions = {}) {
    const config = parseJiraConfig(input);
    this.#baseUrl = config.baseUrl;
    this.config = Object.freeze(config);
    this.#logger = options.logger ?? silentLogger;
    const authorization = `Basic ${Buffer.from(`${config.email}:${config.apiToken}`).toString('base64')}`;
    this.#http =
      options.http ??
      createHttpClient({
        baseUrl: this.#baseUrl,
        provider: PROVIDER,
        headers: { authorization, accept: 'application/json' },
        ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
        ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
        logger: this.#logger,
        secrets: [config.apiToken].filter((secret) => secret.length >= 4),
        userAgent: PACKAGE_ID,
      });
    this.#fields = new JiraFieldCatalog(this.#http);
  }

  /** `ExternalRef.workspace` of every issue (the base URL without trailing slash). */
  get workspace(): string {
    return this.#baseUrl;
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
      maxPageSize: JIRA_MAX_PAGE_SIZE,
      reportsDeletions: true,
    });
  }

  // --- reads -----------------------------------------------------------------------------------

  async listIssues(query: ListIssuesQuery): Promise<Page<CanonicalIssue>> {
    const mission = await this.#resolveMissionField();
    const jql = buildIssueSearchJql({
      projectKey: this.config.projectKey,
      filters: query.filters,
      updatedSince: query.updatedSince,
    });
    const body: Record<string, unknown> = {
      jql,
      maxResults: Math.max(1, Math.min(Math.trunc(query.limit) || 1, JIRA_MAX_PAGE_SIZE)),
      fields: this.#fieldList(mission),
    };
    if (query.cursor !== null && query.cursor !== '' && query.cursor !== '0')
      body.nextPageToken = query.cursor;
    // POST search is read-only, so it is safe to retry; POST keeps long JQL out of the URL.
    const response = await this.#http.request({
      method: 'POST',
      path: '/rest/api/3/search/jql',
      json: body,
      schema: searchResultsSchema,
      idempotent: true,
      ...(query.signal !== undefined ? { signal: query.signal } : {}),
    });
    const items = response.data.issues
      .map((issue) => this.#toCanonical(issue, mission))
      .filter((issue) => isAtOrAfter(issue.updatedAt, query.updatedSince));
    const token = response.data.nextPageToken;
    const more = response.data.isLast !== true && token !== undefined && token !== null && token !== '';
    if (more && token === body.nextPageToken) {
      // Handing the same token back would make the caller's page walk request this page forever.
      throw new PageWalkLimitError(
        'jira: stopped listing issues: Jira returned the nextPageToken this page was requested with (a pagination loop); retrying will loop again.',
        { provider: JIRA_SYSTEM, reason: 'repeated_cursor', pages: 1 },
      );
    }
    return { items, nextCursor: more ? token : null };
  }

  async getIssue(ref: ExternalRef, options: { signal?: AbortSignal } = {}): Promise<CanonicalIssue> {
    return this.#toCanonical(await this.#fetchIssue(ref, options.signal), await this.#resolveMissionField());
  }

  /**
   * The issues `refs` name, each as `getIssue` reads it, through `bulkfetch` with the same fields:
   * one request per 100 distinct ids (refs are asked by id, as `checkGone` asks them), nothing per
   * issue (`issuelinks` come with the fields). Issues deleted or hidden from the account are left
   * out, and so is an issue now in another project (moved: `checkGone` reports it). `issueErrors`,
   * auth errors, 5xx, rate limits and timeouts throw: a batch is answered whole or not at all.
   */
  async getIssues(
    refs: readonly ExternalRef[],
    options: { signal?: AbortSignal } = {},
  ): Promise<CanonicalIssue[]> {
    const ids = [...new Set(refs.map((ref) => ref.id))];
    if (ids.length === 0) return [];
    const mission = await this.#resolveMissionField();
    const read = jiraBulkRead(this.#http, this.#fieldList(mission));
    const project = this.config.projectKey.toUpperCase();
    const issues: CanonicalIssue[] = [];
    for (const batch of batchesOf(ids, JIRA_BULK_READ_MAX)) {
      const asked = new Set(batch);
      for (const bean of await read(batch, options.signal)) {
        // An id asked is answered under that id; a ref holding a key in `id` is matched by key.
        // An old key answered under a new one is a moved issue, as is an id now in another project.
        if (!asked.has(bean.id) && !(bean.key !== undefined && asked.has(bean.key))) continue;
        const inProject = projectOfIssueKey(bean.key);
        if (inProject !== null && inProject !== project) continue;
        issues.push(this.#toCanonical(bean, mission));
      }
    }
    return issues;
  }

  /**
   * Tombstones of the refs Jira says are gone: missing from a `bulkfetch` (100 per call) while the
   * project still answers a search → deleted; answered under another project → moved (`movedTo`
   * carries the new key). Live issues are omitted; `issueErrors`, auth errors, 5xx, rate limits
   * and timeouts throw. Listings cannot see deletions, so pages carry no tombstones.
   */
  async checkGone(
    refs: readonly ExternalRef[],
    options: { signal?: AbortSignal } = {},
  ): Promise<IssueTombstone[]> {
    return checkJiraGone(
      {
        baseUrl: this.#baseUrl,
        projectKey: this.config.projectKey,
        bulkRead: jiraBulkRead(this.#http, ['project']),
        projectReadable: async (signal) => {
          try {
            await this.#http.request({
              method: 'POST',
              path: '/rest/api/3/search/jql',
              json: { jql: `project = ${jqlString(this.config.projectKey)}`, maxResults: 1, fields: ['id'] },
              schema: searchResultsSchema,
              idempotent: true,
              ...(signal !== undefined ? { signal } : {}),
            });
            return true;
          } catch (error) {
            // Jira answers a JQL naming a project the account cannot see with 400 (or 404).
            if (isHttpStatus(error, [400, 404])) return false;
            throw error;
          }
        },
      },
      refs,
      options.signal,
    );
  }

  /** Jira-only: the transitions available now (`GET …/transitions`), skipping entries without id. */
  async listTransitions(ref: ExternalRef): Promise<JiraTransition[]> {
    const response = await this.#http.request({
      method: 'GET',
      path: `/rest/api/3/issue/${encodeURIComponent(this.#issuePathKey(ref))}/transitions`,
      schema: transitionsSchema,
    });
    return parseTransitions(response.data.transitions)
      .filter((option) => option.id !== null)
      .map((option) => ({ id: option.id as string, name: option.name }));
  }

  // --- writes ----------------------------------------------------------------------------------

  async createIssue(issue: CanonicalIssue, options: WriteOptions = {}): Promise<CanonicalIssue> {
    const fields: Record<string, unknown> = {
      project: { key: this.config.projectKey },
      summary: issue.title,
      issuetype: { name: issueTypeToJira(issue.issueType, this.config.defaultIssueType) },
      labels: [...issue.labels, this.#markerLabel(issue, options)],
    };
    if (issue.body !== null && issue.body.trim().length > 0) fields.description = markdownToAdf(issue.body);
    if (issue.priority !== null) fields.priority = { name: priorityToJira(issue.priority) };
    if (issue.parent !== null && issue.parent.system === JIRA_SYSTEM) {
      fields.parent = { key: issue.parent.key ?? issue.parent.id };
    }
    if (Object.hasOwn(issue.customFields, MISSION_KEY)) {
      this.#putMissionField(fields, issue.customFields, await this.#resolveMissionField(true));
    }
    const created = await this.#http.request({
      method: 'POST',
      path: '/rest/api/3/issue',
      json: { fields },
      schema: createdIssueSchema,
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
    const ref = jiraRef(this.#baseUrl, created.data.id, created.data.key);
    await this.#writeCreatedLinks(ref, issue.links, created.data.key);
    let result = await this.getIssue(ref);
    if (result.status !== issue.status) {
      // Jira creates issues in the workflow's initial status; move it when the caller asked for
      // another one. A refusal must not fail the create (a retry would duplicate the issue).
      try {
        result = await this.#transitionFrom(result, issue.status);
      } catch (error) {
        this.#logger.warn(
          `Jira issue ${created.data.key} was created in status '${result.status}'; moving it to '${issue.status}' failed: ${String(error)}`,
        );
      }
    }
    return result;
  }

  /**
   * Links of a just-created issue, as `projectJiraLinks` keeps them. A refused link is logged,
   * never thrown: the issue exists, and failing the create would make a retry duplicate it.
   */
  async #writeCreatedLinks(ref: ExternalRef, links: readonly CanonicalLink[], key: string | undefined) {
    for (const link of projectJiraLinks(links, this.#baseUrl)) {
      try {
        await this.upsertLink(ref, link);
      } catch (error) {
        this.#logger.warn(
          `Jira issue ${key ?? ref.id} was created, but its ${link.type} link to ${link.target.id} failed: ${String(error)}`,
        );
      }
    }
  }

  /**
   * Finds an issue a previous (possibly failed) `createIssue` made for `issue`, by the marker
   * label it carries. Search is eventually consistent in Jira Cloud, so callers should wait a
   * moment after an ambiguous failure before asking.
   */
  async findCreatedIssue(issue: CanonicalIssue, options: WriteOptions = {}): Promise<CanonicalIssue | null> {
    const mission = await this.#resolveMissionField();
    const response = await this.#http.request({
      method: 'POST',
      path: '/rest/api/3/search/jql',
      json: {
        jql: createdMarkerJql(this.config.projectKey, this.#markerLabel(issue, options)),
        maxResults: 1,
        fields: this.#fieldList(mission),
      },
      schema: searchResultsSchema,
      idempotent: true,
    });
    const found = response.data.issues[0];
    return found === undefined ? null : this.#toCanonical(found, mission);
  }

  async updateIssue(
    ref: ExternalRef,
    patch: IssuePatch,
    options: WriteOptions = {},
  ): Promise<CanonicalIssue> {
    rejectUnknownPatchKeys(patch as Record<string, unknown>, PROVIDER);
    const fields: Record<string, unknown> = {};
    if (patch.title !== undefined) fields.summary = patch.title;
    if (patch.body !== undefined) {
      fields.description =
        patch.body === null || patch.body.trim().length === 0 ? null : markdownToAdf(patch.body);
    }
    if (patch.labels !== undefined) fields.labels = [...patch.labels];
    if (patch.priority !== undefined && patch.priority !== null)
      fields.priority = { name: priorityToJira(patch.priority) };
    if (patch.parent !== undefined) {
      if (patch.parent === null) fields.parent = null;
      else if (patch.parent.system === JIRA_SYSTEM)
        fields.parent = { key: patch.parent.key ?? patch.parent.id };
    }
    if (patch.customFields !== undefined) {
      this.#putMissionField(fields, patch.customFields, await this.#resolveMissionField(true), true);
    }
    // Written in the original's (0.5) order: fields first, then the transition.
    if (Object.keys(fields).length > 0) {
      await this.#http.request({
        method: 'PUT',
        path: `/rest/api/3/issue/${encodeURIComponent(this.#issuePathKey(ref))}`,
        json: { fields },
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
      });
    }
    if (patch.links !== undefined) await this.#addMissingLinks(ref, patch.links, options.signal);
    if (patch.status !== undefined) {
      const target = String(patch.status);
      if (!isCanonicalStatus(target)) {
        throw new ConnectorConfigError(
          `Unknown canonical status '${target}' in patch; expected one of ${Object.values(CanonicalStatus).join(', ')}`,
        );
      }
      // transitionIssue returns the fresh issue; no second GET.
      return this.transitionIssue(ref, target);
    }
    return this.getIssue(ref);
  }

  /** How `issue` reads back from Jira (chore -> Task -> task, one assignee, …): see `projectJiraIssue`. */
  projectIssue(issue: CanonicalIssue): CanonicalIssue {
    return projectJiraIssue(issue, { ...this.config, baseUrl: this.#baseUrl });
  }

  async transitionIssue(ref: ExternalRef, target: CanonicalStatus): Promise<CanonicalIssue> {
    return this.#transitionFrom(await this.getIssue(ref), target);
  }

  /** The transition algorithm, starting from an already-fetched `current` issue. */
  async #transitionFrom(current: CanonicalIssue, target: CanonicalStatus): Promise<CanonicalIssue> {
    const ref = current.ref;
    const desired = desiredStatusName(target, this.config.statusNameMap);
    const fields = (current.raw?.fields ?? null) as Record<string, unknown> | null;
    const status = typeof fields === 'object' && fields !== null ? fields.status : null;
    const rawName =
      typeof status === 'object' && status !== null ? String((status as { name?: unknown }).name ?? '') : '';
    // Already there only when the raw status itself names the target. The read-back status is
    // not enough: an unrecognised status (e.g. "Triage") reads back as `todo` through the category
    // or the blanket fallback, and must still be moved (or refused) through the transitions.
    if (
      rawName.toLowerCase() === desired ||
      statusFromJiraName(rawName, this.config.statusNameMap) === target
    )
      return current;
    const pathKey = encodeURIComponent(this.#issuePathKey(ref));
    const response = await this.#http.request({
      method: 'GET',
      path: `/rest/api/3/issue/${pathKey}/transitions`,
      query: { expand: 'transitions.fields' },
      schema: transitionsSchema,
    });
    const choice = chooseTransition(
      target,
      parseTransitions(response.data.transitions),
      this.config.statusNameMap,
    );
    if (choice.chosen === null) throw noTransitionError(target, desired, choice.available);
    if (choice.chosen.requiredFields.length > 0) throw requiredFieldsError(target, choice.chosen);
    await this.#http.request({
      method: 'POST',
      path: `/rest/api/3/issue/${pathKey}/transitions`,
      json: { transition: { id: choice.chosen.id } },
    });
    return this.getIssue(ref);
  }

  async upsertLink(ref: ExternalRef, link: CanonicalLink): Promise<void> {
    // "X blocks Y" is POSTed as inwardIssue X, outwardIssue Y. Unlike the original (which sent
    // BLOCKED_BY unswapped, recording the opposite dependency), blocked_by swaps the two.
    // A ref without a key names its issue by id (`LinkedIssue` takes `id` or `key`).
    const linked = (issue: ExternalRef) => (issue.key ? { key: issue.key } : { id: issue.id });
    const self = linked(ref);
    const other = linked(link.target);
    const typeName =
      link.type === LinkType.BLOCKS || link.type === LinkType.BLOCKED_BY
        ? 'Blocks'
        : link.type === LinkType.DUPLICATES
          ? 'Duplicate'
          : 'Relates';
    const swap = link.type === LinkType.BLOCKED_BY;
    await this.#http.request({
      method: 'POST',
      path: '/rest/api/3/issueLink',
      json: { type: { name: typeName }, inwardIssue: swap ? other : self, outwardIssue: swap ? self : other },
    });
  }

  /**
   * Creates the links `links` names that `ref` lacks (after one read of its `issuelinks`), compared
   * as `projectJiraLinks` reads them: by type and target id. Links to other trackers are skipped;
   * a link is never removed by a shorter list (Jira links are shared by both issues).
   */
  async #addMissingLinks(ref: ExternalRef, links: readonly CanonicalLink[], signal?: AbortSignal) {
    const wanted = links.filter((link) => link.target.system === JIRA_SYSTEM);
    if (wanted.length === 0) return;
    const current = linksFromJira((await this.#fetchIssue(ref, signal)).fields?.issuelinks, this.#baseUrl);
    const have = new Set(current.map((link) => `${link.type} ${link.target.id}`));
    for (const link of wanted) {
      const key = `${jiraLinkType(link.type)} ${link.target.id}`;
      if (have.has(key)) continue;
      await this.upsertLink(ref, link);
      have.add(key);
    }
  }

  async addComment(ref: ExternalRef, body: string): Promise<void> {
    const document = markdownToAdf(body);
    if (document.content.length === 0) {
      throw new ConnectorConfigError(
        'Jira comments must not be empty; pass some Markdown text to addComment',
      );
    }
    await this.#http.request({
      method: 'POST',
      path: `/rest/api/3/issue/${encodeURIComponent(this.#issuePathKey(ref))}/comment`,
      json: { body: document },
    });
  }

  async listEvents(_query: ListEventsQuery): Promise<EventsPage> {
    return { events: [], checkpoint: null };
  }

  async close(): Promise<void> {}

  // --- internals -------------------------------------------------------------------------------

  #issuePathKey(ref: ExternalRef): string {
    return ref.key ?? ref.id;
  }

  #markerLabel(issue: CanonicalIssue, options: WriteOptions): string {
    const seed = options.idempotencyKey ?? `create:${refIdentity(issue.ref)}`;
    return `${CREATE_MARKER_PREFIX}${fnv1a64(seed)}`;
  }

  #fieldList(mission: ResolvedField | null): string[] {
    return mission === null ? [...ISSUE_FIELDS] : [...ISSUE_FIELDS, mission.id];
  }

  #toCanonical(issue: JiraIssueBean, mission: ResolvedField | null): CanonicalIssue {
    return toCanonicalIssue(issue, {
      baseUrl: this.#baseUrl,
      statusNameMap: this.config.statusNameMap,
      missionFieldId: mission?.id ?? null,
    });
  }

  async #fetchIssue(ref: ExternalRef, signal?: AbortSignal): Promise<JiraIssueBean> {
    const mission = await this.#resolveMissionField();
    try {
      const response = await this.#http.request({
        method: 'GET',
        path: `/rest/api/3/issue/${encodeURIComponent(this.#issuePathKey(ref))}`,
        query: { fields: this.#fieldList(mission).join(',') },
        schema: issueBeanSchema,
        ...(signal !== undefined ? { signal } : {}),
      });
      return response.data;
    } catch (error) {
      if (isHttpStatus(error, 404)) {
        throw new IssueNotFoundError(
          `Jira issue not found: ${this.#issuePathKey(ref)} (${refIdentity(ref)})`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  /**
   * The mission field, resolved at most once: by name through `GET /rest/api/3/field`; a
   * configured id needs that list only for writes (to learn the wire format), never for reads.
   */
  #resolveMissionField(forWrite = false): Promise<ResolvedField | null> {
    const { specKittyMissionFieldId: id, specKittyMissionFieldName: name } = this.config;
    if (id === null && name === null) return Promise.resolve(null);
    if (id !== null && !forWrite && this.#missionField === null) {
      return Promise.resolve({ id, name: id, format: 'string' });
    }
    if (this.#missionField === null) {
      const pending: Promise<ResolvedField | null> =
        id !== null
          ? this.#fields.byId(id).catch((): ResolvedField => ({ id, name: id, format: 'string' }))
          : this.#fields.byName(name as string);
      pending.catch(() => {
        if (this.#missionField === pending) this.#missionField = null;
      });
      this.#missionField = pending;
    }
    return this.#missionField;
  }

  #putMissionField(
    fields: Record<string, unknown>,
    customFields: Readonly<Record<string, JsonValue>>,
    mission: ResolvedField | null,
    warnWhenUnconfigured = false,
  ): void {
    if (mission === null) {
      if (warnWhenUnconfigured) {
        this.#logger.warn(
          'Jira custom field persistence skipped: spec_kitty_mission_field_id not configured',
        );
      }
      return;
    }
    if (!Object.hasOwn(customFields, MISSION_KEY)) return;
    const value = customFields[MISSION_KEY] as JsonValue;
    fields[mission.id] = value === null ? null : missionFieldValue(pythonJsonDumps(value), mission.format);
  }
}
