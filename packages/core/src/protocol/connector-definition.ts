import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { DiscoveredResource, DiscoveredWorkspace, DiscoveryResult } from '../discovery/discovery-types';
import type { JsonValue } from '../util/json-value';
import type { CommandRunner } from './command-runner';
import type { TrackerConnector } from './connector';
import type { HttpClient } from './http-client';
import type { Logger } from './logger';

/** Bumped only on a breaking change of the connector protocol; part of the global registry key. */
export const CONNECTOR_PROTOCOL_VERSION = 1 as const;

/** What a host may inject when it builds a connector. */
export interface ConnectorRuntime {
  /** Replaces global fetch (e.g. `createNangoProxyFetch(ctx)` for hosted mode). */
  fetch?: typeof globalThis.fetch;
  /** Required by local CLI connectors when a `LocalExecutionContext` is configured. */
  runner?: CommandRunner;
  logger?: Logger;
}

/** Extra inputs a discoverer may use (e.g. to log the original's "omitting personal workspace" warning). */
export interface DiscoveryContext {
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

export type ConnectorMode = 'hosted' | 'local' | 'direct';

export interface ConnectorDefinition<Config = unknown, Params = never> {
  /** Stable id, e.g. 'github'. */
  readonly id: string;
  readonly displayName: string;
  readonly protocolVersion: typeof CONNECTOR_PROTOCOL_VERSION;
  readonly packageName: string;
  readonly packageVersion: string;
  /** 'hosted' = reachable through the Nango proxy. */
  readonly mode: ConnectorMode;
  /** Validates user config; failures become `ConnectorConfigError` naming each bad field. */
  readonly configSchema: StandardSchemaV1<unknown, Config>;
  create(config: Config, runtime?: ConnectorRuntime): TrackerConnector;
  readonly hosted?: {
    readonly paramsSchema: StandardSchemaV1<unknown, Params>;
    toConfig(params: Params): Config;
    paramsFromConnectorParams(params: Readonly<Record<string, JsonValue>>): Params;
  };
  /**
   * Hosted discovery. `http` is routed through the Nango proxy and its `baseUrl` is the provider's
   * Nango proxy base (see `HOSTED_DISCOVERY_BASE_URLS`); use paths relative to it.
   */
  readonly discovery?: {
    /**
     * Vendor headers every hosted discovery request carries (`Accept`, API version …), the same
     * ones the direct connector sends; the Nango proxy forwards them as `Nango-Proxy-*`.
     */
    readonly headers?: Readonly<Record<string, string>>;
    workspaces(http: HttpClient, context?: DiscoveryContext): Promise<DiscoveryResult<DiscoveredWorkspace>>;
    resources(
      http: HttpClient,
      workspace: DiscoveredWorkspace,
      context?: DiscoveryContext,
    ): Promise<DiscoveryResult<DiscoveredResource>>;
  };
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds definitions of any config type.
export type AnyConnectorDefinition = ConnectorDefinition<any, any>;

/**
 * Connector ids → config input types. Connector packages augment it:
 * `declare module '@spec-kitty/core' { interface ConnectorTypes { github: GitHubConnectorConfigInput } }`
 * so `createConnector('github', {...})` checks the config.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging.
export interface ConnectorTypes {}

export type KnownConnectorId = Extract<keyof ConnectorTypes, string>;
export type ConnectorId = KnownConnectorId | (string & {});
export type ConnectorConfigInput<Id extends string> = Id extends KnownConnectorId
  ? ConnectorTypes[Id]
  : Record<string, unknown>;
