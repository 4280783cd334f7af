// When and how long to wait before repeating a failed request. Only idempotent requests are
// repeated: replaying a POST create after a timeout or 5xx can create a duplicate issue (the
// original never retried; Nango's own `Retries` header ignores the method, see field research).
import { ConnectorRequestError } from '../errors/errors';
import { isRetryableFailureClass } from '../errors/failure-class';
import type { HttpMethod } from '../protocol/http-client';

export interface RetryOptions {
  /** Retries after the first attempt (default 2, so at most 3 requests). 0 disables retrying. */
  limit?: number;
  /** First backoff step in ms (default 500); doubles per retry. */
  baseDelayMs?: number;
  /** Cap on a computed backoff step in ms (default 30 000). */
  maxDelayMs?: number;
  /**
   * A `Retry-After`/reset wait longer than this is not slept through: the error is thrown with
   * `retryAfterSeconds` so the caller (e.g. the sync engine) can reschedule. Default 60.
   */
  maxRetryAfterSeconds?: number;
  /** Methods retried when the request does not say (default GET, PUT, DELETE). */
  idempotentMethods?: readonly HttpMethod[];
  /** Injectable for tests; must honour the signal. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injectable for tests; returns [0, 1). */
  random?: () => number;
}

export interface ResolvedRetryPolicy {
  readonly limit: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterSeconds: number;
  readonly idempotentMethods: ReadonlySet<string>;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
}

export const DEFAULT_IDEMPOTENT_METHODS: readonly HttpMethod[] = ['GET', 'PUT', 'DELETE'];

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function resolveRetryPolicy(options: RetryOptions | false | undefined): ResolvedRetryPolicy {
  const given = options === false ? { limit: 0 } : (options ?? {});
  return {
    limit: Math.max(0, Math.floor(given.limit ?? 2)),
    baseDelayMs: Math.max(0, given.baseDelayMs ?? 500),
    maxDelayMs: Math.max(0, given.maxDelayMs ?? 30_000),
    maxRetryAfterSeconds: Math.max(0, given.maxRetryAfterSeconds ?? 60),
    idempotentMethods: new Set(given.idempotentMethods ?? DEFAULT_IDEMPOTENT_METHODS),
    sleep: given.sleep ?? abortableSleep,
    random: given.random ?? Math.random,
  };
}

export function isIdempotentRequest(
  method: HttpMethod,
  override: boolean | undefined,
  policy: ResolvedRetryPolicy,
): boolean {
  return override ?? policy.idempotentMethods.has(method);
}

/**
 * Milliseconds to wait before retry number `retryIndex` (0-based), or null when the error must
 * be thrown: not retryable, retries used up, or the server asks for a wait above the cap.
 * Server-given waits are honoured exactly; otherwise exponential backoff with "equal jitter"
 * (half fixed, half random) so concurrent clients spread out but never retry instantly.
 */
export function retryDelayMs(error: unknown, retryIndex: number, policy: ResolvedRetryPolicy): number | null {
  if (retryIndex >= policy.limit) return null;
  if (!ConnectorRequestError.isInstance(error) || !isRetryableFailureClass(error.failureClass)) return null;
  if (error.retryAfterSeconds !== null) {
    if (error.retryAfterSeconds > policy.maxRetryAfterSeconds) return null;
    return error.retryAfterSeconds * 1000;
  }
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.round(step / 2 + policy.random() * (step / 2));
}
