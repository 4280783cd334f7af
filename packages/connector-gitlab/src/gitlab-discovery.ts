import type {
  DiscoveredResource,
  DiscoveredWorkspace,
  DiscoveryContext,
  DiscoveryResult,
  HttpClient,
  JsonValue,
} from '@spec-kitty/core';
import {
  type GitLabGroupPayload,
  type GitLabProjectPayload,
  gitLabGroupListSchema,
  gitLabProjectListSchema,
} from './gitlab-api-schemas';
import { GITLAB_DEFAULT_BASE_URL } from './gitlab-config';
import { nextPageFrom } from './gitlab-pagination';

/** As the original: at most 20 pages of 100. */
export const GITLAB_DISCOVERY_MAX_PAGES = 20;
export const GITLAB_DISCOVERY_PER_PAGE = 100;

/**
 * Paths relative to the client's base URL: core's hosted discovery client is rooted at
 * `https://gitlab.com` (Nango's proxy base), so `api/v4/…` is prepended unless the base already
 * ends in `/api/v4` (a direct or self-managed client).
 */
function apiPath(http: HttpClient, path: string): string {
  return /\/api\/v4\/?$/.test(http.baseUrl) ? path : `api/v4/${path}`;
}

async function collectPages<T>(
  http: HttpClient,
  path: string,
  query: Record<string, string>,
  schema: typeof gitLabGroupListSchema | typeof gitLabProjectListSchema,
): Promise<{ rows: T[]; truncated: boolean }> {
  const rows: T[] = [];
  for (let page = 1; page <= GITLAB_DISCOVERY_MAX_PAGES; page += 1) {
    const response = await http.request({
      method: 'GET',
      path: apiPath(http, path),
      query: { ...query, per_page: String(GITLAB_DISCOVERY_PER_PAGE), page: String(page) },
      schema: schema as never,
    });
    const data = response.data as T[];
    if (data.length === 0) return { rows, truncated: false };
    rows.push(...data);
    // X-Next-Page / Link when present; else the original's short-page rule.
    const next = nextPageFrom(response.headers, page, data.length, GITLAB_DISCOVERY_PER_PAGE);
    if (next === null) return { rows, truncated: false };
  }
  // All 20 pages were consumed and the server still reported (or might have) more.
  return { rows, truncated: true };
}

export function gitLabGroupToWorkspace(group: GitLabGroupPayload): DiscoveredWorkspace {
  const webUrl = 'web_url' in group ? (group.web_url ?? null) : '';
  return {
    id: String(group.id),
    name: group.full_path,
    display: group.full_name ?? group.full_path,
    kind: 'group',
    provider: 'gitlab',
    providerContext: {
      group_id: String(group.id),
      full_path: group.full_path,
      web_url: webUrl,
      workspace_handle: group.full_path,
      workspace_url: webUrl || null,
    },
  };
}

export function gitLabProjectToResource(
  project: GitLabProjectPayload,
  workspace: DiscoveredWorkspace,
): DiscoveredResource {
  const namespace = project.namespace ?? {};
  const pathWithNamespace = 'path_with_namespace' in project ? (project.path_with_namespace ?? null) : '';
  const webUrl = 'web_url' in project ? (project.web_url ?? null) : '';
  const namespaceId =
    'id' in namespace
      ? namespace.id === null || namespace.id === undefined
        ? 'None'
        : String(namespace.id)
      : '';
  const routing: Record<string, JsonValue> = {
    project_id: String(project.id),
    path_with_namespace: pathWithNamespace,
    web_url: webUrl,
    namespace_id: namespaceId,
    namespace_path: 'full_path' in namespace ? (namespace.full_path ?? null) : '',
    display_key: pathWithNamespace || null,
    resource_url: webUrl || null,
  };
  return {
    provider: 'gitlab',
    parentWorkspaceId: workspace.id,
    resourceType: 'project',
    stableRef: String(project.id),
    displayName: project.name_with_namespace || project.path_with_namespace || '',
    connectorParams: { project_id: String(project.id), base_url: GITLAB_DEFAULT_BASE_URL },
    routingMetadata: routing,
  };
}

/** Groups the user can see with at least Guest access (`min_access_level=10`). */
export async function discoverGitLabWorkspaces(
  http: HttpClient,
  context?: DiscoveryContext,
): Promise<DiscoveryResult<DiscoveredWorkspace>> {
  const { rows, truncated } = await collectPages<GitLabGroupPayload>(
    http,
    'groups',
    { min_access_level: '10' },
    gitLabGroupListSchema,
  );
  if (truncated)
    context?.logger.warn(`GitLab discovery: more than ${rows.length} groups; the list is truncated.`);
  return { items: rows.map(gitLabGroupToWorkspace), truncated };
}

/** Projects of a group including subgroups. */
export async function discoverGitLabResources(
  http: HttpClient,
  workspace: DiscoveredWorkspace,
  context?: DiscoveryContext,
): Promise<DiscoveryResult<DiscoveredResource>> {
  const groupId = workspace.providerContext?.group_id;
  const id = typeof groupId === 'string' || typeof groupId === 'number' ? String(groupId) : workspace.id;
  const { rows, truncated } = await collectPages<GitLabProjectPayload>(
    http,
    `groups/${encodeURIComponent(id)}/projects`,
    { include_subgroups: 'true' },
    gitLabProjectListSchema,
  );
  if (truncated) {
    context?.logger.warn(
      `GitLab discovery: group ${workspace.name} has more than ${rows.length} projects; the list is truncated.`,
    );
  }
  return { items: rows.map((project) => gitLabProjectToResource(project, workspace)), truncated };
}
