/** What every Azure DevOps route shares: the fake's options, the error body, the request guard. */
import type { FakeRequest, FakeResponse, RouteHandler } from '../server/fake-server';
import type { AzureSpecValidator } from './azure-spec';
import type { AzureState, AzureStateOptions } from './azure-state';

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

export interface AzureRouteContext {
  readonly state: AzureState;
  readonly spec: AzureSpecValidator | null;
  readonly options: AzureFakeOptions;
  /** The fake's violation list (known only once the server exists, hence a function). */
  readonly violations: () => string[];
}

/** An Azure DevOps error body (`VssServiceException` shape). */
export function adoError(status: number, message: string, typeKey = 'VssServiceException'): FakeResponse {
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

/** The service's answer for a work item id it does not hold. */
export function workItemNotFound(id: string | number | undefined, typeKey?: string): FakeResponse {
  return adoError(
    404,
    `TF401232: Work item ${String(id)} does not exist, or you do not have permissions to read it.`,
    typeKey,
  );
}

/** The REST URL of work item `id` on this fake. */
export function itemUrl(context: AzureRouteContext, request: FakeRequest, id: number): string {
  return `${request.url.origin}/${context.state.organization}/_apis/wit/workItems/${id}`;
}

function projectMissing(name: string | undefined, typeKey?: string): FakeResponse {
  return adoError(
    404,
    `VS800075: The project with id 'vstfs:///Classification/TeamProject/${name}' does not exist, or you do not have permission to access it.`,
    typeKey,
  );
}

function authorized(context: AzureRouteContext, request: FakeRequest): boolean {
  const pat = context.options.personalAccessToken;
  if (pat === undefined) return true;
  const header = String(request.headers.authorization ?? '');
  const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
  return decoded.slice(decoded.indexOf(':') + 1) === pat;
}

function specProblems(
  context: AzureRouteContext,
  request: FakeRequest,
  specPath: string,
): FakeResponse | null {
  if (!context.spec) return null;
  const result = context.spec.validate(request, specPath);
  if (result.problems.length === 0) return null;
  for (const problem of result.problems)
    context.violations().push(`${request.method} ${request.path}${request.url.search}: ${problem}`);
  return adoError(
    result.status,
    result.problems.join(' '),
    result.status === 415 ? 'UnsupportedMediaTypeException' : 'InvalidRequestException',
  );
}

/**
 * Organization, credentials, the request against the spec path `specPath`, then the project:
 * the checks the service makes before any route runs, in its order.
 */
export function guard(context: AzureRouteContext, specPath: string, handler: RouteHandler): RouteHandler {
  return (request) => {
    if (request.params.org !== context.state.organization) return projectMissing(request.params.org);
    if (!authorized(context, request))
      return adoError(
        401,
        'TF400813: The user is not authorized to access this resource.',
        'UnauthorizedRequestException',
      );
    const rejected = specProblems(context, request, specPath);
    if (rejected) return rejected;
    if (request.params.project !== undefined && !context.state.findProject(request.params.project)) {
      return projectMissing(request.params.project, 'ProjectDoesNotExistWithNameException');
    }
    return handler(request);
  };
}

/** Work item writes take JSON Patch only; real ADO answers 415 otherwise (checked with or without the spec). */
export function requireJsonPatch(context: AzureRouteContext, handler: RouteHandler): RouteHandler {
  return (request) => {
    const type =
      String(request.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim()
        .toLowerCase() ?? '';
    if (type === 'application/json-patch+json') return handler(request);
    const message = `The request indicated a Content-Type of "${type || '<none>'}" for method type "${request.method}" which is not supported. Valid content types for this method are: application/json-patch+json.`;
    context.violations().push(`${request.method} ${request.path}${request.url.search}: ${message}`);
    return adoError(415, message, 'UnsupportedMediaTypeException');
  };
}
