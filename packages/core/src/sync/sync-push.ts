import type { TrackerCapabilities } from '../capabilities';
import { ConcurrentModificationError, ModelValidationError } from '../errors/errors';
import { FailureClass } from '../errors/failure-class';
import { assertNoForbiddenLegacyKeys } from '../mission/legacy-keys';
import { TERMINAL_STATUSES } from '../model/enums';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import { type CanonicalIssue, CORE_ISSUE_FIELDS, issuesEqual } from '../model/issue';
import type { Page } from '../model/page';
import type { IssuePatch } from '../protocol/connector';
import { supportsUnsyncedListing, type UnsyncedIssue } from '../store/issue-store';
import { withOperationSignal } from './operation-deadlines';
import { pushCreate } from './sync-create';
import { reportDroppedAssignees } from './sync-dropped-assignees';
import { contentEqual, syncFieldEqual } from './sync-merge';
import { createSyncPageWalk } from './sync-page-walk';
import { checkPageSize, DEFAULT_PUSH_PAGE_SIZE, pageSizeFor } from './sync-pull';
import { createSyncResult, type SyncResult } from './sync-result';
import { retryOperation } from './sync-retry';
import type { SyncRun } from './sync-run';
import {
  goneAfterNotFound,
  handledAsGone,
  pushLocalDeletions,
  tombstonedIdentities,
  writeFailureClass,
} from './sync-tombstones';
import { failureClassOf, isCapturedWriteError } from './sync-write-errors';

type Filters = Readonly<Record<string, unknown>> | undefined;

const ASSIGNEES_EXCLUDED = 'assignees excluded: connector does not support assignment';
const STATUS_EXCLUDED = 'status excluded: connector does not support a terminal transition';

/**
 * Push local issues of the connector's system. Without sync bases this is the original: list the
 * whole remote, visit every local issue. With bases only unsynced issues are visited, and their
 * remote copy comes from this run's pull, a `getIssue` each, or one listing if that is cheaper.
 */
export async function runPush(
  run: SyncRun,
  limit: number | undefined,
  filters: Filters,
  fallbackLimit = DEFAULT_PUSH_PAGE_SIZE,
): Promise<SyncResult> {
  if (limit !== undefined) checkPageSize(limit);
  const result = createSyncResult();
  run.beginPhase();
  // A pull that was stopped (rate limited, tracker not answering) leaves nothing to push to.
  if (run.stoppedBy !== null) return result;
  await pushLocalDeletions(run, result);
  // A tombstoned issue is gone (or being deleted): never created again, nor pushed as an edit.
  const gone = await tombstonedIdentities(run);
  const live = ({ issue }: UnsyncedIssue): boolean => !gone.has(refIdentity(issue.ref));
  let candidates: UnsyncedIssue[];
  // Issues visited only for a resolution: updated if the tracker has them, never created.
  let resolvedOnly = new Set<string>();
  let index: Map<string, CanonicalIssue> | null = null;
  if (run.bases === null) {
    index = run.pullSawEverything
      ? run.seen
      : await listAllRemote(run, await pageSizeFor(run, limit, fallbackLimit), filters, null);
    const locals = await run.store.listIssues({ system: run.connector.name });
    candidates = locals.map((issue) => ({ issue, base: null as CanonicalIssue | null })).filter(live);
  } else {
    const { unsynced, total } = await listUnsynced(run);
    const extra = await resolvedButSynced(run, unsynced);
    resolvedOnly = new Set(extra.map(({ issue }) => refIdentity(issue.ref)));
    candidates = [...unsynced, ...extra].filter(live);
    if (candidates.length === 0) return result;
    if (run.pullSawEverything) {
      index = run.seen;
    } else {
      const wanted = new Set<string>();
      let lookups = 0;
      for (const { issue } of candidates) {
        const identity = refIdentity(issue.ref);
        wanted.add(identity);
        if (!run.seen.has(identity)) lookups += 1;
      }
      const pageSize = await pageSizeFor(run, limit, fallbackLimit);
      // One getIssue per unseen candidate, unless listing everything needs fewer calls.
      if (lookups > Math.ceil(total / pageSize) + 1)
        index = await listAllRemote(run, pageSize, filters, wanted);
    }
  }
  run.capabilities ??= await run.connector.getCapabilities();
  for (const { issue: local, base } of candidates) {
    run.signal?.throwIfAborted();
    if (run.stoppedBy !== null) break;
    const identity = refIdentity(local.ref);
    const remote =
      index !== null
        ? (index.get(identity) ?? null)
        : (run.seen.get(identity) ?? (await run.lookupRemote(local.ref)));
    if (remote === null) {
      // Synced before and now missing: created again only when the tracker says it still exists.
      if (base !== null) {
        const verdict = await goneAfterNotFound(run, result, local.ref);
        if (verdict === 'gone' || verdict === 'unknown') continue;
      }
      if (!resolvedOnly.has(identity)) await pushCreate(run, result, local);
    } else await pushUpdate(run, result, { local, remote, base }, run.capabilities);
  }
  return result;
}

/**
 * The original's remote index: every page from the start, later duplicates win; errors abort.
 * With `wanted`, only those identities are indexed (the push looks up no others).
 */
async function listAllRemote(
  run: SyncRun,
  limit: number,
  filters: Filters,
  wanted: ReadonlySet<string> | null,
): Promise<Map<string, CanonicalIssue>> {
  const index = new Map<string, CanonicalIssue>();
  let cursor: string | null = null;
  const walk = createSyncPageWalk(run.connector.name, run.settings.maxPages, null, false);
  do {
    if (cursor !== null) walk.next(cursor);
    run.signal?.throwIfAborted();
    const query = { updatedSince: null, cursor, limit, filters };
    const page: Page<CanonicalIssue> = await retryOperation(
      (operation) => run.connector.listIssues(withOperationSignal({ ...query }, operation)),
      run.retryOptions('pull_page'),
    );
    run.emit({ type: 'page', phase: 'push', cursor, nextCursor: page.nextCursor, items: page.items.length });
    for (const issue of page.items) {
      const identity = refIdentity(issue.ref);
      if (wanted === null || wanted.has(identity)) index.set(identity, issue);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return index;
}

/**
 * Issues with a host resolution that are not unsynced (both sides already agree, e.g. the conflict
 * was settled by hand on one side): still visited, so a resolution whose value differs is applied
 * and one that both sides already hold is reported as applied.
 */
async function resolvedButSynced(run: SyncRun, unsynced: readonly UnsyncedIssue[]): Promise<UnsyncedIssue[]> {
  if (run.resolutions.size === 0 || run.bases === null) return [];
  const listed = new Set(unsynced.map(({ issue }) => refIdentity(issue.ref)));
  const extra: UnsyncedIssue[] = [];
  for (const ref of run.resolutions.refs()) {
    if (listed.has(refIdentity(ref))) continue;
    const issue = await run.store.getIssue(ref);
    const base = await run.bases.getSyncBase(ref);
    // Without a base it would be unsynced already; an issue unknown locally has nothing to apply.
    if (issue !== null && base !== null) extra.push({ issue, base });
  }
  return extra;
}

/** Local issues whose content is not on the tracker yet; the store answers it if it can. */
async function listUnsynced(run: SyncRun): Promise<{ unsynced: UnsyncedIssue[]; total: number }> {
  const system = run.connector.name;
  // A local value the tracker cannot represent differs from the base forever; compared through
  // the projection it is synced, so it costs no getIssue (nor a write) on every run.
  const isUnsynced = ({ issue, base }: UnsyncedIssue): boolean =>
    base === null || !contentEqual(run.project(issue), run.project(base));
  if (supportsUnsyncedListing(run.store)) {
    // The store compares exactly, which only ever reports more issues than the projection does.
    const listed = await run.store.listUnsyncedIssues({ system });
    return { unsynced: listed.unsynced.filter(isUnsynced), total: listed.total };
  }
  const locals = await run.store.listIssues({ system });
  const unsynced: UnsyncedIssue[] = [];
  for (const issue of locals) {
    const base = run.bases ? await run.bases.getSyncBase(issue.ref) : null;
    if (isUnsynced({ issue, base })) unsynced.push({ issue, base });
  }
  return { unsynced, total: locals.length };
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

/** The update path: merge, patch of changed core fields, capability exclusion, guarded update. */
async function pushUpdate(
  run: SyncRun,
  result: SyncResult,
  { local, remote, base }: { local: CanonicalIssue; remote: CanonicalIssue; base: CanonicalIssue | null },
  caps: TrackerCapabilities,
  afterConcurrentEdit = false,
): Promise<void> {
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
  const patch: Record<string, unknown> = {};
  // A field whose desired value would read back as the remote value is not patched: the
  // tracker cannot hold the difference, and re-sending it would be a write on every sync.
  // A held manual-review field is not patched either: it waits for the host's resolution.
  const projected = run.project(desired);
  const projectedRemote = run.project(remote);
  for (const field of CORE_ISSUE_FIELDS) {
    if (!pending.includes(field) && !syncFieldEqual(field, projectedRemote, projected))
      patch[field] = desired[field];
  }
  const unsent = new Set<string>();
  if ('assignees' in patch && !caps.supportsAssignment) {
    delete patch.assignees;
    unsent.add('assignees');
    denied(run, result, local.ref, ASSIGNEES_EXCLUDED);
  }
  if ('status' in patch && TERMINAL_STATUSES.has(desired.status) && !caps.supportsTerminalTransition) {
    delete patch.status;
    unsent.add('status');
    denied(run, result, local.ref, STATUS_EXCLUDED);
  }
  if ('assignees' in patch) reportDroppedAssignees(run, result, desired, caps);
  const settled =
    resolutions.values.size === 0 ? [] : [...resolutions.values.keys()].filter((field) => !unsent.has(field));
  if (Object.keys(patch).length === 0) {
    // Materialise the resolution locally so the same conflict is not re-reported forever.
    if (!issuesEqual(desired, local)) await run.writeLocal(desired, 'update');
    result.stats.skipped += 1;
    run.markApplied(result, resolutions, settled);
    await run.recordBase(remote, base, pending);
    return;
  }
  if ('customFields' in patch) {
    try {
      assertNoForbiddenLegacyKeys({ custom_fields: { ...(patch.customFields as object) } });
    } catch (error) {
      if (!ModelValidationError.isInstance(error)) throw error;
      run.fail(result, {
        issueRef: local.ref,
        operation: 'update',
        failureClass: null,
        message: error.message,
        retryable: false,
      });
      return;
    }
  }
  // The same key on every retry and every run, as the original.
  const idempotencyKey = `sync:${refIdentity(local.ref)}`;
  const issuePatch = patch as IssuePatch;
  if (run.observed) {
    run.emit({
      type: 'write',
      write: { target: 'remote', action: 'update', ref: local.ref, patch: issuePatch, idempotencyKey },
    });
  }
  let updated: CanonicalIssue;
  if (run.dryRun) {
    updated = run.project({ ...remote, ...issuePatch } as CanonicalIssue);
  } else {
    try {
      updated = await retryOperation(
        (operation) =>
          run.connector.updateIssue(
            local.ref,
            issuePatch,
            withOperationSignal({ idempotencyKey }, operation),
          ),
        run.retryOptions('update'),
      );
    } catch (error) {
      if (ConcurrentModificationError.isInstance(error) && !afterConcurrentEdit) {
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
      // Gone from the tracker: its tombstone is recorded instead of a failure.
      if (await handledAsGone(run, result, local.ref, error)) return;
      run.fail(
        result,
        {
          issueRef: local.ref,
          operation: 'update',
          failureClass: writeFailureClass(error),
          message: (error as Error).message,
          retryable: false,
        },
        error,
      );
      return;
    }
  }
  // With a base, merge the resolution with the answer against what we patched, so a conflict
  // settled above is not reported twice; without one, the original's merge(local, answer), with
  // any host-resolved values in place of the local ones so the answer confirms rather than fights them.
  const post =
    base === null
      ? run.mergeAnswer(
          { ...local, ...Object.fromEntries(resolutions.values) } as CanonicalIssue,
          updated,
          null,
        )
      : run.mergeAnswer(desired, updated, remote);
  run.addConflicts(result, post.conflicts);
  if (!issuesEqual(post.merged, local)) await run.writeLocal(post.merged, 'update');
  result.stats.pushedUpdated += 1;
  run.markApplied(result, resolutions, settled);
  await run.recordBase(updated, base, pending);
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
