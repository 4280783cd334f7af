import type { TrackerCapabilities } from '../capabilities';
import { ConnectorRequestError, IssueNotFoundError, RateLimitedError } from '../errors/errors';
import { FailureClass } from '../errors/failure-class';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import type { CanonicalIssue, CoreIssueField } from '../model/issue';
import type { SyncCheckpoint } from '../model/page';
import type { ConflictRecord, ConflictResolution, ConflictStrategy } from '../policy/conflicts';
import type { OwnershipPolicy } from '../policy/ownership-policy';
import type { TrackerConnector } from '../protocol/connector';
import type { ImmediateStoreAccess } from '../store/immediate-store-access';
import { immediateAccessOf } from '../store/in-memory-issue-store';
import {
  type IssueStore,
  type SyncBaseStore,
  supportsBatching,
  type TombstoneStore,
} from '../store/issue-store';
import { type OperationDeadlines, withOperationSignal } from './operation-deadlines';
import type { PlannedWrite, SyncProgressEvent, SyncProgressHandler } from './sync-events';
import { contentEqual, type MergeOutput, mergeIssues } from './sync-merge';
import { type IssueProjection, projectionOf } from './sync-projection';
import { type IssueResolutions, ResolutionIndex } from './sync-resolutions';
import {
  createSyncFailure,
  type DiscardedLocalChange,
  formatSyncFailure,
  type SyncFailure,
  type SyncFailureInit,
  type SyncResult,
} from './sync-result';
import {
  createOperationDeadlines,
  type RetryOptions,
  type RunRetryOptions,
  retryOperation,
  stopsRun,
} from './sync-retry';

/** What a run needs from its engine: settings, plus access to the engine's checkpoint state. */
export interface SyncRunSettings {
  readonly connector: TrackerConnector;
  readonly policy: OwnershipPolicy;
  readonly strategy: ConflictStrategy;
  readonly retry: Omit<RetryOptions, 'signal' | 'onRetry' | 'operation'>;
  /** Pages one listing walk may fetch (see `createSyncPageWalk`). */
  readonly maxPages: number;
  scopeFor(filters: Readonly<Record<string, unknown>> | undefined): string;
  loadCheckpoint(run: SyncRun, scope: string): Promise<SyncCheckpoint>;
  saveCheckpoint(run: SyncRun, scope: string, checkpoint: SyncCheckpoint): Promise<void>;
}

export interface SyncRunInit {
  readonly dryRun: boolean;
  /** The real store, or a DryRunStore overlay for `plan()`. */
  readonly store: IssueStore;
  /** Null when the engine does not use sync bases (the original's behaviour). */
  readonly bases: SyncBaseStore | null;
  /** Null when the store keeps no tombstones (gone issues are then reported, not recorded). */
  readonly tombstones?: TombstoneStore | null;
  readonly signal: AbortSignal | undefined;
  readonly handlers: readonly SyncProgressHandler[];
  readonly resolutions?: readonly ConflictResolution[];
  /** A push follows the pull in this run (a sync or plan), which reuses the issues it saw. */
  readonly pushFollows?: boolean;
}

/**
 * The state of one `pull` / `push` / `sync` / `plan` call and the steps every phase shares
 * (recording failures and conflicts, local writes, bases, retries, remote lookups).
 */
export class SyncRun {
  readonly settings: SyncRunSettings;
  readonly dryRun: boolean;
  readonly store: IssueStore;
  readonly bases: SyncBaseStore | null;
  readonly tombstones: TombstoneStore | null;
  /**
   * The store's synchronous reads and writes when it lives in this process (its issues and bases
   * alike); null for any other store and in a dry run. Per-issue steps then await nothing.
   */
  readonly immediate: ImmediateStoreAccess | null;
  readonly signal: AbortSignal | undefined;
  readonly writes: PlannedWrite[] = [];
  /**
   * Remote issues the pull of this run delivered, by identity; the push that follows reuses them.
   * Filled only when a push follows (`keepsSeen`): a pull alone would only grow it. With sync
   * bases, only the pulled issues the push may visit are kept (see `pullKeeps`).
   */
  readonly seen = new Map<string, CanonicalIssue>();
  readonly keepsSeen: boolean;
  /**
   * The failure that stopped this run (rate limited, or the tracker not answering in time): no
   * further pages or items are attempted once it is set.
   */
  stoppedBy: SyncFailure | null = null;
  /** True once a pull of this run walked the whole remote (no watermark, no failure). */
  pullSawEverything = false;
  capabilities: TrackerCapabilities | null = null;
  /** How the tracker reads back a written issue (`connector.projectIssue`, else identity). */
  readonly project: IssueProjection;
  /** The host's conflict resolutions for this run's system. */
  readonly resolutions: ResolutionIndex;
  readonly #handlers: readonly SyncProgressHandler[];
  /** Resolutions already reported as unusable, so pull and push of one run report each once. */
  readonly #reportedInvalid = new Set<string>();
  /** Held conflicts (issue + field) reported by earlier phases (the pull of a sync) and by this one. */
  readonly #heldBefore = new Set<string>();
  #heldNow = new Set<string>();
  /** One timer and host-signal listener for all of this run's operations (see OperationDeadlines). */
  readonly #deadlines: OperationDeadlines;
  /** Built once per operation name: a run makes thousands of operations of a handful of kinds. */
  readonly #retryOptions = new Map<string, RunRetryOptions>();

  constructor(settings: SyncRunSettings, init: SyncRunInit) {
    this.settings = settings;
    this.dryRun = init.dryRun;
    this.keepsSeen = init.pushFollows ?? true;
    this.store = init.store;
    this.bases = init.bases;
    this.immediate =
      init.dryRun || (init.bases !== null && (init.bases as unknown) !== init.store)
        ? null
        : immediateAccessOf(init.store);
    this.tombstones = init.tombstones ?? null;
    this.signal = init.signal;
    this.#handlers = init.handlers;
    this.project = projectionOf(settings.connector);
    this.resolutions = new ResolutionIndex(init.resolutions ?? [], settings.connector.name);
    this.#deadlines = createOperationDeadlines(settings.retry, init.signal);
  }

  /** Ends the run: its deadline timer and host-signal listener go (the engine calls it once). */
  close(): void {
    this.#deadlines.close();
  }

  /**
   * Whether the pull keeps `external` in `seen`, given the local copy and base it found and what
   * it merged. Without bases, every issue (the push visits every local issue). With bases the push
   * visits only issues off their base: kept are those that were off it before the pull, or that the
   * merge left off it (it kept local values), or that a host resolution names. An issue pulled as
   * new, or merged to the tracker's copy, is on its base afterwards: a cold pull of 100,000 issues
   * keeps none of them (each kept issue costs the run a map entry that outlives young collections).
   */
  pullKeeps(
    external: CanonicalIssue,
    local: CanonicalIssue | null,
    base: CanonicalIssue | null,
    merged: CanonicalIssue | null,
    heldOrResolved: boolean,
  ): boolean {
    if (!this.keepsSeen) return false;
    if (this.bases === null) return true;
    if (local === null || merged === null) return false;
    return (
      heldOrResolved ||
      base === null ||
      !contentEqual(this.project(local), this.project(base)) ||
      (merged !== external && !contentEqual(this.project(merged), this.project(external)))
    );
  }

  /**
   * Whether the pull's `seen` settles where `issue` (a push candidate with `base`) is: `seen`
   * holds its remote copy, or a pull that walked the whole remote did not see it. Without bases the
   * pull kept everything; with them, only a never-synced issue is settled by its absence (a synced
   * one the pull saw but did not keep was edited locally after the pull read it).
   */
  seenSettles(issue: CanonicalIssue, base: CanonicalIssue | null): boolean {
    if (this.seen.size > 0 && this.seen.has(refIdentity(issue.ref))) return true;
    return this.pullSawEverything && (this.bases === null || base === null);
  }

  get connector(): TrackerConnector {
    return this.settings.connector;
  }

  emit(event: SyncProgressEvent): void {
    // Only plan() returns the writes; a real run does not keep one entry per written issue.
    if (event.type === 'write' && this.dryRun) this.writes.push(event.write);
    for (const handler of this.#handlers) handler(event);
  }

  /** Whether progress handlers listen: events other than writes need not be built otherwise. */
  get listened(): boolean {
    return this.#handlers.length > 0;
  }

  /** Whether anyone receives write events (a plan, or progress handlers). */
  get observed(): boolean {
    return this.dryRun || this.#handlers.length > 0;
  }

  /** Runs `fn` as one batch of store writes when the store can batch (see `BatchingIssueStore`). */
  batch<T>(fn: () => Promise<T>): Promise<T> {
    return !this.dryRun && supportsBatching(this.store) ? this.store.batch(fn) : fn();
  }

  retryOptions(operation: string): RunRetryOptions {
    let options = this.#retryOptions.get(operation);
    if (options === undefined) {
      const { retry } = this.settings;
      // Named fields, not a spread of `retry`: on Node 20 spreading it cost about 2–3 µs, more
      // than a no-op sync of one page spends anywhere else.
      options = {
        maxRetryAttempts: retry.maxRetryAttempts,
        baseDelayMs: retry.baseDelayMs,
        maxDelayMs: retry.maxDelayMs,
        deadlineMs: retry.deadlineMs,
        requestTimeoutMs: retry.requestTimeoutMs,
        sleep: retry.sleep,
        random: retry.random,
        now: retry.now,
        operation,
        signal: this.signal,
        deadlines: this.#deadlines,
        onRetry: (info) => this.emit({ type: 'retry', operation, ...info }),
      };
      this.#retryOptions.set(operation, options);
    }
    return options;
  }

  /**
   * Records a captured failure. Given the `error` behind it, a `RateLimitedError` sets the
   * failure's `resetAt`, and a run-stopping error (see `stopsRun`) stops the run.
   */
  fail(result: SyncResult, failure: SyncFailureInit, error?: unknown): void {
    const resetAt = RateLimitedError.isInstance(error) ? error.resetAt : (failure.resetAt ?? null);
    const recorded = createSyncFailure({ ...failure, resetAt });
    if (stopsRun(error)) this.stoppedBy ??= recorded;
    result.failures.push(recorded);
    result.errors.push(formatSyncFailure(recorded));
    this.emit({ type: 'failure', failure: recorded });
  }

  /** Starts a pull or push phase: held conflicts found so far are not reported again. */
  beginPhase(): void {
    for (const key of this.#heldNow) this.#heldBefore.add(key);
    this.#heldNow = new Set();
  }

  addConflicts(result: SyncResult, conflicts: readonly ConflictRecord[]): void {
    for (const conflict of conflicts) {
      if (conflict.pending) {
        // A held conflict the pull of this sync reported is met again by its push: report it once.
        const key = `${conflict.issueRef ? refIdentity(conflict.issueRef) : ''}\u0000${conflict.fieldName}`;
        if (this.#heldBefore.has(key)) continue;
        this.#heldNow.add(key);
      }
      result.conflicts.push(conflict);
      this.emit({ type: 'conflict', conflict });
    }
  }

  addDiscarded(result: SyncResult, discarded: readonly DiscardedLocalChange[]): void {
    if (discarded.length > 0) result.discarded.push(...discarded);
  }

  /** The resolutions for `local`; an unusable one is recorded as an `update` failure (once per run). */
  resolutionsFor(result: SyncResult, local: CanonicalIssue): IssueResolutions {
    const found = this.resolutions.forIssue(local);
    for (const { resolution, message } of found.invalid) {
      if (this.#reportedInvalid.has(resolution.id)) continue;
      this.#reportedInvalid.add(resolution.id);
      this.fail(result, {
        issueRef: local.ref,
        operation: 'update',
        failureClass: FailureClass.VALIDATION,
        message,
        retryable: false,
      });
    }
    return found;
  }

  /** Lists the ids of the resolutions of `fields` as applied (once per result). */
  markApplied(result: SyncResult, resolutions: IssueResolutions, fields: Iterable<CoreIssueField>): void {
    for (const field of fields) {
      for (const id of resolutions.ids.get(field) ?? []) {
        if (!result.appliedResolutions.includes(id)) result.appliedResolutions.push(id);
      }
    }
  }

  /**
   * The main merge of a pull item or push candidate: three-way when a base exists, host
   * resolutions applied, and `manual_review` conflicts held (written to neither side) whenever
   * the engine keeps sync bases.
   */
  merge(
    local: CanonicalIssue,
    external: CanonicalIssue,
    base: CanonicalIssue | null,
    resolved?: ReadonlyMap<string, unknown>,
  ): MergeOutput {
    return mergeIssues({
      local,
      external,
      base,
      policy: this.settings.policy,
      strategy: this.settings.strategy,
      project: this.project,
      holdManualReview: this.bases !== null,
      resolved,
    });
  }

  /** Merges the tracker's answer to an update into what was sent (the original's post-update merge). */
  mergeAnswer(sent: CanonicalIssue, answer: CanonicalIssue, base: CanonicalIssue | null): MergeOutput {
    return mergeIssues({
      local: sent,
      external: answer,
      base,
      policy: this.settings.policy,
      strategy: this.settings.strategy,
      project: this.project,
    });
  }

  /**
   * Writes `issue` to the store; a promise while the write is pending, undefined once done (an
   * in-process store writes at once). Not `async`: no promise of its own per write.
   */
  writeLocal(issue: CanonicalIssue, action: 'create' | 'update'): Promise<void> | undefined {
    if (this.immediate !== null) {
      this.immediate.upsertIssue(issue);
      if (this.observed) this.#wroteLocal(issue, action);
      return;
    }
    const written = this.store.upsertIssue(issue);
    if (!this.observed) return written;
    return written.then(() => this.#wroteLocal(issue, action));
  }

  /** Writes a remote issue new to the store as the local copy, then as its base (if bases are kept). */
  writeNew(issue: CanonicalIssue): Promise<void> | undefined {
    if (this.immediate !== null && this.bases !== null) {
      this.immediate.putSynced(issue);
      if (this.observed) this.#wroteLocal(issue, 'create');
      return;
    }
    const written = this.writeLocal(issue, 'create');
    if (written !== undefined) return written.then(() => this.recordBase(issue, null));
    return this.recordBase(issue, null);
  }

  #wroteLocal(issue: CanonicalIssue, action: 'create' | 'update'): void {
    this.emit({ type: 'write', write: { target: 'local', action, ref: issue.ref, issue } });
  }

  /**
   * Records `remote` as the state the local copy now incorporates, unless the base already says so.
   * Held (`pending`) fields keep the current base's value, so the next run finds both sides
   * changed again and re-reports the conflict; without a current base nothing is recorded.
   */
  recordBase(
    remote: CanonicalIssue,
    current: CanonicalIssue | null,
    pending: readonly CoreIssueField[] = [],
  ): Promise<void> | undefined {
    if (this.bases === null) return;
    let next = remote;
    if (pending.length > 0) {
      if (current === null) return;
      const kept: Record<string, unknown> = {};
      for (const field of pending) kept[field] = current[field];
      next = { ...remote, ...kept };
    }
    // Compared as the tracker reads them, so a base differing only in what it cannot hold is kept.
    if (current !== null && contentEqual(this.project(current), this.project(next))) return;
    if (this.immediate !== null) this.immediate.putSyncBase(next);
    else return this.bases.putSyncBase(next);
  }

  /**
   * One bulk read (the connector's `getIssues`) of `refs`, retried like any read: the issues that
   * exist, in the connector's order; missing refs are left out.
   */
  readRemoteBatch(refs: readonly ExternalRef[]): Promise<CanonicalIssue[]> {
    const getIssues = this.connector.getIssues;
    if (getIssues === undefined)
      return Promise.reject(new TypeError(`${this.connector.name} has no getIssues`));
    return retryOperation(
      (operation) => getIssues.call(this.connector, refs, withOperationSignal({}, operation)),
      this.retryOptions('get_issue'),
    );
  }

  /** The remote copy of one issue, or null when the tracker has none. */
  async lookupRemote(ref: ExternalRef): Promise<CanonicalIssue | null> {
    try {
      return await retryOperation(
        (operation) => this.connector.getIssue(ref, withOperationSignal({}, operation)),
        this.retryOptions('get_issue'),
      );
    } catch (error) {
      if (IssueNotFoundError.isInstance(error)) return null;
      if (ConnectorRequestError.isInstance(error) && error.failureClass === FailureClass.NOT_FOUND)
        return null;
      throw error;
    }
  }
}
