import type { TrackerCapabilities } from '../capabilities';
import { ConcurrentModificationError, ModelValidationError } from '../errors/errors';
import { FailureClass } from '../errors/failure-class';
import { assertNoForbiddenLegacyKeys } from '../mission/legacy-keys';
import { TERMINAL_STATUSES } from '../model/enums';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import { type CanonicalIssue, CORE_ISSUE_FIELDS, type CoreIssueField, issuesEqual } from '../model/issue';
import type { IssuePatch } from '../protocol/connector';
import { withOperationSignal } from './operation-deadlines';
import { reportDroppedAssignees } from './sync-dropped-assignees';
import { answerHoldsSent, identicalFields, identityProjection, syncFieldEqual } from './sync-merge';
import type { IssueResolutions } from './sync-resolutions';
import type { SyncResult } from './sync-result';
import { retryOperation } from './sync-retry';
import type { SyncRun } from './sync-run';
import { handledAsGone, writeFailureClass } from './sync-tombstones';
import { failureClassOf, isCapturedWriteError } from './sync-write-errors';

const ASSIGNEES_EXCLUDED = 'assignees excluded: connector does not support assignment';
const STATUS_EXCLUDED = 'status excluded: connector does not support a terminal transition';

/** A local issue the tracker also holds, with the state both last agreed on (if known). */
export interface UpdateCandidate {
  local: CanonicalIssue;
  remote: CanonicalIssue;
  base: CanonicalIssue | null;
}

/** What a merge decided for one candidate, carried to the write and to the answer's merge. */
interface UpdatePlan extends UpdateCandidate {
  desired: CanonicalIssue;
  pending: readonly CoreIssueField[];
  resolutions: IssueResolutions;
  /** Resolved fields that reach the tracker (or already match it): reported as applied. */
  settled: CoreIssueField[];
}

/** The update path: merge, patch of changed core fields, capability exclusion, guarded update. */
export async function pushUpdate(
  run: SyncRun,
  result: SyncResult,
  candidate: UpdateCandidate,
  caps: TrackerCapabilities,
  afterConcurrentEdit = false,
): Promise<void> {
  const { local, remote, base } = candidate;
  const conflictsBefore = result.conflicts.length;
  const discardedBefore = result.discarded.length;
  const resolutions = run.resolutionsFor(result, local);
  const {
    merged: desired,
    conflicts,
    discarded,
    pending,
  } = run.merge(local, remote, base, resolutions.values);
  run.addConflicts(result, conflicts);
  run.addDiscarded(result, discarded);
  const patch = changedFields(run, desired, remote, pending);
  const unsent =
    patch === null ? null : excludeUnsupported(run, result, { ref: local.ref, desired, patch, caps });
  const settled =
    resolutions.values.size === 0
      ? NO_FIELDS
      : [...resolutions.values.keys()].filter((field) => unsent?.has(field) !== true);
  const plan: UpdatePlan = { local, remote, base, desired, pending, resolutions, settled };
  if (patch === null || isEmpty(patch)) return settleWithoutWrite(run, result, plan);
  if (!customFieldsAllowed(run, result, local.ref, patch)) return;
  const sent = await sendUpdate(run, result, plan, patch as IssuePatch, afterConcurrentEdit);
  if (sent === 'concurrent_edit') {
    // The issue changed on the tracker after we read it (optimistic concurrency refused the
    // write). Never overwrite it: merge against its new state, so fields both sides changed
    // become conflicts resolved by the policy, then write once more. The conflicts found
    // against the stale copy are superseded.
    const fresh = await readAfterConcurrentEdit(run, result, local.ref);
    if (fresh === null) return;
    result.conflicts.length = conflictsBefore;
    result.discarded.length = discardedBefore;
    return pushUpdate(run, result, { local, remote: fresh, base }, caps, true);
  }
  if (sent === null) return;
  const applying = applyAnswer(run, result, plan, sent);
  if (applying !== undefined) await applying;
}

/**
 * The core fields to patch. A field whose desired value would read back as the remote value is
 * not patched: the tracker cannot hold the difference, and re-sending it would be a write on
 * every sync. A held manual-review field is not patched either: it waits for the host's resolution.
 */
function changedFields(
  run: SyncRun,
  desired: CanonicalIssue,
  remote: CanonicalIssue,
  pending: readonly CoreIssueField[],
): Record<string, unknown> | null {
  let patch: Record<string, unknown> | null = null;
  const projected = run.project(desired);
  const projectedRemote = run.project(remote);
  // Fields holding the same value on both sides need no comparison (with a lossless tracker).
  const same = run.project === identityProjection ? identicalFields(desired, remote) : 0;
  for (let position = 0; position < CORE_ISSUE_FIELDS.length; position++) {
    if ((same & (1 << position)) !== 0) continue;
    const field = CORE_ISSUE_FIELDS[position] as CoreIssueField;
    if (!pending.includes(field) && !syncFieldEqual(field, projectedRemote, projected)) {
      patch ??= {};
      patch[field] = desired[field];
    }
  }
  return patch;
}

function isEmpty(patch: Record<string, unknown>): boolean {
  for (const _ in patch) return false;
  return true;
}

const NO_FIELDS: CoreIssueField[] = [];

/** Removes from `patch` the fields the connector cannot write, reporting each; returns their names. */
function excludeUnsupported(
  run: SyncRun,
  result: SyncResult,
  {
    ref,
    desired,
    patch,
    caps,
  }: { ref: ExternalRef; desired: CanonicalIssue; patch: Record<string, unknown>; caps: TrackerCapabilities },
): Set<string> | null {
  if (!('assignees' in patch || 'status' in patch)) return null;
  const unsent = new Set<string>();
  if ('assignees' in patch && !caps.supportsAssignment) {
    delete patch.assignees;
    unsent.add('assignees');
    denied(run, result, ref, ASSIGNEES_EXCLUDED);
  }
  if ('status' in patch && TERMINAL_STATUSES.has(desired.status) && !caps.supportsTerminalTransition) {
    delete patch.status;
    unsent.add('status');
    denied(run, result, ref, STATUS_EXCLUDED);
  }
  if ('assignees' in patch) reportDroppedAssignees(run, result, desired, caps);
  return unsent;
}

function denied(run: SyncRun, result: SyncResult, ref: ExternalRef, message: string): void {
  run.fail(result, {
    issueRef: ref,
    operation: 'patch_field_denied',
    failureClass: null,
    message,
    retryable: false,
  });
}

/** Nothing to send: the tracker already holds what the merge wants. */
async function settleWithoutWrite(run: SyncRun, result: SyncResult, plan: UpdatePlan): Promise<void> {
  // Materialise the resolution locally so the same conflict is not re-reported forever.
  if (!issuesEqual(plan.desired, plan.local)) await run.writeLocal(plan.desired, 'update');
  result.stats.skipped += 1;
  run.markApplied(result, plan.resolutions, plan.settled);
  await run.recordBase(plan.remote, plan.base, plan.pending);
}

/** False (recorded as an `update` failure) when the patched custom fields use a forbidden legacy key. */
function customFieldsAllowed(
  run: SyncRun,
  result: SyncResult,
  ref: ExternalRef,
  patch: Record<string, unknown>,
): boolean {
  if (!('customFields' in patch)) return true;
  try {
    assertNoForbiddenLegacyKeys({ custom_fields: { ...(patch.customFields as object) } });
    return true;
  } catch (error) {
    if (!ModelValidationError.isInstance(error)) throw error;
    run.fail(result, {
      issueRef: ref,
      operation: 'update',
      failureClass: null,
      message: error.message,
      retryable: false,
    });
    return false;
  }
}

/**
 * Sends the patch (or, in a dry run, predicts the answer). Returns the tracker's answer,
 * `'concurrent_edit'` when the first attempt lost an optimistic-concurrency race, or null when
 * the write failed (already recorded as a failure or a tombstone).
 */
function sendUpdate(
  run: SyncRun,
  result: SyncResult,
  { local, remote }: UpdatePlan,
  issuePatch: IssuePatch,
  afterConcurrentEdit: boolean,
): Promise<CanonicalIssue | 'concurrent_edit' | null> {
  // Not `async` (nor applyAnswer): one update is a chain of promises already, and each async
  // function adds a frame and an await's allocations per update.
  // The same key on every retry and every run, as the original.
  const idempotencyKey = `sync:${refIdentity(local.ref)}`;
  if (run.observed) {
    run.emit({
      type: 'write',
      write: { target: 'remote', action: 'update', ref: local.ref, patch: issuePatch, idempotencyKey },
    });
  }
  if (run.dryRun) return Promise.resolve(run.project({ ...remote, ...issuePatch } as CanonicalIssue));
  return retryOperation(
    (operation) =>
      run.connector.updateIssue(local.ref, issuePatch, withOperationSignal({ idempotencyKey }, operation)),
    run.retryOptions('update'),
  ).catch((error: unknown) => updateFailed(run, result, local.ref, error, afterConcurrentEdit));
}

/** A failed update: `'concurrent_edit'` (first attempt only), else null once recorded. */
async function updateFailed(
  run: SyncRun,
  result: SyncResult,
  ref: ExternalRef,
  error: unknown,
  afterConcurrentEdit: boolean,
): Promise<'concurrent_edit' | null> {
  if (ConcurrentModificationError.isInstance(error) && !afterConcurrentEdit) return 'concurrent_edit';
  // Gone from the tracker: its tombstone is recorded instead of a failure.
  if (await handledAsGone(run, result, ref, error)) return null;
  run.fail(
    result,
    {
      issueRef: ref,
      operation: 'update',
      failureClass: writeFailureClass(error),
      message: (error as Error).message,
      retryable: false,
    },
    error,
  );
  return null;
}

/** Merges the tracker's answer into the local copy and records it as the new base. */
function applyAnswer(
  run: SyncRun,
  result: SyncResult,
  plan: UpdatePlan,
  updated: CanonicalIssue,
): Promise<void> | undefined {
  const { local, remote, base, desired, resolutions } = plan;
  // With a base, merge the resolution with the answer against what we patched, so a conflict
  // settled above is not reported twice; without one, the original's merge(local, answer), with
  // any host-resolved values in place of the local ones so the answer confirms rather than fights them.
  const sent =
    base !== null
      ? desired
      : resolutions.values.size === 0
        ? local
        : ({ ...local, ...Object.fromEntries(resolutions.values) } as CanonicalIssue);
  let merged: CanonicalIssue;
  if (run.project === identityProjection && answerHoldsSent(sent, updated)) merged = updated;
  else {
    const post = run.mergeAnswer(sent, updated, base === null ? null : remote);
    run.addConflicts(result, post.conflicts);
    merged = post.merged;
  }
  if (issuesEqual(merged, local)) return answerApplied(run, result, plan, updated);
  const written = run.writeLocal(merged, 'update');
  if (written !== undefined) return written.then(() => answerApplied(run, result, plan, updated));
  return answerApplied(run, result, plan, updated);
}

/** After the local write of an answer: counted, resolutions reported, the answer recorded as base. */
function answerApplied(
  run: SyncRun,
  result: SyncResult,
  { base, pending, resolutions, settled }: UpdatePlan,
  updated: CanonicalIssue,
): Promise<void> | undefined {
  result.stats.pushedUpdated += 1;
  run.markApplied(result, resolutions, settled);
  return run.recordBase(updated, base, pending);
}

/** The tracker's current copy after a concurrent edit, or null (recorded as a failure) if it cannot be read. */
async function readAfterConcurrentEdit(
  run: SyncRun,
  result: SyncResult,
  ref: ExternalRef,
): Promise<CanonicalIssue | null> {
  try {
    const fresh = await run.lookupRemote(ref);
    if (fresh !== null) return fresh;
    run.fail(result, {
      issueRef: ref,
      operation: 'update',
      failureClass: FailureClass.NOT_FOUND,
      message: `${refIdentity(ref)} was deleted on the tracker while it was being updated`,
      retryable: false,
    });
  } catch (error) {
    if (!isCapturedWriteError(error)) throw error;
    run.fail(
      result,
      {
        issueRef: ref,
        operation: 'update',
        failureClass: failureClassOf(error),
        message: error.message,
        retryable: false,
      },
      error,
    );
  }
  return null;
}
