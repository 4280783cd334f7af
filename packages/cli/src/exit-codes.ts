import { FailureClass, type SyncResult, type SyncStats } from '@spec-kitty/core';

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

/** Failures a re-run cannot fix: the tracker refused the credentials or their permissions. */
export function credentialFailures(result: Pick<SyncResult, 'failures'>): SyncResult['failures'] {
  return result.failures.filter(
    (failure) =>
      failure.failureClass === FailureClass.AUTHENTICATION ||
      failure.failureClass === FailureClass.PERMISSION,
  );
}

/** Issues the run read or wrote (an unchanged issue read counts: the tracker answered). */
export function itemsDone(stats: SyncStats): number {
  return (
    stats.pulledCreated + stats.pulledUpdated + stats.pushedCreated + stats.pushedUpdated + stats.skipped
  );
}

/**
 * Whether a run with failures got nothing done at all (the tracker unreachable, every request
 * failing): that is an error (1), not a partial failure (3). Without stats, it is not known.
 */
export function nothingDone(result: Pick<SyncResult, 'failures'> & { stats?: SyncStats }): boolean {
  return result.failures.length > 0 && result.stats !== undefined && itemsDone(result.stats) === 0;
}

/**
 * Refused credentials, and failures with nothing done, are an error (1); a partial failure (3)
 * means some issues were done and some failed. Partial failures win over conflicts: unfinished
 * work is reported first.
 */
export function exitCodeForResult(
  result: Pick<SyncResult, 'failures' | 'conflicts'> & { stats?: SyncStats },
): ExitCode {
  if (credentialFailures(result).length > 0) return ExitCode.ERROR;
  if (nothingDone(result)) return ExitCode.ERROR;
  if (result.failures.length > 0) return ExitCode.PARTIAL_FAILURE;
  if (result.conflicts.some((conflict) => conflict.manualReviewRequired)) return ExitCode.CONFLICTS;
  return ExitCode.OK;
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
