/** Work item endpoints of the Azure DevOps fake: get, update (JSON Patch) and create. */
import type { FakeRequest, FakeResponse, RouteDefinition } from '../server/fake-server';
import { applyPatch, commitPatch, PatchError } from './azure-patch';
import { renderWorkItem } from './azure-render';
import {
  type AzureRouteContext,
  adoError,
  guard,
  requireJsonPatch,
  workItemNotFound,
} from './azure-route-context';
import type { AzureWorkItem } from './azure-state';

const INVALID_PATCH = 'You must pass a valid patch document in the body of the request.';

export function workItemRoutes(context: AzureRouteContext): RouteDefinition[] {
  const wit = '/:org/:project/_apis/wit';
  const itemPath = '/{organization}/{project}/_apis/wit/workitems/{id}';
  // Both spellings of the segment are served, as on the real service.
  return ['workitems', 'workItems'].flatMap((segment): RouteDefinition[] => [
    {
      method: 'GET',
      pattern: `${wit}/${segment}/:id`,
      name: 'GET workitem',
      handler: guard(context, itemPath, (request) => getItem(context, request)),
    },
    {
      method: 'PATCH',
      pattern: `${wit}/${segment}/:id`,
      name: 'PATCH workitem',
      handler: guard(
        context,
        itemPath,
        requireJsonPatch(context, (request) => patchItem(context, request)),
      ),
    },
    {
      method: 'POST',
      pattern: `${wit}/${segment}/:type`,
      name: 'POST workitem',
      handler: guard(
        context,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's path template has a literal `$` before `{type}`.
        '/{organization}/{project}/_apis/wit/workitems/${type}',
        requireJsonPatch(context, (request) => createItem(context, request)),
      ),
    },
  ]);
}

function getItem(context: AzureRouteContext, request: FakeRequest): FakeResponse {
  const item = context.state.workItems.get(Number(request.params.id));
  if (!item) return workItemNotFound(request.params.id, 'WorkItemUnauthorizedAccessException');
  const fields = request.query
    .get('fields')
    ?.split(',')
    .map((field) => field.trim());
  const expand = request.query.get('$expand') ?? 'none';
  if (fields && expand.toLowerCase() !== 'none')
    return adoError(
      400,
      'The expand parameter can not be used with the fields parameter.',
      'ConflictingParametersException',
    );
  return { status: 200, body: renderWorkItem(context, request, item, expand, fields) };
}

/** Applies the patch in the body to `item`; `validateOnly=true` answers without storing it. */
function patchAndRender(
  context: AzureRouteContext,
  request: FakeRequest,
  item: AzureWorkItem,
  creating: boolean,
): FakeResponse {
  try {
    const result = applyPatch(context, request, item, request.body as unknown[], creating);
    const expand = request.query.get('$expand') ?? 'relations';
    if (request.query.get('validateOnly') === 'true')
      return {
        status: 200,
        body: renderWorkItem(context, request, result.item, creating ? 'relations' : expand),
      };
    const saved = commitPatch(context, request, result, creating);
    return { status: 200, body: renderWorkItem(context, request, saved, expand) };
  } catch (error) {
    if (error instanceof PatchError) return adoError(error.status, error.message, error.typeKey);
    throw error;
  }
}

function patchItem(context: AzureRouteContext, request: FakeRequest): FakeResponse {
  const item = context.state.workItems.get(Number(request.params.id));
  if (!item) return workItemNotFound(request.params.id);
  if (!Array.isArray(request.body)) return adoError(400, INVALID_PATCH);
  return patchAndRender(context, request, item, false);
}

function createItem(context: AzureRouteContext, request: FakeRequest): FakeResponse {
  const { state } = context;
  const rawType = request.params.type ?? '';
  if (!rawType.startsWith('$'))
    return adoError(400, `The work item type must be prefixed with '$' (got '${rawType}').`);
  const typeName = rawType.slice(1);
  const type = Object.keys(state.states).find(
    (candidate) => candidate.toLowerCase() === typeName.toLowerCase(),
  );
  if (!type)
    return adoError(
      404,
      `VS402323: Work item type ${typeName} does not exist.`,
      'WorkItemTypeNotFoundException',
    );
  if (!Array.isArray(request.body)) return adoError(400, INVALID_PATCH);
  const project = state.findProject(request.params.project ?? '');
  if (!project) return adoError(404, 'project not found');
  // A draft with the next id and the type's defaults; the patch fills it in.
  const draft = state.addWorkItem(
    project.name,
    type,
    { 'System.Title': '\u0000draft' },
    state.now().toISOString(),
  );
  state.workItems.delete(draft.id);
  draft.fields['System.Title'] = undefined;
  delete draft.fields['System.CreatedDate'];
  return patchAndRender(context, request, draft, true);
}
