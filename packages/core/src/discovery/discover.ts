// Hosted discovery entry points: find the provider's discoverer (a connector package's
// `definition.discovery` hook), run it over the Nango proxy, validate what it returns.
import { ConnectorConfigError } from '../errors/errors';
import type { NangoConnectionContext } from '../hosted/nango-connection-context';
import { createNangoProxyFetch, type NangoProxyFetchOptions } from '../hosted/nango-proxy-fetch';
import { createHttpClient } from '../http/http-client';
import type { HttpRetryOptions } from '../http/retry-policy';
import type { AnyConnectorDefinition, DiscoveryContext } from '../protocol/connector-definition';
import type { HttpClient } from '../protocol/http-client';
import { consoleLogger, type Logger } from '../protocol/logger';
import { KNOWN_CONNECTOR_PACKAGES } from '../registry/known-connectors';
import { type ConnectorRegistry, globalConnectorRegistry } from '../registry/plugin-registry';
import type { DiscoveredResource, DiscoveredWorkspace, DiscoveryResult } from './discovery-types';
import { validateResourceResult, validateWorkspaceResult } from './discovery-validation';

/** Options of the hosted discovery entry points. */
export interface DiscoveryOptions {
  /** Defaults to the global registry (filled by importing connector packages). */
  registry?: ConnectorRegistry;
  /** Where discoverers log warnings (default: the console). */
  logger?: Logger;
  /** Per-request timeout (default 30 s; the original inherited httpx's 5 s). */
  timeoutMs?: number;
  /** Retry policy of the discovery client (`false` disables retries). */
  retry?: HttpRetryOptions | false;
  /** Options for the proxy transport (inner fetch for tests …). */
  proxy?: NangoProxyFetchOptions;
  /** Aborts the discovery. */
  signal?: AbortSignal;
  /**
   * Vendor base URL the discoverer's requests are rooted at (default the definition's
   * `hosted.discoveryBaseUrl`, else its `discovery.baseUrl`). Through the proxy only its path matters, e.g.
   * Azure DevOps `https://dev.azure.com/<organization>`.
   */
  baseUrl?: string;
  /** Extra headers on every discovery request, after the provider's own discovery headers. */
  headers?: Readonly<Record<string, string>>;
}

function discoveryDefinition(
  provider: string,
  registry: ConnectorRegistry,
): AnyConnectorDefinition & {
  discovery: NonNullable<AnyConnectorDefinition['discovery']>;
} {
  if (!registry.has(provider)) {
    const packageName = KNOWN_CONNECTOR_PACKAGES[provider];
    const hint = packageName ? ` (install and import ${packageName} to discover ${provider})` : '';
    throw new ConnectorConfigError(`Unknown provider: ${provider}${hint}`);
  }
  const definition = registry.get(provider);
  if (definition.discovery === undefined) throw new ConnectorConfigError(`Unknown provider: ${provider}`);
  return definition as AnyConnectorDefinition & {
    discovery: NonNullable<AnyConnectorDefinition['discovery']>;
  };
}

/**
 * The HttpClient a discoverer receives: proxied through Nango, redacting the secret, sending the
 * provider's discovery headers (its definition's `discovery.headers`, looked up in
 * `options.registry` or the global registry) then `options.headers`, and the definition's
 * `User-Agent` (`spec-kitty-tracker/<package>@<version>`).
 */
export function createDiscoveryHttpClient(
  provider: string,
  nangoContext: NangoConnectionContext,
  options: DiscoveryOptions = {},
): HttpClient {
  const registry = options.registry ?? globalConnectorRegistry();
  const definition = registry.has(provider) ? registry.get(provider) : undefined;
  const providerHeaders = definition?.discovery?.headers;
  return createHttpClient({
    baseUrl:
      options.baseUrl ??
      definition?.hosted?.discoveryBaseUrl ??
      definition?.discovery?.baseUrl ??
      'https://nango.invalid',
    provider,
    headers: { ...(providerHeaders ?? {}), ...(options.headers ?? {}) },
    fetch: createNangoProxyFetch(nangoContext, options.proxy),
    ...(definition !== undefined
      ? { userAgent: `${definition.packageName}@${definition.packageVersion}` }
      : {}),
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.retry !== undefined ? { retry: options.retry } : {}),
  });
}

function discoveryContext(options: DiscoveryOptions): DiscoveryContext {
  return {
    logger: options.logger ?? consoleLogger,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  };
}

function withSignal(http: HttpClient, signal: AbortSignal | undefined): HttpClient {
  if (signal === undefined) return http;
  return {
    provider: http.provider,
    baseUrl: http.baseUrl,
    request: (request) => http.request({ signal, ...request }),
  };
}

/** Lists the workspaces (orgs, groups, sites) the Nango connection can see. */
export async function discoverWorkspaces(
  provider: string,
  nangoContext: NangoConnectionContext,
  options: DiscoveryOptions = {},
): Promise<DiscoveryResult<DiscoveredWorkspace>> {
  const definition = discoveryDefinition(provider, options.registry ?? globalConnectorRegistry());
  const http = withSignal(createDiscoveryHttpClient(provider, nangoContext, options), options.signal);
  const result: unknown = await definition.discovery.workspaces(http, discoveryContext(options));
  validateWorkspaceResult(result);
  return result;
}

/** Lists the resources (repos, projects, teams) inside one discovered workspace. */
export async function discoverResources(
  provider: string,
  workspace: DiscoveredWorkspace,
  nangoContext: NangoConnectionContext,
  options: DiscoveryOptions = {},
): Promise<DiscoveryResult<DiscoveredResource>> {
  const definition = discoveryDefinition(provider, options.registry ?? globalConnectorRegistry());
  const http = withSignal(createDiscoveryHttpClient(provider, nangoContext, options), options.signal);
  const result: unknown = await definition.discovery.resources(http, workspace, discoveryContext(options));
  validateResourceResult(result);
  return result;
}
