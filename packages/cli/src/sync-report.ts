import {
  type ConflictRecord,
  type DiscardedLocalChange,
  formatSyncFailure,
  type IssueTombstone,
  issueToJSON,
  type PlannedWrite,
  refIdentity,
  type SyncFailure,
  type SyncResult,
} from '@spec-kitty/core';
import { brief, renderTable } from './table';
import { describeGone, describeTombstone, tombstoneToJSON } from './tombstone-view';

export function conflictToJSON(conflict: ConflictRecord) {
  return {
    issue: conflict.issueRef ? refIdentity(conflict.issueRef) : null,
    field: conflict.fieldName,
    localValue: conflict.localValue ?? null,
    externalValue: conflict.externalValue ?? null,
    resolvedValue: conflict.resolvedValue ?? null,
    strategy: conflict.strategy,
    manualReviewRequired: conflict.manualReviewRequired,
    pending: conflict.pending,
  };
}

export function discardedToJSON(change: DiscardedLocalChange) {
  return {
    issue: refIdentity(change.issueRef),
    field: change.fieldName,
    localValue: change.localValue ?? null,
    keptValue: change.keptValue ?? null,
    reason: change.reason,
  };
}

export function failureToJSON(failure: SyncFailure) {
  return {
    issue: failure.issueRef ? refIdentity(failure.issueRef) : null,
    operation: failure.operation,
    failureClass: failure.failureClass,
    message: failure.message,
    retryable: failure.retryable,
    resetAt: failure.resetAt?.toISOString() ?? null,
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
  if (write.action === 'tombstone') return { ...base, tombstone: tombstoneToJSON(write.tombstone) };
  return { ...base, content: write.issue ? issueToJSON(write.issue) : null };
}

export function resultToJSON(result: SyncResult, read?: number) {
  const { tombstones, closedRemote } = result;
  return {
    ...(read !== undefined && { issuesRead: read }),
    stats: result.stats,
    tombstones: tombstones.map(tombstoneToJSON),
    closedRemote: closedRemote.map(refIdentity),
    conflicts: result.conflicts.map(conflictToJSON),
    failures: result.failures.map(failureToJSON),
    discarded: result.discarded.map(discardedToJSON),
    appliedResolutions: result.appliedResolutions,
  };
}

/**
 * The counters of a run. `read` (issues read by the pull's pages, as the progress lines count
 * them) is shown when known. The engine's `skipped` is shown as "unchanged" and explained.
 */
export function renderStats(result: SyncResult, read?: number): string {
  const { stats } = result;
  const headers = [
    'pulled created',
    'pulled updated',
    'pushed created',
    'pushed updated',
    'unchanged',
    'gone',
    'closed',
    'conflicts',
    'failures',
  ];
  const { tombstones, closedRemote } = result;
  const row: unknown[] = [
    stats.pulledCreated,
    stats.pulledUpdated,
    stats.pushedCreated,
    stats.pushedUpdated,
    stats.skipped,
    tombstones.length,
    closedRemote.length,
    result.conflicts.length,
    result.failures.length,
  ];
  if (read !== undefined) {
    headers.unshift('read');
    row.unshift(read);
  }
  const table = renderTable(headers, [row]);
  if (stats.skipped === 0) return table;
  return `${table}\n${UNCHANGED_NOTE}`;
}

/** Why issues show up as "unchanged": a pull re-reads a short look-back window on purpose. */
export const UNCHANGED_NOTE =
  'unchanged: issues read or checked that needed no write. An incremental pull re-reads the issues updated shortly before the last watermark (a look-back window against clock skew), so these are expected.';

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
          : write.action === 'tombstone'
            ? describeTombstone(write.tombstone)
            : write.issue
              ? brief(write.issue.title, 50)
              : '',
    ]),
  );
}

/** One line per remote tombstone: `  github:octo/hello:3  deleted`. */
export function renderTombstones(tombstones: readonly IssueTombstone[]): string {
  return tombstones
    .map((tombstone) => `  ${refIdentity(tombstone.ref)}  ${describeGone(tombstone)}`)
    .join('\n');
}

/** The human summary of a finished run; `read` is the pull's issues read (progress counts). */
export function renderResult(result: SyncResult, read?: number): string {
  const parts = [renderStats(result, read)];
  const { tombstones, closedRemote } = result;
  if (tombstones.length > 0)
    parts.push(
      `\nGone from the tracker (${tombstones.length}; kept in the store, marked gone):\n${renderTombstones(tombstones)}`,
    );
  if (closedRemote.length > 0)
    parts.push(
      `\nClosed on the tracker as canceled (${closedRemote.length} local deletion(s)):\n${closedRemote.map((ref) => `  ${refIdentity(ref)}`).join('\n')}`,
    );
  if (result.conflicts.length > 0)
    parts.push(`\nConflicts (${result.conflicts.length}):\n${renderConflicts(result.conflicts)}`);
  if (result.failures.length > 0)
    parts.push(`\nFailures (${result.failures.length}):\n${renderFailures(result.failures)}`);
  return parts.join('\n');
}
