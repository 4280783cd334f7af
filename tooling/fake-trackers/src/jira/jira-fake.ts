import { type FakeRequest, type FakeResponse, FakeServer, type RouteDefinition } from '../server/fake-server';
import { adfText, checkAdfDocument } from './jira-adf-check';
import { evaluateJql, type JqlClause, JqlError, type JqlQuery, parseJql } from './jira-jql';
import { JiraJsSchemaValidator } from './jira-js-schemas';
import { JiraSpecValidator } from './jira-spec';
import { formatJiraTimestamp, wallClockToEpoch } from './jira-time';

export type JiraStatusCategoryKey = 'new' | 'indeterminate' | 'done';

export interface JiraFakeStatus {
  id: string;
  name: string;
  category: JiraStatusCategoryKey;
}

export interface JiraFakeTransition {
  id: string;
  name: string;
  /** Destination status name. */
  to: string;
  /** Statuses it is available from; `'any'` = a global transition (not offered from its own destination). */
  from: readonly string[] | 'any';
  /** Field ids the transition screen requires (e.g. `resolution`). */
  requiredFields?: readonly string[];
}

export interface JiraFakeWorkflow {
  statuses: readonly JiraFakeStatus[];
  transitions: readonly JiraFakeTransition[];
  /** Status of a new issue (default: the first status). */
  initialStatus?: string;
}

export interface JiraFakeCustomField {
  name: string;
  /** `textarea` = multi-line (ADF in v3), `textfield` = single line (string, ≤ 255 chars). */
  type: 'textarea' | 'textfield';
}

export interface JiraFakeSite {
  id: string;
  name: string;
  url: string;
}

export interface JiraFakeProject {
  id: string;
  key: string;
  name: string;
}

export interface JiraFakeOptions {
  /** Basic auth credentials accepted (`email:apiToken`). */
  email?: string;
  apiToken?: string;
  /** Bearer token accepted (OAuth 2.0 / hosted traffic). */
  oauthToken?: string;
  /** The calling user's profile time zone: bare JQL datetimes are read in it, timestamps are rendered in it. */
  profileTimeZone?: string;
  projects?: readonly JiraFakeProject[];
  /** Extra projects for discovery paging (generated `P<n>` keys). */
  extraProjectCount?: number;
  customFields?: readonly JiraFakeCustomField[];
  /** First custom field number (ids differ per instance: `customfield_<n>`). */
  customFieldIdBase?: number;
  workflow?: JiraFakeWorkflow;
  sites?: readonly JiraFakeSite[];
  /** Clock (epoch ms); writes are stamped strictly increasing. */
  now?: () => number;
  /**
   * Search index lag: an issue created less than this many ms ago (by the clock) is not yet
   * returned by `/search/jql` (Jira Cloud's search is eventually consistent); direct GETs see it.
   * Default 0.
   */
  searchLagMs?: number;
  /** Validate requests and responses (default true); see `specSource` for against what. */
  validateWithSpec?: boolean;
  /**
   * What to validate against: `swagger` = the shared Atlassian OpenAPI document (throws when it is
   * absent), `jira.js` = the `jira.js` package's zod models, `auto` (default) = the swagger when
   * present, else `jira.js`. Defaults to the `JIRA_FAKE_SPEC_SOURCE` environment variable, then `auto`.
   */
  specSource?: JiraSpecSource;
}

export type JiraSpecSource = 'swagger' | 'jira.js' | 'auto';

/** Request/response contract check the fake runs on every `/rest/api/3` call. */
export interface JiraContractValidator {
  validateRequest(method: string, specPath: string, request: FakeRequest): string[];
  validateResponse(method: string, specPath: string, response: FakeResponse): string[];
}

/** The one place that chooses between the official swagger and the `jira.js` fallback. */
export function selectJiraValidator(source: JiraSpecSource = specSourceFromEnv()): {
  source: 'swagger' | 'jira.js';
  validator: JiraContractValidator;
} {
  if (source === 'jira.js') return { source, validator: JiraJsSchemaValidator.load() };
  const swagger = JiraSpecValidator.load();
  if (swagger !== null) return { source: 'swagger', validator: swagger };
  if (source === 'swagger') {
    throw new Error('specSource "swagger" requested but shared/specs/jira/swagger-v3.v3.json is absent');
  }
  return { source: 'jira.js', validator: JiraJsSchemaValidator.load() };
}

function specSourceFromEnv(): JiraSpecSource {
  const value = process.env.JIRA_FAKE_SPEC_SOURCE;
  if (value === undefined || value === '') return 'auto';
  if (value === 'swagger' || value === 'jira.js' || value === 'auto') return value;
  throw new Error(`JIRA_FAKE_SPEC_SOURCE must be swagger, jira.js or auto, got ${JSON.stringify(value)}`);
}

export const DEFAULT_JIRA_WORKFLOW: JiraFakeWorkflow = {
  statuses: [
    { id: '10000', name: 'To Do', category: 'new' },
    { id: '10001', name: 'In Progress', category: 'indeterminate' },
    { id: '10002', name: 'In Review', category: 'indeterminate' },
    { id: '10003', name: 'Done', category: 'done' },
  ],
  transitions: [
    { id: '11', name: 'Start Progress', to: 'In Progress', from: ['To Do', 'In Review'] },
    { id: '21', name: 'Stop Progress', to: 'To Do', from: ['In Progress'] },
    { id: '31', name: 'Request Review', to: 'In Review', from: ['In Progress'] },
    { id: '41', name: 'Resolve Issue', to: 'Done', from: 'any' },
    { id: '51', name: 'Reopen Issue', to: 'To Do', from: ['Done'] },
  ],
};

const CATEGORY: Record<JiraStatusCategoryKey, { id: number; name: string; colorName: string }> = {
  new: { id: 2, name: 'To Do', colorName: 'blue-gray' },
  indeterminate: { id: 4, name: 'In Progress', colorName: 'yellow' },
  done: { id: 3, name: 'Done', colorName: 'green' },
};

const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];
const ISSUE_TYPES = ['Epic', 'Story', 'Task', 'Bug', 'Sub-task'];
const LINK_TYPES = [
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
];
const RESOLUTIONS = ['Done', "Won't Do", 'Duplicate'];

const SYSTEM_FIELDS: { id: string; name: string; schema: Record<string, unknown> }[] = [
  { id: 'summary', name: 'Summary', schema: { type: 'string', system: 'summary' } },
  { id: 'description', name: 'Description', schema: { type: 'string', system: 'description' } },
  { id: 'status', name: 'Status', schema: { type: 'status', system: 'status' } },
  { id: 'priority', name: 'Priority', schema: { type: 'priority', system: 'priority' } },
  { id: 'assignee', name: 'Assignee', schema: { type: 'user', system: 'assignee' } },
  { id: 'labels', name: 'Labels', schema: { type: 'array', items: 'string', system: 'labels' } },
  { id: 'issuetype', name: 'Issue Type', schema: { type: 'issuetype', system: 'issuetype' } },
  { id: 'parent', name: 'Parent', schema: { type: 'issuelink', system: 'parent' } },
  { id: 'project', name: 'Project', schema: { type: 'project', system: 'project' } },
  { id: 'created', name: 'Created', schema: { type: 'datetime', system: 'created' } },
  { id: 'updated', name: 'Updated', schema: { type: 'datetime', system: 'updated' } },
  { id: 'resolution', name: 'Resolution', schema: { type: 'resolution', system: 'resolution' } },
  {
    id: 'issuelinks',
    name: 'Linked Issues',
    schema: { type: 'array', items: 'issuelinks', system: 'issuelinks' },
  },
  { id: 'comment', name: 'Comment', schema: { type: 'comments-page', system: 'comment' } },
];
const SETTABLE = new Set([
  'summary',
  'description',
  'priority',
  'assignee',
  'labels',
  'issuetype',
  'parent',
  'project',
]);
const NAVIGABLE = SYSTEM_FIELDS.map((field) => field.id).filter((id) => id !== 'comment');

export interface JiraFakeComment {
  id: string;
  body: unknown;
  created: number;
}

export interface JiraFakeIssue {
  id: string;
  key: string;
  projectId: string;
  summary: string;
  description: unknown;
  status: string;
  issuetype: string;
  priority: string | null;
  labels: string[];
  assignee: string | null;
  parentId: string | null;
  resolution: string | null;
  custom: Record<string, unknown>;
  properties: Map<string, unknown>;
  comments: JiraFakeComment[];
  created: number;
  updated: number;
}

interface StoredLink {
  id: string;
  type: (typeof LINK_TYPES)[number];
  /** Request `inwardIssue`: the issue the outward description applies to ("A blocks B"). */
  sourceId: string;
  targetId: string;
}

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorBody(messages: string[], errors: Record<string, string> = {}): JsonRecord {
  return { errorMessages: messages, errors };
}

/** The state of one fake Jira Cloud instance. */
export class JiraFakeState {
  readonly options: Required<Pick<JiraFakeOptions, 'profileTimeZone'>> & JiraFakeOptions;
  readonly issues = new Map<string, JiraFakeIssue>();
  readonly links: StoredLink[] = [];
  readonly projects: JiraFakeProject[];
  readonly workflow: JiraFakeWorkflow;
  readonly customFields: { id: string; name: string; type: 'textarea' | 'textfield' }[];
  readonly sites: JiraFakeSite[];
  readonly #counters = new Map<string, number>();
  #nextIssueId = 10001;
  #nextCommentId = 20001;
  #nextLinkId = 30001;
  #lastStamp = 0;

  constructor(options: JiraFakeOptions) {
    this.options = { profileTimeZone: 'UTC', ...options };
    this.projects = [...(options.projects ?? [{ id: '10000', key: 'PROJ', name: 'Project' }])];
    for (let index = 0; index < (options.extraProjectCount ?? 0); index += 1) {
      this.projects.push({ id: String(20000 + index), key: `P${index}`, name: `Project ${index}` });
    }
    this.workflow = options.workflow ?? DEFAULT_JIRA_WORKFLOW;
    const base = options.customFieldIdBase ?? 10042;
    this.customFields = (options.customFields ?? [{ name: 'Spec Kitty Mission', type: 'textarea' }]).map(
      (field, index) => ({ id: `customfield_${base + index}`, ...field }),
    );
    this.sites = [
      ...(options.sites ?? [{ id: 'cloud-1', name: 'mysite', url: 'https://mysite.atlassian.net' }]),
    ];
  }

  /** A strictly increasing timestamp for writes. */
  stamp(): number {
    const now = (this.options.now ?? Date.now)();
    this.#lastStamp = Math.max(now, this.#lastStamp + 1);
    return this.#lastStamp;
  }

  findIssue(idOrKey: string): JiraFakeIssue | undefined {
    const direct = this.issues.get(idOrKey);
    if (direct) return direct;
    const upper = idOrKey.toUpperCase();
    for (const issue of this.issues.values()) if (issue.key === upper) return issue;
    return undefined;
  }

  findProject(value: string): JiraFakeProject | undefined {
    const lower = value.toLowerCase();
    return this.projects.find(
      (project) =>
        project.id === value || project.key.toLowerCase() === lower || project.name.toLowerCase() === lower,
    );
  }

  status(name: string): JiraFakeStatus {
    const found = this.workflow.statuses.find((status) => status.name.toLowerCase() === name.toLowerCase());
    if (!found) throw new Error(`unknown status ${name}`);
    return found;
  }

  /** Test helper: insert an issue directly (no validation), returning it. */
  seedIssue(init: Partial<JiraFakeIssue> & { summary: string; projectKey?: string }): JiraFakeIssue {
    const project = this.findProject(init.projectKey ?? this.projects[0]?.key ?? 'PROJ');
    if (!project) throw new Error(`unknown project ${init.projectKey}`);
    const number = (this.#counters.get(project.key) ?? 0) + 1;
    this.#counters.set(project.key, number);
    const stamp = init.updated ?? this.stamp();
    const issue: JiraFakeIssue = {
      id: String(this.#nextIssueId++),
      key: `${project.key}-${number}`,
      projectId: project.id,
      description: null,
      status: this.workflow.initialStatus ?? this.workflow.statuses[0]?.name ?? 'To Do',
      issuetype: 'Task',
      priority: 'Medium',
      labels: [],
      assignee: null,
      parentId: null,
      resolution: null,
      custom: {},
      properties: new Map(),
      comments: [],
      created: init.created ?? stamp,
      ...init,
      updated: stamp,
    };
    this.issues.set(issue.id, issue);
    return issue;
  }

  /** Test helper: simulate an edit made in Jira at `at` (defaults to now). */
  touch(idOrKey: string, changes: Partial<JiraFakeIssue> = {}, at?: number): JiraFakeIssue {
    const issue = this.findIssue(idOrKey);
    if (!issue) throw new Error(`no issue ${idOrKey}`);
    Object.assign(issue, changes);
    issue.updated = at ?? this.stamp();
    return issue;
  }

  addComment(issue: JiraFakeIssue, body: unknown): JiraFakeComment {
    const comment = { id: String(this.#nextCommentId++), body, created: this.stamp() };
    issue.comments.push(comment);
    issue.updated = comment.created;
    return comment;
  }

  addLink(type: (typeof LINK_TYPES)[number], source: JiraFakeIssue, target: JiraFakeIssue): void {
    const exists = this.links.some(
      (link) => link.type.id === type.id && link.sourceId === source.id && link.targetId === target.id,
    );
    if (exists) return;
    this.links.push({ id: String(this.#nextLinkId++), type, sourceId: source.id, targetId: target.id });
    const stamp = this.stamp();
    source.updated = stamp;
    target.updated = stamp;
  }

  availableTransitions(issue: JiraFakeIssue): JiraFakeTransition[] {
    return this.workflow.transitions.filter((transition) =>
      transition.from === 'any'
        ? transition.to.toLowerCase() !== issue.status.toLowerCase()
        : transition.from.some((from) => from.toLowerCase() === issue.status.toLowerCase()),
    );
  }
}

/** A stateful Jira Cloud REST v3 fake on 127.0.0.1 (see README.md for fidelity and gaps). */
export class JiraFake extends FakeServer {
  readonly state: JiraFakeState;
  /** What requests and responses are validated against (null when validation is off). */
  readonly specSource: 'swagger' | 'jira.js' | null;

  constructor(options: JiraFakeOptions = {}) {
    const state = new JiraFakeState(options);
    const selected = options.validateWithSpec === false ? null : selectJiraValidator(options.specSource);
    const spec = selected?.validator ?? null;
    super({
      name: 'jira',
      routes: buildRoutes(state),
      rejectStatus: 400,
      notFoundBody: errorBody(['Not found']),
      validateRequest: (request) => {
        const specPath = specPathOf(request.endpoint);
        if (spec === null || specPath === null) return [];
        return spec.validateRequest(request.method, specPath, request);
      },
      validateResponse: (request, response) => {
        const specPath = specPathOf(request.endpoint);
        if (spec === null || specPath === null || response.status >= 400) return [];
        return spec.validateResponse(request.method, specPath, response);
      },
    });
    this.state = state;
    this.specSource = selected?.source ?? null;
  }

  /** True when the shared Atlassian spec was found (`auto` then validates against it). */
  static specAvailable(): boolean {
    return JiraSpecValidator.load() !== null;
  }

  /** `http://127.0.0.1:<port>/ex/jira/<cloudId>` — the OAuth / hosted style base URL. */
  cloudBaseUrl(cloudId = this.state.sites[0]?.id ?? 'cloud-1'): string {
    return `${this.url}/ex/jira/${cloudId}`;
  }
}

export async function startJiraFake(options: JiraFakeOptions = {}): Promise<JiraFake> {
  return new JiraFake(options).start();
}

function specPathOf(endpoint: string): string | null {
  const space = endpoint.indexOf(' ');
  const path = endpoint.slice(space + 1);
  return path.startsWith('/rest/api/3/') ? path : null;
}

// ---------------------------------------------------------------------------------------------

function buildRoutes(state: JiraFakeState): RouteDefinition[] {
  const api: [string, string, string, (request: FakeRequest) => FakeResponse][] = [
    [
      'GET',
      '/rest/api/3/search/jql',
      '/rest/api/3/search/jql',
      (r) => search(state, r, searchParamsFromQuery(r)),
    ],
    [
      'POST',
      '/rest/api/3/search/jql',
      '/rest/api/3/search/jql',
      (r) => search(state, r, searchParamsFromBody(r)),
    ],
    ['POST', '/rest/api/3/issue', '/rest/api/3/issue', (r) => createIssue(state, r)],
    ['GET', '/rest/api/3/issue/:issue', '/rest/api/3/issue/{issueIdOrKey}', (r) => getIssue(state, r)],
    ['PUT', '/rest/api/3/issue/:issue', '/rest/api/3/issue/{issueIdOrKey}', (r) => updateIssue(state, r)],
    [
      'GET',
      '/rest/api/3/issue/:issue/transitions',
      '/rest/api/3/issue/{issueIdOrKey}/transitions',
      (r) => getTransitions(state, r),
    ],
    [
      'POST',
      '/rest/api/3/issue/:issue/transitions',
      '/rest/api/3/issue/{issueIdOrKey}/transitions',
      (r) => doTransition(state, r),
    ],
    [
      'POST',
      '/rest/api/3/issue/:issue/comment',
      '/rest/api/3/issue/{issueIdOrKey}/comment',
      (r) => addComment(state, r),
    ],
    [
      'GET',
      '/rest/api/3/issue/:issue/comment',
      '/rest/api/3/issue/{issueIdOrKey}/comment',
      (r) => listComments(state, r),
    ],
    [
      'PUT',
      '/rest/api/3/issue/:issue/properties/:property',
      '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
      (r) => putProperty(state, r),
    ],
    [
      'GET',
      '/rest/api/3/issue/:issue/properties/:property',
      '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
      (r) => getProperty(state, r),
    ],
    ['POST', '/rest/api/3/issueLink', '/rest/api/3/issueLink', (r) => createLink(state, r)],
    ['GET', '/rest/api/3/field', '/rest/api/3/field', () => ({ status: 200, body: listFields(state) })],
    ['GET', '/rest/api/3/project/search', '/rest/api/3/project/search', (r) => searchProjects(state, r)],
  ];
  const routes: RouteDefinition[] = [];
  for (const [method, pattern, specPath, handler] of api) {
    const name = `${method} ${specPath}`;
    const guarded = (request: FakeRequest) => {
      const denied = checkAuth(state, request) ?? checkCloud(state, request);
      return denied ?? handler(request);
    };
    routes.push({ method, pattern, name, handler: guarded });
    routes.push({ method, pattern: `/ex/jira/:cloudId${pattern}`, name, handler: guarded });
  }
  routes.push({
    method: 'GET',
    pattern: '/oauth/token/accessible-resources',
    name: 'GET /oauth/token/accessible-resources',
    handler: (request) => {
      const denied = checkAuth(state, request, true);
      if (denied) return denied;
      return {
        status: 200,
        body: state.sites.map((site) => ({
          id: site.id,
          url: site.url,
          name: site.name,
          scopes: ['read:jira-work', 'write:jira-work'],
          avatarUrl: 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/site.png',
        })),
      };
    },
  });
  return routes;
}

function checkAuth(state: JiraFakeState, request: FakeRequest, bearerOnly = false): FakeResponse | null {
  const header = request.headers.authorization ?? '';
  const { email, apiToken, oauthToken } = state.options;
  const noAuthConfigured = email === undefined && apiToken === undefined && oauthToken === undefined;
  if (noAuthConfigured) return null;
  if (!bearerOnly && email !== undefined && apiToken !== undefined) {
    const expected = `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`;
    if (header === expected) return null;
  }
  if (oauthToken !== undefined && header === `Bearer ${oauthToken}`) return null;
  return { status: 401, body: errorBody(['Client must be authenticated to access this resource.']) };
}

function checkCloud(state: JiraFakeState, request: FakeRequest): FakeResponse | null {
  const cloudId = request.params.cloudId;
  if (cloudId === undefined || state.sites.some((site) => site.id === cloudId)) return null;
  return { status: 404, body: errorBody([`No Jira site with cloud id '${cloudId}'.`]) };
}

function apiBase(request: FakeRequest): string {
  const cloudId = request.params.cloudId;
  return `${request.url.origin}${cloudId === undefined ? '' : `/ex/jira/${cloudId}`}`;
}

function issueNotFound(): FakeResponse {
  return { status: 404, body: errorBody(['Issue does not exist or you do not have permission to see it.']) };
}

// --- field rendering ---------------------------------------------------------------------------

function parseFieldList(values: string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
}

function selectFields(state: JiraFakeState, requested: string[], fallback: string[]): Set<string> {
  const list = requested.length > 0 ? requested : fallback;
  const all = [...NAVIGABLE, 'comment', ...state.customFields.map((field) => field.id)];
  const selected = new Set<string>();
  for (const entry of list) {
    if (entry === '*all') for (const id of all) selected.add(id);
    else if (entry === '*navigable')
      for (const id of [...NAVIGABLE, ...state.customFields.map((f) => f.id)]) selected.add(id);
    else if (!entry.startsWith('-')) selected.add(entry);
  }
  for (const entry of list) if (entry.startsWith('-')) selected.delete(entry.slice(1));
  return selected;
}

function statusBean(state: JiraFakeState, base: string, name: string): JsonRecord {
  const status = state.status(name);
  const category = CATEGORY[status.category];
  return {
    self: `${base}/rest/api/3/status/${status.id}`,
    description: '',
    iconUrl: `${base}/images/icons/statuses/generic.png`,
    name: status.name,
    id: status.id,
    statusCategory: {
      self: `${base}/rest/api/3/statuscategory/${category.id}`,
      id: category.id,
      key: status.category,
      colorName: category.colorName,
      name: category.name,
    },
  };
}

function linkedIssueBean(state: JiraFakeState, base: string, issue: JiraFakeIssue): JsonRecord {
  return {
    id: issue.id,
    key: issue.key,
    self: `${base}/rest/api/3/issue/${issue.id}`,
    fields: { summary: issue.summary, status: statusBean(state, base, issue.status) },
  };
}

function renderIssue(
  state: JiraFakeState,
  base: string,
  issue: JiraFakeIssue,
  fields: Set<string>,
): JsonRecord {
  const tz = state.options.profileTimeZone;
  const project = state.projects.find((candidate) => candidate.id === issue.projectId);
  const values: JsonRecord = {};
  const put = (id: string, value: () => unknown) => {
    if (fields.has(id)) values[id] = value();
  };
  put('summary', () => issue.summary);
  put('description', () => issue.description);
  put('status', () => statusBean(state, base, issue.status));
  put('priority', () =>
    issue.priority === null
      ? null
      : { id: String(PRIORITIES.indexOf(issue.priority) + 1), name: issue.priority },
  );
  put('assignee', () =>
    issue.assignee === null
      ? null
      : { accountId: issue.assignee, displayName: `User ${issue.assignee}`, active: true },
  );
  put('labels', () => [...issue.labels]);
  put('issuetype', () => ({
    id: String(10000 + ISSUE_TYPES.indexOf(issue.issuetype)),
    name: issue.issuetype,
    subtask: issue.issuetype === 'Sub-task',
  }));
  put('project', () => ({ id: project?.id, key: project?.key, name: project?.name }));
  put('created', () => formatJiraTimestamp(issue.created, tz));
  put('updated', () => formatJiraTimestamp(issue.updated, tz));
  put('resolution', () => (issue.resolution === null ? null : { name: issue.resolution }));
  if (fields.has('parent') && issue.parentId !== null) {
    const parent = state.issues.get(issue.parentId);
    if (parent) values.parent = linkedIssueBean(state, base, parent);
  }
  put('issuelinks', () =>
    state.links
      .filter((link) => link.sourceId === issue.id || link.targetId === issue.id)
      .map((link) => {
        const outward = link.sourceId === issue.id;
        const other = state.issues.get(outward ? link.targetId : link.sourceId);
        const type = { ...link.type, self: `${base}/rest/api/3/issueLinkType/${link.type.id}` };
        return other === undefined
          ? { id: link.id, type }
          : {
              id: link.id,
              type,
              [outward ? 'outwardIssue' : 'inwardIssue']: linkedIssueBean(state, base, other),
            };
      }),
  );
  put('comment', () => ({
    comments: issue.comments.map((comment) => renderComment(state, base, issue, comment)),
    maxResults: issue.comments.length,
    total: issue.comments.length,
    startAt: 0,
  }));
  for (const field of state.customFields) put(field.id, () => issue.custom[field.id] ?? null);
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog',
    id: issue.id,
    key: issue.key,
    self: `${base}/rest/api/3/issue/${issue.id}`,
    fields: values,
  };
}

function renderComment(
  state: JiraFakeState,
  base: string,
  issue: JiraFakeIssue,
  comment: JiraFakeComment,
): JsonRecord {
  const stamp = formatJiraTimestamp(comment.created, state.options.profileTimeZone);
  return {
    self: `${base}/rest/api/3/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    body: comment.body,
    created: stamp,
    updated: stamp,
    jsdPublic: true,
  };
}

// --- search ------------------------------------------------------------------------------------

interface SearchParams {
  jql: string | null;
  nextPageToken: string | null;
  maxResults: number | null;
  fields: string[];
  properties: string[];
}

function searchParamsFromQuery(request: FakeRequest): SearchParams {
  const max = request.query.get('maxResults');
  return {
    jql: request.query.get('jql'),
    nextPageToken: request.query.get('nextPageToken'),
    maxResults: max === null ? null : Number(max),
    fields: parseFieldList(request.query.getAll('fields')),
    properties: parseFieldList(request.query.getAll('properties')),
  };
}

function searchParamsFromBody(request: FakeRequest): SearchParams {
  const body = isRecord(request.body) ? request.body : {};
  return {
    jql: typeof body.jql === 'string' ? body.jql : null,
    nextPageToken: typeof body.nextPageToken === 'string' ? body.nextPageToken : null,
    maxResults: typeof body.maxResults === 'number' ? body.maxResults : null,
    fields: Array.isArray(body.fields) ? body.fields.map(String) : [],
    properties: Array.isArray(body.properties) ? body.properties.map(String) : [],
  };
}

function encodeToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: jql })).toString('base64url');
}

function decodeToken(token: string, jql: string): number | null {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      o?: unknown;
      q?: unknown;
    };
    return typeof decoded.o === 'number' && decoded.q === jql ? decoded.o : null;
  } catch {
    return null;
  }
}

function search(state: JiraFakeState, request: FakeRequest, params: SearchParams): FakeResponse {
  const jql = params.jql ?? '';
  let query: JqlQuery;
  try {
    query = parseJql(jql);
  } catch (error) {
    return { status: 400, body: errorBody([(error as Error).message]) };
  }
  if (query.where === null) {
    return {
      status: 400,
      body: errorBody([
        'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
      ]),
    };
  }
  let matched: JiraFakeIssue[];
  try {
    const resolver = {
      clause: (issue: JiraFakeIssue, clause: JqlClause) => evaluateClause(state, issue, clause),
    };
    const lag = state.options.searchLagMs ?? 0;
    const now = (state.options.now ?? Date.now)();
    matched = [...state.issues.values()].filter(
      (issue) => (lag <= 0 || issue.created <= now - lag) && evaluateJql(query.where, issue, resolver),
    );
    matched.sort((a, b) => compareIssues(a, b, query));
  } catch (error) {
    if (error instanceof JqlError) return { status: 400, body: errorBody([error.message]) };
    throw error;
  }
  let offset = 0;
  if (params.nextPageToken !== null) {
    const decoded = decodeToken(params.nextPageToken, jql);
    if (decoded === null)
      return { status: 400, body: errorBody(['The provided next page token is invalid or expired.']) };
    offset = decoded;
  }
  const idOnly =
    params.fields.length > 0 && params.fields.every((field) => field === 'id' || field === 'key');
  const cap = idOnly ? 5000 : 100;
  const size = Math.max(1, Math.min(params.maxResults ?? 50, cap));
  const page = matched.slice(offset, offset + size);
  const base = apiBase(request);
  const fields = selectFields(state, params.fields, ['id']);
  const issues = page.map((issue) => {
    const bean = renderIssue(state, base, issue, fields);
    if (params.properties.length > 0) {
      const properties: JsonRecord = {};
      for (const key of params.properties)
        if (issue.properties.has(key)) properties[key] = issue.properties.get(key);
      bean.properties = properties;
    }
    return bean;
  });
  const isLast = offset + size >= matched.length;
  const body: JsonRecord = { issues, isLast };
  if (!isLast) body.nextPageToken = encodeToken(offset + size, jql);
  return { status: 200, body };
}

function compareIssues(a: JiraFakeIssue, b: JiraFakeIssue, query: JqlQuery): number {
  const order = query.orderBy.length > 0 ? query.orderBy : [{ field: 'key', direction: 'DESC' as const }];
  for (const sort of order) {
    const sign = sort.direction === 'DESC' ? -1 : 1;
    let diff = 0;
    switch (sort.field) {
      case 'updated':
      case 'updateddate':
        diff = a.updated - b.updated;
        break;
      case 'created':
      case 'createddate':
        diff = a.created - b.created;
        break;
      case 'key':
      case 'id':
      case 'issuekey':
        diff = Number(a.id) - Number(b.id);
        break;
      case 'summary':
        diff = a.summary.localeCompare(b.summary);
        break;
      default:
        throw new JqlError(`Field '${sort.field}' does not exist or you do not have permission to view it.`);
    }
    if (diff !== 0) return diff * sign;
  }
  return Number(a.id) - Number(b.id);
}

const DATE_PATTERN = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const RELATIVE_PATTERN = /^([+-]?\d+)([wdhm])$/;

/** A JQL date value as epoch ms: epoch ms numbers exactly; bare datetimes in the profile zone. */
function parseJqlDate(state: JiraFakeState, raw: string, field: string): number {
  const value = raw.trim();
  if (/^-?\d{9,}$/.test(value)) return Number(value);
  if (value.toLowerCase() === 'now()') return (state.options.now ?? Date.now)();
  const relative = RELATIVE_PATTERN.exec(value);
  if (relative) {
    const unit = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 }[
      relative[2] as 'w' | 'd' | 'h' | 'm'
    ];
    return (state.options.now ?? Date.now)() + Number(relative[1]) * unit;
  }
  const match = DATE_PATTERN.exec(value);
  if (!match) {
    throw new JqlError(
      `Date value '${raw}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
    );
  }
  const [, year, month, day, hour, minute] = match;
  return wallClockToEpoch(
    state.options.profileTimeZone,
    Number(year),
    Number(month),
    Number(day),
    Number(hour ?? 0),
    Number(minute ?? 0),
  );
}

function compareValues(operator: JqlClause['operator'], actual: number, expected: number): boolean {
  switch (operator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    default:
      throw new JqlError(`The operator '${operator}' is not supported by this field.`);
  }
}

function matchAny(
  clause: JqlClause,
  candidates: (string | null)[],
  compare = (a: string, b: string) => a.toLowerCase() === b.toLowerCase(),
): boolean {
  const present = candidates.filter((candidate): candidate is string => candidate !== null);
  switch (clause.operator) {
    case '=':
    case 'in':
      return clause.values.some((value) => present.some((candidate) => compare(candidate, value)));
    case '!=':
    case 'not in':
      return !clause.values.some((value) => present.some((candidate) => compare(candidate, value)));
    case 'is':
      return present.length === 0;
    case 'is not':
      return present.length > 0;
    default:
      throw new JqlError(
        `The operator '${clause.operator}' is not supported by the '${clause.field}' field.`,
      );
  }
}

function textContains(haystack: string, needle: string): boolean {
  const lower = haystack.toLowerCase();
  return needle
    .toLowerCase()
    .split(/\s+/)
    .filter((term) => term.length > 0)
    .every((term) => lower.includes(term.replace(/[*?]/g, '')));
}

function evaluateClause(state: JiraFakeState, issue: JiraFakeIssue, clause: JqlClause): boolean {
  const field = clause.field;
  if (
    clause.values.some((value) => /^(EMPTY|NULL)$/i.test(value)) &&
    (clause.operator === 'is' || clause.operator === 'is not')
  ) {
    // handled per field below through matchAny
  }
  switch (field) {
    case 'project': {
      const project = state.projects.find((candidate) => candidate.id === issue.projectId);
      return matchAny(clause, project ? [project.key, project.id, project.name] : []);
    }
    case 'key':
    case 'issuekey':
    case 'id':
      return matchAny(clause, [issue.key, issue.id]);
    case 'status':
      return matchAny(clause, [issue.status, state.status(issue.status).id]);
    case 'statuscategory':
      return matchAny(clause, [
        state.status(issue.status).category,
        CATEGORY[state.status(issue.status).category].name,
      ]);
    case 'labels':
      return matchAny(clause, issue.labels, (a, b) => a === b);
    case 'assignee':
      return matchAny(clause, [issue.assignee]);
    case 'type':
    case 'issuetype':
      return matchAny(clause, [issue.issuetype]);
    case 'parent': {
      const parent = issue.parentId === null ? undefined : state.issues.get(issue.parentId);
      return matchAny(clause, parent ? [parent.key, parent.id] : []);
    }
    case 'text':
    case 'summary':
    case 'description': {
      if (clause.operator !== '~' && clause.operator !== '!~') {
        throw new JqlError(`The operator '${clause.operator}' is not supported by the '${field}' field.`);
      }
      const parts =
        field === 'summary'
          ? [issue.summary]
          : field === 'description'
            ? [adfText(issue.description)]
            : [
                issue.summary,
                adfText(issue.description),
                ...issue.comments.map((comment) => adfText(comment.body)),
              ];
      const hit = textContains(parts.join(' '), clause.values[0] ?? '');
      return clause.operator === '~' ? hit : !hit;
    }
    case 'updated':
    case 'updateddate':
    case 'created':
    case 'createddate': {
      const actual = field.startsWith('updated') ? issue.updated : issue.created;
      return compareValues(clause.operator, actual, parseJqlDate(state, clause.values[0] ?? '', field));
    }
    default:
      break;
  }
  const property = /^issue\.property\[([^\]]+)\]\.(.+)$/.exec(field);
  if (property) {
    let value: unknown = issue.properties.get(property[1] ?? '');
    for (const segment of (property[2] ?? '').split('.'))
      value = isRecord(value) ? value[segment] : undefined;
    return matchAny(clause, value === undefined || value === null ? [] : [String(value)], (a, b) => a === b);
  }
  const custom = /^(?:cf\[(\d+)\]|customfield_(\d+))$/.exec(field);
  const customField = custom
    ? state.customFields.find((candidate) => candidate.id === `customfield_${custom[1] ?? custom[2]}`)
    : state.customFields.find((candidate) => candidate.name.toLowerCase() === field);
  if (customField) {
    const text = adfText(issue.custom[customField.id] ?? null);
    if (clause.operator === '~' || clause.operator === '!~') {
      const hit = textContains(text, clause.values[0] ?? '');
      return clause.operator === '~' ? hit : !hit;
    }
    return matchAny(clause, text.length > 0 ? [text] : [], (a, b) => a === b);
  }
  throw new JqlError(`Field '${field}' does not exist or you do not have permission to view it.`);
}

// --- issues ------------------------------------------------------------------------------------

function getIssue(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const issue = state.findIssue(request.params.issue ?? '');
  if (!issue) return issueNotFound();
  const fields = selectFields(state, parseFieldList(request.query.getAll('fields')), ['*all']);
  const bean = renderIssue(state, apiBase(request), issue, fields);
  const properties = parseFieldList(request.query.getAll('properties'));
  if (properties.length > 0) {
    const values: JsonRecord = {};
    for (const key of properties) if (issue.properties.has(key)) values[key] = issue.properties.get(key);
    bean.properties = values;
  }
  return { status: 200, body: bean };
}

interface FieldWrite {
  apply: (issue: JiraFakeIssue) => void;
}

/** Validates `fields` of a create / edit / transition request; returns errors keyed by field or writes. */
function parseFieldWrites(
  state: JiraFakeState,
  fields: JsonRecord,
  mode: 'create' | 'edit' | 'transition',
  allowed: Set<string> = SETTABLE,
): { errors: Record<string, string>; writes: FieldWrite[] } {
  const errors: Record<string, string> = {};
  const writes: FieldWrite[] = [];
  for (const [id, value] of Object.entries(fields)) {
    const customField = state.customFields.find((field) => field.id === id);
    if (customField) {
      if (value === null) writes.push({ apply: (issue) => delete issue.custom[id] });
      else if (customField.type === 'textarea') {
        const problems = checkAdfDocument(value, id);
        if (problems.length > 0)
          errors[id] = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
        else writes.push({ apply: (issue) => (issue.custom[id] = value) });
      } else if (typeof value !== 'string') errors[id] = 'Operation value must be a string';
      else if (value.length > 255)
        errors[id] = 'The entered text is too long. It exceeds the allowed limit of 255 characters.';
      else writes.push({ apply: (issue) => (issue.custom[id] = value) });
      continue;
    }
    if (id === 'resolution' && mode === 'transition') {
      const name = isRecord(value) ? value.name : undefined;
      if (typeof name !== 'string' || !RESOLUTIONS.includes(name))
        errors.resolution = 'Resolution is invalid.';
      else writes.push({ apply: (issue) => (issue.resolution = name) });
      continue;
    }
    if (!allowed.has(id) || (id === 'project' && mode !== 'create')) {
      errors[id] = `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
      continue;
    }
    switch (id) {
      case 'project':
        break; // handled by createIssue
      case 'summary':
        if (typeof value !== 'string' || value.trim().length === 0)
          errors.summary = 'You must specify a summary of the issue.';
        else if (value.length > 255) errors.summary = 'Summary must be less than 255 characters.';
        else writes.push({ apply: (issue) => (issue.summary = value) });
        break;
      case 'description':
        if (value === null) writes.push({ apply: (issue) => (issue.description = null) });
        else {
          const problems = checkAdfDocument(value, 'description');
          if (problems.length > 0)
            errors.description = `Operation value must be an Atlassian Document: ${problems[0]}`;
          else writes.push({ apply: (issue) => (issue.description = value) });
        }
        break;
      case 'labels':
        if (!Array.isArray(value) || value.some((label) => typeof label !== 'string')) {
          errors.labels = 'Labels must be an array of strings.';
        } else {
          const bad = value.find((label: string) => /\s/.test(label) || label.length === 0);
          if (bad !== undefined) errors.labels = `The label '${bad}' contains spaces which is invalid.`;
          else writes.push({ apply: (issue) => (issue.labels = [...new Set(value as string[])]) });
        }
        break;
      case 'priority': {
        const name = isRecord(value) ? value.name : undefined;
        if (value === null) writes.push({ apply: (issue) => (issue.priority = null) });
        else if (typeof name !== 'string' || !PRIORITIES.includes(name))
          errors.priority = `Specify a valid priority name.`;
        else writes.push({ apply: (issue) => (issue.priority = name) });
        break;
      }
      case 'issuetype': {
        const name = isRecord(value) ? value.name : undefined;
        if (typeof name !== 'string' || !ISSUE_TYPES.includes(name))
          errors.issuetype = 'Specify an issue type';
        else writes.push({ apply: (issue) => (issue.issuetype = name) });
        break;
      }
      case 'assignee': {
        const accountId = isRecord(value) ? value.accountId : undefined;
        if (value === null) writes.push({ apply: (issue) => (issue.assignee = null) });
        else if (typeof accountId !== 'string') errors.assignee = 'Specify a valid accountId.';
        else writes.push({ apply: (issue) => (issue.assignee = accountId) });
        break;
      }
      case 'parent': {
        const ref = isRecord(value) ? (value.key ?? value.id) : undefined;
        const parent = typeof ref === 'string' ? state.findIssue(ref) : undefined;
        if (value === null) writes.push({ apply: (issue) => (issue.parentId = null) });
        else if (!parent) errors.parent = 'Could not find issue by id or key.';
        else writes.push({ apply: (issue) => (issue.parentId = parent.id) });
        break;
      }
      default:
        errors[id] = `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
    }
  }
  return { errors, writes };
}

function createIssue(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const body = request.body;
  if (!isRecord(body) || !isRecord(body.fields)) {
    return { status: 400, body: errorBody(['Request body must contain "fields".']) };
  }
  if (body.update !== undefined && !(isRecord(body.update) && Object.keys(body.update).length === 0)) {
    return { status: 400, body: errorBody(['The fake supports "fields" only, not "update" operations.']) };
  }
  const fields = body.fields;
  const projectRef = isRecord(fields.project) ? (fields.project.key ?? fields.project.id) : undefined;
  const project = typeof projectRef === 'string' ? state.findProject(projectRef) : undefined;
  const { errors, writes } = parseFieldWrites(state, fields, 'create');
  if (!project) errors.project = 'Specify a valid project ID or key';
  if (fields.summary === undefined) errors.summary = 'You must specify a summary of the issue.';
  if (fields.issuetype === undefined) errors.issuetype = 'Specify an issue type';
  const properties: [string, unknown][] = [];
  if (body.properties !== undefined) {
    if (!Array.isArray(body.properties)) errors.properties = 'properties must be an array';
    else
      for (const property of body.properties) {
        if (!isRecord(property) || typeof property.key !== 'string')
          errors.properties = 'Each property needs a key.';
        else properties.push([property.key, property.value]);
      }
  }
  if (Object.keys(errors).length > 0 || !project) return { status: 400, body: errorBody([], errors) };
  const issue = state.seedIssue({ summary: String(fields.summary), projectKey: project.key });
  for (const write of writes) write.apply(issue);
  for (const [key, value] of properties) issue.properties.set(key, value);
  return {
    status: 201,
    body: { id: issue.id, key: issue.key, self: `${apiBase(request)}/rest/api/3/issue/${issue.id}` },
  };
}

function updateIssue(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const issue = state.findIssue(request.params.issue ?? '');
  if (!issue) return issueNotFound();
  const body = request.body;
  if (!isRecord(body)) return { status: 400, body: errorBody(['Request body must be a JSON object.']) };
  if (body.update !== undefined && !(isRecord(body.update) && Object.keys(body.update).length === 0)) {
    return { status: 400, body: errorBody(['The fake supports "fields" only, not "update" operations.']) };
  }
  const { errors, writes } = parseFieldWrites(state, isRecord(body.fields) ? body.fields : {}, 'edit');
  if (Object.keys(errors).length > 0) return { status: 400, body: errorBody([], errors) };
  for (const write of writes) write.apply(issue);
  if (writes.length > 0) issue.updated = state.stamp();
  return { status: 204 };
}

// --- transitions -------------------------------------------------------------------------------

const FIELD_META: Record<string, JsonRecord> = {
  resolution: {
    required: true,
    schema: { type: 'resolution', system: 'resolution' },
    name: 'Resolution',
    key: 'resolution',
    hasDefaultValue: false,
    operations: ['set'],
    allowedValues: RESOLUTIONS.map((name, index) => ({ id: String(10000 + index), name })),
  },
};

function getTransitions(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const issue = state.findIssue(request.params.issue ?? '');
  if (!issue) return issueNotFound();
  const base = apiBase(request);
  const expandFields = (request.query.get('expand') ?? '').split(',').includes('transitions.fields');
  const transitions = state.availableTransitions(issue).map((transition) => {
    const bean: JsonRecord = {
      id: transition.id,
      name: transition.name,
      to: statusBean(state, base, transition.to),
      hasScreen: (transition.requiredFields ?? []).length > 0,
      isGlobal: transition.from === 'any',
      isInitial: false,
      isAvailable: true,
      isConditional: false,
      isLooped: false,
    };
    if (expandFields) {
      const fields: JsonRecord = {};
      for (const id of transition.requiredFields ?? []) {
        fields[id] = FIELD_META[id] ?? {
          required: true,
          schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield' },
          name: state.customFields.find((field) => field.id === id)?.name ?? id,
          key: id,
          hasDefaultValue: false,
          operations: ['set'],
        };
      }
      bean.fields = fields;
    }
    return bean;
  });
  return { status: 200, body: { expand: 'transitions', transitions } };
}

function doTransition(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const issue = state.findIssue(request.params.issue ?? '');
  if (!issue) return issueNotFound();
  const body = isRecord(request.body) ? request.body : {};
  const id = isRecord(body.transition) ? body.transition.id : undefined;
  const transition = state.availableTransitions(issue).find((candidate) => candidate.id === String(id));
  if (!transition) {
    return {
      status: 400,
      body: errorBody([`Transition id '${String(id)}' is not valid for this issue.`]),
    };
  }
  const fields = isRecord(body.fields) ? body.fields : {};
  const allowed = new Set(transition.requiredFields ?? []);
  const { errors, writes } = parseFieldWrites(state, fields, 'transition', allowed);
  for (const required of transition.requiredFields ?? []) {
    if (fields[required] === undefined) {
      errors[required] = `${FIELD_META[required]?.name ?? required} is required.`;
    }
  }
  if (Object.keys(errors).length > 0) return { status: 400, body: errorBody([], errors) };
  for (const write of writes) write.apply(issue);
  issue.status = state.status(transition.to).name;
  if (state.status(transition.to).category !== 'done') issue.resolution = null;
  issue.updated = state.stamp();
  return { status: 204 };
}

// --- comments, properties, links, fields, projects ---------------------------------------------

function addComment(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const issue = state.findIssue(request.params.issue ?? '');
  if (!issue) return issueNotFound();
  const body = isRecord(request.body) ? request.body.body : undefined;
  const problems = checkAdfDocument(body, 'body');
  if (problems.length > 0) {
    return { status: 400, body: errorBody([], { comment: `Comment body is not valid! ${problems[0]}` }) };
  }
  const comment = state.addComment(issue, body);
  return { status: 201, body: renderComment(state, apiBase(request), issue, comment) };
}

function listComments(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const issue = state.findIssue(request.params.issue ?? '');
  if (!issue) return issueNotFound();
  const comments = issue.comments.map((comment) => renderComment(state, apiBase(request), issue, comment));
  return { status: 200, body: { comments, maxResults: comments.length, total: comments.length, startAt: 0 } };
}

function putProperty(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const issue = state.findIssue(request.params.issue ?? '');
  if (!issue) return issueNotFound();
  if (request.body === undefined)
    return { status: 400, body: errorBody(['The property value must be valid JSON.']) };
  const key = request.params.property ?? '';
  const existed = issue.properties.has(key);
  issue.properties.set(key, request.body);
  return { status: existed ? 200 : 201, body: {} };
}

function getProperty(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const issue = state.findIssue(request.params.issue ?? '');
  if (!issue) return issueNotFound();
  const key = request.params.property ?? '';
  if (!issue.properties.has(key))
    return { status: 404, body: errorBody([`The property with key '${key}' does not exist.`]) };
  return { status: 200, body: { key, value: issue.properties.get(key) } };
}

function createLink(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const body = isRecord(request.body) ? request.body : {};
  const typeName = isRecord(body.type) ? (body.type.name ?? body.type.id) : undefined;
  const type = LINK_TYPES.find((candidate) => candidate.name === typeName || candidate.id === typeName);
  if (!type)
    return { status: 404, body: errorBody([`No issue link type with name '${String(typeName)}' found.`]) };
  const refOf = (value: unknown) => (isRecord(value) ? (value.key ?? value.id) : undefined);
  const inwardRef = refOf(body.inwardIssue);
  const outwardRef = refOf(body.outwardIssue);
  const source = typeof inwardRef === 'string' ? state.findIssue(inwardRef) : undefined;
  const target = typeof outwardRef === 'string' ? state.findIssue(outwardRef) : undefined;
  if (!source || !target) return { status: 404, body: errorBody(['Issue Does Not Exist']) };
  if (source.id === target.id)
    return { status: 400, body: errorBody(['You cannot link an issue to itself.']) };
  state.addLink(type, source, target);
  return { status: 201 };
}

function listFields(state: JiraFakeState): JsonRecord[] {
  const system = SYSTEM_FIELDS.map((field) => ({
    id: field.id,
    key: field.id,
    name: field.name,
    custom: false,
    orderable: SETTABLE.has(field.id),
    navigable: true,
    searchable: true,
    clauseNames: [field.id],
    schema: field.schema,
  }));
  const custom = state.customFields.map((field) => {
    const number = Number(field.id.replace('customfield_', ''));
    return {
      id: field.id,
      key: field.id,
      name: field.name,
      custom: true,
      orderable: true,
      navigable: true,
      searchable: true,
      clauseNames: [`cf[${number}]`, field.name],
      schema: {
        type: 'string',
        custom: `com.atlassian.jira.plugin.system.customfieldtypes:${field.type}`,
        customId: number,
      },
    };
  });
  return [...system, ...custom];
}

function searchProjects(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const startAt = Number(request.query.get('startAt') ?? '0');
  const maxResults = Math.min(Number(request.query.get('maxResults') ?? '50'), 50);
  const base = apiBase(request);
  const values = state.projects.slice(startAt, startAt + maxResults).map((project) => ({
    self: `${base}/rest/api/3/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: 'software',
    simplified: false,
    style: 'classic',
    isPrivate: false,
  }));
  const isLast = startAt + maxResults >= state.projects.length;
  const body: JsonRecord = {
    self: `${base}/rest/api/3/project/search?startAt=${startAt}&maxResults=${maxResults}`,
    maxResults,
    startAt,
    total: state.projects.length,
    isLast,
    values,
  };
  if (!isLast)
    body.nextPage = `${base}/rest/api/3/project/search?startAt=${startAt + maxResults}&maxResults=${maxResults}`;
  return { status: 200, body };
}
