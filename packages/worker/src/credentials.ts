import type { Binding } from './binding';

/** A resolved credential: a string (a token) or fields merged into the connector config. */
export type Credential = string | Readonly<Record<string, string>>;

/** Resolves a binding's credential reference; hosts plug in a vault, KMS or Nango here. */
export type CredentialResolver = (
  name: string,
  binding: Binding,
) => Promise<Credential | null> | Credential | null;

/** The environment variable holding credential `name`: `SPEC_KITTY_CREDENTIAL_<NAME>` (upper case, `_` for others). */
export function credentialEnvName(name: string): string {
  return `SPEC_KITTY_CREDENTIAL_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Reads credentials from the worker's environment: `SPEC_KITTY_CREDENTIAL_<NAME>`, a token or a
 * JSON object of config fields (`{"email":"…","apiToken":"…"}`).
 */
export function envCredentialResolver(env: NodeJS.ProcessEnv = process.env): CredentialResolver {
  return (name) => {
    const value = env[credentialEnvName(name)];
    if (value === undefined || value === '') return null;
    if (value.trimStart().startsWith('{')) {
      try {
        return JSON.parse(value) as Record<string, string>;
      } catch {
        // Not JSON after all: a token that starts with "{".
      }
    }
    return value;
  };
}
