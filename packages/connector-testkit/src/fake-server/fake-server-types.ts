import type { IncomingHttpHeaders } from 'node:http';

/** A request as a route handler, validator or fault rule sees it. */
export interface FakeRequest {
  readonly method: string;
  /** Pathname as received (percent-encoding preserved). */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased header names. */
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  readonly body: unknown;
  readonly url: URL;
  /** Path parameters from the matched route pattern (decoded). */
  readonly params: Readonly<Record<string, string>>;
  /** Route name (the endpoint label used for call counting and fault rules). */
  readonly endpoint: string;
}

/** What a route handler answers. */
export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects and arrays are sent as JSON; strings as they are; undefined = empty body. */
  body?: unknown;
}

/** Answers one matched request; it may read and change the fake's state. */
export type RouteHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

/** One endpoint of a fake. */
export interface RouteDefinition {
  method: string;
  /** Express-like pattern: `/repos/:owner/:repo/issues/:number`. `*rest` matches the remainder. */
  pattern: string;
  /** Endpoint label for call counting and faults, e.g. `GET /issues/{id}`. Default: `METHOD pattern`. */
  name?: string;
  handler: RouteHandler;
}

/** What an injected fault does to a matching request. */
export type Fault =
  /** Answer with this status instead of running the handler (429 + `retryAfter`, 5xx …). */
  | {
      kind: 'status';
      status: number;
      /** Seconds (or an HTTP date) sent as `Retry-After`. */
      retryAfter?: number | string;
      headers?: Record<string, string>;
      body?: unknown;
    }
  /** Never answer; the socket stays open until the client gives up or the server closes. */
  | { kind: 'timeout' }
  /** Destroy the connection without an answer. */
  | { kind: 'reset' }
  /** Answer normally after a delay. */
  | { kind: 'latency'; ms: number }
  /** Apply the request to the fake's state, then drop the connection before answering. */
  | { kind: 'crash-after-write' };

/** Which requests a fault affects. Rules apply in the order they were injected. */
export interface FaultRule {
  /** Endpoint label (route name); omitted = any endpoint. */
  endpoint?: string;
  /** Extra predicate. */
  match?: (request: FakeRequest) => boolean;
  /** How many matching requests it affects (default 1; `Infinity` = until cleared). */
  times?: number;
  fault: Fault;
}

/** One request the fake received, with the status it answered (null: no answer was sent). */
export interface CallRecord {
  readonly method: string;
  readonly path: string;
  readonly endpoint: string;
  readonly status: number | null;
}

/**
 * Checks a request before the handler runs and returns its problems (empty = valid). A non-empty
 * list is answered with `rejectStatus` and recorded in `violations`, so a test fails when a
 * connector sends something the real API would reject.
 */
export type RequestValidator = (request: FakeRequest) => string[];

/** Checks a response the fake is about to send (keeps the fake honest against a spec). */
export type ResponseValidator = (request: FakeRequest, response: FakeResponse) => string[];

/** How a `FakeServer` behaves. */
export interface FakeServerOptions {
  /** Names the fake in error messages and violation reports. */
  name: string;
  routes: RouteDefinition[];
  validateRequest?: RequestValidator;
  validateResponse?: ResponseValidator;
  /** Status of a request that fails validation (GitHub: 422, Jira: 400 …). Default 400. */
  rejectStatus?: number;
  /** Body for a request whose path matches no route. */
  notFoundBody?: unknown;
}
