import {
  type ConflictRecord,
  formatSyncFailure,
  issueToJSON,
  type PlannedWrite,
  refIdentity,
  type SyncFailure,
  type SyncResult,
} from '@spec-kitty/core';
import { brief, renderTable } from './table';

export function conflictToJSON(conflict: ConflictRecord) {
  return {
    issue: conflict.issueRef ? refIdentity(conflict.issueRef) : null,
    field: conflict.fieldName,
    localValue: conflict.localValue ?? null,
    externalValue: conflict.externalValue ?? null,
    resolvedValue: conflict.resolvedValue ?? null,
    strategy: conflict.strategy,
    manualReviewRequired: conflict.manualReviewRequired,
  };
}

export function failureToJSON(failure: SyncFailure) {
  return {
    issue: failure.issueRef ? refIdentity(failure.issueRef) : null,
    operation: failure.operation,
    failureClass: failure.failureClass,
    message: failure.message,
    retryable: failure.retryable,
    text: formatFailure(failure),
  };
}

/** `update[github:octo/hello:12]: …` for an issue, `pull_page: …` for a run-level failure. */
export function formatFailure(failure: SyncFailure): string {
  return failure.issueRef ? formatSyncFailure(failure) : `${failure.operation}: ${failure.message}`;
}

/** The cause of a run's failures in one line: the first failure, its class, how many more. */
export function describeCause(failures: readonly SyncFailure[]): string {
  const first = failures[0];
  if (first === undefined) return 'no failure recorded';
  const kind = first.failureClass ? ` (${first.failureClass}${first.retryable ? ', retryable' : ''})` : '';
  const more = failures.length > 1 ? `; ${failures.length - 1} more failure(s) listed above` : '';
  return `${formatFailure(first)}${kind}${more}. Check that the tracker is reachable (\`spec-kitty-tracker discover\`), then run again.`;
}

export function writeToJSON(write: PlannedWrite) {
  const base = { target: write.target, action: write.action, issue: refIdentity(write.ref) };
  if (write.target === 'remote' && write.action === 'update') return { ...base, patch: write.patch };
  if (write.target === 'remote')
    return { ...base, idempotencyKey: write.idempotencyKey, content: issueToJSON(write.issue) };
  return { ...base, content: write.issue ? issueToJSON(write.issue) : null };
}

export function resultToJSON(result: SyncResult) {
  return {
    stats: result.stats,
    conflicts: result.conflicts.map(conflictToJSON),
    failures: result.failures.map(failureToJSON),
  };
}

export function renderStats(result: SyncResult): string {
  const { stats } = result;
  return renderTable(
    [
      'pulled created',
      'pulled updated',
      'pushed created',
      'pushed updated',
      'skipped',
      'conflicts',
      'failures',
    ],
    [
      [
        stats.pulledCreated,
        stats.pulledUpdated,
        stats.pushedCreated,
        stats.pushedUpdated,
        stats.skipped,
        result.conflicts.length,
        result.failures.length,
      ],
    ],
  );
}

export function renderConflicts(conflicts: readonly ConflictRecord[]): string {
  return renderTable(
    ['issue', 'field', 'local', 'external', 'resolved', 'strategy', 'review'],
    conflicts.map((conflict) => [
      conflict.issueRef ? refIdentity(conflict.issueRef) : '',
      conflict.fieldName,
      brief(conflict.localValue),
      brief(conflict.externalValue),
      brief(conflict.resolvedValue),
      conflict.strategy,
      conflict.manualReviewRequired ? 'NEEDED' : 'no',
    ]),
  );
}

export function renderFailures(failures: readonly SyncFailure[]): string {
  return failures
    .map((failure) => `  ${formatFailure(failure)}${failure.retryable ? ' (retryable)' : ''}`)
    .join('\n');
}

export function renderWrites(writes: readonly PlannedWrite[]): string {
  return renderTable(
    ['#', 'target', 'action', 'issue', 'details'],
    writes.map((write, index) => [
      index + 1,
      write.target,
      write.action,
      refIdentity(write.ref),
      write.target === 'remote' && write.action === 'update'
        ? Object.entries(write.patch)
            .map(([field, value]) => `${field}=${brief(value, 30)}`)
            .join(', ')
        : write.target === 'remote'
          ? brief(write.issue.title, 50)
          : write.issue
            ? brief(write.issue.title, 50)
            : '',
    ]),
  );
}

/** The human summary of a finished run. */
export function renderResult(result: SyncResult): string {
  const parts = [renderStats(result)];
  if (result.conflicts.length > 0)
    parts.push(`\nConflicts (${result.conflicts.length}):\n${renderConflicts(result.conflicts)}`);
  if (result.failures.length > 0)
    parts.push(`\nFailures (${result.failures.length}):\n${renderFailures(result.failures)}`);
  return parts.join('\n');
}
