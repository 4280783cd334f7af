import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ConnectorConfigError } from '../errors/errors';
import { formatIssuePath } from '../http/schema-path';
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

export interface RegisterOptions {
  /** Replace an existing definition with the same id instead of keeping the first. */
  override?: boolean;
}

/** A set of connector definitions. The global one lives on `globalThis`; hosts and tests may make their own. */
export interface PluginRegistry {
  register(definition: AnyConnectorDefinition, options?: RegisterOptions): boolean;
  get(id: string): AnyConnectorDefinition;
  has(id: string): boolean;
  list(): AnyConnectorDefinition[];
  create<Id extends ConnectorId>(
    id: Id,
    config: ConnectorConfigInput<Id>,
    runtime?: ConnectorRuntime,
  ): TrackerConnector;
}

function describeDefinition(definition: AnyConnectorDefinition): string {
  return `${definition.packageName}@${definition.packageVersion}`;
}

/** Validates `config` with the definition's schema; every problem names its field. */
export function validateConnectorConfig<Config>(
  definition: { id: string; configSchema: StandardSchemaV1<unknown, Config> },
  config: unknown,
): Config {
  const result = definition.configSchema['~standard'].validate(config);
  if (result instanceof Promise) {
    throw new ConnectorConfigError(
      `Connector "${definition.id}" has an async config schema; config schemas must be synchronous.`,
    );
  }
  if (result.issues) {
    const details = result.issues.map((issue) => `${formatIssuePath(issue)}: ${issue.message}`).join('; ');
    throw new ConnectorConfigError(`Invalid config for connector "${definition.id}": ${details}`);
  }
  return result.value;
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

export function createPluginRegistry(logger: Logger = consoleLogger): PluginRegistry {
  const definitions = new Map<string, AnyConnectorDefinition>();
  const registry: PluginRegistry = {
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
export function globalConnectorRegistry(): PluginRegistry {
  const holder = globalThis as { [GLOBAL_SLOT]?: PluginRegistry };
  holder[GLOBAL_SLOT] ??= createPluginRegistry();
  return holder[GLOBAL_SLOT];
}

/** Registers a connector definition globally; idempotent, warns and keeps the first on conflict. */
export function registerConnector(definition: AnyConnectorDefinition, options?: RegisterOptions): boolean {
  return globalConnectorRegistry().register(definition, options);
}

export function getConnectorDefinition(id: ConnectorId): AnyConnectorDefinition {
  return globalConnectorRegistry().get(id);
}

export function listConnectorDefinitions(): AnyConnectorDefinition[] {
  return globalConnectorRegistry().list();
}

export function createConnector<Id extends ConnectorId>(
  id: Id,
  config: ConnectorConfigInput<Id>,
  runtime?: ConnectorRuntime,
): TrackerConnector {
  return globalConnectorRegistry().create(id, config, runtime);
}

/** An explicit registry for tests and multi-tenant hosts, independent of the global one. */
export function createConnectorRegistry(options?: { logger?: Logger }): PluginRegistry {
  return createPluginRegistry(options?.logger);
}
