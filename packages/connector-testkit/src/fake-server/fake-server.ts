import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FakeServerError } from './fake-server-error';
import type {
  CallRecord,
  FakeRequest,
  FakeResponse,
  FakeServerOptions,
  Fault,
  FaultRule,
} from './fake-server-types';
import { type CompiledRoute, compileRoute, matchRoute } from './route-pattern';

type MutableCallRecord = { -readonly [Key in keyof CallRecord]: CallRecord[Key] };

/**
 * A stateful stand-in for a vendor API: an HTTP server on 127.0.0.1 (random port) with routes,
 * request validation, fault injection and call counts per endpoint.
 *
 * ```ts
 * const fake = await new FakeServer({ name: 'acme', routes }).start();
 * const connector = new AcmeConnector({ baseUrl: fake.url, token: 't' });
 * ```
 */
export class FakeServer {
  /** The name given in the options. */
  readonly name: string;
  /** Every request received, in order. */
  readonly calls: CallRecord[] = [];
  /** Requests the real API would reject (and fake bugs); `assertNoViolations` reports them. */
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
    this.#routes = options.routes.map(compileRoute);
  }

  /** `http://127.0.0.1:<port>` (no trailing slash). */
  get url(): string {
    if (!this.#baseUrl) throw new FakeServerError(`${this.name} fake is not started; call start() first`);
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

  /** Stops listening and drops open connections (hanging `timeout` faults included). */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Makes the next `times` requests matching the rule fail as `fault` describes. */
  injectFault(rule: FaultRule): void {
    this.#faults.push({ ...rule, remaining: rule.times ?? 1 });
  }

  /** Removes every injected fault, used up or not. */
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

  /** Forgets the recorded calls (e.g. after seeding through the API). */
  resetCalls(): void {
    this.calls.length = 0;
  }

  /** Throws (and clears the list) when any request or response broke the spec; call it in afterEach. */
  assertNoViolations(): void {
    if (this.violations.length > 0) {
      const list = this.violations.map((violation) => `  - ${violation}`).join('\n');
      this.violations.length = 0;
      throw new FakeServerError(`${this.name} fake saw spec violations:\n${list}`);
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
    const matched = matchRoute(this.#routes, method, url.pathname);
    const request: FakeRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      rawBody,
      body: parseJson(rawBody),
      url,
      params: matched?.params ?? {},
      endpoint: matched?.route.name ?? `${method} <unmatched>`,
    };
    const record: MutableCallRecord = {
      method,
      path: url.pathname,
      endpoint: request.endpoint,
      status: null,
    };
    this.calls.push(record);

    if (!matched) {
      this.violations.push(`${method} ${url.pathname}: no such endpoint in the ${this.name} fake`);
      return send(outgoing, record, {
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
    if (fault?.kind === 'status') return send(outgoing, record, statusFaultResponse(fault));
    if (fault?.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, fault.ms));

    const problems = this.#options.validateRequest?.(request) ?? [];
    if (problems.length > 0) {
      for (const problem of problems)
        this.violations.push(`${method} ${url.pathname}${url.search}: ${problem}`);
      return send(outgoing, record, {
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
    return send(outgoing, record, response);
  }
}

function parseJson(rawBody: string): unknown {
  if (rawBody.length === 0) return undefined;
  try {
    return JSON.parse(rawBody);
  } catch {
    return undefined;
  }
}

function statusFaultResponse(fault: Extract<Fault, { kind: 'status' }>): FakeResponse {
  const headers: Record<string, string> = { ...(fault.headers ?? {}) };
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  return { status: fault.status, headers, body: fault.body ?? { message: `injected ${fault.status}` } };
}

function send(outgoing: ServerResponse, record: MutableCallRecord, response: FakeResponse): void {
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

/** Creates and starts a fake in one step. */
export function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  return new FakeServer(options).start();
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
