import type { FakeRequest } from '../server/fake-server';

/**
 * Hand-written request rules for the GitLab REST v4 fake. GitLab publishes no machine-readable
 * spec that is available offline (its OpenAPI file covers only a fraction of v4 and is not on npm),
 * so these rules encode the documented parameter types and enums of the endpoints the fake serves.
 * Each returned string is a problem GitLab would answer with `400 Bad Request`, except the
 * contract rules below: GitLab coerces a comma-separated `labels` string and a numeric
 * `target_issue_iid`, but its OpenAPI description (`doc/api/openapi/openapi_v2.yaml`) declares an
 * array of strings and a string, and clients are held to the declared forms
 * (`gitlab-fake.test.ts` checks these rules against that description when it is present).
 */

/** JSON body fields the OpenAPI description declares as arrays of strings. */
export const GITLAB_ARRAY_BODY_FIELDS = ['labels', 'add_labels', 'remove_labels'] as const;
/** JSON body fields of `POST …/links` the OpenAPI description declares as strings. */
export const GITLAB_LINK_STRING_FIELDS = ['target_project_id', 'target_issue_iid'] as const;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const POSITIVE_INT = /^[1-9]\d*$/;

function checkEnum(
  query: URLSearchParams,
  name: string,
  allowed: readonly string[],
  problems: string[],
): void {
  const value = query.get(name);
  if (value !== null && !allowed.includes(value))
    problems.push(
      `${name} does not have a valid value (got '${value}', expected one of ${allowed.join(', ')})`,
    );
}

function checkPositiveInt(query: URLSearchParams, name: string, problems: string[]): void {
  const value = query.get(name);
  if (value !== null && !POSITIVE_INT.test(value))
    problems.push(`${name} is invalid (got '${value}', expected a positive integer)`);
}

function checkIsoTime(query: URLSearchParams, name: string, problems: string[]): void {
  const value = query.get(name);
  if (value !== null && (!ISO_8601.test(value) || Number.isNaN(Date.parse(value)))) {
    problems.push(`${name} is invalid (got '${value}', expected an ISO 8601 date-time)`);
  }
}

function checkPagination(request: FakeRequest, problems: string[]): void {
  checkPositiveInt(request.query, 'page', problems);
  checkPositiveInt(request.query, 'per_page', problems);
}

function isStringArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isIntArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => Number.isInteger(item));
}

function checkJsonBody(request: FakeRequest, problems: string[]): Record<string, unknown> | null {
  const type = String(request.headers['content-type'] ?? '');
  if (!type.startsWith('application/json')) {
    problems.push(`Content-Type must be application/json for a JSON body (got '${type || '<none>'}')`);
    return null;
  }
  if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
    problems.push('body must be a JSON object');
    return null;
  }
  return request.body as Record<string, unknown>;
}

function checkIssueAttributes(body: Record<string, unknown>, problems: string[], creating: boolean): void {
  if (creating && (typeof body.title !== 'string' || body.title.trim() === ''))
    problems.push('title is missing');
  if (!creating && 'title' in body && (typeof body.title !== 'string' || body.title.trim() === ''))
    problems.push('title is empty');
  if ('description' in body && body.description !== null && typeof body.description !== 'string')
    problems.push('description is invalid');
  for (const key of GITLAB_ARRAY_BODY_FIELDS) {
    if (key in body && !isStringArray(body[key]))
      problems.push(
        `${key} is invalid (the OpenAPI description declares an array of strings; got ${typeof body[key] === 'string' ? 'a comma-separated string' : typeof body[key]})`,
      );
  }
  if ('assignee_ids' in body && !isIntArray(body.assignee_ids))
    problems.push('assignee_ids is invalid (array of integer user ids)');
  if ('assignee_id' in body && !Number.isInteger(body.assignee_id)) problems.push('assignee_id is invalid');
  if ('state_event' in body && body.state_event !== 'close' && body.state_event !== 'reopen')
    problems.push('state_event does not have a valid value (close, reopen)');
  if (creating && 'state_event' in body) problems.push('state_event is not accepted when creating an issue');
}

/** The query of `GET /projects/{id}/issues`: pagination, enums, ISO times and `iids[]`. */
function checkIssueListQuery(request: FakeRequest, problems: string[]): void {
  const { query } = request;
  checkPagination(request, problems);
  checkEnum(query, 'state', ['opened', 'closed', 'all'], problems);
  checkEnum(
    query,
    'order_by',
    [
      'created_at',
      'updated_at',
      'priority',
      'due_date',
      'relative_position',
      'label_priority',
      'milestone_due',
      'popularity',
      'weight',
      'title',
    ],
    problems,
  );
  checkEnum(query, 'sort', ['asc', 'desc'], problems);
  checkEnum(query, 'scope', ['created_by_me', 'assigned_to_me', 'all'], problems);
  checkEnum(query, 'in', ['title', 'description', 'title,description', 'description,title'], problems);
  checkIsoTime(query, 'updated_after', problems);
  checkIsoTime(query, 'updated_before', problems);
  checkIsoTime(query, 'created_after', problems);
  checkIsoTime(query, 'created_before', problems);
  // `iids` and `not[iids]` are arrays of int32 in GitLab's OpenAPI description (sent as
  // `iids[]=1&iids[]=2`, `not[iids][]=1`).
  for (const key of ['iids[]', 'not[iids][]'])
    for (const iid of query.getAll(key))
      if (!/^\d+$/.test(iid)) problems.push(`${key} must be an integer, got ${JSON.stringify(iid)}`);
}

/** The body of `POST …/links`, held to the string types the OpenAPI description declares. */
function checkLinkBody(body: Record<string, unknown>, problems: string[]): void {
  const target = body.target_project_id;
  if (typeof target !== 'string' || target === '')
    problems.push(
      `target_project_id is missing or not a string (the OpenAPI description declares a string: a project id or URL-encoded path; got ${typeof target})`,
    );
  const iid = body.target_issue_iid;
  if (!(typeof iid === 'string' && POSITIVE_INT.test(iid)))
    problems.push(
      `target_issue_iid is missing or not a string of digits (the OpenAPI description declares a string; got ${typeof iid})`,
    );
  if ('link_type' in body && !['relates_to', 'blocks', 'is_blocked_by'].includes(String(body.link_type)))
    problems.push('link_type does not have a valid value (relates_to, blocks, is_blocked_by)');
}

export function validateGitLabRequest(request: FakeRequest): string[] {
  const problems: string[] = [];
  const { endpoint, query } = request;
  switch (endpoint) {
    case 'GET /projects/{id}/issues':
      checkIssueListQuery(request, problems);
      break;
    case 'GET /groups':
      checkPagination(request, problems);
      checkEnum(query, 'min_access_level', ['5', '10', '15', '20', '30', '40', '50'], problems);
      break;
    case 'GET /groups/{id}/projects':
      checkPagination(request, problems);
      checkEnum(query, 'include_subgroups', ['true', 'false'], problems);
      break;
    case 'GET /users':
      checkPagination(request, problems);
      break;
    case 'GET /projects/{id}/issues/{iid}/notes':
      checkPagination(request, problems);
      break;
    case 'POST /projects/{id}/issues': {
      const body = checkJsonBody(request, problems);
      if (body) checkIssueAttributes(body, problems, true);
      break;
    }
    case 'PUT /projects/{id}/issues/{iid}': {
      const body = checkJsonBody(request, problems);
      if (body) checkIssueAttributes(body, problems, false);
      break;
    }
    case 'POST /projects/{id}/issues/{iid}/notes': {
      const body = checkJsonBody(request, problems);
      if (body && (typeof body.body !== 'string' || body.body.trim() === ''))
        problems.push('body is missing');
      break;
    }
    case 'POST /projects/{id}/issues/{iid}/links': {
      const body = checkJsonBody(request, problems);
      if (body) checkLinkBody(body, problems);
      break;
    }
    default:
      break;
  }
  if (/^\d+$/.test(request.params.iid ?? '1') === false)
    problems.push(`issue iid '${request.params.iid}' is not an integer`);
  return problems;
}
