// @spec-kitty/core/http — the HTTP client connectors code against, plus the helpers they need
// for GraphQL, rate-limit headers, safe error messages, cursors, Link headers, create markers,
// schema paths, bounded-concurrency fan-out, bulk-endpoint batches and one canonical order for
// issue links.

export type {
  HttpClient,
  HttpMethod,
  HttpRequestOptions,
  HttpResponse,
  QueryValue,
} from '../protocol/http-client';
export { batchesOf } from './batches-of';
export { type LinkOrderOptions, uniqueSortedLinks } from './canonical-link-order';
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
  userAgentHeader,
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
export { isHttpStatus } from './http-status';
export {
  hasIdempotencyMarker,
  type IdempotencyMarkerOptions,
  idempotencyKeysIn,
  idempotencyMarker,
  type LegacyIdempotencyMarker,
  stripIdempotencyMarkers,
  withIdempotencyMarker,
} from './idempotency-marker';
export { findLinkUrl, type LinkValue, parseLinkHeader } from './link-header';
export { mapBounded } from './map-bounded';
export {
  createOpaqueCursorCodec,
  legacyPageNumber,
  MalformedCursorError,
  malformedCursorError,
  type OpaqueCursorCodec,
  type OpaqueCursorCodecOptions,
} from './opaque-cursor';
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
export { ResponseContractReason, type ValidationContext, validateResponseBody } from './response-validation';
export {
  abortableSleep,
  DEFAULT_IDEMPOTENT_METHODS,
  DEFAULT_REQUEST_DEADLINE_MS,
  type HttpRetryOptions,
} from './retry-policy';
export { formatIssuePath, formatSchemaPath, type SchemaPathSegment } from './schema-path';
