/** JSON beans of the Jira fake: issues, statuses, comments, the field list, error bodies. */
import type { FakeRequest, FakeResponse } from '../server/fake-server';
import {
  CATEGORY,
  ISSUE_TYPES,
  type JiraFakeComment,
  type JiraFakeIssue,
  type JiraFakeState,
  NAVIGABLE,
  PRIORITIES,
  SETTABLE,
  SYSTEM_FIELDS,
} from './jira-state';
import { formatJiraTimestamp } from './jira-time';

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function errorBody(messages: string[], errors: Record<string, string> = {}): JsonRecord {
  return { errorMessages: messages, errors };
}

export function apiBase(request: FakeRequest): string {
  const cloudId = request.params.cloudId;
  return `${request.url.origin}${cloudId === undefined ? '' : `/ex/jira/${cloudId}`}`;
}

export function issueNotFound(): FakeResponse {
  return { status: 404, body: errorBody(['Issue does not exist or you do not have permission to see it.']) };
}

export function parseFieldList(values: string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
}

export function selectFields(state: JiraFakeState, requested: string[], fallback: string[]): Set<string> {
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

export function statusBean(state: JiraFakeState, base: string, name: string): JsonRecord {
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

export function linkedIssueBean(state: JiraFakeState, base: string, issue: JiraFakeIssue): JsonRecord {
  return {
    id: issue.id,
    key: issue.key,
    self: `${base}/rest/api/3/issue/${issue.id}`,
    fields: { summary: issue.summary, status: statusBean(state, base, issue.status) },
  };
}

export function renderIssue(
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

export function renderComment(
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

export function listFields(state: JiraFakeState): JsonRecord[] {
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
