import type { GenericSchema } from 'valibot';

/** The HTTP methods connectors use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A query-string value: scalars, or an array (the key repeats). */
export type QueryValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly (string | number | boolean)[];

/** One request of an `HttpClient`. */
export interface HttpRequestOptions<T = unknown> {
  /** HTTP method. */
  method: HttpMethod;
  /** Relative to the client's base URL (leading slash optional), or an absolute URL (e.g. a `Link` next URL). */
  path: string;
  /** Null/undefined entries are dropped; arrays repeat the key. */
  query?: Readonly<Record<string, QueryValue>>;
  /** JSON body (sets `content-type: application/json` unless `headers` say otherwise). */
  json?: unknown;
  /** Extra request headers. */
  headers?: Readonly<Record<string, string>>;
  /** Validates the parsed body; a mismatch throws `IssuePayloadContractError` naming the field path. */
  schema?: GenericSchema<unknown, T>;
  /** Overrides the method default (GET/PUT/DELETE are retried; POST/PATCH are not). */
  idempotent?: boolean;
  /** Statuses (besides 2xx) returned instead of thrown, e.g. `[304]` for conditional requests. */
  acceptStatuses?: readonly number[];
  /** Aborts the request. */
  signal?: AbortSignal;
  /** Per-request timeout (default: the client's). */
  timeoutMs?: number;
  /** `'json'` (default) parses the body; `'text'` returns it as a string. */
  responseType?: 'json' | 'text';
  /**
   * Inspects a parsed 2xx body before schema validation and may throw (e.g. GraphQL `errors`
   * in a 200). A thrown retryable `ConnectorRequestError` is retried like an HTTP failure.
   */
  bodyCheck?: (data: unknown, response: { readonly status: number; readonly headers: Headers }) => void;
  /** Overrides the client's response size cap for this request. */
  maxResponseBytes?: number;
}

/** A response of an `HttpClient`. */
export interface HttpResponse<T = unknown> {
  /** HTTP status. */
  readonly status: number;
  /** Response headers. */
  readonly headers: Headers;
  /** Parsed JSON (validated when a schema was given); `null` for an empty body. */
  readonly data: T;
  /** Final URL (credentials removed). */
  readonly url: string;
}

/** The HTTP client every HTTP connector uses (implemented by `@spec-kitty/core/http`). */
export interface HttpClient {
  /** Provider id, used in errors and logs. */
  readonly provider: string;
  /** Base URL relative paths resolve against. */
  readonly baseUrl: string;
  /** Sends one request (with the client's retries and limits) and returns the parsed response. */
  request<T = unknown>(options: HttpRequestOptions<T>): Promise<HttpResponse<T>>;
}
