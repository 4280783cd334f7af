// @spec-kitty/core/process — the shared subprocess runner of the local CLI connectors (bd, fp).
// Node-only; importing it has no side effects.

export { EXECUTABLE_INSTALL_HINTS, executableNotFoundMessage } from './executable-hints';
export {
  LocalCliInvoker,
  type LocalCliInvokerOptions,
  type LocalExecutionContextInput,
  localCliConfigEntries,
  localExecutionContextSchema,
} from './local-cli';
export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  SubprocessCommandRunner,
  type SubprocessCommandRunnerOptions,
} from './subprocess-runner';
