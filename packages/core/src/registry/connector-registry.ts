import { ConnectorConfigError } from '../errors/errors';
import type { TrackerConnector } from '../protocol/connector';
import { compareCodePoints, pyStrip } from '../util/python-text';

/** The original's `ConnectorRegistry` (instances of connectors, keyed by lower-cased name), renamed so `ConnectorRegistry` names the definition registry `createConnectorRegistry` returns. */
export class ConnectorInstanceRegistry {
  readonly #connectors = new Map<string, TrackerConnector>();

  register(connector: TrackerConnector): void {
    const key = pyStrip(connector.name).toLowerCase();
    if (key === '') throw new ConnectorConfigError('Connector name must not be empty');
    this.#connectors.set(key, connector);
  }

  unregister(name: string): void {
    this.#connectors.delete(name.toLowerCase());
  }

  get(name: string): TrackerConnector {
    const connector = this.#connectors.get(name.toLowerCase());
    if (connector === undefined) throw new ConnectorConfigError(`Connector not registered: ${name}`);
    return connector;
  }

  listNames(): string[] {
    return [...this.#connectors.keys()].sort(compareCodePoints);
  }

  connectors(): TrackerConnector[] {
    return [...this.#connectors.values()];
  }
}
