// Builds a connector that reaches its vendor through the Nango proxy. The provider's package
// supplies the params schema and the params → config mapping (`definition.hosted`); core only
// enforces which providers may be hosted and wires the proxy fetch in as the runtime transport.
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ConnectorConfigError } from '../errors/errors';
import { formatIssuePath } from '../http/schema-path';
import { HOSTED_PROVIDERS } from '../mode';
import type { TrackerConnector } from '../protocol/connector';
import type { AnyConnectorDefinition } from '../protocol/connector-definition';
import type { Logger } from '../protocol/logger';
import {
  type ConnectorRegistry,
  globalConnectorRegistry,
  validateConnectorConfig,
} from '../registry/plugin-registry';
import { pyRepr } from '../util/python-text';
import type { NangoConnectionContext } from './nango-connection-context';
import { createNangoProxyFetch, type NangoProxyFetchOptions } from './nango-proxy-fetch';

/** The original's `HostedProviderSlug` (registered definitions with hosted facts are hosted too). */
export type HostedProviderSlug = 'linear' | 'jira' | 'github' | 'gitlab';

/** What `createHostedConnector` takes. */
export interface HostedConnectorRequest {
  /** A hosted provider: the original's four, or any registered definition with hosted facts. */
  provider: string;
  /** The Nango connection every request is proxied through. */
  nangoContext: NangoConnectionContext;
  /** Provider params without credentials (e.g. `{ owner, repo }` for GitHub), checked by the connector's params schema. */
  params: unknown;
  /** Defaults to the global registry (filled by importing connector packages). */
  registry?: ConnectorRegistry;
  /** Handed to the connector as its runtime logger. */
  logger?: Logger;
  /** Options for the proxy transport (inner fetch for tests, Nango-side retries …). */
  proxy?: NangoProxyFetchOptions;
}

/** The original's "Unsupported hosted provider: 'x'" error. */
export function unsupportedHostedProvider(provider: unknown): ConnectorConfigError {
  return new ConnectorConfigError(`Unsupported hosted provider: ${pyRepr(provider)}`);
}

/**
 * Rejects, with the original's message, anything but the original's hosted providers
 * (linear/jira/github/gitlab) and the ids of registered definitions with hosted facts.
 */
export function assertHostedProvider(
  provider: unknown,
  options: { registry?: ConnectorRegistry } = {},
): asserts provider is string {
  if (typeof provider !== 'string') throw unsupportedHostedProvider(provider);
  if (HOSTED_PROVIDERS.has(provider)) return;
  const registry = options.registry ?? globalConnectorRegistry();
  if (registry.has(provider) && registry.get(provider).hosted !== undefined) return;
  throw unsupportedHostedProvider(provider);
}

function formatIssues(issues: readonly StandardSchemaV1.Issue[]): string {
  return issues.map((issue) => `${formatIssuePath(issue)}: ${issue.message}`).join('; ');
}

/** The definition of a hosted provider, with a clear error when its package is not imported or cannot be hosted. */
export function hostedDefinition(
  provider: string,
  registry: ConnectorRegistry,
): AnyConnectorDefinition & { hosted: NonNullable<AnyConnectorDefinition['hosted']> } {
  // registry.get throws ConnectorConfigError naming the package to install and import.
  const definition = registry.get(provider);
  if (definition.hosted === undefined) {
    throw new ConnectorConfigError(
      `Connector "${provider}" from ${definition.packageName}@${definition.packageVersion} does not support hosted (Nango) mode; upgrade the package.`,
    );
  }
  return definition as AnyConnectorDefinition & { hosted: NonNullable<AnyConnectorDefinition['hosted']> };
}

/** Validates hosted params with the definition's params schema (the original's message on failure). */
export function validateHostedParams<Params>(
  provider: string,
  schema: StandardSchemaV1<unknown, Params>,
  params: unknown,
): Params {
  const result = schema['~standard'].validate(params);
  if (result instanceof Promise) {
    throw new ConnectorConfigError(`Hosted params schema of "${provider}" is async; it must be synchronous.`);
  }
  if (result.issues) {
    throw new ConnectorConfigError(
      `Invalid hosted params for provider ${pyRepr(provider)}: ${formatIssues(result.issues)}`,
    );
  }
  return result.value;
}

/**
 * The original's `create_hosted_connector`: credentials become `NANGO_MANAGED_TOKEN` (done by the
 * connector's `hosted.toConfig`) and every request goes through `createNangoProxyFetch`. Unlike
 * the original's adapter, the returned object is the connector itself, so provider-specific
 * extras (e.g. Jira `listTransitions`) stay reachable.
 */
export function createHostedConnector(request: HostedConnectorRequest): TrackerConnector {
  const { provider, nangoContext } = request;
  const registry = request.registry ?? globalConnectorRegistry();
  assertHostedProvider(provider, { registry });
  const definition = hostedDefinition(provider, registry);
  const hosted = definition.hosted;
  const params = validateHostedParams(provider, hosted.paramsSchema, request.params);
  const config = validateConnectorConfig(definition, hosted.toConfig(params));
  return definition.create(config, {
    fetch: createNangoProxyFetch(nangoContext, request.proxy),
    ...(request.logger !== undefined ? { logger: request.logger } : {}),
  });
}
