import type { AnyConnectorDefinition, ConnectorWebhooks } from '@spec-kitty/core';
import type { LoadedConfig } from './cli-config';
import { UsageError } from './exit-codes';
import { webhookWorkspaceOf } from './webhook-workspace';

/** Prefix of the environment variable holding a binding's webhook secret. */
export const WEBHOOK_SECRET_ENV_PREFIX = 'SPEC_KITTY_WEBHOOK_SECRET_';

/** The variable holding binding `name`'s webhook secret: `SPEC_KITTY_WEBHOOK_SECRET_<NAME>` (upper case, `_` for other characters). */
export function webhookSecretEnv(name: string): string {
  return `${WEBHOOK_SECRET_ENV_PREFIX}${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** What `serve` needs to accept a binding's deliveries (no tracker credentials). */
export interface ServedBinding {
  /** The URL segment and inbox binding, e.g. `github`. */
  readonly name: string;
  readonly provider: string;
  readonly webhooks: ConnectorWebhooks;
  readonly workspace: string | undefined;
  readonly secretEnv: string;
  readonly secret: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function checkBindingName(name: string): void {
  if (!NAME.test(name))
    throw new UsageError(
      `serve: a binding name must be letters, digits, ".", "_" or "-" (it is a URL path segment), got ${JSON.stringify(name)}.`,
    );
}

/**
 * The project's binding as `serve` accepts it: named `name` (default: the provider id), with the
 * provider's webhooks and the secret from its variable. Refuses, saying what to do, a provider
 * without webhook support and a missing secret.
 */
export function servedBinding(
  loaded: LoadedConfig,
  definition: AnyConnectorDefinition,
  name: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ServedBinding {
  const { config } = loaded;
  const provider = definition.id;
  const bindingName = name ?? provider;
  checkBindingName(bindingName);
  if (definition.webhooks === undefined)
    throw new UsageError(
      `serve: the ${provider} connector has no webhook support (its definition provides no \`webhooks\`), so its deliveries cannot be verified. Keep it in sync with \`spec-kitty-tracker sync\` on a schedule instead.`,
    );
  const secretEnv = webhookSecretEnv(bindingName);
  const secret = env[secretEnv];
  if (secret === undefined || secret.trim() === '')
    throw new UsageError(
      `serve: binding "${bindingName}" has no webhook secret. Set ${secretEnv} to the secret configured on the ${provider} webhook (see docs/guides/live-sync.md); unsigned deliveries are never accepted.`,
    );
  return {
    name: bindingName,
    provider,
    webhooks: definition.webhooks,
    workspace: webhookWorkspaceOf(config),
    secretEnv,
    secret,
  };
}

/** One `--binding` flag: `NAME` (the project's binding) or `NAME=CONFIG` (another project's config file). */
export interface BindingRequest {
  readonly name: string;
  readonly configPath: string | undefined;
}

export function parseBindingFlag(text: string): BindingRequest {
  const at = text.indexOf('=');
  const name = at < 0 ? text : text.slice(0, at);
  const configPath = at < 0 ? undefined : text.slice(at + 1);
  if (name === '' || configPath === '')
    throw new UsageError(
      `serve: --binding takes NAME or NAME=CONFIG (a tracker.json path), got ${JSON.stringify(text)}.`,
    );
  checkBindingName(name);
  return { name, configPath };
}

/** The name a project's binding is served under when `--binding` does not name it: its provider id. */
export function defaultBindingName(loaded: LoadedConfig): string {
  const provider = loaded.config.provider;
  if (provider === undefined)
    throw new UsageError(
      `serve: the config at ${loaded.path} binds no provider. Run \`spec-kitty-tracker bind --provider <id> --workspace <ws>\` and a first \`pull\`, then serve.`,
    );
  return provider;
}

/**
 * Checks that `NAME` (without `=CONFIG`) is the project's binding: a project has one binding,
 * served under its provider id. Anything else is a typo or a binding of another project.
 */
export function checkKnownBinding(request: BindingRequest, loaded: LoadedConfig): void {
  const known = defaultBindingName(loaded);
  if (request.configPath !== undefined || request.name === known) return;
  throw new UsageError(
    `serve: unknown binding "${request.name}": the project at ${loaded.path} binds ${known}, served as --binding ${known}. To serve another project's tracker under that name, give its config: --binding ${request.name}=path/to/.spec-kitty/tracker.json.`,
  );
}
