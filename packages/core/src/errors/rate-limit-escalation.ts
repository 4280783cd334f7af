// A rate-limited failure whose wait is longer than the caller accepts becomes a
// `RateLimitedError`: the HTTP client (outside a sync run) and the sync engine's retry loop
// share this rule, so both refuse the same waits with the same error.
import { ConnectorRequestError, RateLimitedError } from './errors';
import { FailureClass } from './failure-class';

/**
 * `error` as a `RateLimitedError` when it is a rate limit whose server-given wait
 * (`retryAfterSeconds`) exceeds `maxWaitSeconds`; an existing `RateLimitedError` as is; else null.
 */
export function escalateRateLimit(
  error: unknown,
  maxWaitSeconds: number,
  now: number = Date.now(),
): RateLimitedError | null {
  if (RateLimitedError.isInstance(error)) return error;
  if (!ConnectorRequestError.isInstance(error) || error.failureClass !== FailureClass.RATE_LIMIT) return null;
  const wait = error.retryAfterSeconds;
  if (wait === null || !Number.isFinite(wait) || wait <= maxWaitSeconds) return null;
  const resetAt = new Date(now + wait * 1000);
  const who = error.provider ?? 'the tracker';
  return new RateLimitedError(
    `Rate limited by ${who} until ${resetAt.toISOString()}: the server asked to wait ${wait} s, ` +
      `longer than the ${Math.floor(maxWaitSeconds)} s this call waits; try again after that time. ` +
      `(${error.message})`,
    {
      statusCode: error.statusCode,
      retryAfterSeconds: wait,
      provider: error.provider,
      resetAt,
      cause: error,
    },
  );
}
