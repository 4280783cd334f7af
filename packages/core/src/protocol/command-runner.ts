import type { LocalExecutionContext } from '../context';

/** Options of one `CommandRunner.run`. */
export interface CommandRunOptions {
  /** Working directory of the subprocess. */
  cwd?: string | null;
  /** Passed only when the connector has one; legacy runners may ignore it. */
  context?: LocalExecutionContext;
  /** Aborts (kills) the subprocess. */
  signal?: AbortSignal;
}

/** Runs a local tracker CLI (bd, fp) with an argv list, never through a shell; resolves to stdout. */
export interface CommandRunner {
  /** Runs `command` (argv, no shell) and resolves to its stdout; a failure throws `ConnectorRequestError`. */
  run(command: readonly string[], options?: CommandRunOptions): Promise<string>;
}
