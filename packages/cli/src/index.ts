// Programmatic surface of @spec-kitty/cli: run the CLI in-process, read and write its config.
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
  trackerConfigSchema,
} from './cli-config';
export type { CliIO, OutputStream } from './cli-io';
export { isSecretKey } from './credentials';
export { ExitCode, exitCodeForResult, UsageError } from './exit-codes';
export { COMMANDS, main } from './main';
export { VERSION } from './version';
