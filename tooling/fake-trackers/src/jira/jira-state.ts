import { FakeWebhooks } from '../webhooks/fake-webhooks';
import {
  jiraCommentCreated,
  jiraIssueBefore,
  jiraIssueCreated,
  jiraIssueDeleted,
  jiraIssueLinkCreated,
  jiraIssueUpdated,
  jiraWebhookFormat,
} from '../webhooks/jira-webhook-deliveries';

/** In-memory state of the Jira fake: options, workflow, catalogues of fixed values, issues and links. */

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

export const CATEGORY: Record<JiraStatusCategoryKey, { id: number; name: string; colorName: string }> = {
  new: { id: 2, name: 'To Do', colorName: 'blue-gray' },
  indeterminate: { id: 4, name: 'In Progress', colorName: 'yellow' },
  done: { id: 3, name: 'Done', colorName: 'green' },
};

export const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];
export const ISSUE_TYPES = ['Epic', 'Story', 'Task', 'Bug', 'Sub-task'];
export const LINK_TYPES = [
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
];
export const RESOLUTIONS = ['Done', "Won't Do", 'Duplicate'];

export const SYSTEM_FIELDS: { id: string; name: string; schema: Record<string, unknown> }[] = [
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
export const SETTABLE = new Set([
  'summary',
  'description',
  'priority',
  'assignee',
  'labels',
  'issuetype',
  'parent',
  'project',
]);
export const NAVIGABLE = SYSTEM_FIELDS.map((field) => field.id).filter((id) => id !== 'comment');

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
  /** Keys the issue had in projects it was moved out of (Jira still resolves them). */
  previousKeys?: string[];
}

export interface StoredLink {
  id: string;
  type: (typeof LINK_TYPES)[number];
  /** Request `inwardIssue`: the issue the outward description applies to ("A blocks B"). */
  sourceId: string;
  targetId: string;
}

/** The state of one fake Jira Cloud instance. */
export class JiraFakeState {
  /** Admin webhooks: every issue change is delivered, signed, to each subscriber. */
  readonly webhooks = new FakeWebhooks(jiraWebhookFormat);
  /** The site URL webhook payloads name in `self` links (the fake sets its own URL). */
  webhookBaseUrl: (() => string) | null = null;
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
    // Jira answers an old key of a moved issue with the issue under its new key.
    for (const issue of this.issues.values()) if (issue.previousKeys?.includes(upper)) return issue;
    return undefined;
  }

  /** Test helper: delete an issue as Jira does (gone for good; every endpoint then answers 404). */
  deleteIssue(idOrKey: string): void {
    const issue = this.findIssue(idOrKey);
    if (!issue) throw new Error(`no issue ${idOrKey}`);
    this.issues.delete(issue.id);
    jiraIssueDeleted(this.webhooks, this, issue);
    for (let index = this.links.length - 1; index >= 0; index -= 1) {
      const link = this.links[index];
      if (link?.sourceId === issue.id || link?.targetId === issue.id) this.links.splice(index, 1);
    }
  }

  /**
   * Test helper: move an issue to another project as Jira does: same id, the next key there, the
   * old key still resolving to it.
   */
  moveIssue(idOrKey: string, toProjectKey: string): JiraFakeIssue {
    const issue = this.findIssue(idOrKey);
    if (!issue) throw new Error(`no issue ${idOrKey}`);
    const project = this.findProject(toProjectKey);
    if (!project) throw new Error(`unknown project ${toProjectKey}`);
    const number = (this.#counters.get(project.key) ?? 0) + 1;
    this.#counters.set(project.key, number);
    const before = jiraIssueBefore(issue);
    issue.previousKeys = [...(issue.previousKeys ?? []), issue.key];
    issue.key = `${project.key}-${number}`;
    issue.projectId = project.id;
    issue.updated = this.stamp();
    jiraIssueUpdated(this.webhooks, this, issue, before);
    return issue;
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
    jiraIssueCreated(this.webhooks, this, issue);
    return issue;
  }

  /** Test helper: simulate an edit made in Jira at `at` (defaults to now). */
  touch(idOrKey: string, changes: Partial<JiraFakeIssue> = {}, at?: number): JiraFakeIssue {
    const issue = this.findIssue(idOrKey);
    if (!issue) throw new Error(`no issue ${idOrKey}`);
    const before = jiraIssueBefore(issue);
    Object.assign(issue, changes);
    issue.updated = at ?? this.stamp();
    jiraIssueUpdated(this.webhooks, this, issue, before);
    return issue;
  }

  addComment(issue: JiraFakeIssue, body: unknown): JiraFakeComment {
    const comment = { id: String(this.#nextCommentId++), body, created: this.stamp() };
    issue.comments.push(comment);
    issue.updated = comment.created;
    jiraCommentCreated(this.webhooks, this, issue, comment);
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
    jiraIssueLinkCreated(this.webhooks, this, this.links.at(-1) as StoredLink);
  }

  availableTransitions(issue: JiraFakeIssue): JiraFakeTransition[] {
    return this.workflow.transitions.filter((transition) =>
      transition.from === 'any'
        ? transition.to.toLowerCase() !== issue.status.toLowerCase()
        : transition.from.some((from) => from.toLowerCase() === issue.status.toLowerCase()),
    );
  }
}
