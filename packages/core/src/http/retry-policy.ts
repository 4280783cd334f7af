// When and how long to wait before repeating a failed request. Only idempotent requests are
// repeated: replaying a POST create after a timeout or 5xx can create a duplicate issue (the
// original never retried; Nango's own `Retries` header ignores the method, see field research).
// This policy applies only when nobody above retries: inside a sync run the engine owns the
// retry budget and the client makes one attempt per request (see request-scope.ts).
import { ConnectorRequestError } from '../errors/errors';
import type { HttpMethod } from '../protocol/http-client';

/** Retry policy of `createHttpClient` (named apart from the sync engine's `RetryOptions`). */
export interface HttpRetryOptions {
  /** Retries after the first attempt (default 2, so at most 3 requests). 0 disables retrying. */
  limit?: number;
  /** First backoff step in ms (default 500); doubles per retry. */
  baseDelayMs?: number;
  /** Cap on a computed backoff step in ms (default 30 000). */
  maxDelayMs?: number;
  /**
   * A `Retry-After`/reset wait longer than this is not slept through: a `RateLimitedError`
   * carrying `resetAt` is thrown at once so the caller can reschedule. Default 60.
   */
  maxRetryAfterSeconds?: number;
  /**
   * Deadline of one request with all its attempts and waits, in ms (default 60 000): an attempt
   * is cut short at it, and a wait that would end past it is not started.
   */
  deadlineMs?: number;
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
  readonly deadlineMs: number;
  readonly idempotentMethods: ReadonlySet<string>;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
}

/** Default deadline of one request with its retries: a hung server fails within a minute. */
export const DEFAULT_REQUEST_DEADLINE_MS = 60_000;

/** Methods retried by default (safe to repeat). */
export const DEFAULT_IDEMPOTENT_METHODS: readonly HttpMethod[] = ['GET', 'PUT', 'DELETE'];

/** Waits `ms`, rejecting early with the signal's reason when it aborts. */
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

export function resolveRetryPolicy(options: HttpRetryOptions | false | undefined): ResolvedRetryPolicy {
  const given = options === false ? { limit: 0 } : (options ?? {});
  return {
    limit: Math.max(0, Math.floor(given.limit ?? 2)),
    baseDelayMs: Math.max(0, given.baseDelayMs ?? 500),
    maxDelayMs: Math.max(0, given.maxDelayMs ?? 30_000),
    maxRetryAfterSeconds: Math.max(0, given.maxRetryAfterSeconds ?? 60),
    deadlineMs: Math.max(1, given.deadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS),
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
 * be thrown: not retryable (a `RateLimitedError` never is), or `limit` retries used up.
 * Server-given waits are honoured exactly (longer ones than the caller accepts were already
 * turned into a `RateLimitedError`); otherwise exponential backoff with "equal jitter" (half
 * fixed, half random) so concurrent clients spread out but never retry instantly.
 */
export function retryDelayMs(
  error: unknown,
  retryIndex: number,
  policy: Pick<ResolvedRetryPolicy, 'limit' | 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number | null {
  if (retryIndex >= policy.limit) return null;
  if (!ConnectorRequestError.isInstance(error) || !error.isRetryable) return null;
  if (error.retryAfterSeconds !== null) return error.retryAfterSeconds * 1000;
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.round(step / 2 + policy.random() * (step / 2));
}
