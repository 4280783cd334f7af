import {
  ConnectorConfigError,
  type DiscoveredResource,
  type DiscoveredWorkspace,
  type DiscoveryResult,
  type HttpClient,
} from '@spec-kitty/core';
import { createPageWalk } from '@spec-kitty/core/http';
import { type AzureProjectPayload, azureProjectListSchema } from './azure-api-schemas';
import { AZURE_SYSTEM } from './azure-mapping';

export const AZURE_DISCOVERY_MAX_PAGES = 20;
export const AZURE_DISCOVERY_PAGE_SIZE = 100;

/** The organisation an HTTP client is rooted at (`https://dev.azure.com/{org}`), or '' when none. */
function organizationOf(http: HttpClient): { organization: string; orgUrl: string } {
  const url = new URL(http.baseUrl);
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const organization = decodeURIComponent(segments[segments.length - 1] ?? '');
  return { organization, orgUrl: http.baseUrl.replace(/\/+$/, '') };
}

function workspaceOrganization(workspace: DiscoveredWorkspace): string {
  const organization = workspace.providerContext?.organization;
  return typeof organization === 'string' && organization !== '' ? organization : workspace.name;
}

/**
 * Where the workspace's projects are, relative to the client: hosted discovery's client is
 * rooted at `https://dev.azure.com` (no organisation), so the organisation comes from the
 * workspace; a client already rooted at that organisation (direct use) needs no prefix.
 */
function projectsLocation(
  http: HttpClient,
  workspace: DiscoveredWorkspace,
): { path: string; orgUrl: string } {
  const organization = workspaceOrganization(workspace);
  const base = organizationOf(http);
  if (base.organization === organization) return { path: '_apis/projects', orgUrl: base.orgUrl };
  if (base.organization === '') {
    const segment = encodeURIComponent(organization);
    return { path: `${segment}/_apis/projects`, orgUrl: `${base.orgUrl}/${segment}` };
  }
  throw new ConnectorConfigError(
    `Azure DevOps workspace '${organization}' is not the organization the discovery client is rooted at ('${base.organization}'); root the client at https://dev.azure.com (hosted discovery's default) or at that organization.`,
  );
}

/**
 * Azure DevOps has no org listing on dev.azure.com itself (that is the profile/accounts service),
 * so the workspace is the organisation the client is rooted at: hosted discovery passes
 * `baseUrl: 'https://dev.azure.com/<organization>'` to `discoverWorkspaces`.
 */
export async function discoverAzureWorkspaces(
  http: HttpClient,
): Promise<DiscoveryResult<DiscoveredWorkspace>> {
  const { organization, orgUrl } = organizationOf(http);
  if (organization === '') {
    throw new ConnectorConfigError(
      "Azure DevOps workspace discovery needs the organization (dev.azure.com has no organization listing): pass { baseUrl: 'https://dev.azure.com/<organization>' } to discoverWorkspaces.",
    );
  }
  return {
    items: [
      {
        id: organization,
        name: organization,
        display: organization,
        kind: 'organization',
        provider: AZURE_SYSTEM,
        providerContext: { organization, workspace_handle: organization, workspace_url: orgUrl },
      },
    ],
    truncated: false,
  };
}

export function azureProjectToResource(
  project: AzureProjectPayload,
  workspace: DiscoveredWorkspace,
  orgUrl: string,
): DiscoveredResource {
  const organization =
    typeof workspace.providerContext?.organization === 'string'
      ? workspace.providerContext.organization
      : workspace.name;
  return {
    provider: AZURE_SYSTEM,
    parentWorkspaceId: workspace.id,
    resourceType: 'project',
    stableRef: project.id,
    displayName: project.name,
    connectorParams: { organization, project: project.name },
    routingMetadata: {
      project_id: project.id,
      project_name: project.name,
      visibility: project.visibility ?? null,
      display_key: project.name,
      resource_url: `${orgUrl}/${encodeURIComponent(project.name)}`,
    },
  };
}

/** Projects of the organisation: `GET _apis/projects`, paged by `x-ms-continuationtoken` (or `$skip`). */
export async function discoverAzureProjects(
  http: HttpClient,
  workspace: DiscoveredWorkspace,
): Promise<DiscoveryResult<DiscoveredResource>> {
  const { path, orgUrl } = projectsLocation(http, workspace);
  const items: DiscoveredResource[] = [];
  // The page cap is reported as `truncated`; the walk only catches a repeated continuation token.
  const walk = createPageWalk({
    provider: AZURE_SYSTEM,
    what: 'projects',
    maxPages: Number.MAX_SAFE_INTEGER,
  });
  let paging: Record<string, string> = {};
  for (let page = 0; page < AZURE_DISCOVERY_MAX_PAGES; page += 1) {
    const response = await http.request({
      method: 'GET',
      path,
      query: { 'api-version': '7.1', $top: String(AZURE_DISCOVERY_PAGE_SIZE), ...paging },
      schema: azureProjectListSchema,
    });
    const rows = response.data.value;
    for (const project of rows) items.push(azureProjectToResource(project, workspace, orgUrl));
    const token = response.headers.get('x-ms-continuationtoken');
    if (token) {
      walk.next(token);
      paging = { continuationToken: token };
    } else if (rows.length >= AZURE_DISCOVERY_PAGE_SIZE) paging = { $skip: String(items.length) };
    else return { items, truncated: false };
  }
  return { items, truncated: true };
}
