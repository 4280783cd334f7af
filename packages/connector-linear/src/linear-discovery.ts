// Hosted discovery (the original's `discovery/linear.py`): the organization is the one
// workspace; every team is a resource. Better than the original: teams are paginated (250 per
// page, up to 20 pages, `truncated` when more remain) instead of the first 50, and GraphQL errors
// are reported instead of surfacing as KeyErrors.
import type {
  DiscoveredResource,
  DiscoveredWorkspace,
  DiscoveryContext,
  DiscoveryResult,
  HttpClient,
} from '@spec-kitty/core';
import { createPageWalk } from '@spec-kitty/core/http';
import type * as v from 'valibot';
import { organizationSchema, teamsSchema } from './linear-api-schemas';
import { linearGraphql } from './linear-graphql';
import { LINEAR_MAX_PAGE_SIZE, ORGANIZATION, TEAMS } from './linear-queries';

export const MAX_TEAM_PAGES = 20;

/**
 * Hosted discovery hands over a client based at the API host (`https://api.linear.app`), so the
 * documents go to `/graphql`; a client already based at the endpoint is used as is.
 */
function graphqlPath(http: HttpClient): string {
  return /\/graphql\/?$/.test(http.baseUrl) ? '' : '/graphql';
}

export async function discoverLinearWorkspaces(
  http: HttpClient,
): Promise<DiscoveryResult<DiscoveredWorkspace>> {
  const { organization: org } = await linearGraphql(http, {
    operationName: 'Organization',
    path: graphqlPath(http),
    query: ORGANIZATION,
    schema: organizationSchema,
  });
  return {
    items: [
      {
        id: org.id,
        name: org.urlKey,
        display: org.name,
        kind: 'workspace',
        provider: 'linear',
        providerContext: {
          org_id: org.id,
          url_key: org.urlKey,
          workspace_handle: org.urlKey,
          workspace_url: `https://linear.app/${org.urlKey}`,
        },
      },
    ],
    truncated: false,
  };
}

export async function discoverLinearResources(
  http: HttpClient,
  workspace: DiscoveredWorkspace,
  context?: DiscoveryContext,
): Promise<DiscoveryResult<DiscoveredResource>> {
  const items: DiscoveredResource[] = [];
  // The page cap is reported as `truncated`; the walk only catches a repeated cursor.
  const walk = createPageWalk({ provider: 'linear', what: 'teams', maxPages: Number.MAX_SAFE_INTEGER });
  let after: string | null = null;
  for (let page = 0; page < MAX_TEAM_PAGES; page += 1) {
    if (after !== null) walk.next(after);
    const data: v.InferOutput<typeof teamsSchema> = await linearGraphql(http, {
      operationName: 'Teams',
      path: graphqlPath(http),
      query: TEAMS,
      variables: { first: LINEAR_MAX_PAGE_SIZE, after },
      schema: teamsSchema,
      ...(context?.signal ? { signal: context.signal } : {}),
    });
    for (const team of data.teams.nodes) {
      items.push({
        provider: 'linear',
        parentWorkspaceId: workspace.id,
        resourceType: 'team',
        stableRef: team.id,
        displayName: team.name,
        connectorParams: { team_id: team.id },
        routingMetadata: {
          team_key: team.key,
          team_name: team.name,
          url_key: workspace.name,
          display_key: team.key,
          resource_url: `https://linear.app/${workspace.name}/team/${team.key}`,
        },
      });
    }
    after = data.teams.pageInfo.hasNextPage ? data.teams.pageInfo.endCursor : null;
    if (after === null) return { items, truncated: false };
  }
  return { items, truncated: true };
}
