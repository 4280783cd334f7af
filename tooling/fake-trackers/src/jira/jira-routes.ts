/** The Jira fake's route table: every REST v3 endpoint (also under `/ex/jira/:cloudId`), auth, site discovery. */
import type { FakeRequest, FakeResponse, RouteDefinition } from '../server/fake-server';
import {
  addComment,
  bulkFetchIssues,
  createIssue,
  createLink,
  doTransition,
  getIssue,
  getProperty,
  getTransitions,
  listComments,
  putProperty,
  updateIssue,
} from './jira-issue-handlers';
import { apiBase, errorBody, type JsonRecord, listFields } from './jira-render';
import { search, searchParamsFromBody, searchParamsFromQuery } from './jira-search';
import type { JiraFakeState } from './jira-state';

/** A REST v3 endpoint: method, route pattern, its path in the spec (the call-count label), handler. */
type ApiEndpoint = [string, string, string, (request: FakeRequest) => FakeResponse];

/** Every REST v3 route twice (site style and `/ex/jira/:cloudId`), auth-checked, plus site discovery. */
export function buildRoutes(state: JiraFakeState): RouteDefinition[] {
  const routes: RouteDefinition[] = [];
  for (const [method, pattern, specPath, handler] of apiEndpoints(state)) {
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
    handler: (request) => accessibleResources(state, request),
  });
  return routes;
}

function apiEndpoints(state: JiraFakeState): ApiEndpoint[] {
  return [
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
    ['POST', '/rest/api/3/issue/bulkfetch', '/rest/api/3/issue/bulkfetch', (r) => bulkFetchIssues(state, r)],
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
}

/** `GET /oauth/token/accessible-resources`: the sites an OAuth token reaches (bearer auth only). */
function accessibleResources(state: JiraFakeState, request: FakeRequest): FakeResponse {
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
