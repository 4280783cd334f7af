// Hosted discovery entry points: find the provider's discoverer (a connector package's
// `definition.discovery` hook), run it over the Nango proxy, validate what it returns.
import { ConnectorConfigError } from '../errors/errors';
import type { NangoConnectionContext } from '../hosted/nango-connection-context';
import { createNangoProxyFetch, type NangoProxyFetchOptions } from '../hosted/nango-proxy-fetch';
import { createHttpClient } from '../http/http-client';
import type { RetryOptions } from '../http/retry-policy';
import type { AnyConnectorDefinition, DiscoveryContext } from '../protocol/connector-definition';
import type { HttpClient } from '../protocol/http-client';
import { consoleLogger, type Logger } from '../protocol/logger';
import { KNOWN_CONNECTOR_PACKAGES } from '../registry/known-connectors';
import { globalConnectorRegistry, type PluginRegistry } from '../registry/plugin-registry';
import type { DiscoveredResource, DiscoveredWorkspace, DiscoveryResult } from './discovery-types';
import { validateResourceResult, validateWorkspaceResult } from './discovery-validation';

/**
 * Base URL of the HttpClient handed to each discoverer: the provider's Nango proxy base
 * (`@nangohq/providers` providers.yaml `proxy.base_url`). Discoverers use paths relative to it
 * (`/user/orgs`, `/api/v4/groups`, `/oauth/token/accessible-resources`, `/graphql`). Through the
 * proxy only the path matters; the host is what a direct (non-Nango) run would call.
 */
export const HOSTED_DISCOVERY_BASE_URLS: Readonly<Record<string, string>> = Object.freeze({
  linear: 'https://api.linear.app',
  jira: 'https://api.atlassian.com',
  github: 'https://api.github.com',
  gitlab: 'https://gitlab.com',
  // Azure DevOps routes are rooted at the organisation (`https://dev.azure.com/<organization>`):
  // pass `baseUrl` to `discoverWorkspaces`; `discoverResources` takes it from the workspace.
  azure_devops: 'https://dev.azure.com',
});

export interface DiscoveryOptions {
  /** Defaults to the global registry (filled by importing connector packages). */
  registry?: PluginRegistry;
  logger?: Logger;
  /** Per-request timeout (default 30 s; the original inherited httpx's 5 s). */
  timeoutMs?: number;
  retry?: RetryOptions | false;
  /** Options for the proxy transport (inner fetch for tests …). */
  proxy?: NangoProxyFetchOptions;
  signal?: AbortSignal;
  /**
   * Vendor base URL the discoverer's requests are rooted at (default
   * `HOSTED_DISCOVERY_BASE_URLS[provider]`). Through the proxy only its path matters, e.g.
   * Azure DevOps `https://dev.azure.com/<organization>`.
   */
  baseUrl?: string;
  /** Extra headers on every discovery request, after the provider's own discovery headers. */
  headers?: Readonly<Record<string, string>>;
}

function discoveryDefinition(
  provider: string,
  registry: PluginRegistry,
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
    baseUrl: options.baseUrl ?? HOSTED_DISCOVERY_BASE_URLS[provider] ?? 'https://nango.invalid',
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
