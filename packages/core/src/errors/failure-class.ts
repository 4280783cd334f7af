/** How a failed vendor request should be treated; values equal the original's strings. */
export const FailureClass = {
  TRANSIENT: 'transient',
  RATE_LIMIT: 'rate_limit',
  AUTHENTICATION: 'authentication',
  PERMISSION: 'permission',
  NOT_FOUND: 'not_found',
  VALIDATION: 'validation',
  NON_RETRYABLE: 'non_retryable',
} as const;
export type FailureClass = (typeof FailureClass)[keyof typeof FailureClass];

const TRANSIENT_STATUSES = new Set([408, 425, 500, 502, 503, 504]);
const VALIDATION_STATUSES = new Set([400, 409, 422]);

export function classifyHttpStatus(statusCode: number): FailureClass {
  if (statusCode === 429) return FailureClass.RATE_LIMIT;
  if (TRANSIENT_STATUSES.has(statusCode)) return FailureClass.TRANSIENT;
  if (statusCode === 401) return FailureClass.AUTHENTICATION;
  if (statusCode === 403) return FailureClass.PERMISSION;
  if (statusCode === 404) return FailureClass.NOT_FOUND;
  if (VALIDATION_STATUSES.has(statusCode)) return FailureClass.VALIDATION;
  return FailureClass.NON_RETRYABLE;
}

export function isRetryableFailureClass(failureClass: FailureClass | null | undefined): boolean {
  return failureClass === FailureClass.TRANSIENT || failureClass === FailureClass.RATE_LIMIT;
}
