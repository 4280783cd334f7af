import { ConnectorRequestError } from '../errors/errors';

/** Backoff settings. The original retried immediately; we back off and honour `Retry-After`. */
export interface RetryOptions {
  /** Retries after the first call (the original's `max_retry_attempts`); at most `1 + n` calls. */
  maxRetryAttempts: number;
  /** First backoff step in ms (doubled per attempt). Default 250. */
  baseDelayMs?: number;
  /** Cap of one backoff step (and of a server's `Retry-After`). Default 30 000. */
  maxDelayMs?: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1); injectable for deterministic tests. */
  random: () => number;
  signal?: AbortSignal;
  onRetry?: (info: { attempt: number; delayMs: number; error: ConnectorRequestError }) => void;
}

export const DEFAULT_BASE_DELAY_MS = 250;
export const DEFAULT_MAX_DELAY_MS = 30_000;

/**
 * Delay before retry number `attempt` (1-based): the server's `retryAfterSeconds` when given,
 * else exponential backoff with "equal jitter" (half fixed, half random), both capped.
 */
export function backoffDelayMs(
  attempt: number,
  error: ConnectorRequestError,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  const cap = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  if (
    error.retryAfterSeconds !== null &&
    Number.isFinite(error.retryAfterSeconds) &&
    error.retryAfterSeconds >= 0
  ) {
    return Math.min(cap, Math.ceil(error.retryAfterSeconds * 1000));
  }
  const step = Math.min(cap, (options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS) * 2 ** (attempt - 1));
  return Math.round(step / 2 + (step / 2) * options.random());
}

/** Abortable `setTimeout` sleep; the default used by the engine. */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Calls `operation`; on a retryable `ConnectorRequestError` waits and calls again, up to
 * `maxRetryAttempts` more times. `beforeRetry` may end the loop early with a value (used by the
 * create path to find an issue an ambiguous failure may already have created). Anything else
 * propagates at once, as in the original.
 */
export async function withRetry<T>(
  operation: () => Promise<T>,
  options: RetryOptions,
  beforeRetry?: (error: ConnectorRequestError) => Promise<{ value: T } | null>,
): Promise<T> {
  let attempt = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      return await operation();
    } catch (error) {
      if (
        !ConnectorRequestError.isInstance(error) ||
        !error.isRetryable ||
        attempt >= options.maxRetryAttempts
      ) {
        throw error;
      }
      attempt += 1;
      const delayMs = backoffDelayMs(attempt, error, options);
      options.onRetry?.({ attempt, delayMs, error });
      await options.sleep(delayMs, options.signal);
      const settled = beforeRetry ? await beforeRetry(error) : null;
      if (settled) return settled.value;
    }
  }
}
