import type { TrackerCapabilities } from '../capabilities';
import {
  CapabilityNotSupportedError,
  ConnectorRequestError,
  IssueNotFoundError,
  ModelValidationError,
  SyncConflictError,
  TrackerContractError,
} from '../errors/errors';
import { FailureClass } from '../errors/failure-class';
import { assertNoForbiddenLegacyKeys } from '../mission/legacy-keys';
import { TERMINAL_STATUSES } from '../model/enums';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import {
  type CanonicalIssue,
  CORE_ISSUE_FIELDS,
  type CoreIssueField,
  coreFieldEqual,
  issuesEqual,
} from '../model/issue';
import { createCheckpoint, type SyncCheckpoint } from '../model/page';
import { type ConflictRecord, ConflictStrategy } from '../policy/conflicts';
import { localCanWrite, type OwnershipPolicy } from '../policy/ownership-policy';
import type { IssuePatch, TrackerConnector } from '../protocol/connector';
import {
  type CheckpointStore,
  type IssueStore,
  type SyncBaseStore,
  supportsCheckpoints,
  supportsSyncBase,
  supportsUnsyncedListing,
  type UnsyncedIssue,
} from '../store/issue-store';
import { deepEqual } from '../util/deep-equal';
import { pyRepr } from '../util/python-text';
import { DryRunStore } from './dry-run-store';
import type { PlannedWrite, SyncProgressEvent, SyncProgressHandler } from './sync-events';
import { contentEqual, dedupePage, mergeIssues } from './sync-merge';
import { createSyncFailure, createSyncResult, formatSyncFailure, type SyncResult } from './sync-result';
import { defaultSleep, type RetryOptions, withRetry } from './sync-retry';

export interface SyncEngineOptions {
  connector: TrackerConnector;
  store: IssueStore;
  policy: OwnershipPolicy;
  strategy?: ConflictStrategy;
  /** Throw `SyncConflictError` after a run's writes when a conflict needs manual review. */
  strictManualReview?: boolean;
  /** Retries after the first call of a list, create or update (the original's default: 2). */
  maxRetryAttempts?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Injectable so tests never wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1), for backoff jitter. */
  random?: () => number;
  onProgress?: SyncProgressHandler;
  /**
   * Use the store's sync bases (three-way merge, dirty tracking) when it keeps them. `false`
   * reproduces the original exactly: two-way merge and a full remote listing on every push.
   */
  useSyncBase?: boolean;
  /** Persist pull checkpoints per scope in the store when it can hold them. */
  persistCheckpoints?: boolean;
  /** Checkpoint scope; default `<connector.name>` plus the filters, if any. */
  checkpointScope?: string;
}

export interface SyncRunOptions {
  /** Page size passed to the connector (not a cap on the total). */
  limit?: number;
  filters?: Readonly<Record<string, unknown>>;
  signal?: AbortSignal;
  onProgress?: SyncProgressHandler;
}

export interface SyncOptions extends SyncRunOptions {
  pullFirst?: boolean;
}

export interface PlanOptions extends SyncOptions {
  /** What to plan: `sync` (default) or `push` alone. */
  operation?: 'sync' | 'push';
}

/** The writes a run would make, in order, and the result it would report. */
export interface SyncPlan {
  readonly writes: PlannedWrite[];
  readonly result: SyncResult;
}

interface RunContext {
  readonly dryRun: boolean;
  readonly store: IssueStore;
  readonly bases: SyncBaseStore | null;
  readonly checkpoints: CheckpointStore | null;
  readonly signal: AbortSignal | undefined;
  readonly emit: (event: SyncProgressEvent) => void;
  readonly writes: PlannedWrite[];
  /** Remote issues the pull of this run delivered, by identity; the push that follows reuses them. */
  readonly seen: Map<string, CanonicalIssue>;
  /** True once a pull of this run walked the whole remote (no watermark, no failure). */
  pullSawEverything: boolean;
  capabilities: TrackerCapabilities | null;
}

// The original's ownership-on-create guard: field, empty value, name used in the message.
const CREATE_GUARD: readonly (readonly [CoreIssueField, unknown, string])[] = [
  ['assignees', [], 'assignees'],
  ['labels', [], 'labels'],
  ['links', [], 'links'],
  ['customFields', {}, 'custom_fields'],
  ['priority', null, 'priority'],
  ['parent', null, 'parent'],
];

const ASSIGNEES_EXCLUDED = 'assignees excluded: connector does not support assignment';
const STATUS_EXCLUDED = 'status excluded: connector does not support a terminal transition';
const STRICT_REVIEW_MESSAGE = 'Manual review conflicts detected while strict_manual_review is enabled';

/** Errors a push records as a failure and moves on from; anything else aborts, as in the original. */
function isCapturedWriteError(error: unknown): error is Error {
  return (
    ConnectorRequestError.isInstance(error) ||
    CapabilityNotSupportedError.isInstance(error) ||
    TrackerContractError.isInstance(error)
  );
}

function failureClassOf(error: unknown): FailureClass | null {
  return ConnectorRequestError.isInstance(error) ? error.failureClass : null;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The original loops forever on `limit: 0` (edge case §16); a page size must be a positive integer. */
function checkPageSize(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ModelValidationError(`limit must be a positive integer, got ${String(limit)}`);
  }
  return limit;
}

function applyPatch(issue: CanonicalIssue, patch: IssuePatch): CanonicalIssue {
  return { ...issue, ...patch } as CanonicalIssue;
}

/**
 * Deterministic two-way sync between one tracker connector and a local store (the original's
 * `SyncEngine`), with backoff, duplicate-safe creates, a three-way merge against the last synced
 * state, incremental no-op runs, progress events, AbortSignal and a dry-run `plan()`.
 */
export class SyncEngine {
  readonly connector: TrackerConnector;
  readonly store: IssueStore;
  readonly policy: OwnershipPolicy;
  readonly strategy: ConflictStrategy;
  readonly strictManualReview: boolean;
  readonly maxRetryAttempts: number;
  readonly #options: SyncEngineOptions;
  #checkpoint: SyncCheckpoint = createCheckpoint();
  /** Scope the in-memory checkpoint belongs to; null until the first pull binds it. */
  #checkpointScope: string | null = null;
  #restored = false;

  constructor(options: SyncEngineOptions) {
    this.connector = options.connector;
    this.store = options.store;
    this.policy = options.policy;
    this.strategy = options.strategy ?? ConflictStrategy.NEWER_TIMESTAMP;
    this.strictManualReview = options.strictManualReview ?? false;
    this.maxRetryAttempts = options.maxRetryAttempts ?? 2;
    this.#options = options;
  }

  get checkpoint(): SyncCheckpoint {
    return this.#checkpoint;
  }

  /** Replaces the resume point verbatim (no validation), as the original. */
  restoreCheckpoint(checkpoint: SyncCheckpoint): void {
    this.#checkpoint = createCheckpoint(checkpoint);
    this.#restored = true;
  }

  async pull(options: SyncRunOptions = {}): Promise<SyncResult> {
    const ctx = this.#context(options, false);
    const result = await this.#runPull(ctx, options.limit ?? 100, options.filters);
    this.#enforceConflictPolicy(result.conflicts);
    return result;
  }

  async push(options: SyncRunOptions = {}): Promise<SyncResult> {
    const ctx = this.#context(options, false);
    const result = await this.#runPush(ctx, options.limit ?? 200, options.filters);
    this.#enforceConflictPolicy(result.conflicts);
    return result;
  }

  /** Pull (unless `pullFirst: false`), then push with page size `max(limit, 100)`. */
  async sync(options: SyncOptions = {}): Promise<SyncResult> {
    const ctx = this.#context(options, false);
    return this.#runSync(ctx, options, true);
  }

  /**
   * The writes `sync()` (or `push()` with `operation: 'push'`) would make now, in order, without
   * making them: reads go to the tracker and store, writes go to an in-memory overlay. Local
   * writes that follow a remote write are predictions (the tracker stamps its own timestamps).
   */
  async plan(options: PlanOptions = {}): Promise<SyncPlan> {
    const ctx = this.#context(options, true);
    const result =
      options.operation === 'push'
        ? await this.#runPush(ctx, options.limit ?? 200, options.filters)
        : await this.#runSync(ctx, options, false);
    return { writes: ctx.writes, result };
  }

  async #runSync(ctx: RunContext, options: SyncOptions, enforce: boolean): Promise<SyncResult> {
    const limit = checkPageSize(options.limit ?? 100);
    const pulled =
      options.pullFirst === false ? createSyncResult() : await this.#runPull(ctx, limit, options.filters);
    if (enforce) this.#enforceConflictPolicy(pulled.conflicts);
    const pushed = await this.#runPush(ctx, Math.max(limit, 100), options.filters);
    if (enforce) this.#enforceConflictPolicy(pushed.conflicts);
    return createSyncResult({
      stats: {
        pulledCreated: pulled.stats.pulledCreated,
        pulledUpdated: pulled.stats.pulledUpdated,
        pushedCreated: pushed.stats.pushedCreated,
        pushedUpdated: pushed.stats.pushedUpdated,
        skipped: pulled.stats.skipped + pushed.stats.skipped,
      },
      conflicts: [...pulled.conflicts, ...pushed.conflicts],
      failures: [...pulled.failures, ...pushed.failures],
    });
  }

  #context(options: SyncRunOptions, dryRun: boolean): RunContext {
    const useBase = (this.#options.useSyncBase ?? true) && supportsSyncBase(this.store);
    const realBases = useBase ? (this.store as IssueStore & SyncBaseStore) : null;
    const persist = (this.#options.persistCheckpoints ?? true) && supportsCheckpoints(this.store);
    const overlay = dryRun ? new DryRunStore(this.store, realBases) : null;
    const writes: PlannedWrite[] = [];
    const handlers = [this.#options.onProgress, options.onProgress].filter(
      (handler): handler is SyncProgressHandler => handler !== undefined,
    );
    return {
      dryRun,
      store: overlay ?? this.store,
      bases: useBase ? (overlay ?? realBases) : null,
      checkpoints: persist ? (this.store as IssueStore & CheckpointStore) : null,
      signal: options.signal,
      emit: (event) => {
        if (event.type === 'write') writes.push(event.write);
        for (const handler of handlers) handler(event);
      },
      writes,
      seen: new Map(),
      pullSawEverything: false,
      capabilities: null,
    };
  }

  #retryOptions(ctx: RunContext, operation: string): RetryOptions {
    return {
      maxRetryAttempts: this.maxRetryAttempts,
      baseDelayMs: this.#options.retryBaseDelayMs,
      maxDelayMs: this.#options.retryMaxDelayMs,
      sleep: this.#options.sleep ?? defaultSleep,
      random: this.#options.random ?? Math.random,
      signal: ctx.signal,
      onRetry: (info) => ctx.emit({ type: 'retry', operation, ...info }),
    };
  }

  #enforceConflictPolicy(conflicts: readonly ConflictRecord[]): void {
    if (this.strictManualReview && conflicts.some((conflict) => conflict.manualReviewRequired)) {
      throw new SyncConflictError(STRICT_REVIEW_MESSAGE);
    }
  }

  #fail(ctx: RunContext, result: SyncResult, failure: Parameters<typeof createSyncFailure>[0]): void {
    const recorded = createSyncFailure(failure);
    result.failures.push(recorded);
    result.errors.push(formatSyncFailure(recorded));
    ctx.emit({ type: 'failure', failure: recorded });
  }

  #addConflicts(ctx: RunContext, result: SyncResult, conflicts: readonly ConflictRecord[]): void {
    for (const conflict of conflicts) {
      result.conflicts.push(conflict);
      ctx.emit({ type: 'conflict', conflict });
    }
  }

  // ---- checkpoints -------------------------------------------------------------------------

  #scopeFor(filters: SyncRunOptions['filters']): string {
    if (this.#options.checkpointScope !== undefined) return this.#options.checkpointScope;
    const hasFilters = filters !== undefined && filters !== null && Object.keys(filters).length > 0;
    return hasFilters ? `${this.connector.name}?${stableJson(filters)}` : this.connector.name;
  }

  async #loadCheckpoint(ctx: RunContext, scope: string): Promise<SyncCheckpoint> {
    if (ctx.checkpoints === null || this.#checkpointScope === scope || this.#restored)
      return this.#checkpoint;
    const stored = await ctx.checkpoints.getCheckpoint(scope);
    // A different scope than the one in memory starts from its own stored point (or from scratch).
    return stored ?? (this.#checkpointScope === null ? this.#checkpoint : createCheckpoint());
  }

  async #saveCheckpoint(ctx: RunContext, scope: string, checkpoint: SyncCheckpoint): Promise<void> {
    if (ctx.dryRun) return;
    const unchanged =
      this.#checkpointScope === scope &&
      this.#checkpoint.cursor === checkpoint.cursor &&
      this.#checkpoint.updatedSince?.getTime() === checkpoint.updatedSince?.getTime();
    this.#checkpoint = checkpoint;
    this.#checkpointScope = scope;
    this.#restored = false;
    // A no-op run leaves the stored checkpoint untouched (no store write).
    if (ctx.checkpoints !== null && !unchanged) await ctx.checkpoints.putCheckpoint(scope, checkpoint);
  }

  // ---- local writes --------------------------------------------------------------------------

  async #writeLocal(ctx: RunContext, issue: CanonicalIssue, action: 'create' | 'update'): Promise<void> {
    await ctx.store.upsertIssue(issue);
    ctx.emit({ type: 'write', write: { target: 'local', action, ref: issue.ref, issue } });
  }

  /** Records `remote` as the state both sides now share, unless the base already says so. */
  async #recordBase(ctx: RunContext, remote: CanonicalIssue, current: CanonicalIssue | null): Promise<void> {
    if (ctx.bases === null || (current !== null && contentEqual(current, remote))) return;
    await ctx.bases.putSyncBase(remote);
  }

  // ---- pull ----------------------------------------------------------------------------------

  async #runPull(ctx: RunContext, limit: number, filters: SyncRunOptions['filters']): Promise<SyncResult> {
    checkPageSize(limit);
    const result = createSyncResult();
    const scope = this.#scopeFor(filters);
    const start = await this.#loadCheckpoint(ctx, scope);
    let cursor = start.cursor;
    const querySince = start.updatedSince;
    let maxUpdatedAt = start.updatedSince;
    let complete = true;
    for (;;) {
      ctx.signal?.throwIfAborted();
      let page: Awaited<ReturnType<TrackerConnector['listIssues']>>;
      try {
        const query = { updatedSince: querySince, cursor, limit, filters, signal: ctx.signal };
        page = await withRetry(() => this.connector.listIssues(query), this.#retryOptions(ctx, 'pull_page'));
      } catch (error) {
        if (!ConnectorRequestError.isInstance(error)) throw error;
        // The checkpoint is not advanced for a failed page; the failure is retryable if the error is.
        this.#fail(ctx, result, {
          issueRef: null,
          operation: 'pull_page',
          failureClass: error.failureClass,
          message: error.message,
          retryable: error.isRetryable,
        });
        complete = false;
        break;
      }
      ctx.emit({
        type: 'page',
        phase: 'pull',
        cursor,
        nextCursor: page.nextCursor,
        items: page.items.length,
      });
      for (const external of dedupePage(page.items)) {
        ctx.signal?.throwIfAborted();
        if (
          external.updatedAt &&
          (maxUpdatedAt === null || external.updatedAt.getTime() > maxUpdatedAt.getTime())
        ) {
          maxUpdatedAt = external.updatedAt;
        }
        await this.#pullOne(ctx, result, external);
      }
      cursor = page.nextCursor;
      await this.#saveCheckpoint(ctx, scope, createCheckpoint({ cursor, updatedSince: maxUpdatedAt }));
      if (cursor === null) break;
    }
    ctx.pullSawEverything = complete && start.cursor === null && querySince === null;
    return result;
  }

  async #pullOne(ctx: RunContext, result: SyncResult, external: CanonicalIssue): Promise<void> {
    ctx.seen.set(refIdentity(external.ref), external);
    const local = await ctx.store.getIssue(external.ref);
    if (local === null) {
      await this.#writeLocal(ctx, external, 'create');
      result.stats.pulledCreated += 1;
      await this.#recordBase(ctx, external, null);
      return;
    }
    const base = ctx.bases ? await ctx.bases.getSyncBase(external.ref) : null;
    const { merged, conflicts } = mergeIssues({
      local,
      external,
      base,
      policy: this.policy,
      strategy: this.strategy,
    });
    this.#addConflicts(ctx, result, conflicts);
    // Unlike the original, an unchanged issue is not rewritten: a no-op pull makes no store writes.
    if (issuesEqual(merged, local)) {
      result.stats.skipped += 1;
    } else {
      await this.#writeLocal(ctx, merged, 'update');
      result.stats.pulledUpdated += 1;
    }
    await this.#recordBase(ctx, external, base);
  }

  // ---- push ----------------------------------------------------------------------------------

  async #listAllRemote(
    ctx: RunContext,
    limit: number,
    filters: SyncRunOptions['filters'],
  ): Promise<Map<string, CanonicalIssue>> {
    const index = new Map<string, CanonicalIssue>();
    let cursor: string | null = null;
    do {
      ctx.signal?.throwIfAborted();
      const query = { updatedSince: null, cursor, limit, filters, signal: ctx.signal };
      const page = await this.connector.listIssues(query);
      ctx.emit({
        type: 'page',
        phase: 'push',
        cursor,
        nextCursor: page.nextCursor,
        items: page.items.length,
      });
      for (const issue of page.items) index.set(refIdentity(issue.ref), issue);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return index;
  }

  /** Local issues whose content is not on the tracker yet; the store answers it if it can. */
  async #listUnsynced(ctx: RunContext): Promise<{ unsynced: UnsyncedIssue[]; total: number }> {
    const system = this.connector.name;
    if (supportsUnsyncedListing(ctx.store)) return ctx.store.listUnsyncedIssues({ system });
    const locals = await ctx.store.listIssues({ system });
    const unsynced: UnsyncedIssue[] = [];
    for (const issue of locals) {
      const base = ctx.bases ? await ctx.bases.getSyncBase(issue.ref) : null;
      if (base === null || !contentEqual(issue, base)) unsynced.push({ issue, base });
    }
    return { unsynced, total: locals.length };
  }

  /** The remote copy of one issue, or null when the tracker has none. */
  async #lookupRemote(ctx: RunContext, ref: ExternalRef): Promise<CanonicalIssue | null> {
    try {
      return await withRetry(
        () => this.connector.getIssue(ref, { signal: ctx.signal }),
        this.#retryOptions(ctx, 'get_issue'),
      );
    } catch (error) {
      if (IssueNotFoundError.isInstance(error)) return null;
      if (ConnectorRequestError.isInstance(error) && error.failureClass === FailureClass.NOT_FOUND)
        return null;
      throw error;
    }
  }

  async #runPush(ctx: RunContext, limit: number, filters: SyncRunOptions['filters']): Promise<SyncResult> {
    checkPageSize(limit);
    const result = createSyncResult();
    let candidates: { local: CanonicalIssue; base: CanonicalIssue | null }[];
    // Where the remote copy of a candidate comes from: a full index, or this run's pull plus lookups.
    let index: Map<string, CanonicalIssue> | null = null;
    if (ctx.bases === null) {
      // The original: list the whole remote, then every local issue of this system is a candidate.
      index = ctx.pullSawEverything ? ctx.seen : await this.#listAllRemote(ctx, limit, filters);
      const locals = await ctx.store.listIssues({ system: this.connector.name });
      candidates = locals.map((local) => ({ local, base: null }));
    } else {
      // Dirty tracking: only issues never synced, or whose local content moved off the base.
      const { unsynced, total } = await this.#listUnsynced(ctx);
      candidates = unsynced.map(({ issue, base }) => ({ local: issue, base }));
      if (candidates.length === 0) return result;
      if (ctx.pullSawEverything) {
        index = ctx.seen;
      } else {
        const lookups = candidates.filter(({ local }) => !ctx.seen.has(refIdentity(local.ref))).length;
        // One getIssue per unseen candidate, unless listing everything is cheaper (~locals/limit pages).
        if (lookups > Math.ceil(total / limit) + 1) index = await this.#listAllRemote(ctx, limit, filters);
      }
    }
    if (ctx.capabilities === null) ctx.capabilities = await this.connector.getCapabilities();
    for (const { local, base } of candidates) {
      ctx.signal?.throwIfAborted();
      const identity = refIdentity(local.ref);
      let remote: CanonicalIssue | null;
      if (index !== null) remote = index.get(identity) ?? null;
      else remote = ctx.seen.get(identity) ?? (await this.#lookupRemote(ctx, local.ref));
      if (remote === null) await this.#pushCreate(ctx, result, local);
      else await this.#pushUpdate(ctx, result, local, remote, base, ctx.capabilities);
    }
    return result;
  }

  async #pushCreate(ctx: RunContext, result: SyncResult, local: CanonicalIssue): Promise<void> {
    if (!localCanWrite(this.policy, 'title')) {
      result.stats.skipped += 1;
      return;
    }
    for (const [field, empty, name] of CREATE_GUARD) {
      if (!localCanWrite(this.policy, field) && !deepEqual(local[field], empty)) {
        this.#fail(ctx, result, {
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
      this.#fail(ctx, result, {
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
      created = await this.#createRemote(ctx, local);
    } catch (error) {
      if (!isCapturedWriteError(error)) throw error;
      this.#fail(ctx, result, {
        issueRef: local.ref,
        operation: 'create',
        failureClass: failureClassOf(error),
        message: error.message,
        retryable: false,
      });
      return;
    }
    await this.#writeLocal(ctx, created, 'update');
    if (refIdentity(created.ref) !== refIdentity(local.ref)) {
      // The tracker assigned its own id: drop the draft so the next push does not create it again.
      await ctx.store.deleteIssue(local.ref);
      await ctx.bases?.deleteSyncBase(local.ref);
      ctx.emit({ type: 'write', write: { target: 'local', action: 'delete', ref: local.ref, issue: null } });
    }
    result.stats.pushedCreated += 1;
    await this.#recordBase(ctx, created, null);
  }

  /** An issue a previous (possibly crashed or timed-out) attempt created, if the tracker can tell. */
  async #findCreated(
    ctx: RunContext,
    local: CanonicalIssue,
    idempotencyKey: string,
  ): Promise<CanonicalIssue | null> {
    if (this.connector.findCreatedIssue) {
      return this.connector.findCreatedIssue(local, { idempotencyKey, signal: ctx.signal });
    }
    return this.#lookupRemote(ctx, local.ref);
  }

  /**
   * Create with retry, but never blindly: after an ambiguous failure (transient: timeout, 5xx,
   * network) the create may have been applied, so look for it before trying again. A 429 was
   * refused, not applied, and is retried directly.
   */
  async #createRemote(ctx: RunContext, local: CanonicalIssue): Promise<CanonicalIssue> {
    const idempotencyKey = `sync:create:${refIdentity(local.ref)}`;
    // A previous run may have crashed between "created" and "recorded".
    if (this.connector.findCreatedIssue) {
      const existing = await this.connector.findCreatedIssue(local, { idempotencyKey, signal: ctx.signal });
      if (existing) return existing;
    }
    ctx.emit({
      type: 'write',
      write: { target: 'remote', action: 'create', ref: local.ref, issue: local, idempotencyKey },
    });
    if (ctx.dryRun) return local;
    const settleAmbiguous = async (
      error: ConnectorRequestError,
    ): Promise<{ value: CanonicalIssue } | null> => {
      if (error.failureClass !== FailureClass.TRANSIENT) return null;
      let found: CanonicalIssue | null;
      try {
        found = await this.#findCreated(ctx, local, idempotencyKey);
      } catch {
        // Absence cannot be proven, so a retry could duplicate: give up with the create's error.
        throw error;
      }
      return found ? { value: found } : null;
    };
    try {
      return await withRetry(
        () => this.connector.createIssue(local, { idempotencyKey, signal: ctx.signal }),
        this.#retryOptions(ctx, 'create'),
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

  async #pushUpdate(
    ctx: RunContext,
    result: SyncResult,
    local: CanonicalIssue,
    remote: CanonicalIssue,
    base: CanonicalIssue | null,
    caps: TrackerCapabilities,
  ): Promise<void> {
    const { merged: desired, conflicts } = mergeIssues({
      local,
      external: remote,
      base,
      policy: this.policy,
      strategy: this.strategy,
    });
    this.#addConflicts(ctx, result, conflicts);
    const patch: Record<string, unknown> = {};
    for (const field of CORE_ISSUE_FIELDS) {
      if (!coreFieldEqual(field, remote, desired)) patch[field] = desired[field];
    }
    if ('assignees' in patch && !caps.supportsAssignment) {
      delete patch.assignees;
      this.#denied(ctx, result, local.ref, ASSIGNEES_EXCLUDED);
    }
    if ('status' in patch && TERMINAL_STATUSES.has(desired.status) && !caps.supportsTerminalTransition) {
      delete patch.status;
      this.#denied(ctx, result, local.ref, STATUS_EXCLUDED);
    }
    if (Object.keys(patch).length === 0) {
      // Materialise the resolution locally so the same conflict is not re-reported forever.
      if (!issuesEqual(desired, local)) await this.#writeLocal(ctx, desired, 'update');
      result.stats.skipped += 1;
      await this.#recordBase(ctx, remote, base);
      return;
    }
    if ('customFields' in patch) {
      try {
        assertNoForbiddenLegacyKeys({ custom_fields: { ...(patch.customFields as object) } });
      } catch (error) {
        if (!ModelValidationError.isInstance(error)) throw error;
        this.#fail(ctx, result, {
          issueRef: local.ref,
          operation: 'update',
          failureClass: null,
          message: error.message,
          retryable: false,
        });
        return;
      }
    }
    const idempotencyKey = `sync:${refIdentity(local.ref)}`;
    const issuePatch = patch as IssuePatch;
    ctx.emit({
      type: 'write',
      write: { target: 'remote', action: 'update', ref: local.ref, patch: issuePatch, idempotencyKey },
    });
    let updated: CanonicalIssue;
    if (ctx.dryRun) {
      updated = applyPatch(remote, issuePatch);
    } else {
      try {
        updated = await withRetry(
          () => this.connector.updateIssue(local.ref, issuePatch, { idempotencyKey, signal: ctx.signal }),
          this.#retryOptions(ctx, 'update'),
        );
      } catch (error) {
        if (!isCapturedWriteError(error)) throw error;
        this.#fail(ctx, result, {
          issueRef: local.ref,
          operation: 'update',
          failureClass: failureClassOf(error),
          message: error.message,
          retryable: false,
        });
        return;
      }
    }
    // With a base, merge the resolution with the answer (base = what we patched) so a conflict
    // already settled above is not reported twice; without one, the original's merge(local, answer).
    const post =
      base === null
        ? mergeIssues({ local, external: updated, base: null, policy: this.policy, strategy: this.strategy })
        : mergeIssues({
            local: desired,
            external: updated,
            base: remote,
            policy: this.policy,
            strategy: this.strategy,
          });
    this.#addConflicts(ctx, result, post.conflicts);
    if (!issuesEqual(post.merged, local)) await this.#writeLocal(ctx, post.merged, 'update');
    result.stats.pushedUpdated += 1;
    await this.#recordBase(ctx, updated, base);
  }

  #denied(ctx: RunContext, result: SyncResult, ref: ExternalRef, message: string): void {
    this.#fail(ctx, result, {
      issueRef: ref,
      operation: 'patch_field_denied',
      failureClass: null,
      message,
      retryable: false,
    });
  }
}
