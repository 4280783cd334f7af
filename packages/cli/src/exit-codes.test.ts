import { ConflictStrategy, FailureClass, SyncOperation } from '@spec-kitty/core';
import { createSyncFailure, createSyncStats } from '@spec-kitty/core/internal';
import { describe, expect, it } from 'vitest';
import { ExitCode, outcomeFor } from './exit-codes';
import { exitCodeForResult } from './result-exit-code';

const failure = (failureClass: FailureClass | null) =>
  createSyncFailure({
    issueRef: null,
    operation: SyncOperation.UPDATE,
    failureClass,
    message: 'x',
    retryable: false,
  });
const conflict = (manualReviewRequired: boolean) => ({
  fieldName: 'title',
  localValue: 'a',
  externalValue: 'b',
  resolvedValue: 'b',
  strategy: ConflictStrategy.MANUAL_REVIEW,
  manualReviewRequired,
  pending: false,
  issueRef: null,
});

describe('exit codes', () => {
  it('has the documented values', () => {
    expect(ExitCode).toEqual({
      OK: 0,
      ERROR: 1,
      USAGE: 2,
      PARTIAL_FAILURE: 3,
      CONFLICTS: 4,
      INTERRUPTED: 130,
      TERMINATED: 143,
    });
  });

  it('maps a result to a code', () => {
    expect(exitCodeForResult({ failures: [], conflicts: [] })).toBe(ExitCode.OK);
    expect(exitCodeForResult({ failures: [], conflicts: [conflict(false)] })).toBe(ExitCode.OK);
    expect(exitCodeForResult({ failures: [], conflicts: [conflict(true)] })).toBe(ExitCode.CONFLICTS);
    expect(exitCodeForResult({ failures: [failure(FailureClass.VALIDATION)], conflicts: [] })).toBe(
      ExitCode.PARTIAL_FAILURE,
    );
    expect(exitCodeForResult({ failures: [failure(null)], conflicts: [conflict(true)] })).toBe(
      ExitCode.PARTIAL_FAILURE,
    );
    expect(exitCodeForResult({ failures: [failure(FailureClass.AUTHENTICATION)], conflicts: [] })).toBe(
      ExitCode.ERROR,
    );
    expect(exitCodeForResult({ failures: [failure(FailureClass.PERMISSION)], conflicts: [] })).toBe(
      ExitCode.ERROR,
    );
  });

  it('calls failures with nothing done an error, not a partial failure', () => {
    const stats = (done: number) => createSyncStats({ skipped: done });
    expect(exitCodeForResult({ failures: [failure(null)], conflicts: [], stats: stats(0) })).toBe(
      ExitCode.ERROR,
    );
    expect(exitCodeForResult({ failures: [failure(null)], conflicts: [], stats: stats(1) })).toBe(
      ExitCode.PARTIAL_FAILURE,
    );
    expect(exitCodeForResult({ failures: [], conflicts: [], stats: stats(0) })).toBe(ExitCode.OK);
  });

  it('names outcomes for the run journal', () => {
    expect([0, 1, 2, 3, 4].map((code) => outcomeFor(code as ExitCode))).toEqual([
      'ok',
      'error',
      'usage',
      'partial',
      'conflicts',
    ]);
  });
});
