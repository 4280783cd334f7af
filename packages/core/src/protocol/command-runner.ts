import type { LocalExecutionContext } from '../context';

export interface CommandRunOptions {
  cwd?: string | null;
  /** Passed only when the connector has one; legacy runners may ignore it. */
  context?: LocalExecutionContext;
  signal?: AbortSignal;
}

/** Runs a local tracker CLI (bd, fp) with an argv list, never through a shell; resolves to stdout. */
export interface CommandRunner {
  run(command: readonly string[], options?: CommandRunOptions): Promise<string>;
}
