// @spec-kitty/core/http — the HTTP client connectors code against, plus the helpers they need
// for GraphQL, rate-limit headers and safe error messages.

export type {
  HttpClient,
  HttpMethod,
  HttpRequestOptions,
  HttpResponse,
  QueryValue,
} from '../protocol/http-client';
export {
  type GraphQLErrorContext,
  type GraphQLRequestOptions,
  graphqlRequest,
  isMutationDocument,
  throwIfGraphQLErrors,
} from './graphql';
export {
  createHttpClient,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  type HttpClientOptions,
} from './http-client';
export {
  classifyFailure,
  type FailureClassification,
  HttpResponseError,
  type HttpResponseErrorOptions,
  isGraphQLRateLimited,
  REDACTED,
  redactSecrets,
  sanitizeUrl,
} from './http-errors';
export {
  createPageWalk,
  DEFAULT_MAX_PAGES,
  type PageWalk,
  PageWalkLimitError,
  type PageWalkOptions,
} from './page-walk';
export {
  isQuotaExhausted,
  parseResetValue,
  parseRetryAfter,
  type RateLimitInfo,
  readRateLimit,
  waitSecondsFromHeaders,
} from './rate-limit-headers';
export { type RequestScope, requestScopeOf, withRequestScope } from './request-scope';
export { formatIssuePath, ResponseContractReason, validateResponseBody } from './response-validation';
export {
  abortableSleep,
  DEFAULT_IDEMPOTENT_METHODS,
  DEFAULT_REQUEST_DEADLINE_MS,
  type RetryOptions,
} from './retry-policy';
