// Turns failed exchanges into `ConnectorRequestError`s that are safe to log: the URL loses
// credentials and secret-looking query values, the body is truncated, and every secret the
// client knows about (auth header values, Nango secret key) is replaced before anything
// reaches a message.
import {
  ConnectorRequestError,
  type ConnectorRequestErrorOptions,
  ConnectorTimeoutError,
} from '../errors/errors';
import { classifyHttpStatus, FailureClass } from '../errors/failure-class';
import { isQuotaExhausted, waitSecondsFromHeaders } from './rate-limit-headers';

/** What secrets are replaced with in messages, logs and `raw`. */
export const REDACTED = '[REDACTED]';

/** Longest body excerpt put in an error message. */
export const BODY_EXCERPT_CHARS = 500;

/**
 * Query parameter name parts whose values are credentials. Names are split on `_`, `-`, `.` so
 * `access_token`, `private-token`, `client_secret`, `api_key` match but `author_username` does not.
 */
const SECRET_QUERY_PARTS: ReadonlySet<string> = new Set([
  'token',
  'secret',
  'password',
  'passwd',
  'apikey',
  'key',
  'sig',
  'signature',
  'auth',
  'authorization',
  'jwt',
  'credential',
  'credentials',
  'session',
  'sessionid',
]);

function isSecretQueryParam(name: string): boolean {
  const lower = name.toLowerCase();
  if (/api[-_]?key/.test(lower)) return true;
  return lower.split(/[-_.]/).some((part) => SECRET_QUERY_PARTS.has(part));
}

/** Request headers whose values are credentials. */
export const SECRET_HEADER_NAMES: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'private-token',
  'job-token',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'cookie',
  'nango-proxy-authorization',
  'nango-proxy-private-token',
]);

/** A URL fit for messages: no user-info, secret query values replaced. */
export function sanitizeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\?.*$/, '');
  }
  parsed.username = '';
  parsed.password = '';
  for (const key of [...new Set(parsed.searchParams.keys())]) {
    if (isSecretQueryParam(key)) parsed.searchParams.set(key, REDACTED);
  }
  // URLSearchParams re-encodes "[REDACTED]"; keep it readable.
  return parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
}

/**
 * Values worth redacting from a set of header values: the whole value and, for
 * `Scheme token` forms, the token alone (a vendor may echo just the token).
 */
export function secretsFromHeaders(headers: Iterable<[string, string]>): string[] {
  const found: string[] = [];
  for (const [name, value] of headers) {
    if (!SECRET_HEADER_NAMES.has(name.toLowerCase())) continue;
    found.push(value);
    const space = value.indexOf(' ');
    if (space > 0) found.push(value.slice(space + 1).trim());
  }
  return found;
}

/** Replaces every occurrence of each secret (4+ chars, to avoid shredding ordinary text). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first so "Bearer abc" is redacted before "abc" would leave "Bearer [REDACTED]" twice.
  const ordered = [...new Set(secrets)]
    .filter((secret) => secret.length >= 4)
    .sort((a, b) => b.length - a.length);
  for (const secret of ordered) out = out.split(secret).join(REDACTED);
  return out;
}

export function bodyExcerpt(text: string, max: number = BODY_EXCERPT_CHARS): string {
  const singleLine = text.replace(/\s+/g, ' ').trim();
  return singleLine.length > max
    ? `${singleLine.slice(0, max)}… (${singleLine.length - max} more chars)`
    : singleLine;
}

/** GraphQL `errors[].extensions.code` values (Linear puts `RATELIMITED` there, on HTTP 400 or 200). */
export function graphQLErrorCodes(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  const codes: string[] = [];
  for (const error of errors) {
    const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

/** Whether a GraphQL body reports rate limiting (`RATELIMITED` error code or message). */
export function isGraphQLRateLimited(body: unknown): boolean {
  return graphQLErrorCodes(body).some((code) => code === 'RATELIMITED' || code === 'RATE_LIMITED');
}

/** How a failed response should be treated. */
export interface FailureClassification {
  /** Its failure class. */
  readonly failureClass: FailureClass;
  /** How long the server asked to wait, when it said. */
  readonly retryAfterSeconds: number | null;
}

/** GitHub's secondary limit (and primary exhaustion) answers 403 with one of these bodies. */
const RATE_LIMIT_BODY = /rate limit/i;

/** Default wait GitHub documents for a secondary limit that names no time: one minute. */
const GITHUB_SECONDARY_LIMIT_WAIT_SECONDS = 60;

/**
 * The failure class of an error response. Beyond `classifyHttpStatus`: a 403 that carries
 * `Retry-After`, an exhausted remaining counter or a "rate limit" message is GitHub's
 * secondary limit (rate_limit, not permission); a GraphQL `RATELIMITED` error is a rate limit
 * whatever the status (Linear sends it as 400).
 */
export function classifyFailure(
  status: number,
  headers: Headers,
  body: unknown,
  bodyText: string,
  now: number = Date.now(),
): FailureClassification {
  let failureClass = classifyHttpStatus(status);
  let fallbackWait: number | null = null;
  if (status === 403) {
    const retryAfterPresent = headers.get('retry-after') !== null;
    if (retryAfterPresent || isQuotaExhausted(headers)) failureClass = FailureClass.RATE_LIMIT;
    else if (RATE_LIMIT_BODY.test(bodyText)) {
      failureClass = FailureClass.RATE_LIMIT;
      fallbackWait = GITHUB_SECONDARY_LIMIT_WAIT_SECONDS;
    }
  }
  if (isGraphQLRateLimited(body)) failureClass = FailureClass.RATE_LIMIT;
  const rateLimited = failureClass === FailureClass.RATE_LIMIT;
  const retryAfterSeconds = waitSecondsFromHeaders(headers, { rateLimited, now }) ?? fallbackWait;
  return { failureClass, retryAfterSeconds };
}

export interface HttpResponseErrorOptions extends ConnectorRequestErrorOptions {
  /** HTTP method of the failed request. */
  method: string;
  /** Its URL, without credentials. */
  url: string;
  /** The response body (secrets redacted). */
  responseBody?: unknown;
}

/**
 * A vendor answered with an error status. Still a `ConnectorRequestError` (retry decisions use
 * `failureClass`); additionally carries the sanitised method, URL and parsed (redacted) body so
 * connectors can read vendor error details such as GitHub's 422 `errors[]`.
 */
export class HttpResponseError extends ConnectorRequestError {
  static override readonly errorName: string = 'HttpResponseError';
  /** HTTP method of the failed request. */
  readonly method: string;
  /** Its URL, without credentials. */
  readonly url: string;
  /** Parsed JSON body (secrets redacted), the text excerpt when not JSON, or null. */
  readonly responseBody: unknown;
  constructor(message: string, options: HttpResponseErrorOptions) {
    super(message, options);
    this.method = options.method;
    this.url = options.url;
    this.responseBody = options.responseBody ?? null;
  }
}

/** Message in the original's shape: `HTTP 404 for GET https://…: <body excerpt>`. */
export function statusErrorMessage(
  status: number,
  method: string,
  safeUrl: string,
  redactedBody: string,
): string {
  const excerpt = bodyExcerpt(redactedBody);
  return excerpt === ''
    ? `HTTP ${status} for ${method} ${safeUrl}`
    : `HTTP ${status} for ${method} ${safeUrl}: ${excerpt}`;
}

/** A transport failure (connection refused/reset, DNS) — always transient. */
export function networkError(
  method: string,
  safeUrl: string,
  error: unknown,
  provider: string,
  secrets: readonly string[],
): ConnectorRequestError {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail =
    typeof cause?.code === 'string'
      ? cause.code
      : typeof cause?.message === 'string'
        ? cause.message
        : error instanceof Error
          ? error.message
          : String(error);
  return new ConnectorRequestError(
    redactSecrets(`Network error for ${method} ${safeUrl}: ${detail}`, secrets),
    // Keep only the low-level system error as cause: ky/undici wrappers can hold the Request,
    // whose headers include the Authorization value.
    { failureClass: FailureClass.TRANSIENT, provider, cause: sanitizedCause(cause) },
  );
}

function sanitizedCause(cause: unknown): Error | undefined {
  if (!(cause instanceof Error)) return undefined;
  const copy = new Error(cause.message);
  copy.name = cause.name;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') Object.defineProperty(copy, 'code', { value: code, enumerable: true });
  return copy;
}

/**
 * One attempt got no complete answer within `timeoutMs`. `scope: 'operation'` when the attempt
 * was cut short by the deadline of the whole request (all attempts and waits together).
 */
export function timeoutError(
  method: string,
  safeUrl: string,
  timeoutMs: number,
  provider: string,
  scope: 'request' | 'operation' = 'request',
): ConnectorTimeoutError {
  const message =
    scope === 'request'
      ? `Request timed out after ${timeoutMs} ms: ${method} ${safeUrl}`
      : `Request timed out at its ${timeoutMs} ms deadline (all attempts): ${method} ${safeUrl}`;
  return new ConnectorTimeoutError(message, { provider, timeoutMs, scope });
}
