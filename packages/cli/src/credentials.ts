import type { TrackerConfig } from './cli-config';
import { UsageError } from './exit-codes';

// Connector config keys that hold secrets. They are accepted from the environment or a flag at
// run time and never written to the config file or printed.
const SECRET_KEY = /(token|secret|password|passwd|apikey|credential|privatekey|pat)$/;

/** Whether a connector config key names a secret (`token`, `apiToken`, `apiKey`, `password` …). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[-_]/g, ''));
}

/**
 * Where a URL carries a credential (`https://user:TOKEN@host`, `?access_token=…`,
 * `?private_token=…`), or null. Only the kind is returned, never the secret.
 */
export function credentialInUrl(text: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim())) return null;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '') return 'user information (user:password@)';
  for (const key of url.searchParams.keys()) {
    if (isSecretKey(key)) return `the query parameter ${key}`;
  }
  return null;
}

/** `key=value` → [key, value]; the message names the flag. */
export function splitAssignment(text: string, flag: string): [string, string] {
  const index = text.indexOf('=');
  if (index <= 0) throw new UsageError(`${flag} expects key=value, got ${JSON.stringify(text)}.`);
  return [text.slice(0, index).trim(), text.slice(index + 1)];
}

/**
 * The secret connector config values for a run: each `credentialEnv` entry read from the
 * environment, then `--credential key=value` flags (which win). Missing variables are reported
 * together, by name, never by value.
 */
export function resolveCredentials(
  credentialEnv: Readonly<Record<string, string>>,
  flags: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const values: Record<string, string> = {};
  const fromFlags = new Map(flags.map((flag) => splitAssignment(flag, '--credential')));
  const missing: string[] = [];
  for (const [key, variable] of Object.entries(credentialEnv)) {
    if (fromFlags.has(key)) continue;
    const value = env[variable];
    if (value === undefined || value.trim() === '') missing.push(`${key} (environment variable ${variable})`);
    else values[key] = value;
  }
  for (const [key, value] of fromFlags) {
    if (value.trim() === '') missing.push(`${key} (--credential ${key}= is empty)`);
    else values[key] = value;
  }
  if (missing.length > 0) {
    throw new UsageError(
      `Missing credentials: ${missing.join(', ')}. Export the variable, or pass --credential <key>=<value> for this run; credentials are never stored in the config file.`,
    );
  }
  return values;
}

/** Replaces every known secret value in `text` with `***` (for error messages from connectors). */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('***');
  }
  return result;
}

/** One credential the bound provider reads: the variable it comes from and whether that is set. */
export interface CredentialStatus {
  key: string;
  variable: string;
  present: boolean;
}

/** Each credential the provider reads (its definition's `cli.credentialEnv` defaults, then the config's), the variable it comes from, and whether that is set now. */
export function credentialStatus(
  config: TrackerConfig,
  env: Readonly<Record<string, string | undefined>>,
  defaultCredentialEnv: Readonly<Record<string, string>>,
): CredentialStatus[] {
  const credentialEnv = config.provider ? { ...defaultCredentialEnv, ...config.credentialEnv } : {};
  return Object.entries(credentialEnv).map(([key, variable]) => ({
    key,
    variable,
    present: (env[variable] ?? '') !== '',
  }));
}
