import { FailureClass, type SyncResult } from '@spec-kitty/core';

/** Process exit codes of `spec-kitty-tracker` (documented in the README). */
export const ExitCode = {
  /** Everything done. */
  OK: 0,
  /** Something else failed (tracker unreachable, store unusable, lock held, interrupted …). */
  ERROR: 1,
  /** Bad command line or configuration: nothing was run. */
  USAGE: 2,
  /** The run finished but some issues failed (see `failures`); re-running retries them. */
  PARTIAL_FAILURE: 3,
  /** Conflicts need manual review (`spec-kitty-tracker conflicts`). */
  CONFLICTS: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A mistake on the command line or in the config file. The message says what to change. */
export class UsageError extends Error {
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

/**
 * Refused credentials are an error (1), not a partial failure; partial failures win over
 * conflicts: unfinished work is reported first.
 */
export function exitCodeForResult(result: Pick<SyncResult, 'failures' | 'conflicts'>): ExitCode {
  if (credentialFailures(result).length > 0) return ExitCode.ERROR;
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
    default:
      return 'error';
  }
}
