import { ConnectorRequestError, IssueNotFoundError } from '../errors/errors';
import { FailureClass } from '../errors/failure-class';
import { CanonicalStatus } from '../model/enums';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import type { IssueTombstone } from '../model/tombstone';
import type { TombstoneRecord } from '../store/issue-store';
import { withOperationSignal } from './operation-deadlines';
import type { SyncResult } from './sync-result';
import { retryOperation } from './sync-retry';
import type { SyncRun } from './sync-run';
import { failureClassOf, isCapturedWriteError } from './sync-write-errors';

/** Refs one `checkGone` call is asked about: bounded, whatever the connector batches below it. */
export const CHECK_GONE_BATCH_SIZE = 100;

const CANNOT_CLOSE =
  'local deletion not pushed: the connector does not support a terminal transition, so the remote issue cannot be closed as canceled; close or delete it on the tracker (the local tombstone stays unpushed)';

/** Whether the tracker's answer means "no such issue" (the write's target may be gone). */
export function isNotFound(error: unknown): boolean {
  return (
    IssueNotFoundError.isInstance(error) ||
    (ConnectorRequestError.isInstance(error) && error.failureClass === FailureClass.NOT_FOUND)
  );
}

async function writeTombstone(run: SyncRun, record: TombstoneRecord): Promise<void> {
  await run.tombstones?.putTombstone(record);
  if (run.observed) {
    run.emit({
      type: 'write',
      write: { target: 'local', action: 'tombstone', ref: record.ref, issue: null, tombstone: record },
    });
  }
}

/**
 * Records a remote tombstone of an issue the store holds, unless one is already known (a remote
 * one, or a local deletion already pushed). It supersedes an unpushed local deletion: the issue is
 * gone, there is nothing left to close. Without a TombstoneStore it is only reported. Returns
 * whether it was newly recorded (and counted).
 */
export async function recordRemoteTombstone(
  run: SyncRun,
  result: SyncResult,
  tombstone: IssueTombstone,
): Promise<boolean> {
  if ((await run.store.getIssue(tombstone.ref)) === null) return false;
  if (run.tombstones !== null) {
    const existing = await run.tombstones.getTombstone(tombstone.ref);
    if (existing !== null && (existing.origin === 'remote' || existing.pushed)) return false;
    await writeTombstone(run, { ...tombstone, origin: 'remote', pushed: true });
  }
  result.tombstones.push(tombstone);
  result.stats.tombstoned += 1;
  return true;
}

/** Whether the engine may ask the tracker which refs are gone (and record what it answers). */
async function canCheckGone(run: SyncRun): Promise<boolean> {
  if (run.tombstones === null || typeof run.connector.checkGone !== 'function') return false;
  run.capabilities ??= await run.connector.getCapabilities();
  return run.capabilities.reportsDeletions === true;
}

/**
 * Asks `checkGone` about `refs` in bounded batches and records the tombstones of the refs asked
 * (an answer about any other ref is ignored). A failure is recorded as `check_gone` and ends the
 * check: it is never taken for a deletion. Returns the identities found gone, or null on failure.
 */
async function checkGone(
  run: SyncRun,
  result: SyncResult,
  refs: readonly ExternalRef[],
): Promise<Set<string> | null> {
  const gone = new Set<string>();
  const check = run.connector.checkGone?.bind(run.connector);
  if (check === undefined) return gone;
  for (let start = 0; start < refs.length; start += CHECK_GONE_BATCH_SIZE) {
    run.signal?.throwIfAborted();
    if (run.stoppedBy !== null) return null;
    const batch = refs.slice(start, start + CHECK_GONE_BATCH_SIZE);
    let answer: IssueTombstone[];
    try {
      answer = await retryOperation(
        (operation) => check(batch, withOperationSignal({}, operation)),
        run.retryOptions('check_gone'),
      );
    } catch (error) {
      if (!isCapturedWriteError(error)) throw error;
      run.fail(
        result,
        {
          issueRef: batch.length === 1 ? (batch[0] ?? null) : null,
          operation: 'check_gone',
          failureClass: failureClassOf(error),
          message: `could not tell whether ${batch.length} issue(s) are gone (nothing was marked deleted): ${error.message}`,
          retryable: ConnectorRequestError.isInstance(error) && error.isRetryable,
        },
        error,
      );
      return null;
    }
    const asked = new Set(batch.map(refIdentity));
    await run.batch(async () => {
      for (const tombstone of answer) {
        const identity = refIdentity(tombstone.ref);
        if (!asked.has(identity) || gone.has(identity)) continue;
        gone.add(identity);
        await recordRemoteTombstone(run, result, tombstone);
      }
    });
  }
  return gone;
}

/**
 * After a full (non-incremental) pull: asks the tracker about stored, non-tombstoned issues of
 * the workspaces the walk saw that it did not list and that have a sync base (were on the
 * tracker before). Listings of most trackers never show a
 * deleted issue, so this is where deletions are found.
 */
export async function sweepGone(
  run: SyncRun,
  result: SyncResult,
  seen: ReadonlySet<string>,
  workspaces: ReadonlySet<string>,
): Promise<void> {
  // Without sync bases a stored issue the tracker never had (a local create not pushed yet)
  // cannot be told from one deleted there, so there is nothing safe to ask.
  const bases = run.bases;
  if (workspaces.size === 0 || bases === null || !(await canCheckGone(run)) || run.tombstones === null)
    return;
  const system = run.connector.name;
  const known = new Set((await run.tombstones.listTombstones({ system })).map(({ ref }) => refIdentity(ref)));
  const unseen: ExternalRef[] = [];
  for (const issue of await run.store.listIssues({ system })) {
    const identity = refIdentity(issue.ref);
    if (!workspaces.has(issue.ref.workspace) || seen.has(identity) || known.has(identity)) continue;
    // Only an issue both sides once agreed on (it has a sync base) can have been deleted remotely.
    if ((await bases.getSyncBase(issue.ref)) !== null) unseen.push(issue.ref);
  }
  if (unseen.length > 0) await checkGone(run, result, unseen);
}

/**
 * A write to (or lookup of) `ref` answered "not found": asks the tracker whether it is gone.
 * `gone`: its tombstone is recorded (instead of a failure); `exists`: the tracker still has it;
 * `unknown`: the check failed (recorded as `check_gone`); `unchecked`: the connector or store
 * cannot tell deletions (no `checkGone`, `reportsDeletions` or TombstoneStore).
 */
export async function goneAfterNotFound(
  run: SyncRun,
  result: SyncResult,
  ref: ExternalRef,
): Promise<'gone' | 'exists' | 'unknown' | 'unchecked'> {
  if (!(await canCheckGone(run))) return 'unchecked';
  const gone = await checkGone(run, result, [ref]);
  if (gone === null) return 'unknown';
  return gone.has(refIdentity(ref)) ? 'gone' : 'exists';
}

/**
 * A write to `ref` failed: true when it was a "not found" that `goneAfterNotFound` turned into a
 * tombstone. Otherwise the caller records the failure; an `IssueNotFoundError` the engine cannot
 * check still aborts the run, as in the original.
 */
export async function handledAsGone(
  run: SyncRun,
  result: SyncResult,
  ref: ExternalRef,
  error: unknown,
): Promise<boolean> {
  if (!isNotFound(error)) {
    if (!isCapturedWriteError(error)) throw error;
    return false;
  }
  const verdict = await goneAfterNotFound(run, result, ref);
  if (verdict === 'unchecked' && !isCapturedWriteError(error)) throw error;
  return verdict === 'gone';
}

/** The failure class of a failed write; a bare `IssueNotFoundError` is `not_found`. */
export function writeFailureClass(error: unknown): FailureClass | null {
  return IssueNotFoundError.isInstance(error) ? FailureClass.NOT_FOUND : failureClassOf(error);
}

/** Identities of the tombstoned issues of the connector's system (skipped by a push). */
export async function tombstonedIdentities(run: SyncRun): Promise<Set<string>> {
  if (run.tombstones === null) return new Set();
  const records = await run.tombstones.listTombstones({ system: run.connector.name });
  return new Set(records.map(({ ref }) => refIdentity(ref)));
}

/**
 * Pushes local deletions (origin `local`, not yet pushed): closes each remote issue as
 * `canceled` where the connector supports a terminal transition, then marks the tombstone pushed;
 * otherwise records a `patch_field_denied` failure. A remote issue already gone is recorded as a
 * remote tombstone when the tracker confirms it. With `only`, just those identities' deletions.
 */
export async function pushLocalDeletions(
  run: SyncRun,
  result: SyncResult,
  only?: ReadonlySet<string>,
): Promise<void> {
  if (run.tombstones === null) return;
  const listed = await run.tombstones.listTombstones({
    system: run.connector.name,
    origin: 'local',
    pushed: false,
  });
  // `only`: the identities a webhook run touched (it never pushes other issues' changes).
  const pending = only === undefined ? listed : listed.filter(({ ref }) => only.has(refIdentity(ref)));
  if (pending.length === 0) return;
  run.capabilities ??= await run.connector.getCapabilities();
  for (const record of pending) {
    run.signal?.throwIfAborted();
    if (run.stoppedBy !== null) return;
    if (!run.capabilities.supportsTerminalTransition) {
      run.fail(result, {
        issueRef: record.ref,
        operation: 'patch_field_denied',
        failureClass: null,
        message: CANNOT_CLOSE,
        retryable: false,
      });
      continue;
    }
    const patch = { status: CanonicalStatus.CANCELED };
    const idempotencyKey = `delete:${refIdentity(record.ref)}`;
    if (run.observed) {
      run.emit({
        type: 'write',
        write: { target: 'remote', action: 'update', ref: record.ref, patch, idempotencyKey },
      });
    }
    if (!run.dryRun) {
      try {
        await retryOperation(
          (operation) =>
            run.connector.updateIssue(record.ref, patch, withOperationSignal({ idempotencyKey }, operation)),
          run.retryOptions('update'),
        );
      } catch (error) {
        if (await handledAsGone(run, result, record.ref, error)) continue;
        run.fail(
          result,
          {
            issueRef: record.ref,
            operation: 'update',
            failureClass: writeFailureClass(error),
            message: `closing the locally deleted issue as canceled failed: ${(error as Error).message}`,
            retryable: false,
          },
          error,
        );
        continue;
      }
    }
    await writeTombstone(run, { ...record, pushed: true });
    result.closedRemote.push(record.ref);
    result.stats.closedRemote += 1;
  }
}
