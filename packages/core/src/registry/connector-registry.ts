import { ConnectorConfigError } from '../errors/errors';
import type { TrackerConnector } from '../protocol/connector';
import { compareCodePoints, pyStrip } from '../util/python-text';

/** The original's `ConnectorRegistry` (instances of connectors, keyed by lower-cased name), renamed so `ConnectorRegistry` names the definition registry `createConnectorRegistry` returns. */
export class ConnectorInstanceRegistry {
  readonly #connectors = new Map<string, TrackerConnector>();

  /** Registers by stripped, lower-cased name; replaces silently. */
  register(connector: TrackerConnector): void {
    const key = pyStrip(connector.name).toLowerCase();
    if (key === '') throw new ConnectorConfigError('Connector name must not be empty');
    this.#connectors.set(key, connector);
  }

  /** Removes `name` (lower-cased); missing names are ignored. */
  unregister(name: string): void {
    this.#connectors.delete(name.toLowerCase());
  }

  /** The connector named `name` (lower-cased); throws `Connector not registered: <name>`. */
  get(name: string): TrackerConnector {
    const connector = this.#connectors.get(name.toLowerCase());
    if (connector === undefined) throw new ConnectorConfigError(`Connector not registered: ${name}`);
    return connector;
  }

  /** Registered names, sorted. */
  listNames(): string[] {
    return [...this.#connectors.keys()].sort(compareCodePoints);
  }

  /** Registered connectors, in insertion order. */
  connectors(): TrackerConnector[] {
    return [...this.#connectors.values()];
  }
}
