/**
 * `POST /api/graphql` of the GitLab fake: documents are parsed and validated against the
 * transcribed schema subset (`gitlab-graphql-schema.ts`), then executed over the fake's state:
 * `project(fullPath:)`, its `workItems(iids:, first:, after:)` (issues as work items) with the
 * hierarchy widget (`parent`) and the linked-items widget (`linkedItems`, the REST issue links).
 */
import { type DocumentNode, execute, type GraphQLError, type GraphQLSchema, parse, validate } from 'graphql';
import type { FakeRequest, FakeResponse, RouteDefinition } from '../server/fake-server';
import { gitLabGraphQLSchema } from './gitlab-graphql-schema';
import { json } from './gitlab-json';
import { linkViews } from './gitlab-link-routes';
import type { GitLabRouteContext } from './gitlab-route-context';
import type { GitLabEpic, GitLabGroup, GitLabIssue, GitLabProject, GitLabState } from './gitlab-state';

/** Where GitLab serves GraphQL: `${fake.url}/api/graphql`. */
export const GITLAB_GRAPHQL_PATH = '/api/graphql';
/** The endpoint label in `callCount` / `callsByEndpoint`. */
export const GITLAB_GRAPHQL_ENDPOINT = 'POST /api/graphql';
/** GitLab's `max_page_size` for connections: a larger `first` is answered with this many. */
const MAX_PAGE_SIZE = 100;

type Args = Record<string, unknown>;

export function graphqlRoutes(context: GitLabRouteContext): RouteDefinition[] {
  const schemas = new Map<boolean, GraphQLSchema>();
  const schemaFor = (workItems: boolean): GraphQLSchema => {
    let schema = schemas.get(workItems);
    if (!schema) {
      schema = gitLabGraphQLSchema({ workItems });
      schemas.set(workItems, schema);
    }
    return schema;
  };
  return [
    {
      method: 'POST',
      pattern: GITLAB_GRAPHQL_PATH,
      name: GITLAB_GRAPHQL_ENDPOINT,
      handler: (request) => handle(context, request, schemaFor(context.options().graphqlWorkItems !== false)),
    },
  ];
}

function authorized(context: GitLabRouteContext, request: FakeRequest): boolean {
  const token = context.options().token;
  if (token === undefined) return true;
  return request.headers['private-token'] === token || request.headers.authorization === `Bearer ${token}`;
}

function errors(messages: readonly { message: string }[]): { errors: readonly { message: string }[] } {
  return { errors: messages };
}

function handle(context: GitLabRouteContext, request: FakeRequest, schema: GraphQLSchema): FakeResponse {
  // GitLab answers a bad token 401 with a GraphQL-shaped body.
  if (!authorized(context, request)) return json(401, errors([{ message: 'Invalid token' }]));
  const body = (request.body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
  if (typeof body.query !== 'string' || body.query.trim() === '')
    return json(200, errors([{ message: 'No query string was present' }]));
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return json(200, errors([{ message: (error as GraphQLError).message }]));
  }
  // graphql-ruby answers validation failures with HTTP 200 and `errors` (no `data`).
  const problems = validate(schema, document);
  if (problems.length > 0) {
    for (const problem of problems) context.violation(`POST ${GITLAB_GRAPHQL_PATH}: ${problem.message}`);
    return json(200, errors(problems.map((problem) => ({ message: problem.message }))));
  }
  const variables =
    body.variables !== null && typeof body.variables === 'object' ? (body.variables as Args) : {};
  const result = execute({
    schema,
    document,
    rootValue: queryRoot(context.state),
    variableValues: variables,
    ...(typeof body.operationName === 'string' ? { operationName: body.operationName } : {}),
  });
  if ('then' in result) return json(500, errors([{ message: 'internal error' }]));
  return json(200, {
    ...(result.errors ? { errors: result.errors.map((error) => ({ message: error.message })) } : {}),
    data: result.data ?? null,
  });
}

/** `{ first, after }` of a connection over `items`, with GitLab's page-size cap. */
function connection<T>(items: readonly T[], args: Args): Record<string, unknown> {
  const first =
    typeof args.first === 'number' ? Math.min(Math.max(args.first, 0), MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
  const start =
    typeof args.after === 'string' ? Number(Buffer.from(args.after, 'base64url').toString()) + 1 : 0;
  const slice = items.slice(start, start + first);
  const cursor = (index: number) => Buffer.from(String(start + index)).toString('base64url');
  return {
    count: items.length,
    nodes: slice,
    edges: slice.map((node, index) => ({ cursor: cursor(index), node })),
    pageInfo: {
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length > 0 ? cursor(0) : null,
      endCursor: slice.length > 0 ? cursor(slice.length - 1) : null,
    },
  };
}

function projectNode(state: GitLabState, project: GitLabProject): Record<string, unknown> {
  return {
    id: `gid://gitlab/Project/${project.id}`,
    fullPath: project.path_with_namespace,
    name: project.name,
    webUrl: project.web_url,
    workItems: (args: Args) => {
      const iids = Array.isArray(args.iids) ? new Set((args.iids as string[]).map(Number)) : null;
      const iid = typeof args.iid === 'string' ? Number(args.iid) : null;
      const issues = state
        .projectIssues(project.id)
        .filter((issue) => (iids === null || iids.has(issue.iid)) && (iid === null || issue.iid === iid))
        .sort((left, right) => right.id - left.id);
      return connection(
        issues.map((issue) => issueNode(state, project, issue)),
        args,
      );
    },
  };
}

function namespaceNode(
  kind: 'Group' | 'Namespaces::ProjectNamespace',
  id: number,
  fullPath: string,
  name: string,
) {
  return { id: `gid://gitlab/${kind}/${id}`, fullPath, name };
}

function issueNode(state: GitLabState, project: GitLabProject, issue: GitLabIssue): Record<string, unknown> {
  return {
    id: `gid://gitlab/WorkItem/${issue.id}`,
    iid: String(issue.iid),
    title: issue.title,
    state: issue.state === 'closed' ? 'CLOSED' : 'OPEN',
    confidential: false,
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
    closedAt: issue.closed_at,
    project: () => projectNode(state, project),
    namespace: namespaceNode(
      'Namespaces::ProjectNamespace',
      project.id,
      project.path_with_namespace,
      project.name,
    ),
    reference: (args: Args) => (args.full ? `${project.path_with_namespace}#${issue.iid}` : `#${issue.iid}`),
    widgets: () => [
      { __typename: 'WorkItemWidgetLabels', type: 'LABELS' },
      hierarchyWidget(state, issue),
      {
        __typename: 'WorkItemWidgetLinkedItems',
        type: 'LINKED_ITEMS',
        linkedItems: (args: Args) => connection(linkedItems(state, project, issue, args), args),
      },
    ],
  };
}

function epicNode(group: GitLabGroup, epic: GitLabEpic): Record<string, unknown> {
  return {
    id: `gid://gitlab/WorkItem/${epic.id}`,
    iid: String(epic.iid),
    title: epic.title,
    state: 'OPEN',
    confidential: false,
    createdAt: epic.created_at,
    updatedAt: epic.updated_at,
    closedAt: null,
    project: null,
    namespace: namespaceNode('Group', group.id, group.full_path, group.name),
    reference: (args: Args) => (args.full ? `${group.full_path}&${epic.iid}` : `&${epic.iid}`),
    widgets: () => [],
  };
}

function hierarchyWidget(state: GitLabState, issue: GitLabIssue): Record<string, unknown> {
  let parent: Record<string, unknown> | null = null;
  const ref = issue.parent ?? null;
  if (ref?.kind === 'epic') {
    const group = state.groups.get(ref.groupId);
    const epic = state.epics.get(`${ref.groupId}&${ref.iid}`);
    if (group && epic) parent = epicNode(group, epic);
  } else if (ref?.kind === 'issue') {
    const project = state.projects.get(ref.projectId);
    const parentIssue = state.getIssue(ref.projectId, ref.iid);
    if (project && parentIssue) parent = issueNode(state, project, parentIssue);
  }
  const children = [...state.issues.values()].filter(
    (other) =>
      other.parent?.kind === 'issue' &&
      other.parent.projectId === issue.project_id &&
      other.parent.iid === issue.iid,
  );
  return {
    __typename: 'WorkItemWidgetHierarchy',
    type: 'HIERARCHY',
    parent,
    hasParent: parent !== null,
    hasChildren: children.length > 0,
    children: (args: Args) =>
      connection(
        children.flatMap((child) => {
          const project = state.projects.get(child.project_id);
          return project ? [issueNode(state, project, child)] : [];
        }),
        args,
      ),
  };
}

const LINK_FILTERS: Readonly<Record<string, string>> = {
  RELATED: 'relates_to',
  BLOCKS: 'blocks',
  BLOCKED_BY: 'is_blocked_by',
};

function linkedItems(
  state: GitLabState,
  project: GitLabProject,
  issue: GitLabIssue,
  args: Args,
): Record<string, unknown>[] {
  const filter = typeof args.filter === 'string' ? LINK_FILTERS[args.filter] : undefined;
  return linkViews(state, project.id, issue)
    .filter((view) => filter === undefined || view.type === filter)
    .map(({ link, other, type }) => {
      const otherProject = state.projects.get(other.project_id);
      return {
        linkId: `gid://gitlab/WorkItems::RelatedWorkItemLink/${link.issue_link_id}`,
        linkType: type,
        linkCreatedAt: link.created_at,
        linkUpdatedAt: link.created_at,
        workItem: otherProject ? issueNode(state, otherProject, other) : null,
      };
    });
}

function queryRoot(state: GitLabState): Record<string, unknown> {
  return {
    project: (args: Args) => {
      const project = state.findProject(String(args.fullPath));
      // GraphQL finds projects by full path only (a numeric id is no path): null, as GitLab.
      return project && project.path_with_namespace === args.fullPath ? projectNode(state, project) : null;
    },
    namespace: (args: Args) => {
      const group = [...state.groups.values()].find((candidate) => candidate.full_path === args.fullPath);
      return group ? namespaceNode('Group', group.id, group.full_path, group.name) : null;
    },
  };
}
