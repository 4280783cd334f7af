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
  if (!NAME.test(bindingName))
    throw new UsageError(
      `serve: --binding must be letters, digits, ".", "_" or "-" (it is a URL path segment), got ${JSON.stringify(bindingName)}.`,
    );
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
