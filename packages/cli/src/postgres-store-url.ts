import { existsSync } from 'node:fs';
import { configPathFor, loadConfig } from './cli-config';
import type { CliIO } from './cli-io';
import { UsageError } from './exit-codes';

/** Whether a `store` value names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(value: string | undefined): value is string {
  return value !== undefined && /^postgres(ql)?:\/\//i.test(value.trim());
}

/**
 * The PostgreSQL store of the `worker` and `bindings` commands: `--store`, else
 * `SPEC_KITTY_STORE`, else the config's `store` when it is a `postgres://` URL.
 */
export function postgresStoreUrl(
  command: string,
  io: CliIO,
  flag: string | undefined,
  configFlag?: string,
): string {
  const candidates = [flag, io.env.SPEC_KITTY_STORE];
  const configPath = configPathFor(io.cwd, configFlag);
  if (existsSync(configPath)) candidates.push(loadConfig(configPath).config.store);
  const given = candidates.find((value) => value !== undefined && value.trim() !== '');
  if (given === undefined || !isPostgresUrl(given)) {
    throw new UsageError(
      `${command} needs a PostgreSQL store: pass --store postgres://user@host:port/database (or set SPEC_KITTY_STORE, or "store" in the config)${given === undefined ? '' : `; ${JSON.stringify(redact(given))} is not a postgres:// URL`}.`,
    );
  }
  return given.trim();
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
