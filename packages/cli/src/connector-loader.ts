import {
  type AnyConnectorDefinition,
  ConnectorConfigError,
  createConnector,
  getConnectorDefinition,
  KNOWN_CONNECTOR_PACKAGES,
  listConnectorDefinitions,
  type TrackerConnector,
} from '@spec-kitty/core';
import type { TrackerConfig } from './cli-config';
import { redactSecrets, resolveCredentials } from './credentials';
import { UsageError } from './exit-codes';
import { bindingFor } from './provider-bindings';

/** The package that registers `provider`: the config's `connectorPackage`, else the known one. */
export function packageFor(provider: string, explicit?: string): string {
  const name = explicit ?? KNOWN_CONNECTOR_PACKAGES[provider];
  if (name === undefined) {
    throw new UsageError(
      `Unknown provider ${JSON.stringify(provider)}. Known providers: ${Object.keys(KNOWN_CONNECTOR_PACKAGES).join(', ')}; for a third-party connector set "connectorPackage" in the config.`,
    );
  }
  return name;
}

function isModuleNotFound(error: unknown, packageName: string): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    String((error as Error).message).includes(packageName)
  );
}

/** Imports the connector package (which registers the provider) and returns its definition. */
export async function loadConnectorDefinition(
  provider: string,
  explicitPackage?: string,
): Promise<AnyConnectorDefinition> {
  const packageName = packageFor(provider, explicitPackage);
  try {
    await import(packageName);
  } catch (error) {
    if (isModuleNotFound(error, packageName)) {
      throw new UsageError(
        `The ${provider} connector is not installed: cannot import ${packageName}. Install it next to the CLI (\`npm i ${packageName}\`).`,
      );
    }
    throw error;
  }
  try {
    return getConnectorDefinition(provider);
  } catch (error) {
    throw new UsageError(
      `${packageName} was imported but did not register a connector with id ${JSON.stringify(provider)}: ${(error as Error).message}`,
    );
  }
}

/** Which providers can be imported right now, with their definitions when they load. */
export async function discoverInstalledConnectors(): Promise<
  { id: string; packageName: string; definition: AnyConnectorDefinition | null; problem: string | null }[]
> {
  const rows = [];
  for (const [id, packageName] of Object.entries(KNOWN_CONNECTOR_PACKAGES)) {
    try {
      rows.push({ id, packageName, definition: await loadConnectorDefinition(id), problem: null });
    } catch (error) {
      rows.push({ id, packageName, definition: null, problem: (error as Error).message });
    }
  }
  for (const definition of listConnectorDefinitions()) {
    if (!rows.some((row) => row.id === definition.id)) {
      rows.push({ id: definition.id, packageName: definition.packageName, definition, problem: null });
    }
  }
  return rows;
}

/** Connector config for a run: stored settings plus credentials from the environment or flags. */
export function connectorConfigFor(
  config: TrackerConfig,
  credentialFlags: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { connectorConfig: Record<string, unknown>; secrets: string[] } {
  if (config.provider === undefined) {
    throw new UsageError(
      'No provider is bound. Run `spec-kitty-tracker bind --provider <id> --workspace <ws>` first.',
    );
  }
  const credentialEnv = { ...bindingFor(config.provider).credentialEnv, ...config.credentialEnv };
  const credentials = resolveCredentials(credentialEnv, credentialFlags, env);
  return { connectorConfig: { ...config.connector, ...credentials }, secrets: Object.values(credentials) };
}

/** Loads the bound provider's package and creates its connector. */
export async function createBoundConnector(
  config: TrackerConfig,
  credentialFlags: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<TrackerConnector> {
  const { connectorConfig, secrets } = connectorConfigFor(config, credentialFlags, env);
  const provider = config.provider as string;
  await loadConnectorDefinition(provider, config.connectorPackage);
  try {
    return createConnector(provider as never, connectorConfig as never);
  } catch (error) {
    if (ConnectorConfigError.isInstance(error)) {
      throw new UsageError(
        `The ${provider} connector rejected its config: ${redactSecrets((error as Error).message, secrets)}. Fix "connector" in the config file (bind --set key=value) or the credentials.`,
      );
    }
    throw error;
  }
}
