// `SyncEngine.syncEvents`: sync just the issues that webhook events touched, with the same
// per-issue steps as `sync` (pullOne, pushUpdate, the checkGone/tombstone path), so the policy,
// conflict records, discards and bases are those of a sync that saw the same issues.
import { ConnectorRequestError } from '../errors/errors';
import { FailureClass } from '../errors/failure-class';
import { batchesOf } from '../http/batches-of';
import { TrackerEventType } from '../model/enums';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import type { SyncCheckpoint, TrackerEvent } from '../model/page';
import { contentEqual } from './sync-merge';
import { DEFAULT_PULL_PAGE_SIZE, pageSizeFor, pullOne } from './sync-pull';
import { pushUpdate } from './sync-push-update';
import {
  createSyncResult,
  formatSyncFailure,
  type SyncEventsGap,
  type SyncEventsSummary,
  SyncOperation,
  type SyncResult,
} from './sync-result';
import { stopsRun } from './sync-retry';
import type { SyncRun } from './sync-run';
import { goneAfterNotFound, pushLocalDeletions } from './sync-tombstones';
import { eventKey, type RecentEventKeys } from './sync-webhook-events-recent';
import { failureClassOf, isCapturedWriteError } from './sync-write-errors';

/** `getIssue` calls one `syncEvents` run keeps in flight at most. */
export const EVENT_READ_CONCURRENCY = 4;

/**
 * How much newer than an event the issue's sync base must be before the event is taken as
 * already incorporated (see `carriesNoNews`): absorbs clock skew between the vendor's servers and
 * the host clock some connectors fall back to when a payload has no timestamp.
 */
export const EVENT_CLOCK_MARGIN_MS = 5 * 60_000;

/** The events of one issue in one call, after de-duplication. */
interface TouchedIssue {
  readonly ref: ExternalRef;
  readonly identity: string;
  /** De-duplication keys of its events, remembered once the issue synced without a failure. */
  readonly keys: string[];
  /** The latest of its events reports a deletion (a later event, e.g. a restore, re-reads it). */
  deleted: boolean;
  /** Newest event timestamp (ms; NaN when a timestamp is invalid, which never skips a read). */
  newest: number;
}

/** What `runSyncEvents` hands back to the engine (which adds the gap sync). */
export interface SyncEventsOutcome {
  readonly result: SyncResult;
  readonly summary: Omit<SyncEventsSummary, 'gapSync'>;
}

/** Whether an event reports its issue gone (`deleted`, or a parser's `payload.deleted: true`). */
export function isDeletionEvent(event: TrackerEvent): boolean {
  return event.eventType === TrackerEventType.DELETED || event.payload.deleted === true;
}

/**
 * The engine's own gap check before a `syncEvents` run: no checkpoint for the scope and no
 * complete walk of it by this process (nothing was ever synced incrementally, so events alone
 * cannot make the store whole; an empty or unstamped tracker leaves an empty checkpoint after a
 * walk, which is not a gap), or a checkpoint older than `maxAgeMs`. Its age counts from the last complete incremental walk this process made for
 * the scope (`confirmedAt`, host clock), else from its watermark (the newest tracker `updatedAt`
 * seen, which is never later than that walk, so a fresh process errs towards syncing).
 */
export function checkpointGap(
  checkpoint: SyncCheckpoint,
  confirmedAt: number | null,
  maxAgeMs: number | undefined,
  now: number,
): SyncEventsGap | null {
  if (checkpoint.cursor === null && checkpoint.updatedSince === null && confirmedAt === null)
    return 'no_checkpoint';
  if (maxAgeMs === undefined) return null;
  const since = Math.max(confirmedAt ?? Number.NEGATIVE_INFINITY, checkpoint.updatedSince?.getTime() ?? 0);
  return now - since > maxAgeMs ? 'stale_checkpoint' : null;
}

/**
 * Syncs the issues `events` touch: de-duplicates the events, re-reads each distinct issue with
 * the connector's bulk read (`getIssues`, a page of issues per call) when it has one and more
 * than one issue is read, else with `getIssue` (at most `EVENT_READ_CONCURRENCY` at a time);
 * never a listing. It merges each as a pull item, then pushes pending local edits (and local
 * deletions) of those issues only. Deletions and not-found reads go through `checkGone`; a
 * failed read is a failure, never a deletion.
 */
export async function runSyncEvents(
  run: SyncRun,
  events: readonly TrackerEvent[],
  recent: RecentEventKeys,
): Promise<SyncEventsOutcome> {
  const result = createSyncResult();
  run.beginPhase();
  const { touched, duplicates } = collectTouched(events, recent);
  const toRead: TouchedIssue[] = [];
  let skippedIssues = 0;
  let skippedEvents = 0;
  for (const issue of touched) {
    run.signal?.throwIfAborted();
    if (issue.deleted ? await deletionKnown(run, issue.ref) : await carriesNoNews(run, issue)) {
      skippedIssues += 1;
      skippedEvents += issue.keys.length;
      continue;
    }
    if (issue.deleted && run.stoppedBy === null) {
      // `exists` (or a connector that cannot tell) falls through to a read, which decides.
      const verdict = await goneAfterNotFound(run, result, issue.ref);
      if (verdict === 'gone' || verdict === 'unknown') continue;
    }
    toRead.push(issue);
  }
  const remotes = await readTouched(run, result, toRead);
  // A batching store commits the merged issues and their bases at once (one transaction).
  await run.batch(async () => {
    for (const remote of remotes) {
      run.signal?.throwIfAborted();
      await pullOne(run, result, remote);
    }
  });
  run.beginPhase();
  await pushTouched(run, result, remotes);
  rememberSynced(run, result, touched, recent);
  return {
    result,
    summary: {
      received: events.length,
      duplicates,
      skipped: skippedEvents,
      issues: touched.length - skippedIssues,
    },
  };
}

function collectTouched(
  events: readonly TrackerEvent[],
  recent: RecentEventKeys,
): { touched: TouchedIssue[]; duplicates: number } {
  const byIdentity = new Map<string, TouchedIssue>();
  const keys = new Set<string>();
  let duplicates = 0;
  for (const event of events) {
    const key = eventKey(event);
    if (keys.has(key) || recent.has(key)) {
      duplicates += 1;
      continue;
    }
    keys.add(key);
    const identity = refIdentity(event.issueRef);
    let issue = byIdentity.get(identity);
    if (issue === undefined) {
      issue = { ref: event.issueRef, identity, keys: [], deleted: false, newest: Number.NEGATIVE_INFINITY };
      byIdentity.set(identity, issue);
    }
    issue.keys.push(key);
    issue.deleted = isDeletionEvent(event);
    issue.newest = Math.max(issue.newest, event.timestamp.getTime());
  }
  return { touched: [...byIdentity.values()], duplicates };
}

/**
 * Whether re-reading the issue cannot bring news, so its events are skipped. Only when all of:
 * the engine keeps sync bases; the issue's base (the tracker's copy last incorporated) has an
 * `updatedAt` more than `EVENT_CLOCK_MARGIN_MS` newer than the newest of its events; the local
 * copy has no pending edit (equals the base as the tracker reads it); and no host resolution
 * names it. The base then already holds a later state of the issue than any of its events
 * describes (a late or redelivered event). Clock assumption: both times come from the tracker's
 * clock (connectors take the event time from the payload: the issue's `updated_at`, or the
 * vendor's notification time, which is never earlier than the change), except where a payload
 * has none and a connector stamps the host's time; the margin absorbs skew up to five minutes.
 * Everything else (no base, no timestamp, an equal or nearly equal time, an invalid date) is
 * re-read: one `getIssue` too many is cheap, a missed change is not.
 */
async function carriesNoNews(run: SyncRun, issue: TouchedIssue): Promise<boolean> {
  if (run.bases === null || !Number.isFinite(issue.newest)) return false;
  if (run.resolutions.size > 0 && run.resolutions.refs().some((ref) => refIdentity(ref) === issue.identity))
    return false;
  const base = await run.bases.getSyncBase(issue.ref);
  if (base?.updatedAt == null || !(base.updatedAt.getTime() - issue.newest > EVENT_CLOCK_MARGIN_MS))
    return false;
  const local = await run.store.getIssue(issue.ref);
  return local !== null && contentEqual(run.project(local), run.project(base));
}

/**
 * Whether a deletion event cannot bring news: the store does not hold the issue (nothing to
 * mark), or already holds its remote tombstone (or a pushed local deletion).
 */
async function deletionKnown(run: SyncRun, ref: ExternalRef): Promise<boolean> {
  if ((await run.store.getIssue(ref)) === null) return true;
  const existing = run.tombstones === null ? null : await run.tombstones.getTombstone(ref);
  return existing !== null && (existing.origin === 'remote' || existing.pushed);
}

type ReadOutcome =
  | { readonly kind: 'read'; readonly remote: CanonicalIssue | null }
  | { readonly kind: 'failed'; readonly error: Error }
  | { readonly kind: 'not_read' };

const NOT_READ: ReadOutcome = { kind: 'not_read' };

/**
 * Reads the issues with bounded concurrency, then handles the outcomes in event order (so the
 * failures and tombstones are recorded deterministically). Returns the remote copies found.
 */
async function readTouched(
  run: SyncRun,
  result: SyncResult,
  issues: readonly TouchedIssue[],
): Promise<CanonicalIssue[]> {
  const outcomes = await readConcurrently(run, issues);
  run.signal?.throwIfAborted();
  const remotes: CanonicalIssue[] = [];
  for (const [index, issue] of issues.entries()) {
    const outcome = outcomes[index] ?? NOT_READ;
    if (outcome.kind === 'read' && outcome.remote !== null) remotes.push(outcome.remote);
    else if (outcome.kind === 'read') await readNotFound(run, result, issue.ref);
    else if (outcome.kind === 'failed') readFailed(run, result, issue.ref, outcome.error);
    else {
      const stop = run.stoppedBy;
      run.fail(result, {
        issueRef: issue.ref,
        operation: SyncOperation.GET_ISSUE,
        failureClass: stop?.failureClass ?? null,
        message: `not read: the run stopped first (${stop === null ? 'aborted' : formatSyncFailure(stop)})`,
        retryable: true,
      });
    }
  }
  return remotes;
}

async function readConcurrently(run: SyncRun, issues: readonly TouchedIssue[]): Promise<ReadOutcome[]> {
  if (issues.length > 1 && run.connector.getIssues !== undefined) return readInBatches(run, issues);
  const outcomes: ReadOutcome[] = [];
  let next = 0;
  // A rate limit or a tracker not answering stops the run: no further reads are started.
  let stopped = run.stoppedBy !== null;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < issues.length; index = next++) {
      const issue = issues[index] as TouchedIssue;
      if (stopped || run.signal?.aborted) {
        outcomes[index] = NOT_READ;
        continue;
      }
      try {
        outcomes[index] = { kind: 'read', remote: await run.lookupRemote(issue.ref) };
      } catch (error) {
        if (!isCapturedWriteError(error)) throw error;
        if (stopsRun(error)) stopped = true;
        outcomes[index] = { kind: 'failed', error };
      }
    }
  };
  const workers = Array.from({ length: Math.min(EVENT_READ_CONCURRENCY, issues.length) }, worker);
  // Every worker settles before a rejection propagates: no read is left running unobserved.
  for (const settled of await Promise.allSettled(workers)) {
    if (settled.status === 'rejected') throw settled.reason;
  }
  return outcomes;
}

/**
 * The connector's bulk read (`getIssues`), a page of issues per call, one call after the other:
 * a ref it leaves out was not found (as a `getIssue` that finds nothing); a failed call is a
 * failed read of each issue it asked about, and one that stops the run leaves the rest unread.
 */
async function readInBatches(run: SyncRun, issues: readonly TouchedIssue[]): Promise<ReadOutcome[]> {
  const outcomes: ReadOutcome[] = [];
  const pageSize = await pageSizeFor(run, undefined, DEFAULT_PULL_PAGE_SIZE);
  // Set when a failed batch stops the run (a rate limit, a tracker not answering).
  let stopped = false;
  for (const batch of batchesOf(issues, pageSize)) {
    if (stopped || run.stoppedBy !== null || run.signal?.aborted) {
      outcomes.push(...batch.map(() => NOT_READ));
      continue;
    }
    try {
      const found = new Map<string, CanonicalIssue>();
      for (const issue of await run.readRemoteBatch(batch.map(({ ref }) => ref))) {
        found.set(refIdentity(issue.ref), issue);
      }
      for (const issue of batch) outcomes.push({ kind: 'read', remote: found.get(issue.identity) ?? null });
    } catch (error) {
      if (!isCapturedWriteError(error)) throw error;
      outcomes.push(...batch.map((): ReadOutcome => ({ kind: 'failed', error })));
      // A rate limit or a tracker not answering stops the run: no further batch is read.
      if (stopsRun(error)) stopped = true;
    }
  }
  return outcomes;
}

/** A read failed: a failure of that issue (retryable unless the request itself was wrong), never a deletion. */
function readFailed(run: SyncRun, result: SyncResult, ref: ExternalRef, error: Error): void {
  const failureClass = failureClassOf(error);
  const permanent: readonly (FailureClass | null)[] = [
    FailureClass.VALIDATION,
    FailureClass.NOT_FOUND,
    FailureClass.NON_RETRYABLE,
  ];
  run.fail(
    result,
    {
      issueRef: ref,
      operation: SyncOperation.GET_ISSUE,
      failureClass,
      message: `could not read the issue after its webhook event (nothing was changed or marked deleted): ${error.message}`,
      // A later attempt may succeed after an outage, a rate-limit reset or a credentials fix.
      retryable: ConnectorRequestError.isInstance(error) && !permanent.includes(failureClass),
    },
    error,
  );
}

/**
 * The tracker answered "not found": gone only when `checkGone` confirms it. An issue the store
 * does not hold is not asked about (there is nothing to mark): a tracker may not serve an issue
 * right after announcing it (Jira's index lags `issue_created`), so the event is retried.
 */
async function readNotFound(run: SyncRun, result: SyncResult, ref: ExternalRef): Promise<void> {
  if ((await run.store.getIssue(ref)) === null) {
    run.fail(result, {
      issueRef: ref,
      operation: SyncOperation.GET_ISSUE,
      failureClass: FailureClass.NOT_FOUND,
      message:
        'not found on the tracker, and not in the store: a new issue may not be readable right after its event; nothing was changed (a later attempt reads it again)',
      retryable: true,
    });
    return;
  }
  const verdict = await goneAfterNotFound(run, result, ref);
  if (verdict === 'gone' || verdict === 'unknown') return;
  const message =
    verdict === 'exists'
      ? 'the tracker answered not found but does not report the issue gone: nothing was changed (a later attempt may read it)'
      : 'not found on the tracker, and deletions cannot be confirmed here (the connector has no checkGone or does not report deletions, or the store keeps no tombstones): nothing was changed; a full sync decides';
  run.fail(result, {
    issueRef: ref,
    operation: SyncOperation.GET_ISSUE,
    failureClass: FailureClass.NOT_FOUND,
    message,
    retryable: verdict === 'exists',
  });
}

/**
 * The push of the touched issues only (as `sync`'s push, restricted to them): their local
 * deletions, then each one whose local copy differs from its base (or has a host resolution),
 * against the remote copy just read. Other issues' pending edits wait for the next sync.
 */
async function pushTouched(
  run: SyncRun,
  result: SyncResult,
  remotes: readonly CanonicalIssue[],
): Promise<void> {
  if (run.stoppedBy !== null || remotes.length === 0) return;
  await pushLocalDeletions(run, result, new Set(remotes.map(({ ref }) => refIdentity(ref))));
  const resolved = new Set(run.resolutions.refs().map(refIdentity));
  for (const remote of remotes) {
    run.signal?.throwIfAborted();
    if (run.stoppedBy !== null) return;
    // A tombstoned issue is gone (or being deleted): never pushed as an edit.
    if (run.tombstones !== null && (await run.tombstones.getTombstone(remote.ref)) !== null) continue;
    const local = await run.store.getIssue(remote.ref);
    if (local === null) continue;
    const base = run.bases === null ? null : await run.bases.getSyncBase(remote.ref);
    // Without bases every visited issue is compared with the tracker, as the original's push does.
    const unsynced =
      run.bases === null ||
      base === null ||
      !contentEqual(run.project(local), run.project(base)) ||
      resolved.has(refIdentity(remote.ref));
    if (!unsynced) continue;
    run.capabilities ??= await run.connector.getCapabilities();
    await pushUpdate(run, result, { local, remote, base }, run.capabilities);
  }
}

/** Remembers the events of the issues that synced without a failure (a stopped run remembers none). */
function rememberSynced(
  run: SyncRun,
  result: SyncResult,
  touched: readonly TouchedIssue[],
  recent: RecentEventKeys,
): void {
  if (run.stoppedBy !== null) return;
  const failed = new Set<string>();
  for (const { issueRef } of result.failures) if (issueRef !== null) failed.add(refIdentity(issueRef));
  for (const issue of touched) {
    if (failed.has(issue.identity)) continue;
    for (const key of issue.keys) recent.add(key);
  }
}

/** One result of two parts of a run (the events, then the gap sync), in that order. */
export function combineSyncResults(first: SyncResult, second: SyncResult): SyncResult {
  const stats = { ...first.stats };
  for (const key of Object.keys(stats) as (keyof typeof stats)[]) stats[key] += second.stats[key];
  return createSyncResult({
    stats,
    conflicts: [...first.conflicts, ...second.conflicts],
    failures: [...first.failures, ...second.failures],
    discarded: [...first.discarded, ...second.discarded],
    appliedResolutions: [...new Set([...first.appliedResolutions, ...second.appliedResolutions])],
    tombstones: [...first.tombstones, ...second.tombstones],
    closedRemote: [...first.closedRemote, ...second.closedRemote],
  });
}
