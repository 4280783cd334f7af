/** Process exit codes of `spec-kitty-tracker` (documented in the README). */
export const ExitCode = {
  /** Everything done. */
  OK: 0,
  /** Nothing could be done (tracker unreachable, credentials refused), or the store is unusable, or the lock held. */
  ERROR: 1,
  /** Bad command line or configuration: nothing was run. */
  USAGE: 2,
  /** The run finished but some issues failed (see `failures`); re-running retries them. */
  PARTIAL_FAILURE: 3,
  /** Conflicts need manual review (`spec-kitty-tracker conflicts`). */
  CONFLICTS: 4,
  /** Stopped by SIGINT (Ctrl-C): 128 + 2. What was written before is kept. */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM: 128 + 15. What was written before is kept. */
  TERMINATED: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A mistake on the command line or in the config file. The message says what to change. */
export class UsageError extends Error {
  /** `'UsageError'`. */
  override readonly name = 'UsageError';
}

/** The outcome word stored in the run journal for an exit code. */
export function outcomeFor(code: ExitCode): string {
  switch (code) {
    case ExitCode.OK:
      return 'ok';
    case ExitCode.PARTIAL_FAILURE:
      return 'partial';
    case ExitCode.CONFLICTS:
      return 'conflicts';
    case ExitCode.USAGE:
      return 'usage';
    case ExitCode.INTERRUPTED:
    case ExitCode.TERMINATED:
      return 'interrupted';
    default:
      return 'error';
  }
}
