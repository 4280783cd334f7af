/** What every GitLab route shares: the fake's options, auth and lookup guards, and page headers. */
import type { FakeRequest, FakeResponse } from '../server/fake-server';
import { json, notFound } from './gitlab-json';
import type { GitLabIssue, GitLabProject, GitLabState, GitLabStateOptions } from './gitlab-state';

export interface GitLabFakeOptions extends GitLabStateOptions {
  /** When set, requests must carry `PRIVATE-TOKEN: <token>` or `Authorization: Bearer <token>`. */
  token?: string;
  /** Above this many rows `X-Total`, `X-Total-Pages` and `rel="last"` are omitted (GitLab: 10,000). */
  totalsLimit?: number;
  /** false = answer without any pagination headers (like an old Nango proxy that strips them). */
  paginationHeaders?: boolean;
  /** true = ignore `order_by`/`sort` and answer `created_at desc` (older GitLab versions did). */
  ignoreOrderBy?: boolean;
  /** false = GraphQL without `Project.workItems` (GitLab before work items): such documents fail validation. */
  graphqlWorkItems?: boolean;
}

/** Where the API lives on the fake: `${fake.url}/api/v4`. */
export const GITLAB_API_PREFIX = '/api/v4';

export interface GitLabRouteContext {
  readonly state: GitLabState;
  /** Read on every request: options can change while the fake serves (`setPaginationHeaders`). */
  readonly options: () => GitLabFakeOptions;
  /** Records a request GitLab would refuse although it answers 200 (GraphQL validation errors). */
  violation: (problem: string) => void;
}

type Handler = (request: FakeRequest) => FakeResponse;
export type ProjectHandler = (request: FakeRequest, project: GitLabProject) => FakeResponse;
export type IssueHandler = (request: FakeRequest, project: GitLabProject, issue: GitLabIssue) => FakeResponse;

function authorized(context: GitLabRouteContext, request: FakeRequest): boolean {
  const token = context.options().token;
  if (token === undefined) return true;
  const privateToken = request.headers['private-token'];
  const bearer = request.headers.authorization;
  return privateToken === token || bearer === `Bearer ${token}`;
}

/** Answers 401 unless the request carries the configured token. */
export function withAuth(context: GitLabRouteContext, handler: Handler): Handler {
  return (request) =>
    authorized(context, request) ? handler(request) : json(401, { message: '401 Unauthorized' });
}

/** Resolves `:id` to a project (`state.findProject`), else 404. */
export function withProject(context: GitLabRouteContext, handler: ProjectHandler): Handler {
  return (request) => {
    const project = context.state.findProject(request.params.id ?? '');
    return project ? handler(request, project) : notFound('Project');
  };
}

/** Resolves `:id` and `:iid` to a project and one of its issues, else 404. */
export function withIssue(context: GitLabRouteContext, handler: IssueHandler): Handler {
  return (request) => {
    const project = context.state.findProject(request.params.id ?? '');
    if (!project) return notFound('Project');
    const issue = context.state.getIssue(project.id, Number(request.params.iid));
    return issue ? handler(request, project, issue) : notFound('Issue');
  };
}

/** One page of `rows` with GitLab's offset pagination headers (`X-Total*` only below `totalsLimit`). */
export function paginate(context: GitLabRouteContext, request: FakeRequest, rows: unknown[]): FakeResponse {
  const perPage = Math.min(Math.max(Number(request.query.get('per_page') ?? 20) || 20, 1), 100);
  const page = Math.max(Number(request.query.get('page') ?? 1) || 1, 1);
  const total = rows.length;
  const totalPages = Math.max(Math.ceil(total / perPage), 1);
  const slice = rows.slice((page - 1) * perPage, page * perPage);
  if (context.options().paginationHeaders === false) return json(200, slice);
  const hasNext = page * perPage < total;
  const totalsKnown = total <= (context.options().totalsLimit ?? 10_000);
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
}
