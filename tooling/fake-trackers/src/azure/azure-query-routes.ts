/** Query endpoints of the Azure DevOps fake: WIQL (ids) and `workitemsbatch` (contents). */
import type { FakeRequest, FakeResponse, RouteDefinition } from '../server/fake-server';
import { fieldValue, renderWorkItem } from './azure-render';
import { type AzureRouteContext, adoError, guard, itemUrl, workItemNotFound } from './azure-route-context';
import type { AzureWorkItem } from './azure-state';
import {
  DATE_FIELDS,
  hasTimePart,
  parseWiql,
  type WiqlCondition,
  WiqlError,
  type WiqlQuery,
} from './azure-wiql';

export function queryRoutes(context: AzureRouteContext): RouteDefinition[] {
  const wiql = (request: FakeRequest) => runWiql(context, request);
  return [
    {
      method: 'POST',
      pattern: '/:org/:project/_apis/wit/wiql',
      name: 'POST wiql',
      handler: guard(context, '/{organization}/{project}/_apis/wit/wiql', wiql),
    },
    {
      method: 'POST',
      pattern: '/:org/:project/:team/_apis/wit/wiql',
      name: 'POST wiql',
      handler: guard(context, '/{organization}/{project}/{team}/_apis/wit/wiql', wiql),
    },
    {
      method: 'POST',
      pattern: '/:org/:project/_apis/wit/workitemsbatch',
      name: 'POST workitemsbatch',
      handler: guard(context, '/{organization}/{project}/_apis/wit/workitemsbatch', (request) =>
        batch(context, request),
      ),
    },
    {
      method: 'GET',
      pattern: '/:org/:project/_apis/wit/recyclebin',
      name: 'GET recyclebin',
      handler: guard(context, '/{organization}/{project}/_apis/wit/recyclebin', (request) =>
        recycleBin(context, request),
      ),
    },
  ];
}

/** The project's recycle bin as shallow references (`id`, `url`), as the service lists it. */
function recycleBin(context: AzureRouteContext, request: FakeRequest): FakeResponse {
  const project = context.state.findProject(request.params.project ?? '');
  const value = [...context.state.recycleBin.values()]
    .filter((entry) => entry.item.project === project?.name)
    .map((entry) => ({
      id: entry.item.id,
      url: `${request.url.origin}/${context.state.organization}/${encodeURIComponent(entry.item.project)}/_apis/wit/recycleBin/${entry.item.id}`,
    }));
  return { status: 200, body: { count: value.length, value } };
}

function compare(left: number | string, right: number | string, op: WiqlCondition['op']): boolean {
  switch (op) {
    case '=':
      return left === right;
    case '<>':
      return left !== right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    default:
      return false;
  }
}

function matches(
  context: AzureRouteContext,
  item: AzureWorkItem,
  condition: WiqlCondition,
  projectName: string,
  timePrecision: boolean,
): boolean {
  const actual = fieldValue(item, condition.field);
  let expected: unknown = condition.value;
  if (typeof expected === 'object' && expected !== null)
    expected =
      (expected as { macro: string }).macro === 'project'
        ? projectName
        : context.state.now().toISOString().slice(0, 10);
  if (DATE_FIELDS.has(condition.field)) {
    const actualText = String(actual ?? '');
    let left = Date.parse(actualText);
    let right = Date.parse(String(expected));
    if (!timePrecision) {
      left = Date.parse(actualText.slice(0, 10));
      right = Date.parse(String(expected).slice(0, 10));
    }
    return compare(left, right, condition.op);
  }
  if (condition.op === 'CONTAINS')
    return String(actual ?? '')
      .toLowerCase()
      .includes(String(expected).toLowerCase());
  if (typeof actual === 'number' || typeof expected === 'number')
    return compare(Number(actual), Number(expected), condition.op);
  return compare(String(actual ?? '').toLowerCase(), String(expected).toLowerCase(), condition.op);
}

/** The service's error for a date literal it would refuse, else null. */
function dateProblem(query: WiqlQuery, timePrecision: boolean): FakeResponse | null {
  for (const condition of query.where) {
    if (!DATE_FIELDS.has(condition.field) || typeof condition.value !== 'string') continue;
    if (Number.isNaN(Date.parse(condition.value)))
      return adoError(
        400,
        `TF51010: The specified date '${condition.value}' is not valid for field ${condition.field}.`,
      );
    if (!timePrecision && hasTimePart(condition.value)) {
      return adoError(
        400,
        `VS402625: Dates must be specified without a time component unless time precision is requested; the query compares ${condition.field} with '${condition.value}'. Pass timePrecision=true.`,
        'WorkItemTrackingQueryException',
      );
    }
  }
  return null;
}

function sortRows(rows: AzureWorkItem[], query: WiqlQuery): AzureWorkItem[] {
  const order = query.orderBy.length > 0 ? query.orderBy : [{ field: 'System.Id', descending: false }];
  return rows.sort((left, right) => {
    for (const { field, descending } of order) {
      let a = fieldValue(left, field);
      let b = fieldValue(right, field);
      if (DATE_FIELDS.has(field)) {
        a = Date.parse(String(a));
        b = Date.parse(String(b));
      }
      const delta =
        typeof a === 'number' && typeof b === 'number'
          ? a - b
          : String(a ?? '').localeCompare(String(b ?? ''));
      if (delta !== 0) return descending ? -delta : delta;
    }
    return 0;
  });
}

function wiqlResult(
  context: AzureRouteContext,
  request: FakeRequest,
  query: WiqlQuery,
  rows: AzureWorkItem[],
): FakeResponse {
  const { state } = context;
  return {
    status: 200,
    body: {
      queryType: 'flat',
      queryResultType: 'workItem',
      asOf: state.now().toISOString(),
      columns: query.select.map((name) => ({
        referenceName: name,
        name: name.split('.').pop(),
        url: `${request.url.origin}/${state.organization}/_apis/wit/fields/${name}`,
      })),
      sortColumns: query.orderBy.map((sort) => ({
        field: { referenceName: sort.field },
        descending: sort.descending,
      })),
      workItems: rows.map((item) => ({ id: item.id, url: itemUrl(context, request, item.id) })),
    },
  };
}

function runWiql(context: AzureRouteContext, request: FakeRequest): FakeResponse {
  const { state } = context;
  const text = (request.body as { query?: unknown } | undefined)?.query;
  if (typeof text !== 'string') return adoError(400, 'VS402611: The query text is required.');
  const timePrecision = request.query.get('timePrecision')?.toLowerCase() === 'true';
  let query: WiqlQuery;
  try {
    query = parseWiql(text);
  } catch (error) {
    if (error instanceof WiqlError) return adoError(400, error.message, 'WorkItemTrackingQueryException');
    throw error;
  }
  const rejected = dateProblem(query, timePrecision);
  if (rejected) return rejected;
  const projectName = state.findProject(request.params.project ?? '')?.name ?? '';
  const rows = [...state.workItems.values()].filter((item) =>
    query.where.every((condition) => matches(context, item, condition, projectName, timePrecision)),
  );
  const cap = context.options.wiqlMaxResults ?? 20_000;
  if (rows.length > cap) {
    return adoError(
      400,
      `VS402337: The number of work items returned exceeds the size limit of ${cap}. Change the query to return fewer work items.`,
      'WorkItemTrackingQueryResultSizeLimitExceededException',
    );
  }
  let sorted = sortRows(rows, query);
  const top = request.query.get('$top');
  if (top !== null) sorted = sorted.slice(0, Number(top));
  return wiqlResult(context, request, query, sorted);
}

interface BatchBody {
  ids?: number[];
  fields?: string[];
  $expand?: string;
  errorPolicy?: string;
}

function batch(context: AzureRouteContext, request: FakeRequest): FakeResponse {
  const body = request.body as BatchBody;
  const ids = body.ids ?? [];
  const max = context.options.batchMaxIds ?? 200;
  if (ids.length === 0)
    return adoError(
      400,
      'VS403474: The ids parameter is required and must contain at least one work item id.',
    );
  if (ids.length > max)
    return adoError(
      400,
      `VS403474: The maximum number of work items that can be requested in one batch is ${max}; got ${ids.length}.`,
    );
  const expand = body.$expand ?? 'none';
  if (body.fields && body.fields.length > 0 && expand.toLowerCase() !== 'none')
    return adoError(
      400,
      'The expand parameter can not be used with the fields parameter.',
      'ConflictingParametersException',
    );
  const value: unknown[] = [];
  for (const id of ids) {
    const item = context.state.workItems.get(id);
    if (item) value.push(renderWorkItem(context, request, item, expand, body.fields));
    else if (body.errorPolicy === 'omit') value.push(null);
    else return workItemNotFound(id);
  }
  return { status: 200, body: { count: value.length, value } };
}
