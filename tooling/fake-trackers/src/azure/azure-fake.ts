import {
  type FakeRequest,
  type FakeResponse,
  FakeServer,
  type RouteDefinition,
  type RouteHandler,
} from '../server/fake-server';
import { type AzureSpecValidator, loadAzureSpecValidator } from './azure-spec';
import { type AzureRelation, AzureState, type AzureStateOptions, type AzureWorkItem } from './azure-state';
import { DATE_FIELDS, hasTimePart, parseWiql, type WiqlCondition, WiqlError } from './azure-wiql';

export interface AzureFakeOptions extends AzureStateOptions {
  /** When set, requests must carry `Authorization: Basic base64(":" + pat)` (any user name). */
  personalAccessToken?: string;
  /** WIQL result cap (real service: 20,000, error VS402337). */
  wiqlMaxResults?: number;
  /** Status of a failed JSON Patch `test` operation (default 412). */
  testFailureStatus?: 409 | 412;
  /** Validate requests against the shared specs when present (default true). */
  validateAgainstSpec?: boolean;
  /** Max ids per `workitemsbatch` (real: 200). */
  batchMaxIds?: number;
}

const READ_ONLY_FIELDS = new Set([
  'System.Id',
  'System.Rev',
  'System.CreatedDate',
  'System.ChangedDate',
  'System.CreatedBy',
  'System.ChangedBy',
  'System.TeamProject',
  'System.WorkItemType',
  'System.CommentCount',
]);

/** Writable identity fields (reference name → display name used in rule errors). */
const IDENTITY_FIELDS = new Map([['System.AssignedTo', 'Assigned To']]);

const REVERSE_REL: Record<string, string> = {
  'System.LinkTypes.Hierarchy-Forward': 'System.LinkTypes.Hierarchy-Reverse',
  'System.LinkTypes.Hierarchy-Reverse': 'System.LinkTypes.Hierarchy-Forward',
  'System.LinkTypes.Dependency-Forward': 'System.LinkTypes.Dependency-Reverse',
  'System.LinkTypes.Dependency-Reverse': 'System.LinkTypes.Dependency-Forward',
  'System.LinkTypes.Duplicate-Forward': 'System.LinkTypes.Duplicate-Reverse',
  'System.LinkTypes.Duplicate-Reverse': 'System.LinkTypes.Duplicate-Forward',
  'System.LinkTypes.Related': 'System.LinkTypes.Related',
};

function adoError(status: number, message: string, typeKey = 'VssServiceException'): FakeResponse {
  return {
    status,
    body: {
      $id: '1',
      innerException: null,
      message,
      typeName: `Microsoft.VisualStudio.Services.Common.${typeKey}, Microsoft.VisualStudio.Services.Common`,
      typeKey,
      errorCode: 0,
      eventId: 3000,
    },
  };
}

class PatchError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly typeKey = 'WorkItemTrackingException',
  ) {
    super(message);
  }
}

/**
 * A stateful fake of the Azure DevOps work item tracking and core (projects) REST APIs, version 7.1.
 * Served paths are `/{organization}/…` on `fake.url` (so the connector's baseUrl is `fake.url`).
 */
export class AzureDevOpsFake extends FakeServer {
  readonly state: AzureState;

  constructor(options: AzureFakeOptions = {}) {
    const state = new AzureState(options);
    const spec = options.validateAgainstSpec === false ? null : loadAzureSpecValidator();
    const sink: string[][] = [];
    super({
      name: 'Azure DevOps',
      routes: buildRoutes(state, spec, options, sink),
      notFoundBody: { message: 'Page not found.' },
    });
    this.state = state;
    sink.push(this.violations);
  }

  /** True when request bodies and parameters are being checked against the official spec. */
  static specAvailable(): boolean {
    return loadAzureSpecValidator() !== null;
  }

  get organizationUrl(): string {
    return `${this.url}/${this.state.organization}`;
  }
}

function buildRoutes(
  state: AzureState,
  spec: AzureSpecValidator | null,
  options: AzureFakeOptions,
  sink: string[][],
): RouteDefinition[] {
  const cap = () => options.wiqlMaxResults ?? 20_000;
  const violations = (): string[] => sink[0] ?? [];
  const itemUrl = (request: FakeRequest, id: number) =>
    `${request.url.origin}/${state.organization}/_apis/wit/workItems/${id}`;

  const guard =
    (specPath: string, handler: RouteHandler): RouteHandler =>
    (request) => {
      if (request.params.org !== state.organization)
        return adoError(
          404,
          `VS800075: The project with id 'vstfs:///Classification/TeamProject/${request.params.org}' does not exist, or you do not have permission to access it.`,
        );
      const pat = options.personalAccessToken;
      if (pat !== undefined) {
        const header = String(request.headers.authorization ?? '');
        const decoded = header.startsWith('Basic ')
          ? Buffer.from(header.slice(6), 'base64').toString('utf8')
          : '';
        if (decoded.slice(decoded.indexOf(':') + 1) !== pat)
          return adoError(
            401,
            'TF400813: The user is not authorized to access this resource.',
            'UnauthorizedRequestException',
          );
      }
      if (spec) {
        const result = spec.validate(request, specPath);
        if (result.problems.length > 0) {
          for (const problem of result.problems)
            violations().push(`${request.method} ${request.path}${request.url.search}: ${problem}`);
          return adoError(
            result.status,
            result.problems.join(' '),
            result.status === 415 ? 'UnsupportedMediaTypeException' : 'InvalidRequestException',
          );
        }
      }
      if (request.params.project !== undefined && !state.findProject(request.params.project)) {
        return adoError(
          404,
          `VS800075: The project with id 'vstfs:///Classification/TeamProject/${request.params.project}' does not exist, or you do not have permission to access it.`,
          'ProjectDoesNotExistWithNameException',
        );
      }
      return handler(request);
    };

  const render = (
    request: FakeRequest,
    item: AzureWorkItem,
    expand: string,
    fields?: string[],
  ): Record<string, unknown> => {
    const all: Record<string, unknown> = { ...item.fields, 'System.Rev': item.rev };
    const selected =
      fields && fields.length > 0
        ? Object.fromEntries(
            fields
              .filter((name) => name === 'System.Id' || name in all)
              .map((name) => [name, name === 'System.Id' ? item.id : all[name]]),
          )
        : all;
    const out: Record<string, unknown> = { id: item.id, rev: item.rev, fields: selected };
    const lower = expand.toLowerCase();
    if ((lower === 'relations' || lower === 'all') && item.relations.length > 0)
      out.relations = item.relations.map((relation) => ({
        ...relation,
        attributes: { ...relation.attributes },
      }));
    if (lower === 'links' || lower === 'all') out._links = { self: { href: itemUrl(request, item.id) } };
    out.url = itemUrl(request, item.id);
    return out;
  };

  const getItem = (request: FakeRequest): FakeResponse => {
    const id = Number(request.params.id);
    const item = state.workItems.get(id);
    if (!item)
      return adoError(
        404,
        `TF401232: Work item ${request.params.id} does not exist, or you do not have permissions to read it.`,
        'WorkItemUnauthorizedAccessException',
      );
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
    return { status: 200, body: render(request, item, expand, fields) };
  };

  const relationTarget = (url: string): AzureWorkItem | undefined => {
    const match = /\/_apis\/wit\/workItems\/(\d+)$/i.exec(url);
    return match ? state.workItems.get(Number(match[1])) : undefined;
  };

  /** Applies JSON Patch ops to a copy; throws PatchError; returns the new item plus reverse-link edits. */
  const applyPatch = (request: FakeRequest, original: AzureWorkItem, ops: unknown[], creating: boolean) => {
    const item: AzureWorkItem = {
      ...original,
      fields: { ...original.fields },
      relations: original.relations.map((relation) => ({ ...relation })),
    };
    const added: AzureRelation[] = [];
    const removed: AzureRelation[] = [];
    for (const raw of ops) {
      const op = raw as { op: string; path: string; value?: unknown };
      const path = op.path;
      if (path === '/rev' || path === '/fields/System.Rev') {
        if (op.op !== 'test')
          throw new PatchError(400, `TF401326: Invalid field status 'ReadOnly' for field 'System.Rev'.`);
        if (Number(op.value) !== item.rev) {
          throw new PatchError(
            options.testFailureStatus ?? 412,
            `TF26071: This work item has been changed by someone else since you opened it. You will need to refresh it and discard your changes. (test /rev expected ${String(op.value)}, current ${item.rev})`,
            'WorkItemRevisionMismatchException',
          );
        }
        continue;
      }
      if (path.startsWith('/fields/')) {
        const field = path.slice('/fields/'.length);
        if (op.op === 'test') {
          if (JSON.stringify(item.fields[field]) !== JSON.stringify(op.value))
            throw new PatchError(
              options.testFailureStatus ?? 412,
              `Test operation failed for field '${field}'.`,
            );
          continue;
        }
        if (READ_ONLY_FIELDS.has(field) && !(creating && field === 'System.CreatedDate'))
          throw new PatchError(400, `TF401326: Invalid field status 'ReadOnly' for field '${field}'.`);
        if (IDENTITY_FIELDS.has(field) && (op.op === 'add' || op.op === 'replace')) {
          // An identity field stores the resolved user (read back as an IdentityRef); '' resets it.
          if (op.value === '' || op.value === null) {
            delete item.fields[field];
            continue;
          }
          const identity = state.resolveIdentity(op.value);
          if (!identity)
            throw new PatchError(
              400,
              `TF401320: Rule Error for field ${IDENTITY_FIELDS.get(field)}. Error code: ValidIdentity. The identity value '${typeof op.value === 'string' ? op.value : JSON.stringify(op.value)}' for field '${IDENTITY_FIELDS.get(field)}' is an unknown identity.`,
              'RuleValidationException',
            );
          item.fields[field] = { ...identity };
          continue;
        }
        if (op.op === 'add' || op.op === 'replace') item.fields[field] = op.value;
        else if (op.op === 'remove') delete item.fields[field];
        else throw new PatchError(400, `The operation '${op.op}' is not supported on '${path}'.`);
        continue;
      }
      if (path === '/relations/-' && op.op === 'add') {
        const value = op.value as { rel?: unknown; url?: unknown; attributes?: unknown } | undefined;
        const rel = String(value?.rel ?? '');
        const url = String(value?.url ?? '');
        if (rel === 'Hyperlink') {
          // A plain hyperlink: any absolute URL, one end only.
          if (!/^https?:\/\/\S+$/i.test(url))
            throw new PatchError(400, `TF237124: The hyperlink '${url}' is not a valid URL.`);
          if (item.relations.some((relation) => relation.rel === rel && relation.url === url)) {
            throw new PatchError(
              400,
              `TF201035: The hyperlink '${url}' already exists.`,
              'WorkItemLinkAlreadyExistsException',
            );
          }
          item.relations.push({
            rel,
            url,
            attributes: { isLocked: false, name: 'Hyperlink', ...(value?.attributes as object | undefined) },
          });
          continue;
        }
        if (!REVERSE_REL[rel])
          throw new PatchError(
            400,
            `TF201063: The link type '${rel}' is not supported by this fake or does not exist.`,
          );
        const target = relationTarget(url);
        if (!target)
          throw new PatchError(
            400,
            `TF201036: The work item link target '${url}' does not exist or is not a work item URL.`,
          );
        if (target.id === item.id)
          throw new PatchError(400, 'TF201041: A work item cannot be linked to itself.');
        if (
          item.relations.some(
            (relation) => relation.rel === rel && relation.url.toLowerCase() === url.toLowerCase(),
          )
        ) {
          throw new PatchError(
            400,
            `TF201035: The link of type '${rel}' to work item ${target.id} already exists.`,
            'WorkItemLinkAlreadyExistsException',
          );
        }
        if (
          rel === 'System.LinkTypes.Hierarchy-Reverse' &&
          item.relations.some((relation) => relation.rel === rel)
        ) {
          throw new PatchError(
            400,
            `TF201036: You cannot add a Parent link to work item ${target.id} because work item ${item.id} already has a parent.`,
          );
        }
        const relation = {
          rel,
          url: itemUrl(request, target.id),
          attributes: {
            isLocked: false,
            name: rel.split('.').pop() ?? rel,
            ...(value?.attributes as object | undefined),
          },
        };
        item.relations.push(relation);
        added.push(relation);
        continue;
      }
      const relationIndex = /^\/relations\/(\d+)$/.exec(path);
      if (relationIndex && op.op === 'remove') {
        const index = Number(relationIndex[1]);
        const [gone] = item.relations.splice(index, 1);
        if (!gone) throw new PatchError(400, `Relation index ${index} is out of range.`);
        removed.push(gone);
        continue;
      }
      throw new PatchError(400, `The path '${path}' with operation '${op.op}' is not supported.`);
    }
    const title = item.fields['System.Title'];
    if (typeof title !== 'string' || title.trim() === '')
      throw new PatchError(
        400,
        'TF401320: Rule Error for field Title. Error code: Required, InvalidEmpty.',
        'RuleValidationException',
      );
    const type = String(item.fields['System.WorkItemType']);
    const allowed = state.states[type] ?? [];
    const stateValue = item.fields['System.State'];
    if (!allowed.includes(String(stateValue))) {
      throw new PatchError(
        400,
        `TF401320: Rule Error for field State. Error code: Required, HasValues, LimitedToValues, AllowsOldValue, InvalidEmpty. Allowed values for ${type}: ${allowed.join(', ')}; got '${String(stateValue)}'.`,
        'RuleValidationException',
      );
    }
    const priority = item.fields['Microsoft.VSTS.Common.Priority'];
    if (
      priority !== undefined &&
      !(Number.isInteger(priority) && (priority as number) >= 1 && (priority as number) <= 4)
    ) {
      throw new PatchError(
        400,
        `TF401320: Rule Error for field Priority. Error code: LimitedToValues. Allowed values: 1, 2, 3, 4; got '${String(priority)}'.`,
        'RuleValidationException',
      );
    }
    if (stateValue !== original.fields['System.State'])
      item.fields['System.Reason'] = `Moved to state ${String(stateValue)}`;
    return { item, added, removed };
  };

  const commit = (
    request: FakeRequest,
    result: ReturnType<typeof applyPatch>,
    creating: boolean,
  ): AzureWorkItem => {
    const stamp = state.tick();
    const item = result.item;
    if (!creating) item.rev += 1;
    item.fields['System.ChangedDate'] = stamp;
    item.fields['System.ChangedBy'] = { ...state.currentUser };
    if (creating) item.fields['System.CreatedDate'] ??= stamp;
    state.workItems.set(item.id, item);
    // Links have two ends: the target gets the reverse relation (and a revision).
    for (const relation of result.added) {
      const target = relationTarget(relation.url);
      if (!target) continue;
      target.relations.push({
        rel: REVERSE_REL[relation.rel] ?? relation.rel,
        url: itemUrl(request, item.id),
        attributes: { isLocked: false, name: relation.attributes.name },
      });
      target.rev += 1;
      target.fields['System.ChangedDate'] = stamp;
    }
    for (const relation of result.removed) {
      const target = relationTarget(relation.url);
      if (!target) continue;
      const reverse = REVERSE_REL[relation.rel];
      target.relations = target.relations.filter(
        (candidate) => !(candidate.rel === reverse && relationTarget(candidate.url)?.id === item.id),
      );
      target.rev += 1;
      target.fields['System.ChangedDate'] = stamp;
    }
    return item;
  };

  /** Work item writes take JSON Patch only; real ADO answers 415 otherwise (checked with or without the spec). */
  const requireJsonPatch =
    (handler: RouteHandler): RouteHandler =>
    (request) => {
      const type =
        String(request.headers['content-type'] ?? '')
          .split(';')[0]
          ?.trim()
          .toLowerCase() ?? '';
      if (type === 'application/json-patch+json') return handler(request);
      const message = `The request indicated a Content-Type of "${type || '<none>'}" for method type "${request.method}" which is not supported. Valid content types for this method are: application/json-patch+json.`;
      violations().push(`${request.method} ${request.path}${request.url.search}: ${message}`);
      return adoError(415, message, 'UnsupportedMediaTypeException');
    };

  const patchItem = (request: FakeRequest): FakeResponse => {
    const item = state.workItems.get(Number(request.params.id));
    if (!item)
      return adoError(
        404,
        `TF401232: Work item ${request.params.id} does not exist, or you do not have permissions to read it.`,
      );
    if (!Array.isArray(request.body))
      return adoError(400, 'You must pass a valid patch document in the body of the request.');
    try {
      const result = applyPatch(request, item, request.body, false);
      if (request.query.get('validateOnly') === 'true')
        return {
          status: 200,
          body: render(request, result.item, request.query.get('$expand') ?? 'relations'),
        };
      const saved = commit(request, result, false);
      return { status: 200, body: render(request, saved, request.query.get('$expand') ?? 'relations') };
    } catch (error) {
      if (error instanceof PatchError) return adoError(error.status, error.message, error.typeKey);
      throw error;
    }
  };

  const createItem = (request: FakeRequest): FakeResponse => {
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
    if (!Array.isArray(request.body))
      return adoError(400, 'You must pass a valid patch document in the body of the request.');
    const project = state.findProject(request.params.project ?? '');
    if (!project) return adoError(404, 'project not found');
    const draft = state.addWorkItem(
      project.name,
      type,
      { 'System.Title': '\u0000draft' },
      state.now().toISOString(),
    );
    state.workItems.delete(draft.id);
    draft.fields['System.Title'] = undefined;
    delete draft.fields['System.CreatedDate'];
    try {
      const result = applyPatch(request, draft, request.body, true);
      if (request.query.get('validateOnly') === 'true')
        return { status: 200, body: render(request, result.item, 'relations') };
      const saved = commit(request, result, true);
      return { status: 200, body: render(request, saved, request.query.get('$expand') ?? 'relations') };
    } catch (error) {
      if (error instanceof PatchError) return adoError(error.status, error.message, error.typeKey);
      throw error;
    }
  };

  const fieldValue = (item: AzureWorkItem, field: string): unknown => {
    if (field === 'System.Id') return item.id;
    if (field === 'System.Rev') return item.rev;
    const value = item.fields[field];
    if (value && typeof value === 'object' && 'uniqueName' in value)
      return (value as { uniqueName: string }).uniqueName;
    return value;
  };

  const matches = (
    item: AzureWorkItem,
    condition: WiqlCondition,
    projectName: string,
    timePrecision: boolean,
  ): boolean => {
    const actual = fieldValue(item, condition.field);
    let expected: unknown = condition.value;
    if (typeof expected === 'object' && expected !== null)
      expected =
        (expected as { macro: string }).macro === 'project'
          ? projectName
          : state.now().toISOString().slice(0, 10);
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
  };

  const wiql = (request: FakeRequest): FakeResponse => {
    const text = (request.body as { query?: unknown } | undefined)?.query;
    if (typeof text !== 'string') return adoError(400, 'VS402611: The query text is required.');
    const timePrecision = request.query.get('timePrecision')?.toLowerCase() === 'true';
    let query: ReturnType<typeof parseWiql>;
    try {
      query = parseWiql(text);
    } catch (error) {
      if (error instanceof WiqlError) return adoError(400, error.message, 'WorkItemTrackingQueryException');
      throw error;
    }
    for (const condition of query.where) {
      if (DATE_FIELDS.has(condition.field) && typeof condition.value === 'string') {
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
    }
    const projectName = state.findProject(request.params.project ?? '')?.name ?? '';
    let rows = [...state.workItems.values()].filter((item) =>
      query.where.every((condition) => matches(item, condition, projectName, timePrecision)),
    );
    if (rows.length > cap()) {
      return adoError(
        400,
        `VS402337: The number of work items returned exceeds the size limit of ${cap()}. Change the query to return fewer work items.`,
        'WorkItemTrackingQueryResultSizeLimitExceededException',
      );
    }
    const order = query.orderBy.length > 0 ? query.orderBy : [{ field: 'System.Id', descending: false }];
    rows = rows.sort((left, right) => {
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
    const top = request.query.get('$top');
    if (top !== null) rows = rows.slice(0, Number(top));
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
        workItems: rows.map((item) => ({ id: item.id, url: itemUrl(request, item.id) })),
      },
    };
  };

  const batch = (request: FakeRequest): FakeResponse => {
    const body = request.body as {
      ids?: number[];
      fields?: string[];
      $expand?: string;
      errorPolicy?: string;
    };
    const ids = body.ids ?? [];
    const max = options.batchMaxIds ?? 200;
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
      const item = state.workItems.get(id);
      if (!item) {
        if (body.errorPolicy === 'omit') {
          value.push(null);
          continue;
        }
        return adoError(
          404,
          `TF401232: Work item ${id} does not exist, or you do not have permissions to read it.`,
        );
      }
      value.push(render(request, item, expand, body.fields));
    }
    return { status: 200, body: { count: value.length, value } };
  };

  const commentJson = (
    request: FakeRequest,
    comment: { id: number; workItemId: number; text: string; createdDate: string },
  ) => ({
    workItemId: comment.workItemId,
    id: comment.id,
    version: 1,
    text: comment.text,
    createdBy: { ...state.currentUser },
    createdDate: comment.createdDate,
    modifiedBy: { ...state.currentUser },
    modifiedDate: comment.createdDate,
    url: `${request.url.origin}/${state.organization}/_apis/wit/workItems/${comment.workItemId}/comments/${comment.id}`,
  });

  const addComment = (request: FakeRequest): FakeResponse => {
    const item = state.workItems.get(Number(request.params.workItemId));
    if (!item)
      return adoError(
        404,
        `TF401232: Work item ${request.params.workItemId} does not exist, or you do not have permissions to read it.`,
      );
    const text = (request.body as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string' || text.trim() === '')
      return adoError(400, 'VS403xxx: The comment text must not be empty.');
    const stamp = state.tick();
    const comment = { id: state.nextCommentId(), workItemId: item.id, text, createdDate: stamp };
    state.comments.set(item.id, [...(state.comments.get(item.id) ?? []), comment]);
    // A comment is a revision of the work item (System.History), as on the real service.
    item.rev += 1;
    item.fields['System.CommentCount'] = (state.comments.get(item.id) ?? []).length;
    item.fields['System.ChangedDate'] = stamp;
    return { status: 200, body: commentJson(request, comment) };
  };

  const listComments = (request: FakeRequest): FakeResponse => {
    const item = state.workItems.get(Number(request.params.workItemId));
    if (!item)
      return adoError(
        404,
        `TF401232: Work item ${request.params.workItemId} does not exist, or you do not have permissions to read it.`,
      );
    const comments = (state.comments.get(item.id) ?? []).map((comment) => commentJson(request, comment));
    return { status: 200, body: { totalCount: comments.length, count: comments.length, comments } };
  };

  const listProjects = (request: FakeRequest): FakeResponse => {
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
  };

  const wit = '/:org/:project/_apis/wit';
  const routes: RouteDefinition[] = [
    {
      method: 'POST',
      pattern: `${wit}/wiql`,
      name: 'POST wiql',
      handler: guard('/{organization}/{project}/_apis/wit/wiql', wiql),
    },
    {
      method: 'POST',
      pattern: '/:org/:project/:team/_apis/wit/wiql',
      name: 'POST wiql',
      handler: guard('/{organization}/{project}/{team}/_apis/wit/wiql', wiql),
    },
    {
      method: 'POST',
      pattern: `${wit}/workitemsbatch`,
      name: 'POST workitemsbatch',
      handler: guard('/{organization}/{project}/_apis/wit/workitemsbatch', batch),
    },
    {
      method: 'GET',
      pattern: '/:org/_apis/projects',
      name: 'GET projects',
      handler: guard('/{organization}/_apis/projects', listProjects),
    },
  ];
  for (const segment of ['workitems', 'workItems']) {
    routes.push(
      {
        method: 'GET',
        pattern: `${wit}/${segment}/:id`,
        name: 'GET workitem',
        handler: guard('/{organization}/{project}/_apis/wit/workitems/{id}', getItem),
      },
      {
        method: 'PATCH',
        pattern: `${wit}/${segment}/:id`,
        name: 'PATCH workitem',
        handler: guard('/{organization}/{project}/_apis/wit/workitems/{id}', requireJsonPatch(patchItem)),
      },
      {
        method: 'POST',
        pattern: `${wit}/${segment}/:type`,
        name: 'POST workitem',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's path template has a literal `$` before `{type}`.
        handler: guard('/{organization}/{project}/_apis/wit/workitems/${type}', requireJsonPatch(createItem)),
      },
      {
        method: 'GET',
        pattern: `${wit}/${segment}/:workItemId/comments`,
        name: 'GET comments',
        handler: guard('/{organization}/{project}/_apis/wit/workItems/{workItemId}/comments', listComments),
      },
      {
        method: 'POST',
        pattern: `${wit}/${segment}/:workItemId/comments`,
        name: 'POST comment',
        handler: guard('/{organization}/{project}/_apis/wit/workItems/{workItemId}/comments', addComment),
      },
    );
  }
  return routes;
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
