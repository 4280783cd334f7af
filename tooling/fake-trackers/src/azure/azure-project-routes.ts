/** The core projects endpoint of the Azure DevOps fake (discovery), paged by continuation token. */
import type { FakeRequest, FakeResponse, RouteDefinition } from '../server/fake-server';
import { type AzureRouteContext, guard } from './azure-route-context';

export function projectRoutes(context: AzureRouteContext): RouteDefinition[] {
  return [
    {
      method: 'GET',
      pattern: '/:org/_apis/projects',
      name: 'GET projects',
      handler: guard(context, '/{organization}/_apis/projects', (request) => listProjects(context, request)),
    },
  ];
}

function listProjects(context: AzureRouteContext, request: FakeRequest): FakeResponse {
  const { state } = context;
  const top = Number(request.query.get('$top') ?? 100);
  const skip = Number(request.query.get('continuationToken') ?? request.query.get('$skip') ?? 0);
  const all = [...state.projects.values()].sort((left, right) => left.name.localeCompare(right.name));
  const page = all.slice(skip, skip + top).map((project) => ({
    ...project,
    url: `${request.url.origin}/${state.organization}/_apis/projects/${project.id}`,
  }));
  const headers: Record<string, string> = {};
  if (skip + top < all.length) headers['x-ms-continuationtoken'] = String(skip + top);
  return { status: 200, headers, body: { count: page.length, value: page } };
}
