import { batchesOf } from '../http/batches-of';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import type { Page } from '../model/page';
import { supportsUnsyncedListing, type UnsyncedIssue } from '../store/issue-store';
import { withOperationSignal } from './operation-deadlines';
import { pushCreate } from './sync-create';
import { contentEqual } from './sync-merge';
import { createSyncPageWalk } from './sync-page-walk';
import { checkPageSize, DEFAULT_PUSH_PAGE_SIZE, pageSizeFor } from './sync-pull';
import { pushUpdate } from './sync-push-update';
import { createSyncResult, type SyncResult } from './sync-result';
import { retryOperation } from './sync-retry';
import type { SyncRun } from './sync-run';
import { goneAfterNotFound, pushLocalDeletions, tombstonedIdentities } from './sync-tombstones';

type Filters = Readonly<Record<string, unknown>> | undefined;

/**
 * Push local issues of the connector's system. Without sync bases this is the original: list the
 * whole remote, visit every local issue. With bases only unsynced issues are visited, and their
 * remote copy comes from this run's pull, the connector's bulk read (`getIssues`), a `getIssue`
 * each, or one listing if that is cheaper.
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
  // Remote copies found by a listing, by candidate position (one look-up per listed issue).
  let listed: (CanonicalIssue | undefined)[] | null = null;
  if (run.bases === null) {
    index = run.pullSawEverything
      ? run.seen
      : await listAllRemote(run, await pageSizeFor(run, limit, fallbackLimit), filters);
    const locals = await run.store.listIssues({ system: run.connector.name });
    candidates = locals.map((issue) => ({ issue, base: null as CanonicalIssue | null })).filter(live);
  } else {
    const { unsynced, total } = await listUnsynced(run);
    const extra = await resolvedButSynced(run, unsynced);
    resolvedOnly = new Set(extra.map(({ issue }) => refIdentity(issue.ref)));
    // Usually nothing to add or drop: then the store's listing is the candidate list as it is.
    candidates = extra.length === 0 && gone.size === 0 ? unsynced : [...unsynced, ...extra].filter(live);
    if (candidates.length === 0) return result;
    // Positions of the candidates to read: this run's pull settled where the others are.
    const unsettled: number[] = [];
    for (let position = 0; position < candidates.length; position++) {
      const { issue, base } = candidates[position] as UnsyncedIssue;
      if (!run.seenSettles(issue, base)) unsettled.push(position);
    }
    const lookups = unsettled.length;
    if (lookups === 0) {
      index = run.seen;
    } else {
      const pageSize = await pageSizeFor(run, limit, fallbackLimit);
      if (lookups > 1 && run.connector.getIssues !== undefined) {
        // A bulk read: a page of candidates per call, never more calls than a getIssue each or a listing.
        listed = await readRemoteCopies(run, candidates, unsettled, pageSize);
      } else if (lookups > Math.ceil(total / pageSize) + 1) {
        // One getIssue per unseen candidate, unless listing everything needs fewer calls.
        const positions = positionsOf(candidates);
        const found = new Array<CanonicalIssue | undefined>(candidates.length);
        // Only the candidates' remote copies are kept (the push looks up no others).
        await walkRemote(run, pageSize, filters, (identity, issue) => {
          const position = positions.get(identity);
          if (position !== undefined) found[position] = issue;
        });
        listed = found;
      }
    }
  }
  run.capabilities ??= await run.connector.getCapabilities();
  for (let position = 0; position < candidates.length; position++) {
    const { issue: local, base } = candidates[position] as UnsyncedIssue;
    run.signal?.throwIfAborted();
    if (run.stoppedBy !== null) break;
    const identity = refIdentity(local.ref);
    const remote =
      listed !== null
        ? (listed[position] ?? null)
        : index !== null
          ? (index.get(identity) ?? null)
          : (run.seen.get(identity) ??
            (run.seenSettles(local, base) ? null : await run.lookupRemote(local.ref)));
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
 * The candidates' remote copies by position: this run's pull where it kept them, else (for the
 * `unsettled` positions) the connector's `getIssues`, `pageSize` refs per call. A ref it leaves
 * out (or answers under another identity) has no remote copy, as when a `getIssue` finds nothing;
 * errors abort, as a listing's do.
 */
async function readRemoteCopies(
  run: SyncRun,
  candidates: readonly UnsyncedIssue[],
  unsettled: readonly number[],
  pageSize: number,
): Promise<(CanonicalIssue | undefined)[]> {
  const found = new Array<CanonicalIssue | undefined>(candidates.length);
  if (run.seen.size > 0) {
    for (let position = 0; position < candidates.length; position++) {
      found[position] = run.seen.get(refIdentity((candidates[position] as UnsyncedIssue).issue.ref));
    }
  }
  for (const asked of batchesOf(unsettled, pageSize)) {
    run.signal?.throwIfAborted();
    const refs = asked.map((position) => (candidates[position] as UnsyncedIssue).issue.ref);
    const issues = await run.readRemoteBatch(refs);
    // Trackers usually answer in the order asked: then no index of the batch is needed.
    let next = 0;
    let byIdentity: Map<string, number> | null = null;
    for (const issue of issues) {
      const identity = refIdentity(issue.ref);
      if (byIdentity === null && next < refs.length && refIdentity(refs[next] as ExternalRef) === identity) {
        found[asked[next] as number] = issue;
        next += 1;
        continue;
      }
      byIdentity ??= positionsOf(candidates, asked);
      const position = byIdentity.get(identity);
      if (position !== undefined) found[position] = issue;
    }
  }
  return found;
}

/** Candidate positions by identity: of `positions`, or of every candidate when none is given. */
function positionsOf(
  candidates: readonly UnsyncedIssue[],
  positions?: readonly number[],
): Map<string, number> {
  const byIdentity = new Map<string, number>();
  const count = positions === undefined ? candidates.length : positions.length;
  for (let index = 0; index < count; index++) {
    const position = positions === undefined ? index : (positions[index] as number);
    byIdentity.set(refIdentity((candidates[position] as UnsyncedIssue).issue.ref), position);
  }
  return byIdentity;
}

/** The original's remote index: every page from the start, later duplicates win; errors abort. */
async function listAllRemote(
  run: SyncRun,
  limit: number,
  filters: Filters,
): Promise<Map<string, CanonicalIssue>> {
  const index = new Map<string, CanonicalIssue>();
  await walkRemote(run, limit, filters, (identity, issue) => index.set(identity, issue));
  return index;
}

/** Hands every listed issue, page by page from the start, to `visit`; errors abort. */
async function walkRemote(
  run: SyncRun,
  limit: number,
  filters: Filters,
  visit: (identity: string, issue: CanonicalIssue) => void,
): Promise<void> {
  let cursor: string | null = null;
  const walk = createSyncPageWalk(run.connector.name, run.settings.maxPages, null, false);
  do {
    if (cursor !== null) walk.next(cursor);
    run.signal?.throwIfAborted();
    const query = { updatedSince: null, cursor, limit, filters };
    const page: Page<CanonicalIssue> = await retryOperation(
      (operation) => run.connector.listIssues(withOperationSignal(query, operation)),
      run.retryOptions('pull_page'),
    );
    if (run.listened) {
      run.emit({
        type: 'page',
        phase: 'push',
        cursor,
        nextCursor: page.nextCursor,
        items: page.items.length,
      });
    }
    for (const issue of page.items) visit(refIdentity(issue.ref), issue);
    cursor = page.nextCursor;
  } while (cursor !== null);
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
