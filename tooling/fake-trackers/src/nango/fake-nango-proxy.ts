// A loopback stand-in for the Nango proxy (`POST|GET|… {nango}/proxy/{vendor path}`), so hosted
// mode can be tested end to end without Docker or a Nango account. It checks what real Nango
// checks (secret key, Connection-Id, Provider-Config-Key), answers failures in Nango's
// `{ error: { code, message } }` shape, strips `/proxy` and the `Nango-Proxy-` header prefix,
// injects the connection's credentials and forwards to an upstream fake chosen by provider
// config key. `stripSuccessResponseHeaders` reproduces older/self-hosted Nango, which dropped
// every vendor response header except content-type on 2xx (NangoHQ/nango#7431 removed that).
import {
  type FakeRequest,
  type FakeResponse,
  FakeServer,
  type Fault,
  type FaultRule,
} from '../server/fake-server';

export interface FakeNangoConnection {
  readonly connectionId: string;
  readonly providerConfigKey: string;
  /** Headers Nango injects upstream for this connection (e.g. `{ authorization: 'Bearer gho_…' }`). */
  readonly credentials?: Readonly<Record<string, string>>;
}

export interface FakeNangoProxyOptions {
  /** The environment secret key clients must send as `Authorization: Bearer <secret>`. */
  secretKey: string;
  connections: readonly FakeNangoConnection[];
  /** Provider config key → upstream base URL (may include a path prefix, like providers.yaml `proxy.base_url`). */
  upstreams: Readonly<Record<string, string>>;
  /** Older Nango: on 2xx only `content-type` comes back. Default false (current Nango forwards all). */
  stripSuccessResponseHeaders?: boolean;
}

/** One request the fake forwarded upstream, after prefix stripping and credential injection. */
export interface ForwardedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly status: number;
}

export interface NangoRejection {
  readonly status: number;
  readonly code: string;
}

const PREFIX = 'nango-proxy-';

/** Response headers never relayed (the fake re-frames the body). */
const HOP_BY_HOP = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'content-encoding',
]);

/** Nango's default retry statuses when `Retries` is set without `Retry-On` (server retry.ts). */
function defaultRetryable(status: number): boolean {
  return status >= 500 || status === 429;
}

function nangoError(status: number, code: string, message: string): FakeResponse {
  return { status, body: { error: { code, message } } };
}

function header(request: FakeRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** `Nango-Proxy-*` headers without the prefix, the content type, and the connection's credentials. */
function upstreamHeaders(request: FakeRequest, connection: FakeNangoConnection): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || !name.startsWith(PREFIX)) continue;
    headers[name.slice(PREFIX.length)] = Array.isArray(value) ? value.join(', ') : value;
  }
  const contentType = header(request, 'content-type');
  if (contentType !== undefined && headers['content-type'] === undefined)
    headers['content-type'] = contentType;
  for (const [name, value] of Object.entries(connection.credentials ?? {}))
    headers[name.toLowerCase()] = value;
  return headers;
}

export class FakeNangoProxy {
  readonly server: FakeServer;
  readonly forwarded: ForwardedRequest[] = [];
  readonly rejections: NangoRejection[] = [];
  /** Flip at any time to switch between old (stripping) and current Nango behaviour. */
  stripSuccessResponseHeaders: boolean;
  readonly #options: FakeNangoProxyOptions;

  constructor(options: FakeNangoProxyOptions) {
    this.#options = options;
    this.stripSuccessResponseHeaders = options.stripSuccessResponseHeaders ?? false;
    const handler = (request: FakeRequest) => this.#handle(request);
    this.server = new FakeServer({
      name: 'nango',
      routes: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((method) => ({
        method,
        pattern: '/proxy/*rest',
        name: `${method} /proxy/*`,
        handler,
      })),
      notFoundBody: { error: { code: 'not_found', message: 'Unknown route' } },
    });
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** Base URL to use as `nangoBaseUrl` / the SDK `host`. */
  get url(): string {
    return this.server.url;
  }

  /** Nango-level faults (the proxy itself answering 429/5xx, hanging, dropping the connection). */
  injectFault(rule: FaultRule): void {
    this.server.injectFault(rule);
  }

  injectProxyFault(fault: Fault, times = 1): void {
    this.server.injectFault({ fault, times });
  }

  #reject(status: number, code: string, message: string): FakeResponse {
    this.rejections.push({ status, code });
    return nangoError(status, code, message);
  }

  /** Checks the request as Nango does, then forwards it upstream with the connection's credentials. */
  async #handle(request: FakeRequest): Promise<FakeResponse> {
    const target = this.#authenticate(request);
    if ('status' in target) return target;
    const override = header(request, 'base-url-override');
    const base = (override && override !== '' ? override : target.upstream).replace(/\/+$/, '');
    const url = `${base}${request.path.slice('/proxy'.length)}${request.url.search}`;
    return this.#forward(request, url, upstreamHeaders(request, target.connection));
  }

  /** The secret key, Connection-Id and Provider-Config-Key checks; the connection and upstream. */
  #authenticate(request: FakeRequest): { connection: FakeNangoConnection; upstream: string } | FakeResponse {
    const authorization = header(request, 'authorization');
    if (authorization === undefined || authorization === '') {
      return this.#reject(
        401,
        'missing_auth_header',
        'Authentication failed. The request is missing the Authorization header.',
      );
    }
    const match = /^Bearer\s+(.+)$/i.exec(authorization);
    if (!match)
      return this.#reject(
        401,
        'malformed_auth_header',
        'Authentication failed. The Authorization header is malformed.',
      );
    if (match[1] !== this.#options.secretKey) {
      return this.#reject(
        401,
        'unknown_account',
        'Authentication failed. The provided secret key is invalid.',
      );
    }
    const connectionId = header(request, 'connection-id');
    if (!connectionId) return this.#reject(400, 'missing_connection_id', 'Missing Connection-Id header.');
    const providerConfigKey = header(request, 'provider-config-key');
    if (!providerConfigKey)
      return this.#reject(400, 'missing_provider_config_key', 'Missing Provider-Config-Key header.');
    const upstream = this.#options.upstreams[providerConfigKey];
    if (upstream === undefined) {
      return this.#reject(
        404,
        'unknown_provider_config',
        `Provider config key "${providerConfigKey}" does not exist.`,
      );
    }
    const connection = this.#options.connections.find(
      (candidate) =>
        candidate.connectionId === connectionId && candidate.providerConfigKey === providerConfigKey,
    );
    if (!connection)
      return this.#reject(404, 'unknown_connection', `Connection "${connectionId}" does not exist.`);
    return { connection, upstream };
  }

  /** Sends the request upstream, retrying as the `Retries` / `Retry-On` headers ask. */
  async #forward(request: FakeRequest, url: string, headers: Record<string, string>): Promise<FakeResponse> {
    const retries = Number(header(request, 'retries') ?? '0') || 0;
    const retryOn = header(request, 'retry-on')
      ?.split(',')
      .map((status) => Number(status.trim()))
      .filter((status) => Number.isInteger(status));
    const shouldRetry = (status: number) =>
      retryOn && retryOn.length > 0 ? retryOn.includes(status) : defaultRetryable(status);
    for (let attempt = 0; ; attempt += 1) {
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.rawBody !== '';
      const response = await fetch(url, {
        method: request.method,
        headers,
        ...(hasBody ? { body: request.rawBody } : {}),
      });
      const text = await response.text();
      this.forwarded.push({
        method: request.method,
        url,
        headers,
        body: request.rawBody,
        status: response.status,
      });
      if (attempt < retries && shouldRetry(response.status)) continue;
      return this.#relay(response, text);
    }
  }

  #relay(response: Response, text: string): FakeResponse {
    const headers: Record<string, string> = {};
    const strip = this.stripSuccessResponseHeaders && response.status >= 200 && response.status < 300;
    response.headers.forEach((value, name) => {
      if (HOP_BY_HOP.has(name)) return;
      if (strip && name !== 'content-type') return;
      headers[name] = value;
    });
    return { status: response.status, headers, ...(text !== '' ? { body: text } : {}) };
  }
}

/** Creates (does not start) a fake Nango proxy. */
export function createFakeNangoProxy(options: FakeNangoProxyOptions): FakeNangoProxy {
  return new FakeNangoProxy(options);
}
