// The HTTP client every HTTP connector codes against. ky builds and sends the request (headers,
// JSON bodies, custom fetch; see ky-transport.ts); everything with a contract attached — URL joining, query encoding,
// the timeout, retries, the size cap, error mapping and validation — is done here so the
// behaviour is explicit and testable. (ky's own retry/timeout are switched off: its retry sleeps
// are not injectable, it cannot honour reset headers or refuse long waits, and its timeout does
// not cover reading the body.)
//
// Who retries: inside a sync run the engine owns each operation's retry budget and deadline and
// tags the signal it passes down (request-scope.ts); the client then makes exactly one attempt
// per request. Called directly (no scope), the client retries idempotent requests itself under
// `retry` and bounds each request, attempts and waits together, by `retry.deadlineMs`.
import { ConnectorRequestError, ConnectorTimeoutError } from '../errors/errors';
import { escalateRateLimit } from '../errors/rate-limit-escalation';
import type { HttpClient, HttpMethod, HttpRequestOptions, HttpResponse } from '../protocol/http-client';
import { type Logger, silentLogger } from '../protocol/logger';
import { FETCH_SECRETS, type FetchWithSecrets } from './fetch-secrets';
import { type Attempt, type AttemptContext, attemptOnce } from './http-attempt';
import { redactSecrets, sanitizeUrl, secretsFromHeaders } from './http-errors';
import { appendQuery, joinUrl, userInfoSecrets } from './http-url';
import { lazyKyTransport } from './ky-transport';
import { requestScopeOf } from './request-scope';
import {
  type HttpRetryOptions,
  isIdempotentRequest,
  type ResolvedRetryPolicy,
  resolveRetryPolicy,
  retryDelayMs,
} from './retry-policy';

/** Per-request timeout when neither the client nor the request sets one (30 s). */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** 32 MiB: far above any page a tracker returns, low enough to stop a runaway body. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Options of `createHttpClient`. */
export interface HttpClientOptions {
  /** Base URL; request paths are joined to it (`{baseUrl}/{path without leading slash}`). */
  baseUrl: string;
  /** Sent with every request (e.g. `Authorization`, `Accept`, API version headers). */
  headers?: Readonly<Record<string, string>>;
  /** Replaces global fetch, e.g. `createNangoProxyFetch(ctx)` or a test double. */
  fetch?: typeof globalThis.fetch;
  /** Connector id put on every error (`ConnectorRequestError.provider`). */
  provider: string;
  /** Per-attempt timeout covering the response and its body (default 30 000 ms). */
  timeoutMs?: number;
  /**
   * Retry policy for idempotent requests when no caller above retries (inside a sync run the
   * engine does, and the client makes one attempt); `false` disables retries.
   */
  retry?: HttpRetryOptions | false;
  /** Receives one debug line per attempt and one warning per retry; never any secret. */
  logger?: Logger;
  /** Bodies larger than this are refused with a clear error (default 32 MiB). */
  maxResponseBytes?: number;
  /** Extra strings to redact from messages (auth header values are redacted automatically). */
  secrets?: readonly string[];
  /** Clock for Retry-After dates and reset headers (tests). */
  now?: () => number;
  /**
   * `<package>@<version>` of the connector (e.g. `@spec-kitty/connector-github@0.4.0`): every
   * request then carries `User-Agent: spec-kitty-tracker/<package>@<version>`, so vendors and
   * proxies can tell the library's traffic apart. Not sent from browsers, whose fetch owns that
   * header; a `User-Agent` in `headers` wins.
   */
  userAgent?: string;
}

/** The `User-Agent` value for a connector's `<package>@<version>`. */
export function userAgentHeader(packageAndVersion: string): string {
  return `spec-kitty-tracker/${packageAndVersion}`;
}

function inBrowser(): boolean {
  const scope = globalThis as { document?: unknown; WorkerGlobalScope?: unknown };
  return scope.document !== undefined || scope.WorkerGlobalScope !== undefined;
}

function defaultHeadersOf(options: HttpClientOptions): Record<string, string> {
  const headers = { ...(options.headers ?? {}) };
  const hasOwn = Object.keys(headers).some((name) => name.toLowerCase() === 'user-agent');
  if (options.userAgent !== undefined && !hasOwn && !inBrowser())
    headers['user-agent'] = userAgentHeader(options.userAgent);
  return headers;
}

/** What one request needs across its attempts: URLs, secrets, retry limits and the deadline. */
interface RequestPlan {
  readonly method: HttpMethod;
  readonly url: string;
  readonly safeUrl: string;
  readonly secrets: readonly string[];
  readonly limit: number;
  readonly maxWaitSeconds: number;
  readonly timeoutMs: number;
  readonly deadlineAt: number;
  readonly idempotent: boolean;
}

interface ClientState extends AttemptContext {
  readonly baseUrl: string;
  readonly baseSecrets: readonly string[];
  readonly clientTimeoutMs: number;
  readonly policy: ResolvedRetryPolicy;
}

/** The HTTP client connectors use: timeouts, retries with backoff, rate-limit handling, response validation, secret redaction and the `User-Agent`. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const defaultHeaders = defaultHeadersOf(options);
  const fetchImpl: FetchWithSecrets = options.fetch ?? globalThis.fetch;
  const state: ClientState = {
    provider: options.provider,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    defaultHeaders,
    logger: options.logger ?? silentLogger,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    now: options.now ?? Date.now,
    transport: lazyKyTransport(fetchImpl),
    baseSecrets: [
      ...secretsFromHeaders(Object.entries(defaultHeaders)),
      ...(options.secrets ?? []),
      ...(fetchImpl[FETCH_SECRETS] ?? []),
    ],
    clientTimeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    policy: resolveRetryPolicy(options.retry),
  };
  return {
    provider: state.provider,
    baseUrl: state.baseUrl,
    request: <T = unknown>(request: HttpRequestOptions<T>) => sendWithRetries(state, request),
  };
}

function planRequest(state: ClientState, request: HttpRequestOptions<unknown>): RequestPlan {
  const { policy, now } = state;
  const method = request.method.toUpperCase() as HttpMethod;
  const url = appendQuery(joinUrl(state.baseUrl, request.path), request.query);
  const scope = requestScopeOf(request.signal);
  return {
    method,
    url,
    safeUrl: redactSecrets(sanitizeUrl(url), state.baseSecrets),
    secrets: [
      ...state.baseSecrets,
      ...secretsFromHeaders(Object.entries(request.headers ?? {})),
      ...userInfoSecrets(url),
    ],
    limit: scope?.callerRetries ? 0 : policy.limit,
    maxWaitSeconds: scope?.maxRetryAfterSeconds ?? policy.maxRetryAfterSeconds,
    timeoutMs: Math.min(
      request.timeoutMs ?? state.clientTimeoutMs,
      scope?.requestTimeoutMs ?? Number.POSITIVE_INFINITY,
    ),
    // A caller that retries also bounds the whole operation (it aborts the signal at its deadline).
    deadlineAt: scope?.callerRetries ? Number.POSITIVE_INFINITY : now() + policy.deadlineMs,
    idempotent: isIdempotentRequest(method, request.idempotent, policy),
  };
}

async function sendWithRetries<T>(
  state: ClientState,
  request: HttpRequestOptions<T>,
): Promise<HttpResponse<T>> {
  const { policy, now } = state;
  const plan = planRequest(state, request);
  for (let retryIndex = 0; ; retryIndex += 1) {
    const remaining = plan.deadlineAt - now();
    const attempt: Attempt = {
      method: plan.method,
      url: plan.url,
      safeUrl: plan.safeUrl,
      secrets: plan.secrets,
      timeoutMs: Math.max(1, Math.min(plan.timeoutMs, remaining)),
      deadlineMs: remaining < plan.timeoutMs ? policy.deadlineMs : null,
    };
    try {
      return await attemptOnce(state, request, attempt);
    } catch (error) {
      const delay = retryDelayOrThrow(state, plan, error, attempt, retryIndex);
      const reason = ConnectorRequestError.isInstance(error) ? error.message : String(error);
      state.logger.warn(
        `retrying ${plan.method} ${plan.safeUrl} in ${delay} ms (retry ${retryIndex + 1} of ${plan.limit})`,
        { provider: state.provider, reason: redactSecrets(reason, plan.secrets).slice(0, 300) },
      );
      await policy.sleep(delay, request.signal);
    }
  }
}

/** The wait before the next attempt, or throws: not retryable, a wait too long, or past the deadline. */
function retryDelayOrThrow(
  state: ClientState,
  plan: RequestPlan,
  error: unknown,
  attempt: Attempt,
  retryIndex: number,
): number {
  const { policy, now } = state;
  // A wait longer than the caller accepts (or than the deadline leaves) is never slept
  // through, whatever the method.
  const acceptedWait = Math.min(plan.maxWaitSeconds, (plan.deadlineAt - now()) / 1000);
  const limited = escalateRateLimit(error, acceptedWait, now());
  if (limited !== null) throw limited;
  const delay = plan.idempotent ? retryDelayMs(error, retryIndex, { ...policy, limit: plan.limit }) : null;
  if (delay === null) throw error;
  if (now() + delay >= plan.deadlineAt) throw deadlineFailure(state, error, attempt, retryIndex + 1);
  return delay;
}

/** The request's deadline leaves no room for the wait before the next attempt. */
function deadlineFailure(
  state: ClientState,
  error: unknown,
  attempt: Attempt,
  attempts: number,
): ConnectorTimeoutError {
  const { deadlineMs } = state.policy;
  const last = ConnectorRequestError.isInstance(error) ? error.message : String(error);
  return new ConnectorTimeoutError(
    `${attempt.method} ${attempt.safeUrl} did not succeed within its ${deadlineMs} ms deadline ` +
      `(${attempts} attempt${attempts === 1 ? '' : 's'}; last: ${redactSecrets(last, attempt.secrets).slice(0, 300)}); ` +
      'raise retry.deadlineMs or check the tracker',
    { provider: state.provider, timeoutMs: deadlineMs, scope: 'operation', cause: error },
  );
}
