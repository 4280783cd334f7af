// The HTTP client every HTTP connector codes against. ky builds and sends the request (headers,
// JSON bodies, custom fetch); everything with a contract attached — URL joining, query encoding,
// the timeout, retries, the size cap, error mapping and validation — is done here so the
// behaviour is explicit and testable. (ky's own retry/timeout are switched off: its retry sleeps
// are not injectable, it cannot honour reset headers or refuse long waits, and its timeout does
// not cover reading the body.)
//
// Who retries: inside a sync run the engine owns each operation's retry budget and deadline and
// tags the signal it passes down (request-scope.ts); the client then makes exactly one attempt
// per request. Called directly (no scope), the client retries idempotent requests itself under
// `retry` and bounds each request, attempts and waits together, by `retry.deadlineMs`.
import ky from 'ky';
import type { GenericSchema } from 'valibot';
import { ConnectorRequestError, ConnectorTimeoutError, IssuePayloadContractError } from '../errors/errors';
import { FailureClass } from '../errors/failure-class';
import { escalateRateLimit } from '../errors/rate-limit-escalation';
import type {
  HttpClient,
  HttpMethod,
  HttpRequestOptions,
  HttpResponse,
  QueryValue,
} from '../protocol/http-client';
import { type Logger, silentLogger } from '../protocol/logger';
import { FETCH_SECRETS, type FetchWithSecrets } from './fetch-secrets';
import {
  classifyFailure,
  HttpResponseError,
  networkError,
  redactSecrets,
  sanitizeUrl,
  secretsFromHeaders,
  statusErrorMessage,
  timeoutError,
} from './http-errors';
import { requestScopeOf } from './request-scope';
import { ResponseContractReason, validateResponseBody } from './response-validation';
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

function joinUrl(baseUrl: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  // An empty path is the base itself (a GraphQL endpoint), not `{base}/`.
  if (path === '' || path === '/') return path === '' ? baseUrl : `${baseUrl}/`;
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function appendQuery(url: string, query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (query === undefined) return url;
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) parsed.searchParams.append(key, String(item));
    else parsed.searchParams.append(key, String(value));
  }
  return parsed.toString();
}

class BodyTooLargeError extends Error {}

async function readBodyText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new BodyTooLargeError();
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError();
    }
    chunks.push(value);
  }
  const decoder = new TextDecoder('utf-8');
  let text = '';
  for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

interface Attempt {
  method: HttpMethod;
  url: string;
  safeUrl: string;
  secrets: readonly string[];
  /** This attempt's timeout; `deadlineMs` when the request's deadline cut it shorter. */
  timeoutMs: number;
  deadlineMs: number | null;
}

/** The HTTP client connectors use: timeouts, retries with backoff, rate-limit handling, response validation, secret redaction and the `User-Agent`. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const provider = options.provider;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const defaultHeaders = defaultHeadersOf(options);
  const fetchImpl: FetchWithSecrets = options.fetch ?? globalThis.fetch;
  const logger = options.logger ?? silentLogger;
  const clientTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clientMaxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const policy: ResolvedRetryPolicy = resolveRetryPolicy(options.retry);
  const now = options.now ?? Date.now;
  const baseSecrets = [
    ...secretsFromHeaders(Object.entries(defaultHeaders)),
    ...(options.secrets ?? []),
    ...(fetchImpl[FETCH_SECRETS] ?? []),
  ];
  const kyInstance = ky.create({
    fetch: fetchImpl,
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
  });

  async function attemptOnce<T>(request: HttpRequestOptions<T>, attempt: Attempt): Promise<HttpResponse<T>> {
    const { method, url, safeUrl, secrets, timeoutMs } = attempt;
    const maxBytes = request.maxResponseBytes ?? clientMaxBytes;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
    const started = now();
    try {
      let response: Response;
      try {
        response = await kyInstance(url, {
          method,
          headers: { ...defaultHeaders, ...(request.headers ?? {}) },
          ...(request.json !== undefined ? { json: request.json } : {}),
          signal,
        });
      } catch (error) {
        throw transportFailure(error);
      }

      let text: string;
      try {
        text = await readBodyText(response, maxBytes);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          throw new ConnectorRequestError(
            `Response body of ${method} ${safeUrl} exceeds the ${formatBytes(maxBytes)} limit (HTTP ${response.status}); ` +
              'raise maxResponseBytes or request smaller pages.',
            { statusCode: response.status, failureClass: FailureClass.NON_RETRYABLE, provider },
          );
        }
        throw transportFailure(error);
      }
      logger.debug(`${method} ${safeUrl} -> ${response.status} (${now() - started} ms)`);

      const accepted = request.acceptStatuses?.includes(response.status) ?? false;
      if (!response.ok && !accepted) throw statusFailure(response, text);
      const data = parseBody(request, response, text, !response.ok);
      const meta = { status: response.status, headers: response.headers };
      if (response.ok) {
        request.bodyCheck?.(data, meta);
        if (request.schema !== undefined) {
          const validated = validateResponseBody(request.schema as GenericSchema<unknown, T>, data, {
            provider,
            request: `${method} ${safeUrl}`,
          });
          return {
            status: response.status,
            headers: response.headers,
            data: validated,
            url: response.url || url,
          };
        }
      }
      return {
        status: response.status,
        headers: response.headers,
        data: data as T,
        url: response.url || url,
      };
    } finally {
      clearTimeout(timer);
    }

    function transportFailure(error: unknown): unknown {
      if (timedOut) {
        return attempt.deadlineMs === null
          ? timeoutError(method, safeUrl, timeoutMs, provider)
          : timeoutError(method, safeUrl, attempt.deadlineMs, provider, 'operation');
      }
      if (request.signal?.aborted) return request.signal.reason;
      if (isLibraryError(error)) return error;
      return networkError(method, safeUrl, error, provider, secrets);
    }

    function statusFailure(response: Response, text: string): HttpResponseError {
      const redacted = redactSecrets(text, secrets);
      let parsed: unknown = null;
      try {
        parsed = redacted === '' ? null : JSON.parse(redacted);
      } catch {
        parsed = redacted.slice(0, 2000);
      }
      const { failureClass, retryAfterSeconds } = classifyFailure(
        response.status,
        response.headers,
        parsed,
        redacted,
        now(),
      );
      return new HttpResponseError(statusErrorMessage(response.status, method, safeUrl, redacted), {
        statusCode: response.status,
        failureClass,
        retryAfterSeconds,
        provider,
        method,
        url: safeUrl,
        responseBody: parsed,
      });
    }

    function parseBody(
      req: HttpRequestOptions<T>,
      response: Response,
      text: string,
      lenient: boolean,
    ): unknown {
      if (req.responseType === 'text') return text;
      if (text.trim() === '') return null;
      try {
        return JSON.parse(text);
      } catch {
        if (lenient) return redactSecrets(text, secrets);
        const contentType = response.headers.get('content-type') ?? 'no content-type';
        throw new IssuePayloadContractError(
          `Expected a JSON body from ${method} ${safeUrl} (HTTP ${response.status}, ${contentType}), got: ` +
            redactSecrets(text.slice(0, 200).replace(/\s+/g, ' '), secrets),
          { provider, kind: 'response', fieldPath: '<root>', reason: ResponseContractReason.INVALID_JSON },
        );
      }
    }
  }

  async function request<T = unknown>(request: HttpRequestOptions<T>): Promise<HttpResponse<T>> {
    const method = request.method.toUpperCase() as HttpMethod;
    const url = appendQuery(joinUrl(baseUrl, request.path), request.query);
    const safeUrl = redactSecrets(sanitizeUrl(url), baseSecrets);
    const secrets = [
      ...baseSecrets,
      ...secretsFromHeaders(Object.entries(request.headers ?? {})),
      ...userInfoSecrets(url),
    ];
    const scope = requestScopeOf(request.signal);
    const limit = scope?.callerRetries ? 0 : policy.limit;
    const maxWaitSeconds = scope?.maxRetryAfterSeconds ?? policy.maxRetryAfterSeconds;
    const timeoutMs = Math.min(
      request.timeoutMs ?? clientTimeoutMs,
      scope?.requestTimeoutMs ?? Number.POSITIVE_INFINITY,
    );
    // A caller that retries also bounds the whole operation (it aborts the signal at its deadline).
    const deadlineAt = scope?.callerRetries ? Number.POSITIVE_INFINITY : now() + policy.deadlineMs;
    const idempotent = isIdempotentRequest(method, request.idempotent, policy);
    for (let retryIndex = 0; ; retryIndex += 1) {
      const remaining = deadlineAt - now();
      const attempt: Attempt = {
        method,
        url,
        safeUrl,
        secrets,
        timeoutMs: Math.max(1, Math.min(timeoutMs, remaining)),
        deadlineMs: remaining < timeoutMs ? policy.deadlineMs : null,
      };
      try {
        return await attemptOnce(request, attempt);
      } catch (error) {
        // A wait longer than the caller accepts (or than the deadline leaves) is never slept
        // through, whatever the method.
        const acceptedWait = Math.min(maxWaitSeconds, (deadlineAt - now()) / 1000);
        const limited = escalateRateLimit(error, acceptedWait, now());
        if (limited !== null) throw limited;
        const delay = idempotent ? retryDelayMs(error, retryIndex, { ...policy, limit }) : null;
        if (delay === null) throw error;
        if (now() + delay >= deadlineAt) throw deadlineFailure(error, attempt, retryIndex + 1);
        const reason = ConnectorRequestError.isInstance(error) ? error.message : String(error);
        logger.warn(`retrying ${method} ${safeUrl} in ${delay} ms (retry ${retryIndex + 1} of ${limit})`, {
          provider,
          reason: redactSecrets(reason, secrets).slice(0, 300),
        });
        await policy.sleep(delay, request.signal);
      }
    }
  }

  /** The request's deadline leaves no room for the wait before the next attempt. */
  function deadlineFailure(error: unknown, attempt: Attempt, attempts: number): ConnectorTimeoutError {
    const last = ConnectorRequestError.isInstance(error) ? error.message : String(error);
    return new ConnectorTimeoutError(
      `${attempt.method} ${attempt.safeUrl} did not succeed within its ${policy.deadlineMs} ms deadline ` +
        `(${attempts} attempt${attempts === 1 ? '' : 's'}; last: ${redactSecrets(last, attempt.secrets).slice(0, 300)}); ` +
        'raise retry.deadlineMs or check the tracker',
      { provider, timeoutMs: policy.deadlineMs, scope: 'operation', cause: error },
    );
  }

  return { provider, baseUrl, request };
}

/** Credentials embedded in a URL (`https://user:pass@host`) are secrets too. */
function userInfoSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return [];
    return [`${parsed.username}:${parsed.password}`, parsed.password, decodeURIComponent(parsed.password)];
  } catch {
    return [];
  }
}

function isLibraryError(error: unknown): boolean {
  return ConnectorRequestError.isInstance(error) || IssuePayloadContractError.isInstance(error);
}
