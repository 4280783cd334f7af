// The exit code a sync run's result maps to (kept apart from exit-codes.ts, which `main` loads on
// every command, because this needs @spec-kitty/core at run time).
import { FailureClass, type SyncResult, type SyncStats } from '@spec-kitty/core';
import { ExitCode } from './exit-codes';

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
