// Who we are to Nango: one end-user connection of one integration, plus the account secret.
import { ModelValidationError } from '../errors/errors';
import { pyStrip } from '../util/python-text';

/**
 * Placed in every credential field of a hosted connector config. It passes the connectors'
 * non-empty checks; the real credential is the Nango secret the proxy fetch injects, and the
 * proxy fetch removes the provider auth headers built from this placeholder.
 */
export const NANGO_MANAGED_TOKEN = 'nango-managed';

/** Nango Cloud's API base URL, the default `nangoBaseUrl`. */
export const DEFAULT_NANGO_BASE_URL = 'https://api.nango.dev';

/** One Nango connection: what every proxied request names. Build it with `createNangoConnectionContext`. */
export interface NangoConnectionContext {
  /** The Nango connection id. */
  readonly connectionId: string;
  /** The Nango provider config key (integration id), e.g. `github`. */
  readonly providerConfigKey: string;
  /**
   * The Nango secret key. Non-enumerable, so logging or JSON-serialising a context does not
   * print it (and spreading a context drops it: build a new one with the factory instead).
   */
  readonly nangoSecretKey: string;
  /** Without a trailing slash. */
  readonly nangoBaseUrl: string;
}

/** What `createNangoConnectionContext` takes. */
export interface NangoConnectionContextInit {
  /** The Nango connection id (non-empty). */
  connectionId: string;
  /** The Nango provider config key (non-empty). */
  providerConfigKey: string;
  /** The Nango secret key (non-empty); sent as the proxy bearer token, never logged. */
  nangoSecretKey: string;
  /** Default `https://api.nango.dev`; self-hosted Nango uses its own URL. Not validated (as the original). */
  nangoBaseUrl?: string;
}

function requireNonEmpty(value: unknown, originalFieldName: string): string {
  // Messages use the original's snake_case field names: they are part of the public contract.
  if (typeof value !== 'string' || pyStrip(value) === '') {
    throw new ModelValidationError(`${originalFieldName} must be non-empty`);
  }
  return value;
}

/** Validates like the original (connection_id, provider_config_key, nango_secret_key, in that order). */
export function createNangoConnectionContext(init: NangoConnectionContextInit): NangoConnectionContext {
  const connectionId = requireNonEmpty(init.connectionId, 'connection_id');
  const providerConfigKey = requireNonEmpty(init.providerConfigKey, 'provider_config_key');
  const nangoSecretKey = requireNonEmpty(init.nangoSecretKey, 'nango_secret_key');
  const nangoBaseUrl = (init.nangoBaseUrl ?? DEFAULT_NANGO_BASE_URL).replace(/\/+$/, '');
  const context = { connectionId, providerConfigKey, nangoBaseUrl } as NangoConnectionContext;
  Object.defineProperty(context, 'nangoSecretKey', { value: nangoSecretKey, enumerable: false });
  return Object.freeze(context);
}
