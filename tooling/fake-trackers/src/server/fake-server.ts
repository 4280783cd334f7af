import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeRequest {
  readonly method: string;
  /** Decoded-path-free pathname as received (percent-encoding preserved). */
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
  /** Route name (the endpoint label used for call counting). */
  readonly endpoint: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects/arrays are sent as JSON; strings as-is; undefined = empty body. */
  body?: unknown;
}

export type RouteHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface RouteDefinition {
  method: string;
  /** Express-like pattern: `/repos/:owner/:repo/issues/:number`. `*rest` matches the remainder. */
  pattern: string;
  /** Endpoint label for call counting, e.g. `GET /repos/{owner}/{repo}/issues`. Defaults to `METHOD pattern`. */
  name?: string;
  handler: RouteHandler;
}

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Never answer; the socket stays open until the client gives up or the server closes. */
  | { kind: 'timeout' }
  /** Destroy the connection without an answer. */
  | { kind: 'reset' }
  /** Answer normally after a delay. */
  | { kind: 'latency'; ms: number }
  /** Apply the request to the fake's state, then drop the connection before answering. */
  | { kind: 'crash-after-write' };

export interface FaultRule {
  /** Endpoint label (route name); omitted = any endpoint. */
  endpoint?: string;
  /** Extra predicate. */
  match?: (request: FakeRequest) => boolean;
  /** How many matching requests it affects (default 1; Infinity = until cleared). */
  times?: number;
  fault: Fault;
}

export interface CallRecord {
  readonly method: string;
  readonly path: string;
  readonly endpoint: string;
  readonly status: number | null;
}

/**
 * Validates a request before the handler runs. Returns a list of problems (empty = valid). A
 * non-empty list is answered with `rejectStatus` and recorded in `violations`, so tests fail
 * when a connector sends something the real API would reject.
 */
export type RequestValidator = (request: FakeRequest) => string[];
export type ResponseValidator = (request: FakeRequest, response: FakeResponse) => string[];

export interface FakeServerOptions {
  name: string;
  routes: RouteDefinition[];
  validateRequest?: RequestValidator;
  validateResponse?: ResponseValidator;
  /** Status used when request validation fails (GitHub: 422, Jira: 400 …). */
  rejectStatus?: number;
  /** Body for a request whose path matches no route. */
  notFoundBody?: unknown;
}

interface CompiledRoute {
  method: string;
  regex: RegExp;
  keys: string[];
  name: string;
  handler: RouteHandler;
}

function compile(route: RouteDefinition): CompiledRoute {
  const keys: string[] = [];
  const source = route.pattern
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        keys.push(segment.slice(1));
        return '([^/]+)';
      }
      if (segment.startsWith('*')) {
        keys.push(segment.slice(1));
        return '(.*)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return {
    method: route.method.toUpperCase(),
    regex: new RegExp(`^${source}$`),
    keys,
    name: route.name ?? `${route.method.toUpperCase()} ${route.pattern}`,
    handler: route.handler,
  };
}

/** An HTTP server on 127.0.0.1 with a random port, call counting and fault injection. */
export class FakeServer {
  readonly name: string;
  readonly calls: CallRecord[] = [];
  readonly violations: string[] = [];
  #server: Server | null = null;
  #sockets = new Set<Socket>();
  #routes: CompiledRoute[];
  #faults: (FaultRule & { remaining: number })[] = [];
  #options: FakeServerOptions;
  #baseUrl = '';

  constructor(options: FakeServerOptions) {
    this.name = options.name;
    this.#options = options;
    this.#routes = options.routes.map(compile);
  }

  /** `http://127.0.0.1:<port>` (no trailing slash). */
  get url(): string {
    if (!this.#baseUrl) throw new Error(`${this.name} fake is not started; call start() first`);
    return this.#baseUrl;
  }

  /** Listens on 127.0.0.1; `port` 0 (the default) picks a free one. */
  async start(port = 0): Promise<this> {
    const server = createServer((request, response) => {
      void this.#handle(request, response);
    });
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    this.#baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  injectFault(rule: FaultRule): void {
    this.#faults.push({ ...rule, remaining: rule.times ?? 1 });
  }

  clearFaults(): void {
    this.#faults = [];
  }

  /** Calls to one endpoint label, or all calls. */
  callCount(endpoint?: string): number {
    return endpoint === undefined
      ? this.calls.length
      : this.calls.filter((call) => call.endpoint === endpoint).length;
  }

  /** Per-endpoint totals, for budget assertions and benchmark reports. */
  callsByEndpoint(): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const call of this.calls) totals[call.endpoint] = (totals[call.endpoint] ?? 0) + 1;
    return totals;
  }

  resetCalls(): void {
    this.calls.length = 0;
  }

  /** Throws when any request or response broke the spec; call it in afterEach. */
  assertNoViolations(): void {
    if (this.violations.length > 0) {
      const list = this.violations.map((violation) => `  - ${violation}`).join('\n');
      this.violations.length = 0;
      throw new Error(`${this.name} fake saw spec violations:\n${list}`);
    }
  }

  #takeFault(request: FakeRequest): Fault | null {
    for (const rule of this.#faults) {
      if (rule.remaining <= 0) continue;
      if (rule.endpoint !== undefined && rule.endpoint !== request.endpoint) continue;
      if (rule.match && !rule.match(request)) continue;
      rule.remaining -= 1;
      return rule.fault;
    }
    return null;
  }

  async #handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(incoming.url ?? '/', this.#baseUrl);
    const method = (incoming.method ?? 'GET').toUpperCase();
    let body: unknown;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
    }
    const matched = this.#match(method, url.pathname);
    const request: FakeRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      rawBody,
      body,
      url,
      params: matched?.params ?? {},
      endpoint: matched?.route.name ?? `${method} <unmatched>`,
    };
    const record = { method, path: url.pathname, endpoint: request.endpoint, status: null as number | null };
    this.calls.push(record);

    if (!matched) {
      this.violations.push(`${method} ${url.pathname}: no such endpoint in the ${this.name} fake`);
      return this.#send(outgoing, record, {
        status: 404,
        body: this.#options.notFoundBody ?? { message: 'Not Found' },
      });
    }
    const fault = this.#takeFault(request);
    if (fault?.kind === 'reset') {
      outgoing.socket?.destroy();
      return;
    }
    if (fault?.kind === 'timeout') return; // leave the request hanging
    if (fault?.kind === 'status') {
      return this.#send(outgoing, record, {
        status: fault.status,
        headers: fault.headers ?? {},
        body: fault.body ?? { message: `injected ${fault.status}` },
      });
    }
    if (fault?.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, fault.ms));

    const problems = this.#options.validateRequest?.(request) ?? [];
    if (problems.length > 0) {
      for (const problem of problems)
        this.violations.push(`${method} ${url.pathname}${url.search}: ${problem}`);
      return this.#send(outgoing, record, {
        status: this.#options.rejectStatus ?? 400,
        body: { message: 'Request rejected by the API specification', errors: problems },
      });
    }
    let response: FakeResponse;
    try {
      response = await matched.route.handler(request);
    } catch (error) {
      this.violations.push(`${method} ${url.pathname}: fake handler crashed: ${String(error)}`);
      response = { status: 500, body: { message: String(error) } };
    }
    if (fault?.kind === 'crash-after-write') {
      outgoing.socket?.destroy();
      return;
    }
    const responseProblems = this.#options.validateResponse?.(request, response) ?? [];
    for (const problem of responseProblems)
      this.violations.push(`response to ${method} ${url.pathname}: ${problem}`);
    return this.#send(outgoing, record, response);
  }

  #match(method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | null {
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      const found = route.regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, index) => {
        params[key] = decodeURIComponent(found[index + 1] ?? '');
      });
      return { route, params };
    }
    return null;
  }

  #send(outgoing: ServerResponse, record: { status: number | null }, response: FakeResponse): void {
    record.status = response.status;
    const headers: Record<string, string> = { ...(response.headers ?? {}) };
    let payload = '';
    if (response.body !== undefined && response.status !== 204 && response.status !== 304) {
      if (typeof response.body === 'string') payload = response.body;
      else {
        payload = JSON.stringify(response.body);
        headers['content-type'] ??= 'application/json; charset=utf-8';
      }
    }
    outgoing.writeHead(response.status, headers);
    outgoing.end(payload);
  }
}

/** Starts a fake, runs `body`, always closes it. */
export async function withFakeServer<T>(
  server: FakeServer,
  body: (server: FakeServer) => Promise<T>,
): Promise<T> {
  await server.start();
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}
