import type { GenericSchema } from 'valibot';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly (string | number | boolean)[];

export interface HttpRequestOptions<T = unknown> {
  method: HttpMethod;
  /** Relative to the client's base URL (leading slash optional), or an absolute URL (e.g. a `Link` next URL). */
  path: string;
  /** Null/undefined entries are dropped; arrays repeat the key. */
  query?: Readonly<Record<string, QueryValue>>;
  /** JSON body (sets `content-type: application/json` unless `headers` say otherwise). */
  json?: unknown;
  headers?: Readonly<Record<string, string>>;
  /** Validates the parsed body; a mismatch throws `IssuePayloadContractError` naming the field path. */
  schema?: GenericSchema<unknown, T>;
  /** Overrides the method default (GET/PUT/DELETE are retried; POST/PATCH are not). */
  idempotent?: boolean;
  /** Statuses (besides 2xx) returned instead of thrown, e.g. `[304]` for conditional requests. */
  acceptStatuses?: readonly number[];
  signal?: AbortSignal;
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

export interface HttpResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON (validated when a schema was given); `null` for an empty body. */
  readonly data: T;
  readonly url: string;
}

/** The HTTP client every HTTP connector uses (implemented by `@spec-kitty/core/http`). */
export interface HttpClient {
  readonly provider: string;
  readonly baseUrl: string;
  request<T = unknown>(options: HttpRequestOptions<T>): Promise<HttpResponse<T>>;
}
