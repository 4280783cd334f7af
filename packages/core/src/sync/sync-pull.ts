import { ConnectorRequestError, ModelValidationError } from '../errors/errors';
import { refIdentity } from '../model/external-ref';
import { type CanonicalIssue, type CoreIssueField, issuesEqual } from '../model/issue';
import { createCheckpoint, type Page } from '../model/page';
import { supportsPrefetch } from '../store/issue-store';
import { withOperationSignal } from './operation-deadlines';
import { dedupePage, syncFieldEqual } from './sync-merge';
import { createSyncPageWalk } from './sync-page-walk';
import type { IssueResolutions } from './sync-resolutions';
import { createSyncResult, type SyncResult } from './sync-result';
import { retryOperation } from './sync-retry';
import type { SyncRun } from './sync-run';
import { recordRemoteTombstone, startGoneSweep, sweepGone, sweepSaw } from './sync-tombstones';

/** The original loops forever on `limit: 0` (edge case §16); a page size must be a positive integer. */
export function checkPageSize(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ModelValidationError(`limit must be a positive integer, got ${String(limit)}`);
  }
  return limit;
}

/** Page sizes when neither the host (`limit`) nor the connector (`maxPageSize`) names one. */
export const DEFAULT_PULL_PAGE_SIZE = 100;
export const DEFAULT_PUSH_PAGE_SIZE = 200;
/**
 * Empty pages in a row whose checkpoint (only the cursor moves) may wait for the next write: a
 * pull over a tracker that filters after paging makes one write per this many pages instead of
 * one per page, and a crash re-reads at most this many empty pages.
 */
export const EMPTY_PAGES_PER_CHECKPOINT = 100;

/**
 * The page size of a listing: the host's `limit`, else the connector's declared `maxPageSize`
 * (a capability, so a listing takes as few calls as the vendor allows), else `fallback`.
 */
export async function pageSizeFor(
  run: SyncRun,
  limit: number | undefined,
  fallback: number,
): Promise<number> {
  if (limit !== undefined) return checkPageSize(limit);
  run.capabilities ??= await run.connector.getCapabilities();
  const declared = run.capabilities.maxPageSize;
  return declared !== undefined && Number.isInteger(declared) && declared >= 1 ? declared : fallback;
}

/**
 * The original's pull: walk pages from the checkpoint with a fixed watermark, de-duplicate each
 * page, merge each item into the store, checkpoint after every page. A listing failure is
 * recorded as `pull_page` and ends the walk without advancing the checkpoint.
 */
export async function runPull(
  run: SyncRun,
  limit: number,
  filters: Readonly<Record<string, unknown>> | undefined,
): Promise<SyncResult> {
  checkPageSize(limit);
  const result = createSyncResult();
  run.beginPhase();
  const scope = run.settings.scopeFor(filters);
  const start = await run.settings.loadCheckpoint(run, scope);
  let cursor = start.cursor;
  const querySince = start.updatedSince;
  let maxUpdatedAt = start.updatedSince;
  let complete = true;
  const walk = createSyncPageWalk(run.connector.name, run.settings.maxPages, start.cursor, true);
  // A full walk may end with a check of the stored issues it did not see (see sweepGone).
  const sweep =
    start.cursor === null && querySince === null && run.tombstones !== null && run.connector.checkGone
      ? await startGoneSweep(run)
      : null;
  // The next page is requested as soon as its cursor is known, so the tracker's latency overlaps
  // the merge and commit of the page before it. Only one listing is in flight, and its failure is
  // handled only after that page is committed, exactly as if it had been requested afterwards.
  const readPage = (pageCursor: string | null): Promise<Page<CanonicalIssue>> => {
    const query = { updatedSince: querySince, cursor: pageCursor, limit, filters };
    return retryOperation(
      (operation) => run.connector.listIssues(withOperationSignal(query, operation)),
      run.retryOptions('pull_page'),
    );
  };
  let ahead: Promise<Page<CanonicalIssue>> | null = null;
  // Empty pages read since the checkpoint was last written (their cursor is not written yet).
  let unsaved = 0;
  const save = (): Promise<void> => {
    unsaved = 0;
    return run.settings.saveCheckpoint(run, scope, createCheckpoint({ cursor, updatedSince: maxUpdatedAt }));
  };
  for (;;) {
    run.signal?.throwIfAborted();
    let page: Page<CanonicalIssue>;
    try {
      page = await (ahead ?? readPage(cursor));
    } catch (error) {
      if (!ConnectorRequestError.isInstance(error)) throw error;
      run.fail(
        result,
        {
          issueRef: null,
          operation: 'pull_page',
          failureClass: error.failureClass,
          message: error.message,
          retryable: error.isRetryable,
        },
        error,
      );
      complete = false;
      if (unsaved > 0) await save();
      break;
    }
    ahead = null;
    if (run.listened) {
      run.emit({
        type: 'page',
        phase: 'pull',
        cursor,
        nextCursor: page.nextCursor,
        items: page.items.length,
      });
    }
    // The page's items are merged either way; a looping cursor is never written as the checkpoint.
    const stop = page.nextCursor === null ? null : walk.refusal(page.nextCursor);
    if (page.nextCursor !== null && stop === null) {
      ahead = readPage(page.nextCursor);
      // Awaited (and its failure handled) once this page is done; until then it is not unhandled.
      ahead.catch(handledLater);
    }
    if (page.items.length === 0 && (page.tombstones === undefined || page.tombstones.length === 0)) {
      // Nothing to merge (an empty page of a tracker that filters after paging): the checkpoint
      // is the page's only write, atomic on its own (no batch), and may wait (see
      // EMPTY_PAGES_PER_CHECKPOINT); the walk's last page and every stop write it.
      if (stop?.reason !== 'repeated_cursor') {
        cursor = page.nextCursor;
        unsaved += 1;
        if (cursor === null || unsaved >= EMPTY_PAGES_PER_CHECKPOINT) await save();
      }
    } else {
      // A batching store commits the page's writes with its checkpoint, at once (one transaction).
      await run.batch(async () => {
        const items = dedupePage(page.items);
        // A store across the network reads the page's issues and bases in one round trip.
        if (supportsPrefetch(run.store)) await run.store.prefetch(items.map((item) => item.ref));
        for (const external of items) {
          run.signal?.throwIfAborted();
          if (
            external.updatedAt &&
            (maxUpdatedAt === null || external.updatedAt.getTime() > maxUpdatedAt.getTime())
          ) {
            maxUpdatedAt = external.updatedAt;
          }
          const pulling = pullOne(run, result, external);
          if (pulling !== undefined) await pulling;
          if (sweep !== null) sweepSaw(sweep, external.ref);
        }
        if (page.tombstones !== undefined && page.tombstones.length > 0) {
          // An issue the same page lists is not gone, whatever else the page says.
          const listed = new Set(page.items.map((item) => refIdentity(item.ref)));
          for (const tombstone of page.tombstones) {
            sweep?.workspaces.add(tombstone.ref.workspace);
            if (!listed.has(refIdentity(tombstone.ref))) await recordRemoteTombstone(run, result, tombstone);
          }
        }
        if (stop?.reason === 'repeated_cursor') return;
        cursor = page.nextCursor;
        await save();
      });
    }
    if (stop !== null) {
      if (unsaved > 0) await save();
      run.fail(
        result,
        {
          issueRef: null,
          operation: 'pull_page',
          failureClass: stop.failureClass,
          message: stop.message,
          retryable: false,
        },
        stop,
      );
      complete = false;
      break;
    }
    if (cursor === null) break;
  }
  run.pullSawEverything = complete && start.cursor === null && querySince === null;
  if (run.pullSawEverything && sweep !== null) await sweepGone(run, result, sweep);
  return result;
}

/** Marks a page read ahead as handled until its turn (it is awaited then). */
function handledLater(): void {}

/**
 * Merges one remote issue into the store (a pull item; also a webhook event's re-read issue).
 * Returns a promise while store calls are pending; undefined when the store answered at once.
 */
export function pullOne(
  run: SyncRun,
  result: SyncResult,
  external: CanonicalIssue,
): Promise<void> | undefined {
  const immediate = run.immediate;
  if (immediate === null) return readAndApply(run, result, external);
  const local = immediate.getIssue(external.ref);
  const base = local === null || run.bases === null ? null : immediate.getSyncBase(external.ref);
  return applyPulled(run, result, external, local, base);
}

async function readAndApply(run: SyncRun, result: SyncResult, external: CanonicalIssue): Promise<void> {
  const local = await run.store.getIssue(external.ref);
  const base = local !== null && run.bases ? await run.bases.getSyncBase(external.ref) : null;
  await applyPulled(run, result, external, local, base);
}

// Not `async`, nor the steps after a write: with an in-process store nothing here waits.
function applyPulled(
  run: SyncRun,
  result: SyncResult,
  external: CanonicalIssue,
  local: CanonicalIssue | null,
  base: CanonicalIssue | null,
): Promise<void> | undefined {
  if (local === null) {
    // A brand-new remote issue is stored exactly as received.
    if (run.pullKeeps(external, null, null, null, false)) run.seen.set(refIdentity(external.ref), external);
    const created = run.writeNew(external);
    if (created !== undefined) return created.then(() => pulledNew(result));
    pulledNew(result);
    return;
  }
  const resolutions = run.resolutionsFor(result, local);
  const { merged, conflicts, discarded, pending } = run.merge(local, external, base, resolutions.values);
  run.addConflicts(result, conflicts);
  run.addDiscarded(result, discarded);
  if (run.pullKeeps(external, local, base, merged, pending.length > 0 || resolutions.values.size > 0))
    run.seen.set(refIdentity(external.ref), external);
  const pulled: PulledMerge = { external, merged, base, pending, resolutions };
  // Unlike the original, an unchanged issue is not rewritten: a no-op pull makes no store writes.
  if (issuesEqual(merged, local)) {
    result.stats.skipped += 1;
    return settlePulled(run, result, pulled);
  }
  const updated = run.writeLocal(merged, 'update');
  if (updated !== undefined) return updated.then(() => pulledUpdate(run, result, pulled));
  return pulledUpdate(run, result, pulled);
}

/** A pulled issue the store held, merged: what is left to settle once the merge is written. */
interface PulledMerge {
  external: CanonicalIssue;
  merged: CanonicalIssue;
  base: CanonicalIssue | null;
  pending: readonly CoreIssueField[];
  resolutions: IssueResolutions;
}

function pulledNew(result: SyncResult): void {
  result.stats.pulledCreated += 1;
}

function pulledUpdate(run: SyncRun, result: SyncResult, pulled: PulledMerge): Promise<void> | undefined {
  result.stats.pulledUpdated += 1;
  return settlePulled(run, result, pulled);
}

/** The resolutions a pull settled, and the new base. */
function settlePulled(
  run: SyncRun,
  result: SyncResult,
  { external, merged, base, pending, resolutions }: PulledMerge,
): Promise<void> | undefined {
  // A pull writes only locally: a resolution is settled here only if the tracker already holds
  // its value; otherwise the local copy now differs from the base and the push sends it.
  if (resolutions.values.size > 0) {
    const projectedExternal = run.project(external);
    const projectedMerged = run.project(merged);
    const settled = [...resolutions.values.keys()].filter((field) =>
      syncFieldEqual(field, projectedExternal, projectedMerged),
    );
    run.markApplied(result, resolutions, settled);
  }
  return run.recordBase(external, base, pending);
}
