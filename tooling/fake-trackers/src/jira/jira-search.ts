/** `/search/jql`: JQL evaluation against the fake's issues, ordering and token paging. */
import type { FakeRequest, FakeResponse } from '../server/fake-server';
import { adfText } from './jira-adf-check';
import { evaluateJql, type JqlClause, JqlError, type JqlNode, type JqlQuery, parseJql } from './jira-jql';
import {
  apiBase,
  errorBody,
  isRecord,
  type JsonRecord,
  parseFieldList,
  renderIssue,
  selectFields,
} from './jira-render';
import { CATEGORY, type JiraFakeIssue, type JiraFakeState } from './jira-state';
import { wallClockToEpoch } from './jira-time';

export interface SearchParams {
  jql: string | null;
  nextPageToken: string | null;
  maxResults: number | null;
  fields: string[];
  properties: string[];
}

export function searchParamsFromQuery(request: FakeRequest): SearchParams {
  const max = request.query.get('maxResults');
  return {
    jql: request.query.get('jql'),
    nextPageToken: request.query.get('nextPageToken'),
    maxResults: max === null ? null : Number(max),
    fields: parseFieldList(request.query.getAll('fields')),
    properties: parseFieldList(request.query.getAll('properties')),
  };
}

export function searchParamsFromBody(request: FakeRequest): SearchParams {
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

/** The first value of a `project` clause that names no project of the fake, else null. */
function unknownProjectIn(state: JiraFakeState, node: JqlNode): string | null {
  switch (node.kind) {
    case 'clause':
      if (node.field !== 'project') return null;
      return node.values.find((value) => state.findProject(value) === undefined) ?? null;
    case 'not':
      return unknownProjectIn(state, node.node);
    default:
      for (const child of node.nodes) {
        const found = unknownProjectIn(state, child);
        if (found !== null) return found;
      }
      return null;
  }
}

export function search(state: JiraFakeState, request: FakeRequest, params: SearchParams): FakeResponse {
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
  const unknownProject = unknownProjectIn(state, query.where);
  if (unknownProject !== null) {
    // As Jira: a project the account cannot see is a JQL error, not an empty result.
    return {
      status: 400,
      body: errorBody([`The value '${unknownProject}' does not exist for the field 'project'.`]),
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
