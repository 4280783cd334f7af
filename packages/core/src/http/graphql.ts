// GraphQL over the HTTP client. GraphQL servers report failures in the body: Linear answers a
// rate limit as HTTP 400 (handled by the client's classifier) or inside a 200 with
// `errors[].extensions.code = "RATELIMITED"` (handled here), so a connector that only looked at
// the status would treat a throttled query as a permanent error (the original did).
import type { GenericSchema } from 'valibot';
import { ConnectorRequestError } from '../errors/errors';
import { FailureClass } from '../errors/failure-class';
import type { HttpClient } from '../protocol/http-client';
import { bodyExcerpt, graphQLErrorCodes, isGraphQLRateLimited } from './http-errors';
import { waitSecondsFromHeaders } from './rate-limit-headers';
import { validateResponseBody } from './response-validation';

/** Where a GraphQL error body came from, for classifying and reporting it. */
export interface GraphQLErrorContext {
  /** The provider id. */
  readonly provider?: string | null;
  /** Message prefix, e.g. `Linear GraphQL error` (the original's Linear wording). Default `GraphQL error`. */
  readonly label?: string;
  /** HTTP status of the response. */
  readonly status?: number | null;
  /** Response headers (rate-limit hints). */
  readonly headers?: Headers;
  /** Clock for reset times (ms since the epoch). */
  readonly now?: number;
}

const CODE_CLASSES: Readonly<Record<string, FailureClass>> = {
  RATELIMITED: FailureClass.RATE_LIMIT,
  RATE_LIMITED: FailureClass.RATE_LIMIT,
  AUTHENTICATION_ERROR: FailureClass.AUTHENTICATION,
  UNAUTHENTICATED: FailureClass.AUTHENTICATION,
  FORBIDDEN: FailureClass.PERMISSION,
};

/**
 * Throws a `ConnectorRequestError` when a GraphQL body carries a non-empty `errors` array.
 * `RATELIMITED` → `rate_limit` (with the wait from the reset headers when given); auth codes →
 * `authentication`/`permission`; anything else → `non_retryable`, as the original.
 */
export function throwIfGraphQLErrors(body: unknown, context: GraphQLErrorContext = {}): void {
  if (typeof body !== 'object' || body === null) return;
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return;
  let failureClass: FailureClass = FailureClass.NON_RETRYABLE;
  for (const code of graphQLErrorCodes(body)) {
    const mapped = CODE_CLASSES[code];
    if (mapped !== undefined) {
      failureClass = mapped;
      break;
    }
  }
  if (isGraphQLRateLimited(body)) failureClass = FailureClass.RATE_LIMIT;
  const retryAfterSeconds =
    failureClass === FailureClass.RATE_LIMIT && context.headers
      ? waitSecondsFromHeaders(context.headers, { rateLimited: true, now: context.now ?? Date.now() })
      : null;
  throw new ConnectorRequestError(
    `${context.label ?? 'GraphQL error'}: ${bodyExcerpt(JSON.stringify(errors))}`,
    {
      // The status is kept for information, but the class comes from the error codes: a 200 with
      // errors is not a success, and "non_retryable" must not be inferred from 200.
      statusCode: context.status ?? null,
      failureClass,
      retryAfterSeconds,
      provider: context.provider ?? null,
    },
  );
}

/** One GraphQL request through an `HttpClient`. */
export interface GraphQLRequestOptions<T> {
  /** The GraphQL document. */
  query: string;
  /** Its variables. */
  variables?: Readonly<Record<string, unknown>>;
  /** Which operation of the document to run. */
  operationName?: string;
  /** Relative to the client's base URL; default '' (the base URL is the GraphQL endpoint). */
  path?: string;
  /** Validates `data` (field paths are relative to `data`). */
  schema?: GenericSchema<unknown, T>;
  /**
   * Whether a failed call may be repeated. Default: true for queries, false for mutations —
   * GraphQL reads are POSTs, but repeating them is safe; repeating `issueCreate` is not.
   */
  idempotent?: boolean;
  /** Prefix of error messages (see `throwIfGraphQLErrors`). */
  errorLabel?: string;
  /** Extra request headers. */
  headers?: Readonly<Record<string, string>>;
  /** Aborts the request. */
  signal?: AbortSignal;
  /** Per-request timeout. */
  timeoutMs?: number;
}

/**
 * True when the document's operation is a mutation or subscription. Scans top-level definitions
 * only (skipping comments, strings and fragment bodies), so a field named `mutation` inside a
 * selection set or a leading fragment does not confuse it.
 */
export function isMutationDocument(query: string): boolean {
  const source = query.replace(/"""[\s\S]*?"""|"(?:\\.|[^"\\])*"|#[^\n]*/g, ' ');
  let depth = 0;
  let definitionStart = 0;
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index];
    if (char === '{') {
      if (depth === 0) {
        const head = source.slice(definitionStart, index).trim();
        if (!/^fragment\b/.test(head)) return /^(mutation|subscription)\b/.test(head);
      }
      depth += 1;
    } else if (char === '}') {
      depth = Math.max(0, depth - 1);
      if (depth === 0) definitionStart = index + 1;
    }
  }
  return false;
}

/** POSTs `{query, variables, operationName}` and returns `data`, throwing on GraphQL errors. */
export async function graphqlRequest<T = unknown>(
  http: HttpClient,
  options: GraphQLRequestOptions<T>,
): Promise<T> {
  const label = options.errorLabel;
  const response = await http.request<unknown>({
    method: 'POST',
    path: options.path ?? '',
    json: {
      query: options.query,
      ...(options.variables !== undefined ? { variables: options.variables } : {}),
      ...(options.operationName !== undefined ? { operationName: options.operationName } : {}),
    },
    idempotent: options.idempotent ?? !isMutationDocument(options.query),
    bodyCheck: (data, meta) =>
      throwIfGraphQLErrors(data, {
        provider: http.provider,
        ...(label !== undefined ? { label } : {}),
        status: meta.status,
        headers: meta.headers,
      }),
    ...(options.headers !== undefined ? { headers: options.headers } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const data = (response.data as { data?: unknown } | null)?.data ?? null;
  if (options.schema === undefined) return data as T;
  return validateResponseBody(options.schema, data, {
    provider: http.provider,
    request: `POST ${http.baseUrl} (GraphQL data)`,
  });
}
