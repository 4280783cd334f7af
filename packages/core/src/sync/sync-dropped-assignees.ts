import type { TrackerCapabilities } from '../capabilities';
import type { CanonicalIssue } from '../model/issue';
import type { SyncResult } from './sync-result';
import type { SyncRun } from './sync-run';

/**
 * When the connector writes assignees but holds fewer than `sent` has (Azure DevOps: one), the
 * ones its projection drops are recorded as a `patch_field_denied` failure: the write goes
 * ahead with what the tracker can hold, and the loss is never silent. Called where assignees
 * are actually written (a create, or an update whose patch has them).
 */
export function reportDroppedAssignees(
  run: SyncRun,
  result: SyncResult,
  sent: CanonicalIssue,
  caps: TrackerCapabilities,
): void {
  if (!caps.supportsAssignment || sent.assignees.length < 2) return;
  const kept = run.project(sent).assignees;
  const dropped = sent.assignees.filter((assignee) => !kept.includes(assignee));
  if (dropped.length === 0) return;
  const list = (names: readonly string[]) => names.map((name) => `'${name}'`).join(', ');
  run.fail(result, {
    issueRef: sent.ref,
    operation: 'patch_field_denied',
    failureClass: null,
    message: `assignees truncated: ${run.connector.name} holds ${kept.length === 1 ? 'one assignee' : `${kept.length} assignees`}; wrote ${kept.length > 0 ? list(kept) : 'none'}, not ${list(dropped)}`,
    retryable: false,
  });
}
