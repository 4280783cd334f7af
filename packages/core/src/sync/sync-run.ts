import type { TrackerCapabilities } from '../capabilities';
import { ConnectorRequestError, IssueNotFoundError, RateLimitedError } from '../errors/errors';
import { FailureClass } from '../errors/failure-class';
import type { ExternalRef } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import type { SyncCheckpoint } from '../model/page';
import type { ConflictRecord, ConflictStrategy } from '../policy/conflicts';
import type { OwnershipPolicy } from '../policy/ownership-policy';
import type { TrackerConnector } from '../protocol/connector';
import type { IssueStore, SyncBaseStore } from '../store/issue-store';
import type { PlannedWrite, SyncProgressEvent, SyncProgressHandler } from './sync-events';
import { contentEqual, type MergeOutput, mergeIssues } from './sync-merge';
import { type IssueProjection, projectionOf } from './sync-projection';
import {
  createSyncFailure,
  formatSyncFailure,
  type SyncFailure,
  type SyncFailureInit,
  type SyncResult,
} from './sync-result';
import { type RetryOptions, stopsRun, withRetry } from './sync-retry';

/** What a run needs from its engine: settings, plus access to the engine's checkpoint state. */
export interface SyncRunSettings {
  readonly connector: TrackerConnector;
  readonly policy: OwnershipPolicy;
  readonly strategy: ConflictStrategy;
  readonly retry: Omit<RetryOptions, 'signal' | 'onRetry' | 'operation'>;
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
  readonly signal: AbortSignal | undefined;
  readonly handlers: readonly SyncProgressHandler[];
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
  readonly signal: AbortSignal | undefined;
  readonly writes: PlannedWrite[] = [];
  /** Remote issues the pull of this run delivered, by identity; the push that follows reuses them. */
  readonly seen = new Map<string, CanonicalIssue>();
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
  readonly #handlers: readonly SyncProgressHandler[];

  constructor(settings: SyncRunSettings, init: SyncRunInit) {
    this.settings = settings;
    this.dryRun = init.dryRun;
    this.store = init.store;
    this.bases = init.bases;
    this.signal = init.signal;
    this.#handlers = init.handlers;
    this.project = projectionOf(settings.connector);
  }

  get connector(): TrackerConnector {
    return this.settings.connector;
  }

  emit(event: SyncProgressEvent): void {
    if (event.type === 'write') this.writes.push(event.write);
    for (const handler of this.#handlers) handler(event);
  }

  retryOptions(operation: string): RetryOptions {
    return {
      ...this.settings.retry,
      operation,
      signal: this.signal,
      onRetry: (info) => this.emit({ type: 'retry', operation, ...info }),
    };
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

  addConflicts(result: SyncResult, conflicts: readonly ConflictRecord[]): void {
    for (const conflict of conflicts) {
      result.conflicts.push(conflict);
      this.emit({ type: 'conflict', conflict });
    }
  }

  merge(local: CanonicalIssue, external: CanonicalIssue, base: CanonicalIssue | null): MergeOutput {
    return mergeIssues({
      local,
      external,
      base,
      policy: this.settings.policy,
      strategy: this.settings.strategy,
      project: this.project,
    });
  }

  async writeLocal(issue: CanonicalIssue, action: 'create' | 'update'): Promise<void> {
    await this.store.upsertIssue(issue);
    this.emit({ type: 'write', write: { target: 'local', action, ref: issue.ref, issue } });
  }

  /** Records `remote` as the state the local copy now incorporates, unless the base already says so. */
  async recordBase(remote: CanonicalIssue, current: CanonicalIssue | null): Promise<void> {
    // Compared as the tracker reads them, so a base differing only in what it cannot hold is kept.
    if (
      this.bases === null ||
      (current !== null && contentEqual(this.project(current), this.project(remote)))
    )
      return;
    await this.bases.putSyncBase(remote);
  }

  /** The remote copy of one issue, or null when the tracker has none. */
  async lookupRemote(ref: ExternalRef): Promise<CanonicalIssue | null> {
    try {
      return await withRetry(
        (signal) => this.connector.getIssue(ref, { signal }),
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
