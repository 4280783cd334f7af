import { type FakeRequest, type FakeResponse, FakeServer, type RouteDefinition } from '../server/fake-server';
import {
  type GitLabIssue,
  type GitLabProject,
  GitLabState,
  type GitLabStateOptions,
  type GitLabUser,
} from './gitlab-state';
import { validateGitLabRequest } from './gitlab-validation';

export interface GitLabFakeOptions extends GitLabStateOptions {
  /** When set, requests must carry `PRIVATE-TOKEN: <token>` or `Authorization: Bearer <token>`. */
  token?: string;
  /** Above this many rows `X-Total`, `X-Total-Pages` and `rel="last"` are omitted (GitLab: 10,000). */
  totalsLimit?: number;
  /** false = answer without any pagination headers (like an old Nango proxy that strips them). */
  paginationHeaders?: boolean;
  /** true = ignore `order_by`/`sort` and answer `created_at desc` (older GitLab versions did). */
  ignoreOrderBy?: boolean;
}

/** Where the API lives on the fake: `${fake.url}/api/v4`. */
export const GITLAB_API_PREFIX = '/api/v4';

function json(status: number, body: unknown, headers?: Record<string, string>): FakeResponse {
  return headers ? { status, body, headers } : { status, body };
}

const notFound = (what: string): FakeResponse => json(404, { message: `404 ${what} Not Found` });

function userJson(state: GitLabState, user: GitLabUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: user.state,
    avatar_url: null,
    web_url: `${state.webBase}/${user.username}`,
  };
}

function issueJson(state: GitLabState, issue: GitLabIssue): Record<string, unknown> {
  const project = state.projects.get(issue.project_id);
  const assignees = issue.assignee_ids
    .map((id) => state.users.get(id))
    .filter((user): user is GitLabUser => user !== undefined)
    .map((user) => userJson(state, user));
  const author = state.users.get(issue.author_id);
  return {
    id: issue.id,
    iid: issue.iid,
    project_id: issue.project_id,
    title: issue.title,
    description: issue.description,
    state: issue.state,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    closed_at: issue.closed_at,
    closed_by: null,
    labels: [...issue.labels],
    milestone: null,
    assignees,
    assignee: assignees[0] ?? null,
    author: author ? userJson(state, author) : null,
    type: 'ISSUE',
    issue_type: 'issue',
    user_notes_count: state.notes.get(`${issue.project_id}#${issue.iid}`)?.length ?? 0,
    upvotes: 0,
    downvotes: 0,
    due_date: null,
    confidential: false,
    discussion_locked: null,
    web_url: `${project?.web_url ?? state.webBase}/-/issues/${issue.iid}`,
    references: {
      short: `#${issue.iid}`,
      relative: `#${issue.iid}`,
      full: `${project?.path_with_namespace ?? ''}#${issue.iid}`,
    },
    time_stats: {
      time_estimate: 0,
      total_time_spent: 0,
      human_time_estimate: null,
      human_total_time_spent: null,
    },
    task_completion_status: { count: 0, completed_count: 0 },
  };
}

function parseLabels(value: unknown): string[] {
  const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value.map(String) : [];
  const out: string[] = [];
  for (const label of list.map((item) => item.trim())) if (label && !out.includes(label)) out.push(label);
  return out;
}

/**
 * A stateful fake of the GitLab REST v4 endpoints the connector and discovery use. Serve it and
 * point a client at `fake.apiUrl` (`http://127.0.0.1:<port>/api/v4`).
 */
export class GitLabFake extends FakeServer {
  readonly state: GitLabState;
  readonly #options: GitLabFakeOptions;

  constructor(options: GitLabFakeOptions = {}) {
    const state = new GitLabState(options);
    const settings: GitLabFakeOptions = { ...options };
    super({
      name: 'GitLab',
      routes: buildRoutes(state, () => settings),
      validateRequest: validateGitLabRequest,
      rejectStatus: 400,
      notFoundBody: { error: '404 Not Found' },
    });
    this.state = state;
    this.#options = settings;
  }

  /** `http://127.0.0.1:<port>/api/v4`. */
  get apiUrl(): string {
    return `${this.url}${GITLAB_API_PREFIX}`;
  }

  /** Switches pagination headers on/off at runtime. */
  setPaginationHeaders(enabled: boolean): void {
    this.#options.paginationHeaders = enabled;
  }
}

function buildRoutes(state: GitLabState, options: () => GitLabFakeOptions): RouteDefinition[] {
  const authorized = (request: FakeRequest): boolean => {
    const token = options().token;
    if (token === undefined) return true;
    const privateToken = request.headers['private-token'];
    const bearer = request.headers.authorization;
    return privateToken === token || bearer === `Bearer ${token}`;
  };

  const withAuth =
    (handler: (request: FakeRequest) => FakeResponse) =>
    (request: FakeRequest): FakeResponse =>
      authorized(request) ? handler(request) : json(401, { message: '401 Unauthorized' });

  const withProject =
    (handler: (request: FakeRequest, project: GitLabProject) => FakeResponse) =>
    (request: FakeRequest): FakeResponse => {
      const project = state.findProject(request.params.id ?? '');
      return project ? handler(request, project) : notFound('Project');
    };

  const withIssue =
    (handler: (request: FakeRequest, project: GitLabProject, issue: GitLabIssue) => FakeResponse) =>
    (request: FakeRequest): FakeResponse => {
      const project = state.findProject(request.params.id ?? '');
      if (!project) return notFound('Project');
      const issue = state.getIssue(project.id, Number(request.params.iid));
      return issue ? handler(request, project, issue) : notFound('Issue');
    };

  const paginate = (request: FakeRequest, rows: unknown[]): FakeResponse => {
    const perPage = Math.min(Math.max(Number(request.query.get('per_page') ?? 20) || 20, 1), 100);
    const page = Math.max(Number(request.query.get('page') ?? 1) || 1, 1);
    const total = rows.length;
    const totalPages = Math.max(Math.ceil(total / perPage), 1);
    const slice = rows.slice((page - 1) * perPage, page * perPage);
    if (options().paginationHeaders === false) return json(200, slice);
    const hasNext = page * perPage < total;
    const totalsKnown = total <= (options().totalsLimit ?? 10_000);
    const linkFor = (target: number): string => {
      const url = new URL(request.url.toString());
      url.searchParams.set('page', String(target));
      url.searchParams.set('per_page', String(perPage));
      return url.toString();
    };
    const links: string[] = [];
    if (page > 1) links.push(`<${linkFor(page - 1)}>; rel="prev"`);
    if (hasNext) links.push(`<${linkFor(page + 1)}>; rel="next"`);
    links.push(`<${linkFor(1)}>; rel="first"`);
    if (totalsKnown) links.push(`<${linkFor(totalPages)}>; rel="last"`);
    const headers: Record<string, string> = {
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-next-page': hasNext ? String(page + 1) : '',
      'x-prev-page': page > 1 ? String(page - 1) : '',
      link: links.join(', '),
    };
    if (totalsKnown) {
      headers['x-total'] = String(total);
      headers['x-total-pages'] = String(totalPages);
    }
    return json(200, slice, headers);
  };

  const listIssues = (request: FakeRequest, project: GitLabProject): FakeResponse => {
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
    let rows = state.projectIssues(project.id).filter((issue) => {
      if (stateFilter !== 'all' && issue.state !== stateFilter) return false;
      // GitLab compares updated_after / updated_before inclusively.
      if (after !== null && Date.parse(issue.updated_at) < Date.parse(after)) return false;
      if (before !== null && Date.parse(issue.updated_at) > Date.parse(before)) return false;
      if (search !== null && !`${issue.title}\n${issue.description ?? ''}`.toLowerCase().includes(search))
        return false;
      if (labels.some((label) => !issue.labels.includes(label))) return false;
      if (iids.length > 0 && !iids.includes(issue.iid)) return false;
      return true;
    });
    const key = orderBy === 'updated_at' ? 'updated_at' : 'created_at';
    rows = rows.sort((left, right) => {
      const delta = Date.parse(left[key]) - Date.parse(right[key]) || left.id - right.id;
      return sort === 'asc' ? delta : -delta;
    });
    return paginate(
      request,
      rows.map((issue) => issueJson(state, issue)),
    );
  };

  const createIssue = (request: FakeRequest, project: GitLabProject): FakeResponse => {
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
    return json(201, issueJson(state, issue));
  };

  const updateIssue = (request: FakeRequest, _project: GitLabProject, issue: GitLabIssue): FakeResponse => {
    const body = request.body as Record<string, unknown>;
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
    }
    return json(200, issueJson(state, issue));
  };

  const listNotes = (request: FakeRequest, project: GitLabProject, issue: GitLabIssue): FakeResponse => {
    const notes = state.notes.get(`${project.id}#${issue.iid}`) ?? [];
    return paginate(
      request,
      notes.map((note) => ({
        ...note,
        author: userJson(state, state.users.get(note.author_id) as GitLabUser),
        noteable_iid: issue.iid,
        noteable_type: 'Issue',
      })),
    );
  };

  const addNote = (request: FakeRequest, project: GitLabProject, issue: GitLabIssue): FakeResponse => {
    const body = request.body as { body: string };
    const stamp = state.tick();
    const note = {
      id: state.nextId(),
      body: body.body,
      author_id: state.currentUserId,
      created_at: stamp,
      updated_at: stamp,
      system: false,
    };
    const key = `${project.id}#${issue.iid}`;
    state.notes.set(key, [...(state.notes.get(key) ?? []), note]);
    issue.updated_at = stamp; // a note bumps the issue's updated_at, as on GitLab
    return json(201, {
      ...note,
      author: userJson(state, state.users.get(note.author_id) as GitLabUser),
      noteable_iid: issue.iid,
      noteable_type: 'Issue',
    });
  };

  const linksOf = (project: GitLabProject, issue: GitLabIssue): FakeResponse => {
    const rows: Record<string, unknown>[] = [];
    for (const link of state.links) {
      let other: GitLabIssue | undefined;
      let type: string = link.link_type;
      if (link.source_project_id === project.id && link.source_iid === issue.iid) {
        other = state.getIssue(link.target_project_id, link.target_iid);
      } else if (link.target_project_id === project.id && link.target_iid === issue.iid) {
        other = state.getIssue(link.source_project_id, link.source_iid);
        type =
          link.link_type === 'blocks'
            ? 'is_blocked_by'
            : link.link_type === 'is_blocked_by'
              ? 'blocks'
              : link.link_type;
      }
      if (other)
        rows.push({
          ...issueJson(state, other),
          issue_link_id: link.issue_link_id,
          link_type: type,
          link_created_at: link.created_at,
          link_updated_at: link.created_at,
        });
    }
    return json(200, rows);
  };

  const addLink = (request: FakeRequest, project: GitLabProject, issue: GitLabIssue): FakeResponse => {
    const body = request.body as Record<string, unknown>;
    const targetProject = state.findProject(String(body.target_project_id));
    if (!targetProject) return notFound('Project');
    const target = state.getIssue(targetProject.id, Number(body.target_issue_iid));
    if (!target) return notFound('Issue');
    const linkType = (body.link_type as GitLabIssueLinkType | undefined) ?? 'relates_to';
    const duplicate = state.links.some(
      (link) =>
        (link.source_project_id === project.id &&
          link.source_iid === issue.iid &&
          link.target_project_id === targetProject.id &&
          link.target_iid === target.iid) ||
        (link.target_project_id === project.id &&
          link.target_iid === issue.iid &&
          link.source_project_id === targetProject.id &&
          link.source_iid === target.iid),
    );
    if (duplicate) return json(409, { message: 'Issue(s) already assigned' });
    const stamp = state.tick();
    const link = {
      issue_link_id: state.nextId(),
      source_project_id: project.id,
      source_iid: issue.iid,
      target_project_id: targetProject.id,
      target_iid: target.iid,
      link_type: linkType,
      created_at: stamp,
    };
    state.links.push(link);
    return json(201, {
      source_issue: issueJson(state, issue),
      target_issue: issueJson(state, target),
      link_type: linkType,
    });
  };

  const listGroups = (request: FakeRequest): FakeResponse => {
    const min = Number(request.query.get('min_access_level') ?? 0);
    const rows = [...state.groups.values()]
      .filter((group) => group.access_level >= min)
      .sort((left, right) => left.full_path.localeCompare(right.full_path));
    return paginate(
      request,
      rows.map(({ access_level: _level, ...group }) => ({
        ...group,
        description: '',
        visibility: 'private',
        avatar_url: null,
      })),
    );
  };

  const groupProjects = (request: FakeRequest): FakeResponse => {
    const raw = request.params.id ?? '';
    const group = /^\d+$/.test(raw)
      ? state.groups.get(Number(raw))
      : [...state.groups.values()].find((item) => item.full_path === raw);
    if (!group) return notFound('Group');
    const includeSub = request.query.get('include_subgroups') === 'true';
    const groupIds = new Set([group.id]);
    if (includeSub) {
      let grew = true;
      while (grew) {
        grew = false;
        for (const candidate of state.groups.values()) {
          if (
            candidate.parent_id !== null &&
            groupIds.has(candidate.parent_id) &&
            !groupIds.has(candidate.id)
          ) {
            groupIds.add(candidate.id);
            grew = true;
          }
        }
      }
    }
    const rows = [...state.projects.values()]
      .filter((project) => groupIds.has(project.namespace_id))
      .sort((left, right) => left.id - right.id);
    return paginate(
      request,
      rows.map((project) => {
        const namespace = state.groups.get(project.namespace_id);
        return {
          id: project.id,
          name: project.name,
          path: project.path,
          name_with_namespace: project.name_with_namespace,
          path_with_namespace: project.path_with_namespace,
          web_url: project.web_url,
          default_branch: 'main',
          namespace: namespace
            ? {
                id: namespace.id,
                name: namespace.name,
                path: namespace.path,
                kind: 'group',
                full_path: namespace.full_path,
                parent_id: namespace.parent_id,
                web_url: namespace.web_url,
              }
            : null,
        };
      }),
    );
  };

  const listUsers = (request: FakeRequest): FakeResponse => {
    const username = request.query.get('username');
    const search = request.query.get('search')?.toLowerCase();
    const rows = [...state.users.values()].filter((user) => {
      if (username !== null) return user.username.toLowerCase() === username.toLowerCase();
      if (search !== undefined)
        return user.username.toLowerCase().includes(search) || user.name.toLowerCase().includes(search);
      return true;
    });
    return paginate(
      request,
      rows.map((user) => userJson(state, user)),
    );
  };

  const p = GITLAB_API_PREFIX;
  const routes: RouteDefinition[] = [
    {
      method: 'GET',
      pattern: `${p}/projects/:id/issues`,
      name: 'GET /projects/{id}/issues',
      handler: withAuth(withProject(listIssues)),
    },
    {
      method: 'POST',
      pattern: `${p}/projects/:id/issues`,
      name: 'POST /projects/{id}/issues',
      handler: withAuth(withProject(createIssue)),
    },
    {
      method: 'GET',
      pattern: `${p}/projects/:id/issues/:iid`,
      name: 'GET /projects/{id}/issues/{iid}',
      handler: withAuth(withIssue((_request, _project, issue) => json(200, issueJson(state, issue)))),
    },
    {
      method: 'PUT',
      pattern: `${p}/projects/:id/issues/:iid`,
      name: 'PUT /projects/{id}/issues/{iid}',
      handler: withAuth(withIssue(updateIssue)),
    },
    {
      method: 'GET',
      pattern: `${p}/projects/:id/issues/:iid/notes`,
      name: 'GET /projects/{id}/issues/{iid}/notes',
      handler: withAuth(withIssue(listNotes)),
    },
    {
      method: 'POST',
      pattern: `${p}/projects/:id/issues/:iid/notes`,
      name: 'POST /projects/{id}/issues/{iid}/notes',
      handler: withAuth(withIssue(addNote)),
    },
    {
      method: 'GET',
      pattern: `${p}/projects/:id/issues/:iid/links`,
      name: 'GET /projects/{id}/issues/{iid}/links',
      handler: withAuth(withIssue((_request, project, issue) => linksOf(project, issue))),
    },
    {
      method: 'POST',
      pattern: `${p}/projects/:id/issues/:iid/links`,
      name: 'POST /projects/{id}/issues/{iid}/links',
      handler: withAuth(withIssue(addLink)),
    },
    {
      method: 'GET',
      pattern: `${p}/projects/:id`,
      name: 'GET /projects/{id}',
      handler: withAuth(
        withProject((_request, project) =>
          json(200, { ...project, namespace: { id: project.namespace_id } }),
        ),
      ),
    },
    { method: 'GET', pattern: `${p}/groups`, name: 'GET /groups', handler: withAuth(listGroups) },
    {
      method: 'GET',
      pattern: `${p}/groups/:id/projects`,
      name: 'GET /groups/{id}/projects',
      handler: withAuth(groupProjects),
    },
    { method: 'GET', pattern: `${p}/users`, name: 'GET /users', handler: withAuth(listUsers) },
    {
      method: 'GET',
      pattern: `${p}/user`,
      name: 'GET /user',
      handler: withAuth(() => json(200, userJson(state, state.users.get(state.currentUserId) as GitLabUser))),
    },
  ];
  return routes;
}

type GitLabIssueLinkType = 'relates_to' | 'blocks' | 'is_blocked_by';

function assigneeIdsFrom(body: Record<string, unknown>): number[] {
  if (Array.isArray(body.assignee_ids)) return [...new Set(body.assignee_ids.map(Number))];
  if (Number.isInteger(body.assignee_id)) return [Number(body.assignee_id)];
  return [];
}
