/** Issue endpoints of the GitLab fake: list (filters, ordering), read, create, edit. */
import type { FakeRequest, FakeResponse, RouteDefinition } from '../server/fake-server';
import { gitlabIssueBefore, gitlabIssueChanged } from '../webhooks/gitlab-webhook-deliveries';
import { issueJson, json } from './gitlab-json';
import {
  GITLAB_API_PREFIX,
  type GitLabRouteContext,
  paginate,
  withAuth,
  withIssue,
  withProject,
} from './gitlab-route-context';
import type { GitLabIssue, GitLabProject } from './gitlab-state';

export function issueRoutes(context: GitLabRouteContext): RouteDefinition[] {
  const p = GITLAB_API_PREFIX;
  return [
    {
      method: 'GET',
      pattern: `${p}/projects/:id/issues`,
      name: 'GET /projects/{id}/issues',
      handler: withAuth(
        context,
        withProject(context, (request, project) => listIssues(context, request, project)),
      ),
    },
    {
      method: 'POST',
      pattern: `${p}/projects/:id/issues`,
      name: 'POST /projects/{id}/issues',
      handler: withAuth(
        context,
        withProject(context, (request, project) => createIssue(context, request, project)),
      ),
    },
    {
      method: 'GET',
      pattern: `${p}/projects/:id/issues/:iid`,
      name: 'GET /projects/{id}/issues/{iid}',
      handler: withAuth(
        context,
        withIssue(context, (_request, _project, issue) =>
          json(200, issueJson(context.state, issue, { single: true })),
        ),
      ),
    },
    {
      method: 'PUT',
      pattern: `${p}/projects/:id/issues/:iid`,
      name: 'PUT /projects/{id}/issues/{iid}',
      handler: withAuth(
        context,
        withIssue(context, (request, _project, issue) => updateIssue(context, request, issue)),
      ),
    },
  ];
}

function parseLabels(value: unknown): string[] {
  const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value.map(String) : [];
  const out: string[] = [];
  for (const label of list.map((item) => item.trim())) if (label && !out.includes(label)) out.push(label);
  return out;
}

function assigneeIdsFrom(body: Record<string, unknown>): number[] {
  if (Array.isArray(body.assignee_ids)) return [...new Set(body.assignee_ids.map(Number))];
  if (Number.isInteger(body.assignee_id)) return [Number(body.assignee_id)];
  return [];
}

function listIssues(context: GitLabRouteContext, request: FakeRequest, project: GitLabProject): FakeResponse {
  const { state, options } = context;
  const query = request.query;
  const stateFilter = query.get('state') ?? 'all';
  const legacy = options().ignoreOrderBy === true;
  const orderBy = legacy ? 'created_at' : (query.get('order_by') ?? 'created_at');
  const sort = legacy ? 'desc' : (query.get('sort') ?? 'desc');
  const after = query.get('updated_after');
  const before = query.get('updated_before');
  const search = query.get('search')?.toLowerCase() ?? null;
  const labels = query.get('labels') ? parseLabels(query.get('labels')) : [];
  const iids = query.getAll('iids[]').map(Number);
  const notIids = new Set(query.getAll('not[iids][]').map(Number));
  let rows = state.projectIssues(project.id).filter((issue) => {
    if (stateFilter !== 'all' && issue.state !== stateFilter) return false;
    // GitLab compares updated_after / updated_before inclusively.
    if (after !== null && Date.parse(issue.updated_at) < Date.parse(after)) return false;
    if (before !== null && Date.parse(issue.updated_at) > Date.parse(before)) return false;
    if (search !== null && !`${issue.title}\n${issue.description ?? ''}`.toLowerCase().includes(search))
      return false;
    if (labels.some((label) => !issue.labels.includes(label))) return false;
    if (iids.length > 0 && !iids.includes(issue.iid)) return false;
    if (notIids.has(issue.iid)) return false;
    return true;
  });
  const key = orderBy === 'updated_at' ? 'updated_at' : 'created_at';
  rows = rows.sort((left, right) => {
    const delta = Date.parse(left[key]) - Date.parse(right[key]) || left.id - right.id;
    return sort === 'asc' ? delta : -delta;
  });
  return paginate(
    context,
    request,
    rows.map((issue) => issueJson(state, issue)),
  );
}

function createIssue(
  context: GitLabRouteContext,
  request: FakeRequest,
  project: GitLabProject,
): FakeResponse {
  const { state } = context;
  const body = request.body as Record<string, unknown>;
  const assigneeIds = assigneeIdsFrom(body);
  const unknown = assigneeIds.filter((id) => !state.users.has(id));
  if (unknown.length > 0)
    return json(400, { message: { assignee_ids: [`user ${unknown.join(', ')} not found`] } });
  const issue = state.addIssue(project.id, {
    title: String(body.title),
    description: typeof body.description === 'string' ? body.description : null,
    labels: parseLabels(body.labels),
    assignee_ids: assigneeIds,
  });
  return json(201, issueJson(state, issue, { single: true }));
}

function updateIssue(context: GitLabRouteContext, request: FakeRequest, issue: GitLabIssue): FakeResponse {
  const { state } = context;
  const body = request.body as Record<string, unknown>;
  const before = gitlabIssueBefore(issue);
  let changed = false;
  const set = <K extends keyof GitLabIssue>(key: K, value: GitLabIssue[K]): void => {
    if (JSON.stringify(issue[key]) !== JSON.stringify(value)) {
      issue[key] = value;
      changed = true;
    }
  };
  if (typeof body.title === 'string') set('title', body.title);
  if ('description' in body)
    set('description', typeof body.description === 'string' ? body.description : null);
  if ('labels' in body) set('labels', parseLabels(body.labels));
  if ('add_labels' in body || 'remove_labels' in body) {
    const removed = parseLabels(body.remove_labels);
    const next = issue.labels.filter((label) => !removed.includes(label));
    for (const label of parseLabels(body.add_labels)) if (!next.includes(label)) next.push(label);
    set('labels', next);
  }
  if ('assignee_ids' in body || 'assignee_id' in body) {
    const ids = assigneeIdsFrom(body);
    const unknown = ids.filter((id) => !state.users.has(id));
    if (unknown.length > 0)
      return json(400, { message: { assignee_ids: [`user ${unknown.join(', ')} not found`] } });
    set('assignee_ids', ids);
  }
  if (body.state_event === 'close' && issue.state === 'opened') {
    set('state', 'closed');
  } else if (body.state_event === 'reopen' && issue.state === 'closed') {
    set('state', 'opened');
    issue.closed_at = null;
  }
  if (changed) {
    issue.updated_at = state.tick();
    if (issue.state === 'closed' && issue.closed_at === null) issue.closed_at = issue.updated_at;
    gitlabIssueChanged(state.webhooks, state, issue, before);
  }
  return json(200, issueJson(state, issue, { single: true }));
}
