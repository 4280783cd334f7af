// `defineConnector`: the one way a connector package (first- or third-party) declares itself.
// It checks the object once, at import time of the connector package, so a malformed
// definition fails where it is written instead of deep inside the CLI or a hosted run.
import { ConnectorConfigError } from '../errors/errors';
import { CONNECTOR_PROTOCOL_VERSION, type ConnectorDefinition } from './connector-definition';

const ID_PATTERN = /^[a-z][a-z0-9_-]*$/;
// npm package names: optional @scope/, lower-case, URL-safe.
const PACKAGE_NAME_PATTERN = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const VERSION_PATTERN = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/;
const MODES = new Set(['hosted', 'local', 'direct']);

function fail(label: string, problem: string): never {
  throw new ConnectorConfigError(`Invalid connector definition ${label}: ${problem}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSchema(value: unknown): boolean {
  return (
    isRecord(value) &&
    isRecord(value['~standard']) &&
    typeof (value['~standard'] as { validate?: unknown }).validate === 'function'
  );
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function checkIdentity(definition: Record<string, unknown>, label: string): void {
  if (typeof definition.id !== 'string' || !ID_PATTERN.test(definition.id))
    fail(label, 'id must be a lower-case slug (letters, digits, "_" or "-", starting with a letter)');
  if (!nonEmptyString(definition.displayName)) fail(label, 'displayName must be a non-empty string');
  if (definition.protocolVersion !== CONNECTOR_PROTOCOL_VERSION)
    fail(
      label,
      `protocolVersion must be ${CONNECTOR_PROTOCOL_VERSION} (CONNECTOR_PROTOCOL_VERSION of this @spec-kitty/core), got ${JSON.stringify(definition.protocolVersion)}`,
    );
  if (typeof definition.packageName !== 'string' || !PACKAGE_NAME_PATTERN.test(definition.packageName))
    fail(label, 'packageName must be the npm package name, e.g. "@acme/tracker-connector"');
  if (typeof definition.packageVersion !== 'string' || !VERSION_PATTERN.test(definition.packageVersion))
    fail(label, 'packageVersion must be a semver version, e.g. "1.2.3"');
  if (typeof definition.mode !== 'string' || !MODES.has(definition.mode))
    fail(label, 'mode must be "hosted", "local" or "direct"');
  if (!isSchema(definition.configSchema))
    fail(label, 'configSchema must be a Standard Schema (e.g. a valibot schema)');
  if (typeof definition.create !== 'function') fail(label, 'create must be a function');
}

function checkHosted(hosted: unknown, label: string): void {
  if (hosted === undefined) return;
  if (!isRecord(hosted)) fail(label, 'hosted must be an object');
  if (!isSchema(hosted.paramsSchema)) fail(label, 'hosted.paramsSchema must be a Standard Schema');
  if (typeof hosted.toConfig !== 'function') fail(label, 'hosted.toConfig must be a function');
  if (typeof hosted.paramsFromConnectorParams !== 'function')
    fail(label, 'hosted.paramsFromConnectorParams must be a function');
  const required = hosted.requiredConnectorParams;
  if (!Array.isArray(required) || !required.every(nonEmptyString))
    fail(label, 'hosted.requiredConnectorParams must be an array of key names, e.g. ["owner", "repo"]');
  if (!nonEmptyString(hosted.nangoProviderKey))
    fail(label, 'hosted.nangoProviderKey must be the Nango provider config key, e.g. "github"');
  if (typeof hosted.discoveryBaseUrl !== 'string' || !URL.canParse(hosted.discoveryBaseUrl))
    fail(label, 'hosted.discoveryBaseUrl must be an absolute URL, e.g. "https://api.github.com"');
}

function checkCli(cli: unknown, label: string): void {
  if (cli === undefined) return;
  if (!isRecord(cli)) fail(label, 'cli must be an object');
  if (!nonEmptyString(cli.workspaceHint)) fail(label, 'cli.workspaceHint must be a non-empty string');
  if (typeof cli.workspaceToConfig !== 'function') fail(label, 'cli.workspaceToConfig must be a function');
  const env = cli.credentialEnv;
  if (!isRecord(env) || !Object.values(env).every(nonEmptyString))
    fail(label, 'cli.credentialEnv must map secret config keys to environment variable names');
  if (cli.preflight !== undefined && typeof cli.preflight !== 'function')
    fail(label, 'cli.preflight must be a function when present');
}

function checkDiscovery(discovery: unknown, label: string): void {
  if (discovery === undefined) return;
  if (!isRecord(discovery)) fail(label, 'discovery must be an object');
  if (typeof discovery.workspaces !== 'function' || typeof discovery.resources !== 'function')
    fail(label, 'discovery must have workspaces() and resources() functions');
}

function checkWebhooks(webhooks: unknown, label: string): void {
  if (webhooks === undefined) return;
  if (!isRecord(webhooks)) fail(label, 'webhooks must be an object');
  if (typeof webhooks.verify !== 'function' || typeof webhooks.parse !== 'function')
    fail(label, 'webhooks must have verify() and parse() functions');
  if (!nonEmptyString(webhooks.scheme))
    fail(
      label,
      'webhooks.scheme must name how deliveries are authenticated, e.g. "X-Hub-Signature-256 HMAC-SHA256"',
    );
}

/**
 * Declares a connector: checks the definition (id slug, protocol version, package name and
 * version, config schema, a complete `hosted`, `cli` and `webhooks` block when present) and returns it frozen.
 * Throws `ConnectorConfigError` naming the connector and the bad field.
 *
 * @example
 * export const acmeConnectorDefinition = defineConnector({ id: 'acme', ... });
 * registerConnector(acmeConnectorDefinition);
 */
export function defineConnector<Config, Params = never>(
  definition: ConnectorDefinition<Config, Params>,
): ConnectorDefinition<Config, Params> {
  const raw = definition as unknown;
  if (!isRecord(raw)) throw new ConnectorConfigError('Invalid connector definition: expected an object');
  const label = typeof raw.id === 'string' ? JSON.stringify(raw.id) : '(without id)';
  checkIdentity(raw, label);
  checkHosted(raw.hosted, label);
  checkCli(raw.cli, label);
  checkDiscovery(raw.discovery, label);
  checkWebhooks(raw.webhooks, label);
  const { hosted, cli, discovery } = definition;
  return Object.freeze({
    ...definition,
    ...(hosted !== undefined
      ? {
          hosted: Object.freeze({
            ...hosted,
            requiredConnectorParams: Object.freeze([...hosted.requiredConnectorParams]),
          }),
        }
      : {}),
    ...(cli !== undefined
      ? { cli: Object.freeze({ ...cli, credentialEnv: Object.freeze({ ...cli.credentialEnv }) }) }
      : {}),
    ...(discovery !== undefined ? { discovery: Object.freeze({ ...discovery }) } : {}),
  });
}
