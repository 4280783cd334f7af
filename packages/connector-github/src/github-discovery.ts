// Hosted discovery for GitHub (the original's §10.4): workspaces = the viewer's organisations then
// the viewer; resources = repositories of a workspace, following `Link` pagination (short-page
// fallback when a proxy strips headers), at most 10 pages, `truncated` when more remain.
import {
  ConnectorRequestError,
  consoleLogger,
  type DiscoveredResource,
  type DiscoveredWorkspace,
  type DiscoveryContext,
  type DiscoveryResult,
  type HttpClient,
  IssuePayloadContractError,
  type JsonValue,
  type Logger,
} from '@spec-kitty/core';
import { createPageWalk, formatIssuePath } from '@spec-kitty/core/http';
import * as v from 'valibot';
import { githubAuthenticatedUserSchema, githubOrgSchema, githubRepoSchema } from './github-api-schemas';
import { nextLinkQuery, pageSignal } from './github-pagination';

export const GITHUB_DISCOVERY_MAX_PAGES = 10;
const PER_PAGE = 100;

function parseOrThrow<T>(schema: v.GenericSchema<unknown, T>, value: unknown, fieldPath: string): T {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const [first] = result.issues;
  const path = first ? formatIssuePath(first, fieldPath) : fieldPath;
  throw new IssuePayloadContractError(
    `Unexpected GitHub discovery payload at ${path}: expected ${first?.expected ?? 'a valid value'} but received ${first?.received ?? '?'}`,
    { provider: 'github', kind: 'discovery', fieldPath: path, reason: 'HTTP-002' },
  );
}

function asArray(data: unknown, what: string): unknown[] {
  if (Array.isArray(data)) return data;
  throw new IssuePayloadContractError(
    `Expected a JSON array from ${what}, got ${data === null ? 'null' : typeof data}`,
    {
      provider: 'github',
      kind: 'discovery',
      fieldPath: '<root>',
      reason: 'HTTP-002',
    },
  );
}

function workspace(kind: 'org' | 'user', id: number, login: string, display: string): DiscoveredWorkspace {
  return {
    id: String(id),
    name: login,
    display,
    kind,
    provider: 'github',
    providerContext: {
      workspace_type: kind,
      login,
      account_id: String(id),
      workspace_handle: login,
      workspace_url: `https://github.com/${login}`,
    },
  };
}

/** `GET /user/orgs` then `GET /user` (a failing `/user` is logged and the personal workspace omitted). */
export async function discoverGitHubWorkspaces(
  http: HttpClient,
  context?: DiscoveryContext,
): Promise<DiscoveryResult<DiscoveredWorkspace>> {
  const logger: Logger = context?.logger ?? consoleLogger;
  const signal = context?.signal;
  const items: DiscoveredWorkspace[] = [];
  // Better than the original (one unpaginated call, so 30 orgs at most): 100 per page, Link pages.
  const orgRows = await getAllPages(http, '/user/orgs', { per_page: String(PER_PAGE) }, signal);
  for (const [index, row] of orgRows.rows.entries()) {
    const org = parseOrThrow(githubOrgSchema, row, `orgs[${index}]`);
    items.push(workspace('org', org.id, org.login, org.description || org.login));
  }
  let user: { status: number; data: unknown } | null = null;
  try {
    user = await http.request<unknown>({
      method: 'GET',
      path: '/user',
      acceptStatuses: [400, 401, 403, 404, 500, 502, 503],
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (!ConnectorRequestError.isInstance(error)) throw error;
    user = { status: error.statusCode ?? 0, data: null };
  }
  if (user.status >= 400 || user.status === 0) {
    logger.warn(`Failed to fetch GitHub user identity (status ${user.status}), omitting personal workspace`);
  } else {
    const viewer = parseOrThrow(githubAuthenticatedUserSchema, user.data, 'user');
    items.push(workspace('user', viewer.id, viewer.login, viewer.name || viewer.login));
  }
  return { items, truncated: orgRows.truncated };
}

/** GETs `path` page by page (Link, or short pages without headers), at most 10 pages. */
async function getAllPages(
  http: HttpClient,
  path: string,
  firstQuery: Record<string, string>,
  signal: AbortSignal | undefined,
): Promise<{ rows: unknown[]; truncated: boolean }> {
  const rows: unknown[] = [];
  let query: Record<string, string> | null = firstQuery;
  let pages = 0;
  // The page cap is the original's (reported as `truncated`); the walk only catches a repeated link.
  const walk = createPageWalk({
    provider: 'github',
    what: `GET ${path}`,
    maxPages: Number.MAX_SAFE_INTEGER,
  });
  while (query !== null && pages < GITHUB_DISCOVERY_MAX_PAGES) {
    const response = await http.request<unknown>({
      method: 'GET',
      path,
      query,
      ...(signal ? { signal } : {}),
    });
    pages += 1;
    const page = asArray(response.data, `GET ${path}`);
    rows.push(...page);
    const more = pageSignal(response.headers, page.length, PER_PAGE);
    if (!more.hasNext) query = null;
    else if (more.nextUrl !== null) {
      walk.next(more.nextUrl);
      query = { ...query, ...nextLinkQuery(more.nextUrl) };
    } else query = { ...query, page: String(pages + 1) };
  }
  return { rows, truncated: query !== null };
}

function repoResource(workspaceId: string, raw: unknown, index: number): DiscoveredResource {
  const repo = parseOrThrow(githubRepoSchema, raw, `repos[${index}]`);
  const record = raw as Record<string, unknown>;
  const htmlUrl = 'html_url' in record ? (repo.html_url ?? null) : '';
  const visibility =
    repo.visibility !== null && repo.visibility !== undefined
      ? repo.visibility
      : repo.private
        ? 'private'
        : 'public';
  const routing: Record<string, JsonValue> = {
    repo_id: String(repo.id),
    full_name: repo.full_name,
    default_branch: 'default_branch' in record ? (repo.default_branch ?? null) : 'main',
    html_url: htmlUrl,
    visibility,
    display_key: repo.name,
    resource_url: htmlUrl ? htmlUrl : null,
  };
  return {
    provider: 'github',
    parentWorkspaceId: workspaceId,
    resourceType: 'repository',
    stableRef: String(repo.id),
    displayName: repo.full_name,
    connectorParams: { owner: repo.owner.login, repo: repo.name },
    routingMetadata: routing,
  };
}

/**
 * Repositories of a workspace: `/user/repos?affiliation=owner` for the user, `/orgs/{login}/repos`
 * for an organisation, sorted by full name, up to 10 pages of 100.
 */
export async function discoverGitHubResources(
  http: HttpClient,
  ws: DiscoveredWorkspace,
  context?: DiscoveryContext,
): Promise<DiscoveryResult<DiscoveredResource>> {
  const workspaceType = (ws.providerContext?.workspace_type as string | undefined) ?? 'org';
  const path = workspaceType === 'user' ? '/user/repos' : `/orgs/${encodeURIComponent(ws.name)}/repos`;
  const query: Record<string, string> =
    workspaceType === 'user'
      ? { affiliation: 'owner', sort: 'full_name', per_page: String(PER_PAGE) }
      : { sort: 'full_name', per_page: String(PER_PAGE) };
  const { rows, truncated } = await getAllPages(http, path, query, context?.signal);
  return { items: rows.map((row, index) => repoResource(ws.id, row, index)), truncated };
}
