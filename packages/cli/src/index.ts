// Programmatic surface of @spec-kitty/cli: run the CLI in-process, read and write its config.
import { COMMANDS as ALL_COMMANDS } from './command-list';

export {
  CONFIG_DIR,
  CONFIG_FILE,
  configPathFor,
  DEFAULT_STORE,
  findConfigPath,
  type LoadedConfig,
  loadConfig,
  parseConfig,
  saveConfig,
  type TrackerConfig,
  type TrackerConfigInput,
  type TrackerConfigPolicy,
  trackerConfigSchema,
} from './cli-config';
export type { CliIO, OutputStream } from './cli-io';
export { isSecretKey } from './credentials';
export { ExitCode, UsageError } from './exit-codes';
export { main } from './main';
export { exitCodeForResult } from './result-exit-code';
export { VERSION } from './version';

/** One command of the CLI as `COMMANDS` lists it. */
export interface CliCommandInfo {
  /** Its name, e.g. `pull`. */
  readonly name: string;
  /** One line saying what it does. */
  readonly summary: string;
  /** The synopsis after the binary name, e.g. `pull [options]`. */
  readonly usage: string;
}

/** Every command of the CLI, in `help` order. */
export const COMMANDS: readonly CliCommandInfo[] = ALL_COMMANDS;
