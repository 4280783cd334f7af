import { formatSyncFailure, SyncOperation, type SyncResult } from '@spec-kitty/core';
import type { ServeLog } from './serve-log';

/** First wait before another attempt at closing the restart gap after a failed gap sync. */
export const GAP_RETRY_BASE_MS = 5_000;
/** Longest wait between attempts at closing the restart gap (the doubling stops there). */
export const GAP_RETRY_MAX_MS = 300_000;

/** The wait before the next attempt after `failures` failed gap syncs in a row: 5 s, 10 s, 20 s … 5 min. */
export function gapRetryDelayMs(
  failures: number,
  baseMs: number = GAP_RETRY_BASE_MS,
  maxMs: number = GAP_RETRY_MAX_MS,
): number {
  return Math.min(baseMs * 2 ** Math.max(failures - 1, 0), maxMs);
}

/**
 * Whether a run closed a gap: its incremental sync ran (for a `syncEvents` run: `gapSync` is set,
 * i.e. the tracker did not stop the run first) and its listing did not fail. Failures of single
 * issues do not keep the gap open: the listing saw every change, and those issues are retried
 * like any other failure. (The rule core's `drainWebhookInbox` uses to stop passing the gap on.)
 */
function closesGap(result: SyncResult, eventsRun: boolean): boolean {
  if (eventsRun && result.events?.gapSync == null) return false;
  return !result.failures.some((failure) => failure.operation === SyncOperation.PULL_PAGE);
}

/** Why runs did not close the gap, in one line: the failed listing, or the tracker stopping the run first. */
function gapFailureReason(results: readonly SyncResult[]): string {
  for (const result of results) {
    const listing = result.failures.find((failure) => failure.operation === SyncOperation.PULL_PAGE);
    if (listing !== undefined) return formatSyncFailure(listing);
  }
  const first = results.flatMap((result) => result.failures)[0];
  const stopped = 'the tracker stopped the run before its incremental sync';
  return first === undefined ? stopped : `${stopped} (${formatSyncFailure(first)})`;
}

/** What one drain of a binding's inbox did (core's `DrainWebhookInboxResult`). */
export interface DrainOutcome {
  readonly claimed: number;
  readonly completed: number;
  readonly retried: number;
  readonly dead: number;
  readonly results: readonly SyncResult[];
}

/** Why an incremental sync ran. */
export type SyncReason = 'restart' | 'safety';

export interface InboxProcessorOptions {
  /** The binding's name, for logs. */
  readonly binding: string;
  /** Syncs the inbox's due deliveries (`gap: 'restart'` on the first drain after start). */
  drain(gap: 'restart' | null, signal: AbortSignal): Promise<DrainOutcome>;
  /** The bounded incremental sync from the checkpoint (safety net, and the restart gap when the inbox is empty). */
  sync(signal: AbortSignal): Promise<SyncResult>;
  /** Milliseconds between safety-net syncs; 0 turns them off. */
  readonly safetyIntervalMs: number;
  /** Milliseconds between looks at the inbox when nothing woke the processor (retries, other acceptors). */
  readonly pollIntervalMs: number;
  readonly log: ServeLog;
  readonly now?: () => Date;
  /** First wait after a failed gap sync (default `GAP_RETRY_BASE_MS`); doubled after each failure in a row. */
  readonly gapRetryBaseMs?: number;
  /** Cap of that wait (default `GAP_RETRY_MAX_MS`). */
  readonly gapRetryMaxMs?: number;
}

/** The processor's state for `/healthz`. */
export interface ProcessorHealth {
  readonly lastProcessedAt: string | null;
  readonly lastSync: {
    readonly at: string;
    readonly reason: SyncReason;
    readonly ok: boolean;
    readonly stats: SyncResult['stats'] | null;
  } | null;
  readonly lastError: string | null;
  /**
   * The restart gap (deliveries may have been missed while nothing listened): `open` until a gap
   * sync succeeds; `failedAttempts` in a row and when the next attempt is due while it stays open.
   */
  readonly restartGap: {
    readonly open: boolean;
    readonly failedAttempts: number;
    readonly nextAttemptAt: string | null;
  };
}

function counts(results: readonly SyncResult[]) {
  const total = { pulledCreated: 0, pulledUpdated: 0, pushedCreated: 0, pushedUpdated: 0, skipped: 0 };
  let failures = 0;
  let conflicts = 0;
  for (const result of results) {
    total.pulledCreated += result.stats.pulledCreated;
    total.pulledUpdated += result.stats.pulledUpdated;
    total.pushedCreated += result.stats.pushedCreated;
    total.pushedUpdated += result.stats.pushedUpdated;
    total.skipped += result.stats.skipped;
    failures += result.failures.length;
    conflicts += result.conflicts.length;
  }
  return { ...total, failures, conflicts };
}

/**
 * Turns a binding's inbox into syncs, one job at a time and never in a request: woken after each
 * accepted delivery, and by a timer for retries; runs the safety-net sync on its interval. The
 * first drain after start declares a `restart` gap (deliveries may have been missed while nothing
 * listened); when the inbox is empty then, the gap is closed by an incremental sync at once. The
 * gap stays open until a gap sync succeeds (see `closesGap`; a safety-net sync that succeeds
 * closes it too): after a failed attempt the next one waits `gapRetryDelayMs` (5 s, doubling,
 * capped at 5 min), so a tracker that is down is not asked again at every look at the inbox.
 */
export class InboxProcessor {
  readonly #options: InboxProcessorOptions;
  readonly #controller = new AbortController();
  readonly #now: () => Date;
  #timers: NodeJS.Timeout[] = [];
  #running: Promise<void> | null = null;
  #wantDrain = false;
  #wantSync: SyncReason | null = null;
  #started = false;
  #restartGapOpen = true;
  #gapFailures = 0;
  /** When the next gap attempt is due (ms since the epoch); 0 = now. */
  #gapRetryAt = 0;
  #gapTimer: NodeJS.Timeout | null = null;
  #stopping = false;
  #health: { -readonly [K in keyof Omit<ProcessorHealth, 'restartGap'>]: ProcessorHealth[K] } = {
    lastProcessedAt: null,
    lastSync: null,
    lastError: null,
  };

  constructor(options: InboxProcessorOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** Processes what the inbox holds (closing the restart gap), then starts the timers. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const { safetyIntervalMs, pollIntervalMs } = this.#options;
    this.#timers.push(setInterval(() => this.wake(), pollIntervalMs).unref());
    if (safetyIntervalMs > 0)
      this.#timers.push(setInterval(() => this.#request('safety'), safetyIntervalMs).unref());
    this.wake();
  }

  /** Asks for a drain soon (after a delivery was queued). */
  wake(): void {
    this.#wantDrain = true;
    this.#kick();
  }

  health(): ProcessorHealth {
    const open = this.#restartGapOpen;
    return {
      ...this.#health,
      restartGap: {
        open,
        failedAttempts: this.#gapFailures,
        nextAttemptAt: open && this.#gapRetryAt > 0 ? new Date(this.#gapRetryAt).toISOString() : null,
      },
    };
  }

  /** Aborts the job in progress at once (a second SIGTERM): its batch goes back to the inbox. */
  abort(): void {
    this.#controller.abort(new Error('serve was told to stop at once'));
  }

  /**
   * Stops the timers, lets the job in progress finish (its drain ends once nothing is due, and
   * nothing new arrives once the server is closed), and resolves when it has. A job still running
   * after `graceMs` is aborted: its batch goes back to the inbox for the next start.
   */
  async stop(graceMs = 20_000): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    if (this.#gapTimer !== null) clearTimeout(this.#gapTimer);
    this.#gapTimer = null;
    const abort = () => this.#controller.abort(new Error('serve is stopping'));
    const timer = setTimeout(abort, graceMs);
    try {
      await this.#running;
    } finally {
      clearTimeout(timer);
      abort();
    }
  }

  #request(reason: SyncReason): void {
    this.#wantSync ??= reason;
    this.#kick();
  }

  #kick(): void {
    if (this.#running !== null || this.#stopping || !this.#started) return;
    this.#running = this.#loop().finally(() => {
      this.#running = null;
      if ((this.#wantDrain || this.#wantSync !== null) && !this.#stopping) this.#kick();
    });
  }

  async #loop(): Promise<void> {
    while (!this.#stopping && (this.#wantDrain || this.#wantSync !== null)) {
      if (this.#wantDrain) {
        this.#wantDrain = false;
        await this.#drainOnce();
      } else {
        const reason = this.#wantSync!;
        this.#wantSync = null;
        await this.#syncOnce(reason);
      }
    }
  }

  /** Whether this job should attempt to close the restart gap (open, and not waiting out a backoff). */
  #gapDue(): boolean {
    return this.#restartGapOpen && this.#now().getTime() >= this.#gapRetryAt;
  }

  #gapClosed(): void {
    this.#restartGapOpen = false;
    this.#gapFailures = 0;
    this.#gapRetryAt = 0;
  }

  /** A gap attempt failed: log it, and wake for the next attempt once the backoff has passed. */
  #gapFailed(job: string, fields: Readonly<Record<string, unknown>>): void {
    const { binding, log, gapRetryBaseMs, gapRetryMaxMs } = this.#options;
    this.#gapFailures += 1;
    const delayMs = gapRetryDelayMs(this.#gapFailures, gapRetryBaseMs, gapRetryMaxMs);
    this.#gapRetryAt = this.#now().getTime() + delayMs;
    if (this.#stopping) return;
    log('failed', {
      binding,
      job,
      gap: 'restart',
      attempt: this.#gapFailures,
      retryInMs: delayMs,
      nextAttemptAt: new Date(this.#gapRetryAt).toISOString(),
      ...fields,
    });
    if (this.#gapTimer !== null) clearTimeout(this.#gapTimer);
    this.#gapTimer = setTimeout(() => {
      this.#gapTimer = null;
      // The wait is over, even if the wall clock says a millisecond is left (timers run on another clock).
      this.#gapRetryAt = 0;
      this.wake();
    }, delayMs).unref();
  }

  async #drainOnce(): Promise<void> {
    const { binding, log } = this.#options;
    const gap = this.#gapDue() ? 'restart' : null;
    let outcome: DrainOutcome;
    try {
      outcome = await this.#options.drain(gap, this.#controller.signal);
    } catch (error) {
      this.#health.lastError = (error as Error).message;
      if (gap !== null) this.#gapFailed('drain', { error });
      else if (!this.#stopping) log('failed', { binding, job: 'drain', error });
      return;
    }
    if (outcome.claimed > 0) {
      this.#health.lastProcessedAt = this.#now().toISOString();
      const { claimed, completed, retried, dead } = outcome;
      log('processed', { binding, claimed, completed, retried, dead, gap, ...counts(outcome.results) });
    }
    if (gap === null) return;
    if (outcome.claimed === 0) {
      // Nothing was queued: close the gap with an incremental sync now.
      this.#wantSync ??= 'restart';
      return;
    }
    const closing = outcome.results.find((result) => closesGap(result, true));
    this.#recordSync('restart', closing ?? outcome.results.at(-1) ?? null, closing !== undefined);
    if (closing !== undefined) this.#gapClosed();
    else {
      const reason = gapFailureReason(outcome.results);
      this.#health.lastError = reason;
      this.#gapFailed('drain', { failures: counts(outcome.results).failures, reason });
    }
  }

  async #syncOnce(reason: SyncReason): Promise<void> {
    const { binding, log } = this.#options;
    // A restart sync asked for before a failed attempt's backoff ended waits for the next one.
    if (reason === 'restart' && !this.#gapDue()) return;
    let result: SyncResult;
    try {
      result = await this.#options.sync(this.#controller.signal);
    } catch (error) {
      this.#health.lastError = (error as Error).message;
      if (reason === 'restart' || this.#restartGapOpen) this.#gapFailed(`${reason} sync`, { error });
      else if (!this.#stopping) log('failed', { binding, job: `${reason} sync`, error });
      return;
    }
    this.#recordSync(reason, result, result.failures.length === 0);
    log('sync', { binding, reason, ...counts([result]) });
    // While the gap is open, every incremental sync (restart or safety) is an attempt at closing it.
    if (!this.#restartGapOpen) return;
    if (closesGap(result, false)) this.#gapClosed();
    else {
      const why = gapFailureReason([result]);
      this.#health.lastError = why;
      this.#gapFailed(`${reason} sync`, { failures: result.failures.length, reason: why });
    }
  }

  #recordSync(reason: SyncReason, result: SyncResult | null, ok: boolean): void {
    this.#health.lastSync = {
      at: this.#now().toISOString(),
      reason,
      ok,
      stats: result?.stats ?? null,
    };
    if (ok) this.#health.lastError = null;
  }
}
