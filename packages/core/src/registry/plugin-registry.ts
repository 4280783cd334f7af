import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ConnectorConfigError } from '../errors/errors';
import type { TrackerConnector } from '../protocol/connector';
import {
  type AnyConnectorDefinition,
  CONNECTOR_PROTOCOL_VERSION,
  type ConnectorConfigInput,
  type ConnectorId,
  type ConnectorRuntime,
} from '../protocol/connector-definition';
import { consoleLogger, type Logger } from '../protocol/logger';
import { compareCodePoints } from '../util/python-text';
import { KNOWN_CONNECTOR_PACKAGES } from './known-connectors';
import { parseConnectorConfig } from './parse-connector-config';

/** Options of `register` / `registerConnector`. */
export interface RegisterOptions {
  /** Replace an existing definition with the same id instead of keeping the first. */
  override?: boolean;
}

/** A set of connector definitions. The global one lives on `globalThis`; hosts and tests may make their own. */
export interface ConnectorRegistry {
  /** Adds a definition; never throws (warns and returns false on a protocol mismatch or id clash). */
  register(definition: AnyConnectorDefinition, options?: RegisterOptions): boolean;
  /** The definition of `id`; throws ConnectorConfigError naming the package to install when missing. */
  get(id: string): AnyConnectorDefinition;
  /** Whether `id` is registered. */
  has(id: string): boolean;
  /** Every definition, sorted by id. */
  list(): AnyConnectorDefinition[];
  /** Validates `config` with the definition's schema and builds the connector. */
  create<Id extends ConnectorId>(
    id: Id,
    config: ConnectorConfigInput<Id>,
    runtime?: ConnectorRuntime,
  ): TrackerConnector;
}

/** @deprecated Renamed `ConnectorRegistry`. */
export type PluginRegistry = ConnectorRegistry;

function describeDefinition(definition: AnyConnectorDefinition): string {
  return `${definition.packageName}@${definition.packageVersion}`;
}

/** Validates `config` with the definition's schema; every problem names its field (see `parseConnectorConfig`). */
export function validateConnectorConfig<Config>(
  definition: { id: string; configSchema: StandardSchemaV1<unknown, Config> },
  config: unknown,
): Config {
  return parseConnectorConfig(definition.id, definition.configSchema, config);
}

function missingConnectorError(id: string, registered: string[]): ConnectorConfigError {
  const packageName = KNOWN_CONNECTOR_PACKAGES[id];
  const hint = packageName
    ? `Install and import its package: \`npm install ${packageName}\`, then \`import '${packageName}'\` before use.`
    : 'Import the package that provides it before use (third-party connectors register on import).';
  const list = registered.length > 0 ? registered.join(', ') : 'none';
  return new ConnectorConfigError(
    `Connector "${id}" is not registered. ${hint} Registered connectors: ${list}.`,
  );
}

export function createPluginRegistry(logger: Logger = consoleLogger): ConnectorRegistry {
  const definitions = new Map<string, AnyConnectorDefinition>();
  const registry: ConnectorRegistry = {
    register(definition, options = {}) {
      // Never throw: registration runs at import time, and a throw there breaks the host's import graph.
      if (definition.protocolVersion !== CONNECTOR_PROTOCOL_VERSION) {
        logger.warn(
          `connector "${definition.id}" from ${describeDefinition(definition)} speaks protocol v${String(definition.protocolVersion)}, ` +
            `this core speaks v${CONNECTOR_PROTOCOL_VERSION}; not registered. Upgrade the connector or @spec-kitty/core so they match.`,
        );
        return false;
      }
      const existing = definitions.get(definition.id);
      if (existing && !options.override) {
        if (existing === definition) return true;
        if (
          existing.packageName === definition.packageName &&
          existing.packageVersion === definition.packageVersion
        )
          return true;
        logger.warn(
          `connector "${definition.id}" is already registered by ${describeDefinition(existing)}; ` +
            `ignoring ${describeDefinition(definition)}. Remove one of them, or register with { override: true }.`,
        );
        return false;
      }
      definitions.set(definition.id, definition);
      return true;
    },
    get(id) {
      const definition = definitions.get(id);
      if (definition === undefined)
        throw missingConnectorError(id, [...definitions.keys()].sort(compareCodePoints));
      return definition;
    },
    has(id) {
      return definitions.has(id);
    },
    list() {
      return [...definitions.values()].sort((left, right) => compareCodePoints(left.id, right.id));
    },
    create(id, config, runtime) {
      const definition = registry.get(id);
      return definition.create(validateConnectorConfig(definition, config), runtime);
    },
  };
  return registry;
}

const GLOBAL_SLOT = Symbol.for(`spec-kitty.connectors.v${CONNECTOR_PROTOCOL_VERSION}`);

/** The process-wide registry, created lazily so importing core has no side effects. */
export function globalConnectorRegistry(): ConnectorRegistry {
  const holder = globalThis as { [GLOBAL_SLOT]?: ConnectorRegistry };
  holder[GLOBAL_SLOT] ??= createPluginRegistry();
  return holder[GLOBAL_SLOT];
}

/** Registers a connector definition globally; idempotent, warns and keeps the first on conflict. */
export function registerConnector(definition: AnyConnectorDefinition, options?: RegisterOptions): boolean {
  return globalConnectorRegistry().register(definition, options);
}

/** The globally registered definition of `id` (throws naming the package to install when missing). */
export function getConnectorDefinition(id: ConnectorId): AnyConnectorDefinition {
  return globalConnectorRegistry().get(id);
}

/** Every globally registered definition, sorted by id. */
export function listConnectorDefinitions(): AnyConnectorDefinition[] {
  return globalConnectorRegistry().list();
}

/** Builds connector `id` from the global registry, validating `config` with its schema. */
export function createConnector<Id extends ConnectorId>(
  id: Id,
  config: ConnectorConfigInput<Id>,
  runtime?: ConnectorRuntime,
): TrackerConnector {
  return globalConnectorRegistry().create(id, config, runtime);
}

/** An explicit registry for tests and multi-tenant hosts, independent of the global one. */
export function createConnectorRegistry(options?: { logger?: Logger }): ConnectorRegistry {
  return createPluginRegistry(options?.logger);
}
