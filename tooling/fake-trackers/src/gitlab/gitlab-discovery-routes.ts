/** Endpoints discovery reads from the GitLab fake: projects, groups, users and the current user. */
import type { FakeRequest, FakeResponse, RouteDefinition } from '../server/fake-server';
import { json, notFound, userJson } from './gitlab-json';
import {
  GITLAB_API_PREFIX,
  type GitLabRouteContext,
  paginate,
  withAuth,
  withProject,
} from './gitlab-route-context';
import type { GitLabGroup, GitLabProject, GitLabUser } from './gitlab-state';

export function discoveryRoutes(context: GitLabRouteContext): RouteDefinition[] {
  const p = GITLAB_API_PREFIX;
  const { state } = context;
  return [
    {
      method: 'GET',
      pattern: `${p}/projects/:id`,
      name: 'GET /projects/{id}',
      handler: withAuth(
        context,
        withProject(context, (_request, project) =>
          json(200, { ...project, namespace: { id: project.namespace_id } }),
        ),
      ),
    },
    {
      method: 'GET',
      pattern: `${p}/groups`,
      name: 'GET /groups',
      handler: withAuth(context, (request) => listGroups(context, request)),
    },
    {
      method: 'GET',
      pattern: `${p}/groups/:id/projects`,
      name: 'GET /groups/{id}/projects',
      handler: withAuth(context, (request) => groupProjects(context, request)),
    },
    {
      method: 'GET',
      pattern: `${p}/users`,
      name: 'GET /users',
      handler: withAuth(context, (request) => listUsers(context, request)),
    },
    {
      method: 'GET',
      pattern: `${p}/user`,
      name: 'GET /user',
      handler: withAuth(context, () =>
        json(200, userJson(state, state.users.get(state.currentUserId) as GitLabUser)),
      ),
    },
  ];
}

function listGroups(context: GitLabRouteContext, request: FakeRequest): FakeResponse {
  const min = Number(request.query.get('min_access_level') ?? 0);
  const rows = [...context.state.groups.values()]
    .filter((group) => group.access_level >= min)
    .sort((left, right) => left.full_path.localeCompare(right.full_path));
  return paginate(
    context,
    request,
    rows.map(({ access_level: _level, ...group }) => ({
      ...group,
      description: '',
      visibility: 'private',
      avatar_url: null,
    })),
  );
}

function groupProjects(context: GitLabRouteContext, request: FakeRequest): FakeResponse {
  const { state } = context;
  const raw = request.params.id ?? '';
  const group = /^\d+$/.test(raw)
    ? state.groups.get(Number(raw))
    : [...state.groups.values()].find((item) => item.full_path === raw);
  if (!group) return notFound('Group');
  const groupIds =
    request.query.get('include_subgroups') === 'true' ? withSubgroups(context, group) : new Set([group.id]);
  const rows = [...state.projects.values()]
    .filter((project) => groupIds.has(project.namespace_id))
    .sort((left, right) => left.id - right.id);
  return paginate(
    context,
    request,
    rows.map((project) => projectJson(context, project)),
  );
}

/** The group's id and the ids of all groups below it. */
function withSubgroups(context: GitLabRouteContext, group: GitLabGroup): Set<number> {
  const groupIds = new Set([group.id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const candidate of context.state.groups.values()) {
      if (candidate.parent_id !== null && groupIds.has(candidate.parent_id) && !groupIds.has(candidate.id)) {
        groupIds.add(candidate.id);
        grew = true;
      }
    }
  }
  return groupIds;
}

function projectJson(context: GitLabRouteContext, project: GitLabProject): Record<string, unknown> {
  const namespace = context.state.groups.get(project.namespace_id);
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
}

function listUsers(context: GitLabRouteContext, request: FakeRequest): FakeResponse {
  const username = request.query.get('username');
  const search = request.query.get('search')?.toLowerCase();
  const rows = [...context.state.users.values()].filter((user) => {
    if (username !== null) return user.username.toLowerCase() === username.toLowerCase();
    if (search !== undefined)
      return user.username.toLowerCase().includes(search) || user.name.toLowerCase().includes(search);
    return true;
  });
  return paginate(
    context,
    request,
    rows.map((user) => userJson(context.state, user)),
  );
}
