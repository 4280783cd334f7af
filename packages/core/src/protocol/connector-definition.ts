import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { DiscoveredResource, DiscoveredWorkspace, DiscoveryResult } from '../discovery/discovery-types';
import type { JsonValue } from '../util/json-value';
import type { ConnectorWebhooks } from '../webhooks/webhook-types';
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
  /** Where the connector logs (default: the console). */
  logger?: Logger;
}

/** Extra inputs a discoverer may use (e.g. to log the original's "omitting personal workspace" warning). */
export interface DiscoveryContext {
  /** Where the discoverer logs warnings. */
  readonly logger: Logger;
  /** Aborts the discovery. */
  readonly signal?: AbortSignal;
}

/** How a connector is reached: `hosted` = through the Nango proxy, `local` = a local CLI, `direct` = its own API client. */
export type ConnectorMode = 'hosted' | 'local' | 'direct';

/** What the CLI tells a connector's `cli.preflight` hook before a run. */
export interface ConnectorPreflightContext {
  /** The project directory (the config file's directory). */
  readonly projectDir: string;
  /** The provider the project is bound to (which may be another connector than the hook's own). */
  readonly provider: string;
  /** The operation about to run. */
  readonly operation: 'pull' | 'push' | 'sync';
  /** The environment the CLI runs with (for subprocesses the hook starts). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * What a preflight hook found: `ok` (nothing to say) or a warning the CLI prints before running.
 * A hook refuses the run by throwing a `SpecKittyTrackerError` whose message says how to fix it.
 */
export type ConnectorPreflightResult =
  | {
      /** Nothing to report. */
      readonly ok: true;
    }
  | {
      /** The check could not be made or found something worth a warning. */
      readonly ok: false;
      /** Printed by the CLI before the run. */
      readonly warning: string;
    };

/** How the CLI binds a project to this connector (`bind --workspace`, credentials, hints). */
export interface ConnectorCliBinding {
  /** Shown by `bind` when --workspace is missing or malformed, e.g. 'owner/repo'. */
  readonly workspaceHint: string;
  /** `bind --workspace <value>` → config fields; throws ConnectorConfigError naming the hint when malformed. */
  workspaceToConfig(workspace: string): Readonly<Record<string, JsonValue>>;
  /** Secret config key → default environment variable, e.g. { token: 'GITHUB_TOKEN' }. */
  readonly credentialEnv: Readonly<Record<string, string>>;
  /**
   * Runs before every CLI pull/push/sync of ANY bound provider while this connector is installed,
   * e.g. Beads refusing a push into a tracker its own `bd <tracker> sync` also writes.
   */
  preflight?(context: ConnectorPreflightContext): Promise<ConnectorPreflightResult>;
}

/** Hosted (Nango proxy) mode of a connector: params → config, plus the facts hosts and discovery need. */
export interface ConnectorHostedDefinition<Config = unknown, Params = never> {
  /** Validates the params a host passes to `createHostedConnector` (no credentials). */
  readonly paramsSchema: StandardSchemaV1<unknown, Params>;
  /** Params → connector config (credentials become `NANGO_MANAGED_TOKEN`). */
  toConfig(params: Params): Config;
  /** A discovered resource's `connectorParams` → params (the required keys are checked first). */
  paramsFromConnectorParams(params: Readonly<Record<string, JsonValue>>): Params;
  /** Keys `connectorParams` must carry, in the original's order, e.g. ['owner', 'repo']. */
  readonly requiredConnectorParams: readonly string[];
  /** Default Nango provider config key, e.g. 'github'. */
  readonly nangoProviderKey: string;
  /** Vendor base URL hosted discovery requests are rooted at, e.g. 'https://api.github.com'. */
  readonly discoveryBaseUrl: string;
}

/** Everything a host, the CLI and discovery know about one connector; build it with `defineConnector`. */
export interface ConnectorDefinition<Config = unknown, Params = never> {
  /** Stable id, e.g. 'github' (lower-case letters, digits, `_` and `-`). */
  readonly id: string;
  /** Human-readable name, e.g. 'GitHub'. */
  readonly displayName: string;
  /** Must be `CONNECTOR_PROTOCOL_VERSION` of the core it was built against. */
  readonly protocolVersion: typeof CONNECTOR_PROTOCOL_VERSION;
  /** npm package that provides it, e.g. '@spec-kitty/connector-github'. */
  readonly packageName: string;
  /** That package's version. */
  readonly packageVersion: string;
  /** 'hosted' = reachable through the Nango proxy. */
  readonly mode: ConnectorMode;
  /** Validates user config; failures become `ConnectorConfigError` naming each bad field. */
  readonly configSchema: StandardSchemaV1<unknown, Config>;
  /** Builds the connector from validated config. */
  create(config: Config, runtime?: ConnectorRuntime): TrackerConnector;
  /** Present when the connector can run through the Nango proxy; makes its id a hosted provider. */
  readonly hosted?: ConnectorHostedDefinition<Config, Params>;
  /** How the CLI binds a project to this connector; without it `bind` takes config from `--set` only. */
  readonly cli?: ConnectorCliBinding;
  /**
   * Webhook verification and parsing (live sync). Present only when the connector implements the
   * vendor's delivery scheme; a connector's `supportsWebhooks` capability says the same.
   */
  readonly webhooks?: ConnectorWebhooks;
  /**
   * Hosted discovery. `http` is routed through the Nango proxy and its `baseUrl` is
   * `hosted.discoveryBaseUrl` (or the host's `baseUrl` option); use paths relative to it.
   */
  readonly discovery?: {
    /**
     * Base URL discovery requests are rooted at when the connector has no `hosted` block (its
     * `hosted.discoveryBaseUrl` wins otherwise); a host's `baseUrl` option overrides both.
     */
    readonly baseUrl?: string;
    /**
     * Vendor headers every hosted discovery request carries (`Accept`, API version …), the same
     * ones the direct connector sends; the Nango proxy forwards them as `Nango-Proxy-*`.
     */
    readonly headers?: Readonly<Record<string, string>>;
    /** Lists the workspaces (orgs, groups, sites) the connection can see. */
    workspaces(http: HttpClient, context?: DiscoveryContext): Promise<DiscoveryResult<DiscoveredWorkspace>>;
    /** Lists the resources (repos, projects, teams) inside one workspace. */
    resources(
      http: HttpClient,
      workspace: DiscoveredWorkspace,
      context?: DiscoveryContext,
    ): Promise<DiscoveryResult<DiscoveredResource>>;
  };
}

/** A definition of any config and params type, as a registry holds them. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds definitions of any config type.
export type AnyConnectorDefinition = ConnectorDefinition<any, any>;

/**
 * Connector ids → config input types. Connector packages augment it:
 * `declare module '@spec-kitty/core' { interface ConnectorTypes { github: GitHubConnectorConfigInput } }`
 * so `createConnector('github', {...})` checks the config.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging.
export interface ConnectorTypes {}

/** Ids of the connectors whose packages augment `ConnectorTypes`. */
export type KnownConnectorId = Extract<keyof ConnectorTypes, string>;
/** A connector id: a known one (typed config) or any other string. */
export type ConnectorId = KnownConnectorId | (string & {});
/** The config input type of connector `Id` (a plain record for unknown ids). */
export type ConnectorConfigInput<Id extends string> = Id extends KnownConnectorId
  ? ConnectorTypes[Id]
  : Record<string, unknown>;
