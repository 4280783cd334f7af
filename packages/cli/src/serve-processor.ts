import type { SyncResult } from '@spec-kitty/core';
import type { ServeLog } from './serve-log';

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
 * listened); when the inbox is empty then, the gap is closed by an incremental sync at once.
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
  #stopping = false;
  #health: { -readonly [K in keyof ProcessorHealth]: ProcessorHealth[K] } = {
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
    return { ...this.#health };
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

  async #drainOnce(): Promise<void> {
    const { binding, log } = this.#options;
    const gap = this.#restartGapOpen ? 'restart' : null;
    try {
      const outcome = await this.#options.drain(gap, this.#controller.signal);
      if (outcome.claimed > 0) {
        this.#health.lastProcessedAt = this.#now().toISOString();
        const { claimed, completed, retried, dead } = outcome;
        log('processed', { binding, claimed, completed, retried, dead, gap, ...counts(outcome.results) });
        if (gap !== null) this.#recordSync('restart', outcome.results.at(-1) ?? null, retried + dead === 0);
      }
      if (gap !== null) {
        this.#restartGapOpen = false;
        // Nothing was queued: close the gap with an incremental sync now.
        if (outcome.claimed === 0) this.#wantSync = 'restart';
      }
    } catch (error) {
      this.#health.lastError = (error as Error).message;
      if (!this.#stopping) log('failed', { binding, job: 'drain', error });
    }
  }

  async #syncOnce(reason: SyncReason): Promise<void> {
    const { binding, log } = this.#options;
    try {
      const result = await this.#options.sync(this.#controller.signal);
      this.#recordSync(reason, result, result.failures.length === 0);
      log('sync', { binding, reason, ...counts([result]) });
    } catch (error) {
      this.#health.lastError = (error as Error).message;
      if (!this.#stopping) log('failed', { binding, job: `${reason} sync`, error });
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
