// A `fetch` that sends every request through the Nango proxy, byte-for-byte the way
// `@nangohq/node@0.71.10`'s `proxy()` does (proved in nango-proxy-fetch.test.ts by sending the
// same call through both to a capture server):
//   {nangoBaseUrl}/proxy{path + query of the vendor URL}
//   Authorization: Bearer <secret>, Connection-Id, Provider-Config-Key,
//   Base-Url-Override (always, possibly empty), Nango-Activity-Log-Id (always, empty),
//   every vendor header K as Nango-Proxy-K (Content-Type also unprefixed), provider auth removed.
// The vendor host is dropped: Nango picks the upstream from the provider config key, so a base
// URL path prefix (GitLab /api/v4, Jira /ex/jira/<cloudId>) is forwarded verbatim.
//
// Deliberate differences from the original Python transport, which forwarded vendor headers
// unprefixed: current Nango only forwards `Nango-Proxy-*` headers to the vendor (NangoHQ/nango
// #950), so unprefixed Accept / X-GitHub-Api-Version / Content-Type would never arrive.
import { FETCH_SECRETS, type FetchWithSecrets } from '../http/fetch-secrets';
import type { NangoConnectionContext } from './nango-connection-context';

/**
 * Request headers never forwarded to the vendor: provider credentials built from the
 * `NANGO_MANAGED_TOKEN` placeholder (forwarding them as `Nango-Proxy-Authorization` would
 * override the real token Nango injects), and hop-by-hop headers fetch manages itself.
 */
export const NANGO_STRIPPED_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'private-token',
  'job-token',
  'x-api-key',
  'cookie',
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'te',
  'expect',
]);

/** Options of the Nango proxy transport. */
export interface NangoProxyFetchOptions {
  /** The transport under the proxy (default global fetch); tests point it at a loopback server. */
  fetch?: typeof globalThis.fetch;
  /**
   * Nango-side retries (`Retries` header). Default: none. Our HTTP client already retries, and
   * only idempotent requests; Nango's retry ignores the method and can duplicate a POST create.
   */
  retries?: number;
  /** `Retry-On` status list for Nango-side retries. */
  retryOn?: readonly number[];
  /** `Base-Url-Override` (e.g. a self-hosted GitLab); default empty, as the SDK sends it. */
  baseUrlOverride?: string;
  /** `Decompress: true` (asks Nango to decompress the vendor body). */
  decompress?: boolean;
}

/** `Content-Type` → `Content-Type`; keeps the SDK's capitalised look on the wire logs. */
function canonicalHeaderName(name: string): string {
  return name
    .split('-')
    .map((part) => (part === '' ? part : part[0]!.toUpperCase() + part.slice(1)))
    .join('-');
}

/** Builds the proxied request (exported for tests and for hosts that send requests themselves). */
export async function toNangoProxyRequest(
  context: NangoConnectionContext,
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  options: NangoProxyFetchOptions = {},
): Promise<{
  /** The Nango proxy URL (`{nangoBaseUrl}/proxy{path}{query}`). */
  url: string;
  /** Method, proxy headers and body. */
  init: RequestInit;
}> {
  const original = new Request(input, init);
  const vendorUrl = new URL(original.url);
  const url = `${context.nangoBaseUrl}/proxy${vendorUrl.pathname}${vendorUrl.search}`;

  const headers = new Headers();
  headers.set('Connection-Id', context.connectionId);
  headers.set('Provider-Config-Key', context.providerConfigKey);
  headers.set('Base-Url-Override', options.baseUrlOverride ?? '');
  headers.set('Nango-Activity-Log-Id', '');
  original.headers.forEach((value, name) => {
    if (NANGO_STRIPPED_REQUEST_HEADERS.has(name)) return;
    headers.set(`Nango-Proxy-${canonicalHeaderName(name)}`, value);
  });
  const contentType = original.headers.get('content-type');
  if (contentType !== null) headers.set('Content-Type', contentType);
  if (options.retries) headers.set('Retries', String(options.retries));
  if (options.decompress) headers.set('Decompress', 'true');
  if (options.retryOn && options.retryOn.length > 0) headers.set('Retry-On', options.retryOn.join(','));
  headers.set('Authorization', `Bearer ${context.nangoSecretKey}`);

  const method = original.method.toUpperCase();
  const body = method === 'GET' || method === 'HEAD' ? undefined : await original.arrayBuffer();
  return {
    url,
    init: {
      method,
      headers,
      ...(body !== undefined && body.byteLength > 0 ? { body } : {}),
      signal: original.signal,
      redirect: original.redirect,
    },
  };
}

/**
 * A drop-in `fetch` for `createHttpClient` / `ConnectorRuntime.fetch`. The response is returned
 * unchanged. Connectors must not depend on vendor response headers on 2xx: older and
 * self-hosted Nango strips them (only content-type survives) — see docs/architecture/http-and-hosted.md.
 */
export function createNangoProxyFetch(
  context: NangoConnectionContext,
  options: NangoProxyFetchOptions = {},
): typeof globalThis.fetch {
  const inner = options.fetch ?? globalThis.fetch;
  const proxyFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const proxied = await toNangoProxyRequest(context, input, init, options);
    return inner(proxied.url, proxied.init);
  };
  // Lets createHttpClient redact the secret from messages although it never sees the header.
  Object.defineProperty(proxyFetch, FETCH_SECRETS, { value: Object.freeze([context.nangoSecretKey]) });
  return proxyFetch as FetchWithSecrets;
}
