import { SyncConflictError } from '../errors/errors';
import type { TrackerEvent } from '../model/page';
import { createCheckpoint, type SyncCheckpoint } from '../model/page';
import { type ConflictRecord, type ConflictResolution, ConflictStrategy } from '../policy/conflicts';
import type { OwnershipPolicy } from '../policy/ownership-policy';
import type { TrackerConnector } from '../protocol/connector';
import {
  type CheckpointStore,
  type IssueStore,
  type SyncBaseStore,
  supportsCheckpoints,
  supportsSyncBase,
  supportsTombstones,
} from '../store/issue-store';
import { DryRunStore } from './dry-run-store';
import type { PlannedWrite, SyncProgressHandler } from './sync-events';
import { checkMaxPages, DEFAULT_MAX_SYNC_PAGES } from './sync-page-walk';
import { checkPageSize, DEFAULT_PULL_PAGE_SIZE, pageSizeFor, runPull } from './sync-pull';
import { runPush } from './sync-push';
import { createSyncResult, type SyncEventsGap, type SyncResult } from './sync-result';
import { defaultSleep } from './sync-retry';
import { SyncRun, type SyncRunSettings } from './sync-run';
import { defaultCheckpointScope } from './sync-scope';
import { checkpointGap, combineSyncResults, runSyncEvents } from './sync-webhook-events';
import { RecentEventKeys } from './sync-webhook-events-recent';

/** Options of `SyncEngine`. */
export interface SyncEngineOptions {
  /** The tracker connector. */
  connector: TrackerConnector;
  /** The local store. */
  store: IssueStore;
  /** Who owns which field. */
  policy: OwnershipPolicy;
  /** Conflict strategy for shared fields (default `newer_timestamp`). */
  strategy?: ConflictStrategy;
  /** Throw `SyncConflictError` after a run's writes when a conflict needs manual review. */
  strictManualReview?: boolean;
  /**
   * Retries after the first call of a list, create or update (the original's default: 2): at
   * most `1 + maxRetryAttempts` requests per operation. The engine is the only layer that
   * retries during a run; connectors' HTTP clients make one attempt per request.
   */
  maxRetryAttempts?: number;
  /** First backoff step in ms. */
  retryBaseDelayMs?: number;
  /**
   * Cap of one backoff step and the longest server-requested wait (`Retry-After`, rate-limit
   * reset) the run sleeps through (default 30 000). A longer wait stops the run at once with a
   * `rate_limit` failure carrying `resetAt`.
   */
  retryMaxDelayMs?: number;
  /**
   * Deadline of one operation (a page, create, update or lookup) with all its retries and waits,
   * in ms (default 60 000). A tracker that does not answer in time stops the run.
   */
  operationDeadlineMs?: number;
  /** Cap on each request's timeout, in ms (default: the connector's own, 30 s for HTTP connectors). */
  requestTimeoutMs?: number;
  /**
   * Pages one listing may walk by following `nextCursor` (default 100 000). A pull that reaches
   * it, or that is handed a cursor it already followed, stops with a `pull_page` failure
   * (`PageWalkLimitError`); a push's listing throws it.
   */
  maxPages?: number;
  /** Injectable so tests never wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1), for backoff jitter. */
  random?: () => number;
  /** Receives progress events. */
  onProgress?: SyncProgressHandler;
  /**
   * Use the store's sync bases (three-way merge, dirty tracking) when it keeps them. `false`
   * reproduces the original exactly: two-way merge and a full remote listing on every push.
   */
  useSyncBase?: boolean;
  /** Persist pull checkpoints per scope in the store when it can hold them. */
  persistCheckpoints?: boolean;
  /**
   * Checkpoint scope; default `<connector.name>` plus the filters, if any. Hosts that sync several
   * workspaces of one connector type into one store must set it per workspace.
   */
  checkpointScope?: string;
  /**
   * For `syncEvents`: a scope whose checkpoint is older than this (in ms: since this process last
   * completed an incremental walk of it, else since its watermark) is a `stale_checkpoint` gap,
   * and the run also syncs incrementally. Default: no age limit.
   */
  maxCheckpointAgeMs?: number;
}

/** Options of one `pull` / `push` / `sync` run. */
export interface SyncRunOptions {
  /**
   * Page size passed to the connector (not a cap on the total). Default: the connector's declared
   * `maxPageSize` capability (as few listing calls as the vendor allows), else 100 (200 for `push`).
   */
  limit?: number;
  /** Connector-specific listing filters. */
  filters?: Readonly<Record<string, unknown>>;
  /** Stops the run. */
  signal?: AbortSignal;
  /** Receives this run's progress events. */
  onProgress?: SyncProgressHandler;
  /**
   * Host decisions for manual-review conflicts: the run writes each value to both sides (when
   * either differs) and lists the ids it settled in `SyncResult.appliedResolutions`.
   */
  resolutions?: readonly ConflictResolution[];
}

/** Options of `syncEvents`. */
export interface SyncEventsOptions extends SyncRunOptions {
  /** The host knows deliveries may have been missed: after the events, run a bounded incremental sync. */
  readonly gap?: SyncEventsGap | null;
}

/** Options of `sync`. */
export interface SyncOptions extends SyncRunOptions {
  /** Pull before pushing (default true). */
  pullFirst?: boolean;
}

/** Options of `plan` (a dry run). */
export interface PlanOptions extends SyncOptions {
  /** What to plan: `sync` (default) or `push` alone. */
  operation?: 'sync' | 'push';
}

/** The writes a run would make, in order, and the result it would report. */
export interface SyncPlan {
  /** The writes the run would make. */
  readonly writes: PlannedWrite[];
  /** The result it would report. */
  readonly result: SyncResult;
}

const STRICT_REVIEW_MESSAGE = 'Manual review conflicts detected while strict_manual_review is enabled';

/**
 * Deterministic two-way sync between one tracker connector and a local store (the original's
 * `SyncEngine`), with backoff, duplicate-safe creates, a three-way merge against the last synced
 * state, incremental no-op runs, progress events, AbortSignal and a dry-run `plan()`. No local
 * edit is dropped silently (`SyncResult.discarded`); with sync bases a `manual_review` conflict
 * is held until a host resolution settles it. See docs/architecture/sync-engine.md.
 */
export class SyncEngine {
  /** The tracker connector. */
  readonly connector: TrackerConnector;
  /** The local store. */
  readonly store: IssueStore;
  /** The ownership policy. */
  readonly policy: OwnershipPolicy;
  /** The conflict strategy. */
  readonly strategy: ConflictStrategy;
  /** Whether manual-review conflicts fail the run. */
  readonly strictManualReview: boolean;
  /** Attempts per operation for retryable failures. */
  readonly maxRetryAttempts: number;
  readonly #options: SyncEngineOptions;
  readonly #settings: SyncRunSettings;
  #checkpoint: SyncCheckpoint = createCheckpoint();
  /** Scope the in-memory checkpoint belongs to; null until the first pull binds it. */
  #checkpointScope: string | null = null;
  #restored = false;
  /** When this process last completed an incremental walk, per scope (for `stale_checkpoint`). */
  readonly #walkedAt = new Map<string, number>();
  /** Events `syncEvents` synced recently (bounded), so a redelivery is not synced twice. */
  readonly #recentEvents = new RecentEventKeys();

  constructor(options: SyncEngineOptions) {
    this.connector = options.connector;
    this.store = options.store;
    this.policy = options.policy;
    this.strategy = options.strategy ?? ConflictStrategy.NEWER_TIMESTAMP;
    this.strictManualReview = options.strictManualReview ?? false;
    this.maxRetryAttempts = options.maxRetryAttempts ?? 2;
    this.#options = options;
    this.#settings = {
      connector: this.connector,
      policy: this.policy,
      strategy: this.strategy,
      retry: {
        maxRetryAttempts: this.maxRetryAttempts,
        baseDelayMs: options.retryBaseDelayMs,
        maxDelayMs: options.retryMaxDelayMs,
        deadlineMs: options.operationDeadlineMs,
        requestTimeoutMs: options.requestTimeoutMs,
        sleep: options.sleep ?? defaultSleep,
        random: options.random ?? Math.random,
      },
      maxPages: checkMaxPages(options.maxPages ?? DEFAULT_MAX_SYNC_PAGES),
      scopeFor: (filters) => options.checkpointScope ?? defaultCheckpointScope(this.connector.name, filters),
      loadCheckpoint: (run, scope) => this.#loadCheckpoint(run, scope),
      saveCheckpoint: (run, scope, checkpoint) => this.#saveCheckpoint(run, scope, checkpoint),
    };
  }

  /** Where the next incremental pull starts. */
  get checkpoint(): SyncCheckpoint {
    return this.#checkpoint;
  }

  /** Replaces the resume point verbatim (no validation), as the original. */
  restoreCheckpoint(checkpoint: SyncCheckpoint): void {
    this.#checkpoint = createCheckpoint(checkpoint);
    this.#restored = true;
  }

  /** Reads tracker changes into the store (nothing is written to the tracker). */
  async pull(options: SyncRunOptions = {}): Promise<SyncResult> {
    const run = this.#run(options, false, false);
    return this.#closing(run, async () => {
      const limit = await pageSizeFor(run, options.limit, DEFAULT_PULL_PAGE_SIZE);
      const result = await runPull(run, limit, options.filters);
      this.#enforceConflictPolicy(result.conflicts);
      return result;
    });
  }

  /** Writes local changes to the tracker. */
  async push(options: SyncRunOptions = {}): Promise<SyncResult> {
    const run = this.#run(options, false);
    return this.#closing(run, async () => {
      const result = await runPush(run, options.limit, options.filters);
      this.#enforceConflictPolicy(result.conflicts);
      return result;
    });
  }

  /** Pull (unless `pullFirst: false`), then push with page size `max(limit, 100)` (see `limit`). */
  async sync(options: SyncOptions = {}): Promise<SyncResult> {
    const run = this.#run(options, false);
    return this.#closing(run, () => this.#runSync(run, options, true));
  }

  /**
   * Syncs just the issues webhook `events` touched: each distinct issue is read with `getIssue`
   * (bounded concurrency, never a listing), merged and written as a pull would, and its pending
   * local edits are pushed, with the policy and conflict records of `sync`; other issues are left
   * alone. A deletion event, or a read that finds nothing, goes through `checkGone`; a failed
   * read is a failure of that issue, never a deletion. Events seen earlier in the call or in a
   * recent call are dropped; events their issue's sync base is already newer than are skipped.
   * When a gap is declared (`options.gap`) or found (no checkpoint, or one older than
   * `maxCheckpointAgeMs`), the ordinary incremental sync runs after the events. The events never
   * advance the checkpoint themselves. See docs/architecture/sync-engine.md, "Live sync".
   */
  async syncEvents(events: readonly TrackerEvent[], options: SyncEventsOptions = {}): Promise<SyncResult> {
    const run = this.#run(options, false);
    return this.#closing(run, async () => {
      const scope = this.#settings.scopeFor(options.filters);
      const checkpoint = await this.#settings.loadCheckpoint(run, scope);
      const found = checkpointGap(
        checkpoint,
        this.#walkedAt.get(scope) ?? null,
        this.#options.maxCheckpointAgeMs,
        Date.now(),
      );
      const gap = options.gap ?? found;
      const handled = await runSyncEvents(run, events, this.#recentEvents);
      this.#enforceConflictPolicy(handled.result.conflicts);
      // A run the tracker stopped (rate limit, no answer) does not start a listing walk.
      const gapSync = gap !== null && run.stoppedBy === null ? gap : null;
      const result =
        gapSync === null
          ? handled.result
          : combineSyncResults(handled.result, await this.#runSync(run, options, true));
      result.events = { ...handled.summary, gapSync };
      return result;
    });
  }

  /**
   * The writes `sync()` (or `push()` with `operation: 'push'`) would make now, in order, without
   * making them: reads go to the tracker and store, writes go to an in-memory overlay. Local
   * writes that follow a remote write are predictions (the tracker stamps its own timestamps).
   */
  async plan(options: PlanOptions = {}): Promise<SyncPlan> {
    const run = this.#run(options, true);
    return this.#closing(run, async () => {
      const result =
        options.operation === 'push'
          ? await runPush(run, options.limit, options.filters)
          : await this.#runSync(run, options, false);
      return { writes: run.writes, result };
    });
  }

  async #runSync(run: SyncRun, options: SyncOptions, enforce: boolean): Promise<SyncResult> {
    // A host's limit: pull pages of `limit`, push pages of at least 100 (as the original). None:
    // both use the connector's maxPageSize, else 100.
    const pushLimit = options.limit === undefined ? undefined : Math.max(checkPageSize(options.limit), 100);
    const pulled =
      options.pullFirst === false
        ? createSyncResult()
        : await runPull(run, await pageSizeFor(run, options.limit, DEFAULT_PULL_PAGE_SIZE), options.filters);
    if (enforce) this.#enforceConflictPolicy(pulled.conflicts);
    const pushed = await runPush(run, pushLimit, options.filters, DEFAULT_PULL_PAGE_SIZE);
    if (enforce) this.#enforceConflictPolicy(pushed.conflicts);
    return createSyncResult({
      stats: {
        pulledCreated: pulled.stats.pulledCreated,
        pulledUpdated: pulled.stats.pulledUpdated,
        pushedCreated: pushed.stats.pushedCreated,
        pushedUpdated: pushed.stats.pushedUpdated,
        skipped: pulled.stats.skipped + pushed.stats.skipped,
        tombstoned: pulled.stats.tombstoned + pushed.stats.tombstoned,
        closedRemote: pulled.stats.closedRemote + pushed.stats.closedRemote,
      },
      conflicts: [...pulled.conflicts, ...pushed.conflicts],
      failures: [...pulled.failures, ...pushed.failures],
      discarded: [...pulled.discarded, ...pushed.discarded],
      appliedResolutions: [...new Set([...pulled.appliedResolutions, ...pushed.appliedResolutions])],
      tombstones: [...pulled.tombstones, ...pushed.tombstones],
      closedRemote: [...pulled.closedRemote, ...pushed.closedRemote],
    });
  }

  /** `body`, then the run closes however it ended (its deadline timer must not outlive it). */
  async #closing<T>(run: SyncRun, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } finally {
      run.close();
    }
  }

  #run(options: SyncRunOptions, dryRun: boolean, pushFollows = true): SyncRun {
    const useBase = (this.#options.useSyncBase ?? true) && supportsSyncBase(this.store);
    const realBases = useBase ? (this.store as IssueStore & SyncBaseStore) : null;
    const realTombstones = supportsTombstones(this.store) ? this.store : null;
    const overlay = dryRun ? new DryRunStore(this.store, realBases, realTombstones) : null;
    const handlers = [this.#options.onProgress, options.onProgress].filter(
      (handler): handler is SyncProgressHandler => handler !== undefined,
    );
    return new SyncRun(this.#settings, {
      dryRun,
      store: overlay ?? this.store,
      bases: useBase ? (overlay ?? realBases) : null,
      tombstones: realTombstones === null ? null : (overlay ?? realTombstones),
      signal: options.signal,
      handlers,
      resolutions: options.resolutions,
      pushFollows,
    });
  }

  #enforceConflictPolicy(conflicts: readonly ConflictRecord[]): void {
    if (this.strictManualReview && conflicts.some((conflict) => conflict.manualReviewRequired)) {
      throw new SyncConflictError(STRICT_REVIEW_MESSAGE);
    }
  }

  #checkpointStore(): CheckpointStore | null {
    const persist = (this.#options.persistCheckpoints ?? true) && supportsCheckpoints(this.store);
    return persist ? (this.store as IssueStore & CheckpointStore) : null;
  }

  async #loadCheckpoint(_run: SyncRun, scope: string): Promise<SyncCheckpoint> {
    const checkpoints = this.#checkpointStore();
    if (checkpoints === null || this.#checkpointScope === scope || this.#restored) return this.#checkpoint;
    const stored = await checkpoints.getCheckpoint(scope);
    // A different scope than the one in memory starts from its own stored point (or from scratch).
    return stored ?? (this.#checkpointScope === null ? this.#checkpoint : createCheckpoint());
  }

  async #saveCheckpoint(run: SyncRun, scope: string, checkpoint: SyncCheckpoint): Promise<void> {
    if (run.dryRun) return;
    const unchanged =
      this.#checkpointScope === scope &&
      this.#checkpoint.cursor === checkpoint.cursor &&
      this.#checkpoint.updatedSince?.getTime() === checkpoint.updatedSince?.getTime();
    this.#checkpoint = checkpoint;
    this.#checkpointScope = scope;
    this.#restored = false;
    if (checkpoint.cursor === null) this.#walkedAt.set(scope, Date.now());
    // A no-op run leaves the stored checkpoint untouched (no store write).
    const checkpoints = this.#checkpointStore();
    if (checkpoints !== null && !unchanged) await checkpoints.putCheckpoint(scope, checkpoint);
  }
}
