/** How a failed vendor request should be treated; values equal the original's strings. */
export const FailureClass = {
  /** Timeouts, 5xx, 408/425: retry with backoff. */
  TRANSIENT: 'transient',
  /** 429 or a rate-limit response: retry after the wait the tracker asks for. */
  RATE_LIMIT: 'rate_limit',
  /** 401: the credentials are missing or wrong. */
  AUTHENTICATION: 'authentication',
  /** 403: the credentials may not do this. */
  PERMISSION: 'permission',
  /** 404: the resource does not exist (or is not visible). */
  NOT_FOUND: 'not_found',
  /** 400/409/422: the tracker rejected the request's content. */
  VALIDATION: 'validation',
  /** Anything else: do not retry. */
  NON_RETRYABLE: 'non_retryable',
} as const;
/** One of the `FailureClass` values. */
export type FailureClass = (typeof FailureClass)[keyof typeof FailureClass];

const TRANSIENT_STATUSES = new Set([408, 425, 500, 502, 503, 504]);
const VALIDATION_STATUSES = new Set([400, 409, 422]);

/** The failure class of an HTTP status, as the original classified it. */
export function classifyHttpStatus(statusCode: number): FailureClass {
  if (statusCode === 429) return FailureClass.RATE_LIMIT;
  if (TRANSIENT_STATUSES.has(statusCode)) return FailureClass.TRANSIENT;
  if (statusCode === 401) return FailureClass.AUTHENTICATION;
  if (statusCode === 403) return FailureClass.PERMISSION;
  if (statusCode === 404) return FailureClass.NOT_FOUND;
  if (VALIDATION_STATUSES.has(statusCode)) return FailureClass.VALIDATION;
  return FailureClass.NON_RETRYABLE;
}

/** Whether failures of this class may succeed on retry (transient, rate_limit). */
export function isRetryableFailureClass(failureClass: FailureClass | null | undefined): boolean {
  return failureClass === FailureClass.TRANSIENT || failureClass === FailureClass.RATE_LIMIT;
}
