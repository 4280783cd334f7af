// Hosted discovery (original §10.4): sites from `accessible-resources`, projects from
// `project/search` (up to 20 pages of 50). Paths are relative to the discovery client's base
// (`https://api.atlassian.com` through the Nango proxy). A project's stable ref is its numeric
// id, never its key (keys can be renamed).
import {
  ConnectorConfigError,
  type DiscoveredResource,
  type DiscoveredWorkspace,
  type DiscoveryResult,
  type HttpClient,
} from '@spec-kitty/core';
import { accessibleResourcesSchema, projectPageSchema } from './jira-api-schemas';

export const JIRA_DISCOVERY_MAX_PAGES = 20;
export const JIRA_DISCOVERY_PAGE_SIZE = 50;
export const ATLASSIAN_API_BASE = 'https://api.atlassian.com';

/** `https://mysite.atlassian.net` → `mysite`; null when not a URL. */
function firstHostLabel(url: string): string | null {
  try {
    const host = new URL(url).hostname;
    return host.length > 0 ? (host.split('.')[0] ?? null) : null;
  } catch {
    return null;
  }
}

export async function discoverJiraWorkspaces(
  http: HttpClient,
): Promise<DiscoveryResult<DiscoveredWorkspace>> {
  const response = await http.request({
    method: 'GET',
    path: '/oauth/token/accessible-resources',
    schema: accessibleResourcesSchema,
  });
  const items = response.data.map((site): DiscoveredWorkspace => {
    const url = site.url ?? '';
    return {
      id: site.id,
      name: site.name,
      display: url || site.name,
      kind: 'site',
      provider: 'jira',
      providerContext: {
        cloud_id: site.id,
        site_url: url,
        workspace_handle: url ? firstHostLabel(url) : null,
        workspace_url: url || null,
      },
    };
  });
  return { items, truncated: false };
}

export async function discoverJiraResources(
  http: HttpClient,
  workspace: DiscoveredWorkspace,
): Promise<DiscoveryResult<DiscoveredResource>> {
  const cloudId = workspace.providerContext?.cloud_id;
  if (typeof cloudId !== 'string' || cloudId.length === 0) {
    throw new ConnectorConfigError(
      `Jira workspace '${workspace.id}' has no providerContext.cloud_id; pass a workspace returned by discoverWorkspaces('jira', …)`,
    );
  }
  const siteUrlValue = workspace.providerContext?.site_url;
  const siteUrl = typeof siteUrlValue === 'string' ? siteUrlValue : '';
  const base = `${ATLASSIAN_API_BASE}/ex/jira/${cloudId}`;
  const items: DiscoveredResource[] = [];
  let truncated = true;
  for (let page = 0; page < JIRA_DISCOVERY_MAX_PAGES; page += 1) {
    const response = await http.request({
      method: 'GET',
      path: `/ex/jira/${encodeURIComponent(cloudId)}/rest/api/3/project/search`,
      query: {
        startAt: String(page * JIRA_DISCOVERY_PAGE_SIZE),
        maxResults: String(JIRA_DISCOVERY_PAGE_SIZE),
      },
      schema: projectPageSchema,
    });
    for (const project of response.data.values) {
      const id = String(project.id);
      items.push({
        provider: 'jira',
        parentWorkspaceId: workspace.id,
        resourceType: 'project',
        stableRef: id,
        displayName: project.name,
        connectorParams: { project_key: project.key, cloud_id: cloudId, base_url: base },
        routingMetadata: {
          project_id: id,
          project_key: project.key,
          project_name: project.name,
          display_key: project.key,
          resource_url: siteUrl ? `${siteUrl}/browse/${project.key}` : null,
        },
      });
    }
    // As the original: stop when isLast is true or absent. An empty page also ends the scan.
    if (response.data.isLast !== false || response.data.values.length === 0) {
      truncated = false;
      break;
    }
  }
  return { items, truncated };
}
