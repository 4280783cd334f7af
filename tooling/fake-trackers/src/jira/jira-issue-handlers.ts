/** Handlers of the per-issue endpoints: read, create, edit, transitions, comments, properties, links. */
import type { FakeRequest, FakeResponse } from '../server/fake-server';
import { jiraIssueBefore, jiraIssueUpdated } from '../webhooks/jira-webhook-deliveries';
import { checkAdfDocument } from './jira-adf-check';
import { parseFieldWrites } from './jira-field-writes';
import {
  apiBase,
  errorBody,
  isRecord,
  issueNotFound,
  type JsonRecord,
  parseFieldList,
  renderComment,
  renderIssue,
  selectFields,
  statusBean,
} from './jira-render';
import { type JiraFakeState, LINK_TYPES, RESOLUTIONS } from './jira-state';

export function getIssue(state: JiraFakeState, request: FakeRequest): FakeResponse {
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

/**
 * `POST /rest/api/3/issue/bulkfetch`: up to 100 ids or keys (old keys of moved issues resolve);
 * issues missing or not visible are left out of both `issues` and `issueErrors`, in ascending id order.
 */
export function bulkFetchIssues(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const body = request.body;
  if (!isRecord(body) || !Array.isArray(body.issueIdsOrKeys)) {
    return { status: 400, body: errorBody(['issueIdsOrKeys is required.']) };
  }
  if (body.issueIdsOrKeys.length > 100) {
    return { status: 400, body: errorBody(['You can request up to 100 issues.']) };
  }
  const requested = Array.isArray(body.fields) ? body.fields.map(String) : [];
  const fields = selectFields(state, parseFieldList(requested), ['*navigable']);
  const found = new Map<string, ReturnType<JiraFakeState['findIssue']>>();
  for (const idOrKey of body.issueIdsOrKeys) {
    const issue = state.findIssue(String(idOrKey));
    if (issue) found.set(issue.id, issue);
  }
  const issues = [...found.values()]
    .filter((issue) => issue !== undefined)
    .sort((left, right) => Number(left.id) - Number(right.id))
    .map((issue) => renderIssue(state, apiBase(request), issue, fields));
  return { status: 200, body: { issues, issueErrors: [] } };
}

export function createIssue(state: JiraFakeState, request: FakeRequest): FakeResponse {
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

export function updateIssue(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const issue = state.findIssue(request.params.issue ?? '');
  if (!issue) return issueNotFound();
  const body = request.body;
  if (!isRecord(body)) return { status: 400, body: errorBody(['Request body must be a JSON object.']) };
  if (body.update !== undefined && !(isRecord(body.update) && Object.keys(body.update).length === 0)) {
    return { status: 400, body: errorBody(['The fake supports "fields" only, not "update" operations.']) };
  }
  const { errors, writes } = parseFieldWrites(state, isRecord(body.fields) ? body.fields : {}, 'edit');
  if (Object.keys(errors).length > 0) return { status: 400, body: errorBody([], errors) };
  const before = jiraIssueBefore(issue);
  for (const write of writes) write.apply(issue);
  if (writes.length > 0) issue.updated = state.stamp();
  jiraIssueUpdated(state.webhooks, state, issue, before);
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

export function getTransitions(state: JiraFakeState, request: FakeRequest): FakeResponse {
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

export function doTransition(state: JiraFakeState, request: FakeRequest): FakeResponse {
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
  const before = jiraIssueBefore(issue);
  for (const write of writes) write.apply(issue);
  issue.status = state.status(transition.to).name;
  if (state.status(transition.to).category !== 'done') issue.resolution = null;
  issue.updated = state.stamp();
  jiraIssueUpdated(state.webhooks, state, issue, before);
  return { status: 204 };
}

export function addComment(state: JiraFakeState, request: FakeRequest): FakeResponse {
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

export function listComments(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const issue = state.findIssue(request.params.issue ?? '');
  if (!issue) return issueNotFound();
  const comments = issue.comments.map((comment) => renderComment(state, apiBase(request), issue, comment));
  return { status: 200, body: { comments, maxResults: comments.length, total: comments.length, startAt: 0 } };
}

export function putProperty(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const issue = state.findIssue(request.params.issue ?? '');
  if (!issue) return issueNotFound();
  if (request.body === undefined)
    return { status: 400, body: errorBody(['The property value must be valid JSON.']) };
  const key = request.params.property ?? '';
  const existed = issue.properties.has(key);
  issue.properties.set(key, request.body);
  return { status: existed ? 200 : 201, body: {} };
}

export function getProperty(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const issue = state.findIssue(request.params.issue ?? '');
  if (!issue) return issueNotFound();
  const key = request.params.property ?? '';
  if (!issue.properties.has(key))
    return { status: 404, body: errorBody([`The property with key '${key}' does not exist.`]) };
  return { status: 200, body: { key, value: issue.properties.get(key) } };
}

export function createLink(state: JiraFakeState, request: FakeRequest): FakeResponse {
  const body = isRecord(request.body) ? request.body : {};
  const typeName = isRecord(body.type) ? (body.type.name ?? body.type.id) : undefined;
  const type = LINK_TYPES.find((candidate) => candidate.name === typeName || candidate.id === typeName);
  if (!type)
    return { status: 404, body: errorBody([`No issue link type with name '${String(typeName)}' found.`]) };
  // `LinkedIssue` names an issue by `id` or by `key`, each looked up as what it is.
  const issueOf = (value: unknown) => {
    if (!isRecord(value)) return undefined;
    if (typeof value.id === 'string') return state.issues.get(value.id);
    if (typeof value.key !== 'string') return undefined;
    const found = state.findIssue(value.key);
    return found?.key === value.key.toUpperCase() ? found : undefined;
  };
  const source = issueOf(body.inwardIssue);
  const target = issueOf(body.outwardIssue);
  if (!source || !target) return { status: 404, body: errorBody(['Issue Does Not Exist']) };
  if (source.id === target.id)
    return { status: 400, body: errorBody(['You cannot link an issue to itself.']) };
  state.addLink(type, source, target);
  return { status: 201 };
}
