import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AnyConnectorDefinition,
  ConnectorConfigError,
  type ConnectorPreflightContext,
  createConnector,
  getConnectorDefinition,
  KNOWN_CONNECTOR_PACKAGES,
  listConnectorDefinitions,
  type TrackerConnector,
} from '@spec-kitty/core';
import type { TrackerConfig } from './cli-config';
import { CONNECTOR_KEYWORD, findKeywordPackages, importTarget } from './connector-packages';
import { redactSecrets, resolveCredentials } from './credentials';
import { UsageError } from './exit-codes';

/**
 * Directories whose node_modules (and their parents') are searched for connector packages before
 * the CLI's own folder: the project directory, then the working directory.
 */
export type ConnectorSearch = readonly string[];

function isModuleNotFound(error: unknown, packageName: string): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    String((error as Error).message).includes(packageName)
  );
}

function unknownProviderError(provider: string): UsageError {
  return new UsageError(
    `Unknown provider ${JSON.stringify(provider)}. Known providers: ${Object.keys(KNOWN_CONNECTOR_PACKAGES).join(', ')}; no package installed in the project registers it. ` +
      `For a third-party connector, install its package in the project (its package.json carries the "${CONNECTOR_KEYWORD}" keyword) or name it with --connector-package <name>.`,
  );
}

/** Imports a connector package (which registers its connectors), the project's copy first. */
async function importConnectorPackage(
  provider: string,
  packageName: string,
  search: ConnectorSearch,
): Promise<void> {
  try {
    await import(importTarget(packageName, search));
  } catch (error) {
    if (isModuleNotFound(error, packageName)) {
      throw new UsageError(
        `The ${provider} connector is not installed: cannot import ${packageName}. Install it in the project (\`npm i ${packageName}\`) or next to the CLI.`,
      );
    }
    throw error;
  }
}

/** Imports the project's keyword-tagged connector packages until one registers `provider`; its name, or null. */
export async function findPackageRegistering(
  provider: string,
  search: ConnectorSearch,
): Promise<string | null> {
  for (const candidate of findKeywordPackages(search)) {
    try {
      await import(candidate.entryUrl);
    } catch {
      continue; // A broken package cannot be the one; `discover` reports why.
    }
    if (listConnectorDefinitions().some((definition) => definition.id === provider)) return candidate.name;
  }
  return null;
}

/**
 * The package that registers `provider`: `explicit` (the config's `connectorPackage` or
 * --connector-package), else the first-party one, else an installed package carrying the
 * connector keyword that registers it.
 */
export async function packageFor(
  provider: string,
  explicit: string | undefined,
  search: ConnectorSearch,
): Promise<string> {
  const name =
    explicit ?? KNOWN_CONNECTOR_PACKAGES[provider] ?? (await findPackageRegistering(provider, search));
  if (name === null) throw unknownProviderError(provider);
  return name;
}

/** Imports the connector package (which registers the provider) and returns its definition. */
export async function loadConnectorDefinition(
  provider: string,
  explicitPackage: string | undefined,
  search: ConnectorSearch,
): Promise<AnyConnectorDefinition> {
  const packageName = await packageFor(provider, explicitPackage, search);
  await importConnectorPackage(provider, packageName, search);
  try {
    return getConnectorDefinition(provider);
  } catch (error) {
    throw new UsageError(
      `${packageName} was imported but did not register a connector with id ${JSON.stringify(provider)}: ${(error as Error).message}`,
    );
  }
}

/** One row of `discover`: a connector package and, when it loads, the definition it registers. */
export interface InstalledConnector {
  id: string;
  packageName: string;
  definition: AnyConnectorDefinition | null;
  problem: string | null;
}

/** The first-party connectors and every keyword-tagged package installed in the project, loaded. */
export async function discoverInstalledConnectors(search: ConnectorSearch): Promise<InstalledConnector[]> {
  const rows: InstalledConnector[] = [];
  for (const [id, packageName] of Object.entries(KNOWN_CONNECTOR_PACKAGES)) {
    try {
      rows.push({
        id,
        packageName,
        definition: await loadConnectorDefinition(id, packageName, search),
        problem: null,
      });
    } catch (error) {
      rows.push({ id, packageName, definition: null, problem: (error as Error).message });
    }
  }
  for (const candidate of findKeywordPackages(search)) {
    if (rows.some((row) => row.packageName === candidate.name)) continue;
    try {
      await import(candidate.entryUrl);
    } catch (error) {
      rows.push({
        id: '?',
        packageName: candidate.name,
        definition: null,
        problem: (error as Error).message,
      });
    }
  }
  for (const definition of listConnectorDefinitions()) {
    if (!rows.some((row) => row.id === definition.id)) {
      rows.push({ id: definition.id, packageName: definition.packageName, definition, problem: null });
    }
  }
  return rows;
}

/**
 * The first-party connectors whose definition declares a `cli.preflight` hook, each with a cheap
 * test of whether its hook can say anything about a run (when it cannot, the connector is not
 * imported). A run imports these and the third-party connector packages installed in the project
 * (whose hooks cannot be known without importing them), not every first-party connector: a sync
 * of one provider loads that provider's connector alone. Tests check this table against the
 * definitions and their hooks.
 */
export const FIRST_PARTY_PREFLIGHTS: Readonly<
  Record<string, (context: ConnectorPreflightContext) => boolean>
> = {
  // Beads checks pushes into another tracker from a project with a `.beads` workspace.
  beads: (context) =>
    context.operation !== 'pull' &&
    context.provider !== 'beads' &&
    existsSync(join(context.projectDir, '.beads')),
};

/** The definitions whose `cli.preflight` hooks may run: the first-party ones that apply, then every other registered one. */
async function preflightDefinitions(
  context: ConnectorPreflightContext,
  search: ConnectorSearch,
): Promise<AnyConnectorDefinition[]> {
  const definitions: AnyConnectorDefinition[] = [];
  for (const [id, applies] of Object.entries(FIRST_PARTY_PREFLIGHTS)) {
    if (!applies(context)) continue;
    try {
      definitions.push(await loadConnectorDefinition(id, KNOWN_CONNECTOR_PACKAGES[id], search));
    } catch {
      // Not installed or broken: it has no hook to run (`discover` reports why).
    }
  }
  const firstParty = new Set(Object.values(KNOWN_CONNECTOR_PACKAGES));
  for (const candidate of findKeywordPackages(search)) {
    if (firstParty.has(candidate.name)) continue;
    try {
      await import(candidate.entryUrl);
    } catch {
      // A broken package cannot run a hook; `discover` reports why.
    }
  }
  for (const definition of listConnectorDefinitions()) {
    if (!definitions.includes(definition)) definitions.push(definition);
  }
  return definitions;
}

/**
 * Runs the `cli.preflight` hook of every installed connector that has one before a run of the
 * bound provider (e.g. Beads refusing a push into a tracker its own bd sync writes). Returns their
 * warnings; a hook refuses the run by throwing.
 */
export async function runPreflights(
  context: ConnectorPreflightContext,
  search: ConnectorSearch,
): Promise<string[]> {
  const warnings: string[] = [];
  for (const definition of await preflightDefinitions(context, search)) {
    const preflight = definition.cli?.preflight;
    if (preflight === undefined) continue;
    const result = await preflight(context);
    if (!result.ok) warnings.push(result.warning);
  }
  return warnings;
}

/** Secret config key → environment variable: the definition's defaults, then the config's own. */
export function credentialEnvFor(
  definition: AnyConnectorDefinition | null,
  config: TrackerConfig,
): Record<string, string> {
  return { ...(definition?.cli?.credentialEnv ?? {}), ...config.credentialEnv };
}

/** Connector config for a run: stored settings plus credentials from the environment or flags. */
export function connectorConfigFor(
  config: TrackerConfig,
  definition: AnyConnectorDefinition,
  credentialFlags: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { connectorConfig: Record<string, unknown>; secrets: string[] } {
  const credentials = resolveCredentials(credentialEnvFor(definition, config), credentialFlags, env);
  return { connectorConfig: { ...config.connector, ...credentials }, secrets: Object.values(credentials) };
}

/** Loads the bound provider's package and creates its connector. */
export async function createBoundConnector(
  config: TrackerConfig,
  credentialFlags: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  search: ConnectorSearch,
): Promise<TrackerConnector> {
  if (config.provider === undefined) {
    throw new UsageError(
      'No provider is bound. Run `spec-kitty-tracker bind --provider <id> --workspace <ws>` first.',
    );
  }
  const provider = config.provider;
  const definition = await loadConnectorDefinition(provider, config.connectorPackage, search);
  const { connectorConfig, secrets } = connectorConfigFor(config, definition, credentialFlags, env);
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

/** The search path for a project: its directory, then the working directory. */
export function connectorSearch(projectDir: string, cwd: string): ConnectorSearch {
  return projectDir === cwd ? [projectDir] : [projectDir, cwd];
}

/** The bound provider's default credential variables, or none when its package does not load. */
export async function defaultCredentialEnv(
  config: TrackerConfig,
  search: ConnectorSearch,
): Promise<Record<string, string>> {
  if (config.provider === undefined) return {};
  const definition = await loadConnectorDefinition(config.provider, config.connectorPackage, search).catch(
    () => null,
  );
  return { ...(definition?.cli?.credentialEnv ?? {}) };
}
