// The one place the connector talks to Linear: POST {graphqlUrl} with {query, variables,
// operationName}. Error mapping (better than the original, which turned every GraphQL error into
// a non-retryable ConnectorRequestError and never read rate-limit headers):
// - HTTP 400 + RATELIMITED (Linear's rate limit) → rate_limit with retryAfterSeconds from
//   X-RateLimit-Requests-Reset (epoch ms), done by the core HTTP client, which also retries
//   queries (not mutations) after short waits;
// - RATELIMITED inside a 200, AUTHENTICATION_ERROR, FORBIDDEN → the matching failure class;
// - "Entity not found: <Entity>" → the caller's not-found handler (IssueNotFoundError for issues).
import { ConnectorRequestError, FailureClass, type HttpClient } from '@spec-kitty/core';
import { HttpResponseError, throwIfGraphQLErrors, validateResponseBody } from '@spec-kitty/core/http';
import type { GenericSchema } from 'valibot';

export const LINEAR_ERROR_LABEL = 'Linear GraphQL error';

interface GraphQLErrorShape {
  message?: unknown;
  extensions?: { code?: unknown; userPresentableMessage?: unknown; type?: unknown };
}

/** Thrown internally for `Entity not found: <entity>`; mapped by `linearGraphql`'s `onNotFound`. */
export class LinearEntityNotFound extends Error {
  readonly entity: string;
  constructor(entity: string, message: string) {
    super(message);
    this.entity = entity;
  }
}

function errorsOf(body: unknown): GraphQLErrorShape[] {
  if (typeof body !== 'object' || body === null) return [];
  const errors = (body as { errors?: unknown }).errors;
  return Array.isArray(errors) ? (errors as GraphQLErrorShape[]) : [];
}

const NOT_FOUND = /^Entity not found: (\w+)/;

function notFoundEntity(errors: readonly GraphQLErrorShape[]): string | null {
  if (errors.length === 0) return null;
  let entity: string | null = null;
  for (const error of errors) {
    const match = typeof error.message === 'string' ? NOT_FOUND.exec(error.message) : null;
    if (!match?.[1]) return null;
    entity = match[1];
  }
  return entity;
}

function entityNotFoundIn(body: unknown): LinearEntityNotFound | null {
  const errors = errorsOf(body);
  const entity = notFoundEntity(errors);
  return entity === null ? null : new LinearEntityNotFound(entity, String(errors[0]?.message));
}

const AUTH_CODES: Readonly<Record<string, FailureClass>> = {
  AUTHENTICATION_ERROR: FailureClass.AUTHENTICATION,
  UNAUTHENTICATED: FailureClass.AUTHENTICATION,
  FORBIDDEN: FailureClass.PERMISSION,
};

export interface LinearRequest<T> {
  operationName: string;
  /** Relative to the client's base URL; default '' (the base URL is the GraphQL endpoint). */
  path?: string;
  query: string;
  variables?: Readonly<Record<string, unknown>>;
  schema: GenericSchema<unknown, T>;
  /** Queries are safe to repeat; mutations are not (default: false for mutations). */
  mutation?: boolean;
  signal?: AbortSignal;
  /** Maps `Entity not found: <entity>`; default: ConnectorRequestError (not_found). */
  onNotFound?: (entity: string, message: string) => Error;
}

export async function linearGraphql<T>(http: HttpClient, request: LinearRequest<T>): Promise<T> {
  const mutation = request.mutation ?? request.query.trimStart().startsWith('mutation');
  let body: unknown;
  try {
    const response = await http.request<unknown>({
      method: 'POST',
      path: request.path ?? '',
      json: {
        query: request.query,
        variables: request.variables ?? {},
        operationName: request.operationName,
      },
      idempotent: !mutation,
      bodyCheck: (data, meta) => {
        const errors = errorsOf(data);
        if (errors.length === 0) return;
        const entity = notFoundEntity(errors);
        if (entity !== null) throw new LinearEntityNotFound(entity, String(errors[0]?.message));
        throwIfGraphQLErrors(data, {
          provider: http.provider,
          label: LINEAR_ERROR_LABEL,
          status: meta.status,
          headers: meta.headers,
        });
      },
      ...(request.signal ? { signal: request.signal } : {}),
    });
    body = response.data;
  } catch (error) {
    // "Entity not found" arrives in a 200 (checked in bodyCheck) or, on some paths, in a 400.
    const notFound =
      error instanceof LinearEntityNotFound
        ? error
        : HttpResponseError.isInstance(error)
          ? entityNotFoundIn((error as HttpResponseError).responseBody)
          : null;
    if (notFound) {
      throw request.onNotFound
        ? request.onNotFound(notFound.entity, notFound.message)
        : new ConnectorRequestError(
            `${LINEAR_ERROR_LABEL} in ${request.operationName}: ${notFound.message}`,
            {
              failureClass: FailureClass.NOT_FOUND,
              provider: http.provider,
            },
          );
    }
    throw refineHttpError(error, http.provider);
  }
  const data = (body as { data?: unknown } | null)?.data ?? null;
  return validateResponseBody(request.schema, data, {
    provider: http.provider,
    request: `Linear ${request.operationName}`,
  });
}

/** Linear answers bad credentials with HTTP 400 + AUTHENTICATION_ERROR; report it as authentication. */
function refineHttpError(error: unknown, provider: string): unknown {
  if (!HttpResponseError.isInstance(error)) return error;
  const response = error as HttpResponseError;
  if (response.failureClass === FailureClass.RATE_LIMIT) return error;
  for (const item of errorsOf(response.responseBody)) {
    const code = typeof item.extensions?.code === 'string' ? item.extensions.code : '';
    const failureClass = AUTH_CODES[code];
    if (failureClass !== undefined) {
      return new ConnectorRequestError(
        `${LINEAR_ERROR_LABEL}: ${String(item.message)} (${code}). Check the Linear API key or OAuth connection.`,
        { statusCode: response.statusCode, failureClass, provider, cause: error },
      );
    }
  }
  return error;
}
