// The engine's retry loop. Inside a sync run the engine is the only layer that retries: each
// operation (a page, a create, an update, a lookup) gets one budget (`1 + maxRetryAttempts`
// calls) and one deadline, and the signal it hands the connector tells the HTTP client to make a
// single attempt per request (see http/request-scope.ts). Before, the client's own retries ran
// inside each engine attempt: 3 × 3 requests per page, and a hung server took minutes to fail.
import { ConnectorRequestError, ConnectorTimeoutError, RateLimitedError } from '../errors/errors';
import { escalateRateLimit } from '../errors/rate-limit-escalation';
import { type DeadlineOperation, OperationDeadlines } from './operation-deadlines';

/** Backoff settings. The original retried immediately; we back off and honour `Retry-After`. */
export interface RetryOptions {
  /** Retries after the first call (the original's `max_retry_attempts`); at most `1 + n` calls. */
  maxRetryAttempts: number;
  /** First backoff step in ms (doubled per attempt). Default 250. */
  baseDelayMs?: number;
  /**
   * Cap of one backoff step, and the longest server-requested wait (`Retry-After`, rate-limit
   * reset) slept through; a longer one ends the operation with a `RateLimitedError`. Default 30 000.
   */
  maxDelayMs?: number;
  /**
   * Deadline of the whole operation, all calls and waits included, in ms (default 60 000): the
   * signal passed to the operation aborts at it, and a wait that would end past it is not started.
   */
  deadlineMs?: number;
  /** Cap on each request's timeout, passed to the HTTP client; default: the client's own (30 s). */
  requestTimeoutMs?: number;
  /** Backoff sleep (tests inject a fake). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1); injectable for deterministic tests. */
  random: () => number;
  /** Clock (ms); injectable for tests. Default `Date.now`. */
  now?: () => number;
  /** Names the operation in deadline messages (e.g. `pull_page`). */
  operation?: string;
  /** Stops waiting and retrying. */
  signal?: AbortSignal;
  /** Called before each retry. */
  onRetry?: (info: { attempt: number; delayMs: number; error: ConnectorRequestError }) => void;
}

/** Retry options of an operation inside a run, which shares the run's deadline machinery. */
export interface RunRetryOptions extends RetryOptions {
  /** The run's timer and host-signal listener; without it the call sets up its own. */
  deadlines?: OperationDeadlines;
}

/** The deadline machinery for operations under `options` and `signal` (one per run, see `SyncRun`). */
export function createOperationDeadlines(
  options: Pick<RetryOptions, 'maxDelayMs' | 'requestTimeoutMs'>,
  signal: AbortSignal | undefined,
): OperationDeadlines {
  return new OperationDeadlines(signal, {
    callerRetries: true,
    maxRetryAfterSeconds: (options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS) / 1000,
    requestTimeoutMs: options.requestTimeoutMs ?? null,
  });
}

export const DEFAULT_BASE_DELAY_MS = 250;
export const DEFAULT_MAX_DELAY_MS = 30_000;
/** With the client's 30 s request timeout: a hung server fails an operation in about a minute. */
export const DEFAULT_OPERATION_DEADLINE_MS = 60_000;

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
 * True for the failures after which a sync run stops at once: a `RateLimitedError` (every
 * further call is refused until `resetAt`) or a timeout that outlived the retries (the tracker is
 * not answering; every further call would wait as long).
 */
export function stopsRun(error: unknown): error is RateLimitedError | ConnectorTimeoutError {
  return RateLimitedError.isInstance(error) || ConnectorTimeoutError.isInstance(error);
}

/**
 * Calls `operation` with a signal scoped to this operation; on a retryable `ConnectorRequestError`
 * waits and calls again, up to `maxRetryAttempts` more times, all within `deadlineMs`. A server
 * wait longer than `maxDelayMs` (or than the deadline leaves) is a `RateLimitedError` at once.
 * `beforeRetry` may end the loop early with a value (used by the create path to find an issue
 * an ambiguous failure may already have created). Anything else propagates at once, as in the
 * original.
 */
export function withRetry<T>(
  operation: (signal: AbortSignal) => Promise<T>,
  options: RunRetryOptions,
  beforeRetry?: (error: ConnectorRequestError) => Promise<{ value: T } | null>,
): Promise<T> {
  return retryOperation((current) => operation(current.signal), options, beforeRetry);
}

/**
 * `withRetry` for callers that hand the connector the operation's signal through
 * `withOperationSignal`, so an operation whose connector never reads it creates none.
 *
 * Not an async function: the first call, which almost always succeeds, costs two promises on
 * top of the connector's (the deadline's and this one's), and only a failure enters the retry
 * loop (`retryAfterFailure`).
 */
export function retryOperation<T>(
  operation: (current: DeadlineOperation) => Promise<T>,
  options: RunRetryOptions,
  beforeRetry?: (error: ConnectorRequestError) => Promise<{ value: T } | null>,
): Promise<T> {
  const retries = new RetryState(options);
  const deadlines = options.deadlines ?? createOperationDeadlines(options, options.signal);
  const current = deadlines.begin(retries.deadlineMs, retries);
  retries.start(current);
  const finish = (): void => {
    deadlines.end(current);
    if (options.deadlines === undefined) deadlines.close();
  };
  try {
    current.throwIfAborted();
  } catch (reason) {
    // Aborted before its first call (the host's signal already was): no call, no retry.
    finish();
    return Promise.reject(reason);
  }
  let first: Promise<T>;
  try {
    first = current.settle(operation(current));
  } catch (error) {
    first = Promise.reject(error);
  }
  return first.then(
    (value) => {
      finish();
      return value;
    },
    (error: unknown) =>
      retryAfterFailure(error, operation, current, retries, options, beforeRetry).finally(finish),
  );
}

/** The retry loop of `retryOperation`, from its first failed call. */
async function retryAfterFailure<T>(
  failure: unknown,
  operation: (current: DeadlineOperation) => Promise<T>,
  current: DeadlineOperation,
  retries: RetryState,
  options: RetryOptions,
  beforeRetry: ((error: ConnectorRequestError) => Promise<{ value: T } | null>) | undefined,
): Promise<T> {
  let error = failure;
  for (;;) {
    const delayMs = retries.next(error, current);
    await options.sleep(delayMs, current.signal);
    const settled = beforeRetry ? await beforeRetry(error as ConnectorRequestError) : null;
    if (settled) return settled.value;
    current.throwIfAborted();
    try {
      return await current.settle(operation(current));
    } catch (caught) {
      error = caught;
    }
  }
}

/**
 * The retry bookkeeping of one operation (calls made, last error, deadline), kept in an object
 * rather than in variables a closure captures: the first call, which almost always succeeds,
 * then allocates no closure context.
 */
class RetryState {
  readonly deadlineMs: number;
  #deadlineAt = 0;
  readonly #options: RetryOptions;
  readonly #now: () => number;
  #attempt = 0;
  #lastError: unknown = null;

  constructor(options: RetryOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.deadlineMs = options.deadlineMs ?? DEFAULT_OPERATION_DEADLINE_MS;
  }

  /**
   * The deadline `current` began with, on this state's clock: the deadline's own reading of
   * `Date.now` unless a test injected another clock (one clock read per operation, not two).
   */
  start(current: DeadlineOperation): void {
    this.#deadlineAt = this.#options.now === undefined ? current.deadlineAt : this.#now() + this.deadlineMs;
  }

  /** The error an operation that outlived its deadline ends with. */
  timeoutError(): ConnectorTimeoutError {
    const calls = this.#attempt + 1;
    const lastError = this.#lastError;
    const last = ConnectorRequestError.isInstance(lastError) ? `; last error: ${lastError.message}` : '';
    const provider = ConnectorRequestError.isInstance(lastError) ? lastError.provider : null;
    const label = this.#options.operation ?? 'operation';
    return new ConnectorTimeoutError(
      `${label} did not finish within its ${this.deadlineMs} ms deadline (${calls} call${calls === 1 ? '' : 's'}${last}); ` +
        'the tracker is not answering in time: check its status, or raise the deadline',
      { timeoutMs: this.deadlineMs, scope: 'operation', provider, cause: lastError ?? undefined },
    );
  }

  /** After a failed call: the wait before the next one, or throws what ends the operation. */
  next(error: unknown, current: DeadlineOperation): number {
    const options = this.#options;
    const now = this.#now;
    // The deadline (not the host) aborted: report the deadline, whatever the connector threw.
    if (current.expired !== null) throw current.expired;
    this.#lastError = error;
    const maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    const remainingSeconds = (this.#deadlineAt - now()) / 1000;
    const limited = escalateRateLimit(error, Math.min(maxDelayMs / 1000, remainingSeconds), now());
    if (limited !== null) throw limited;
    if (
      !ConnectorRequestError.isInstance(error) ||
      !error.isRetryable ||
      this.#attempt >= options.maxRetryAttempts
    ) {
      throw error;
    }
    const delayMs = backoffDelayMs(this.#attempt + 1, error, options);
    if (now() + delayMs >= this.#deadlineAt) throw this.timeoutError();
    this.#attempt += 1;
    options.onRetry?.({ attempt: this.#attempt, delayMs, error });
    return delayMs;
  }
}
