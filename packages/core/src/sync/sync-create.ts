import { ConnectorRequestError, ModelValidationError } from '../errors/errors';
import { FailureClass } from '../errors/failure-class';
import { assertNoForbiddenLegacyKeys } from '../mission/legacy-keys';
import { refIdentity } from '../model/external-ref';
import type { CanonicalIssue, CoreIssueField } from '../model/issue';
import { localCanWrite } from '../policy/ownership-policy';
import { deepEqual } from '../util/deep-equal';
import { pyRepr } from '../util/python-text';
import { withOperationSignal } from './operation-deadlines';
import { reportDroppedAssignees } from './sync-dropped-assignees';
import { keepRicherLocal } from './sync-projection';
import type { SyncResult } from './sync-result';
import { retryOperation } from './sync-retry';
import type { SyncRun } from './sync-run';
import { failureClassOf, isCapturedWriteError } from './sync-write-errors';

// The original's ownership-on-create guard: field, empty value, name used in the message.
const CREATE_GUARD: readonly (readonly [CoreIssueField, unknown, string])[] = [
  ['assignees', [], 'assignees'],
  ['labels', [], 'labels'],
  ['links', [], 'links'],
  ['customFields', {}, 'custom_fields'],
  ['priority', null, 'priority'],
  ['parent', null, 'parent'],
];

/**
 * The create path for a local issue the tracker does not have: title authority, the
 * ownership-on-create guard, the legacy-key guard, then a duplicate-safe create.
 */
export async function pushCreate(run: SyncRun, result: SyncResult, local: CanonicalIssue): Promise<void> {
  const { policy } = run.settings;
  if (!localCanWrite(policy, 'title')) {
    result.stats.skipped += 1;
    return;
  }
  for (const [field, empty, name] of CREATE_GUARD) {
    if (!localCanWrite(policy, field) && !deepEqual(local[field], empty)) {
      run.fail(result, {
        issueRef: local.ref,
        operation: 'create',
        failureClass: null,
        message: `create denied: local does not own ${pyRepr(name)} and it is not empty`,
        retryable: false,
      });
      return;
    }
  }
  try {
    assertNoForbiddenLegacyKeys({ custom_fields: { ...local.customFields } });
  } catch (error) {
    if (!ModelValidationError.isInstance(error)) throw error;
    run.fail(result, {
      issueRef: local.ref,
      operation: 'create',
      failureClass: null,
      message: error.message,
      retryable: false,
    });
    return;
  }
  let created: CanonicalIssue;
  try {
    created = await createRemote(run, local);
  } catch (error) {
    if (!isCapturedWriteError(error)) throw error;
    run.fail(
      result,
      {
        issueRef: local.ref,
        operation: 'create',
        failureClass: failureClassOf(error),
        message: error.message,
        retryable: false,
      },
      error,
    );
    return;
  }
  // The tracker's copy, with its timestamps, as the original stores it; but a local value the
  // tracker merely could not represent (local in_progress, GitHub todo) is kept, not lost.
  const stored = run.connector.projectIssue ? keepRicherLocal(local, created, run.project) : created;
  await run.writeLocal(stored, 'update');
  if (refIdentity(created.ref) !== refIdentity(local.ref)) {
    // The tracker assigned its own id: drop the draft so the next push does not create it again.
    await run.store.deleteIssue(local.ref);
    await run.bases?.deleteSyncBase(local.ref);
    run.emit({ type: 'write', write: { target: 'local', action: 'delete', ref: local.ref, issue: null } });
  }
  if (run.capabilities) reportDroppedAssignees(run, result, local, run.capabilities);
  result.stats.pushedCreated += 1;
  await run.recordBase(created, null);
}

/** An issue a previous (timed-out or crashed) attempt created, if the tracker can tell. */
async function findCreated(
  run: SyncRun,
  local: CanonicalIssue,
  idempotencyKey: string,
): Promise<CanonicalIssue | null> {
  if (run.connector.findCreatedIssue) {
    return run.connector.findCreatedIssue(local, { idempotencyKey, signal: run.signal });
  }
  return run.lookupRemote(local.ref);
}

/**
 * Create with retry, but never blindly: after an ambiguous failure (transient: timeout, 5xx,
 * network) the create may have been applied, so look for it before trying again. A 429 was
 * refused, not applied, and is retried directly.
 */
async function createRemote(run: SyncRun, local: CanonicalIssue): Promise<CanonicalIssue> {
  const idempotencyKey = `sync:create:${refIdentity(local.ref)}`;
  // A previous run may have crashed between "created" and "recorded".
  if (run.connector.findCreatedIssue) {
    const existing = await run.connector.findCreatedIssue(local, { idempotencyKey, signal: run.signal });
    if (existing) return existing;
  }
  run.emit({
    type: 'write',
    write: { target: 'remote', action: 'create', ref: local.ref, issue: local, idempotencyKey },
  });
  if (run.dryRun) return local;
  const settleAmbiguous = async (error: ConnectorRequestError): Promise<{ value: CanonicalIssue } | null> => {
    if (error.failureClass !== FailureClass.TRANSIENT) return null;
    let found: CanonicalIssue | null;
    try {
      found = await findCreated(run, local, idempotencyKey);
    } catch {
      // Absence cannot be proven, so a retry could duplicate: give up with the create's error.
      throw error;
    }
    return found ? { value: found } : null;
  };
  try {
    return await retryOperation(
      (operation) => run.connector.createIssue(local, withOperationSignal({ idempotencyKey }, operation)),
      run.retryOptions('create'),
      settleAmbiguous,
    );
  } catch (error) {
    // The last attempt itself may have been applied before it failed.
    if (ConnectorRequestError.isInstance(error)) {
      const settled = await settleAmbiguous(error);
      if (settled) return settled.value;
    }
    throw error;
  }
}
