import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { EnqueueDeliveryResult, InboxDeliveryInit } from '@spec-kitty/core';
import { migrateComponent, PostgresStore, redactConnectionString } from '@spec-kitty/store-postgres';
import PgBoss from 'pg-boss';
import type { Binding } from './binding';
import { BindingRegistry } from './binding-registry';
import { type ConnectorFactory, registryConnectorFactory } from './connector-factory';
import { type CredentialResolver, envCredentialResolver } from './credentials';
import { type RunBindingContext, type RunMode, type RunOutcome, runBinding } from './run-binding';
import { WORKER_COMPONENT, WORKER_MIGRATIONS } from './worker-migrations';

export const SYNC_QUEUE = 'spec-kitty-sync';
export const DEAD_LETTER_QUEUE = 'spec-kitty-sync-dead';
const TICK_QUEUE = 'spec-kitty-tick';

export interface SyncWorkerOptions {
  /** `postgres://…` shared by the store, the bindings and pg-boss. */
  connectionString: string;
  /** Schema of the store and bindings (default `spec_kitty`); pg-boss uses `<schema>_boss`. */
  schema?: string;
  /** Names this process in leases and the run log (default `<host>:<pid>:<random>`). */
  workerId?: string;
  /** Take jobs (default true). False: only register bindings and enqueue (CLIs, web apps). */
  work?: boolean;
  /** Jobs this process runs at once (default 2). */
  concurrency?: number;
  /** Fleet-wide runs at once per provider, e.g. `{ github: 4 }` (hosted providers share Nango and vendor limits). */
  providerConcurrency?: Readonly<Record<string, number>>;
  /** Cap for providers not in `providerConcurrency` (default: none). */
  defaultProviderConcurrency?: number;
  /** Default: `SPEC_KITTY_CREDENTIAL_<NAME>` from the environment. */
  resolveCredential?: CredentialResolver;
  /** Default: the connector registered under the binding's provider. */
  createConnector?: ConnectorFactory;
  /** A run's lease (renewed every third of it) and how long a crashed run blocks its binding (default 60 000). */
  leaseTtlMs?: number;
  /** A job still active this long after it started is taken to be dead and retried (default 900). */
  jobExpireSeconds?: number;
  /** Failed runs in a row before a binding is dead-lettered (default 5). */
  maxAttempts?: number;
  /** First retry delay, doubled per retry by pg-boss (default 30). */
  retryDelaySeconds?: number;
  /** Delay before a job deferred by the provider cap or a held lease runs again (default 5). */
  deferSeconds?: number;
  /** How often idle workers poll for jobs (default 2, minimum 0.5). */
  pollingIntervalSeconds?: number;
  /** pg-boss maintenance (expiring dead jobs, cron) interval (default 60). */
  maintenanceIntervalSeconds?: number;
  /** How often this process enqueues due bindings (default 15 000 ms; 0: only pg-boss's minute cron). */
  tickIntervalMs?: number;
  /** Connections per pool (store and pg-boss each; default 5). */
  poolSize?: number;
  /** Passed to every `SyncEngine` (retry counts and delays, sleep). */
  engineOptions?: RunBindingContext['engineOptions'];
  /**
   * How each run drains its binding's webhook inbox (`drainWebhookInbox`): deliveries per batch
   * (default 50), their lease (default 300 000 ms) and the attempts before one is dead (default 5);
   * `keepDoneMs`: how long the id of a processed delivery is kept to catch a late redelivery
   * (default 7 days; `tick()` prunes older ones at most every 10 minutes).
   */
  inbox?: { limit?: number; leaseMs?: number; maxAttempts?: number; keepDoneMs?: number };
  /** Observes runs and job decisions (logging, metrics). Must not throw. */
  onEvent?: (event: WorkerEvent) => void;
}

/** How long a processed delivery's id is kept by default (vendors redeliver within hours). */
const DEFAULT_KEEP_DONE_MS = 7 * 24 * 60 * 60_000;
const PRUNE_INTERVAL_MS = 10 * 60_000;

function drainOptionsOf(inbox: SyncWorkerOptions['inbox']): RunBindingContext['inbox'] {
  if (inbox === undefined) return {};
  const { keepDoneMs: _keptByTick, ...drain } = inbox;
  return drain;
}

export type WorkerEvent =
  | {
      readonly type: 'run';
      readonly bindingId: string;
      readonly outcome: RunOutcome;
      readonly durationMs: number;
    }
  | { readonly type: 'dead_letter'; readonly bindingId: string; readonly error: string }
  | { readonly type: 'enqueued'; readonly bindingIds: readonly string[]; readonly reason: JobReason }
  | { readonly type: 'error'; readonly error: Error };

export type JobReason = 'schedule' | 'now' | 'deferred' | 'released' | 'rate_limited' | 'webhook';

interface SyncJob {
  bindingId: string;
  reason: JobReason;
}

/**
 * A sync worker: bindings and the store in PostgreSQL, jobs on pg-boss. Any number of processes
 * share one database; each binding runs at most once at a time (the store's fenced run lease;
 * at most one queued job per binding), failed runs retry with backoff (rate limits: after
 * the reset), and a binding failing `maxAttempts` times in a row is dead-lettered with its last
 * error. `stop()` (SIGTERM) releases the current page of each run and re-enqueues it.
 */
export class SyncWorker {
  readonly workerId: string;
  readonly store: PostgresStore;
  readonly bindings: BindingRegistry;
  readonly boss: PgBoss;
  readonly #options: SyncWorkerOptions;
  readonly #context: RunBindingContext;
  readonly #shutdown = new AbortController();
  readonly #inFlight = new Set<Promise<unknown>>();
  #tickTimer: NodeJS.Timeout | undefined;
  #prunedAt = Number.NEGATIVE_INFINITY;
  #stopped: Promise<void> | null = null;

  private constructor(options: SyncWorkerOptions, store: PostgresStore, boss: PgBoss) {
    this.#options = options;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.store = store;
    this.boss = boss;
    this.bindings = new BindingRegistry(store.pool, store.schema);
    const caps = options.providerConcurrency ?? {};
    this.#context = {
      store,
      workerId: this.workerId,
      resolveCredential: options.resolveCredential ?? envCredentialResolver(),
      createConnector: options.createConnector ?? registryConnectorFactory(),
      leaseTtlMs: options.leaseTtlMs ?? 60_000,
      providerCap: (provider) => caps[provider] ?? options.defaultProviderConcurrency,
      engineOptions: options.engineOptions,
      inbox: { leaseMs: 300_000, ...drainOptionsOf(options.inbox) },
    };
  }

  /** Connects, migrates the store and worker tables, starts pg-boss and (unless `work: false`) takes jobs. */
  static async start(options: SyncWorkerOptions): Promise<SyncWorker> {
    const schema = options.schema ?? 'spec_kitty';
    const poolSize = options.poolSize ?? 5;
    const store = await PostgresStore.open({ connectionString: options.connectionString, schema, poolSize });
    let boss: PgBoss | null = null;
    try {
      await migrateComponent(store.pool, {
        schema,
        component: WORKER_COMPONENT,
        migrations: WORKER_MIGRATIONS,
      });
      const work = options.work ?? true;
      boss = new PgBoss({
        connectionString: options.connectionString,
        schema: `${schema}_boss`,
        max: poolSize,
        application_name: 'spec-kitty-worker',
        supervise: work,
        schedule: work,
        maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
      });
      const worker = new SyncWorker(options, store, boss);
      boss.on('error', (error) => worker.#emit({ type: 'error', error }));
      await boss.start();
      await worker.#createQueues();
      if (work) await worker.#startWorking();
      return worker;
    } catch (error) {
      await boss?.stop({ graceful: false, wait: true }).catch(() => undefined);
      await store.close();
      throw new Error(
        `Cannot start the sync worker on ${redactConnectionString(options.connectionString)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** Enqueues a run of one binding now (at most one waits per binding; a second request is merged). */
  async syncNow(bindingId: string): Promise<string | null> {
    await this.bindings.require(bindingId);
    const id = await this.#send({ bindingId, reason: 'now' });
    this.#emit({ type: 'enqueued', bindingIds: [bindingId], reason: 'now' });
    return id;
  }

  /**
   * Stores a verified webhook delivery in the binding's inbox (`init.binding` is the binding id)
   * and enqueues a webhook run of the binding. The delivery is committed when this resolves, so a
   * host answers the vendor 2xx after it; a duplicate delivery id stores and enqueues nothing.
   * A failure to enqueue the run is reported through `onEvent` only: the next `tick()` starts a
   * drain for every binding with due deliveries.
   */
  async enqueueDelivery(init: InboxDeliveryInit): Promise<EnqueueDeliveryResult> {
    await this.bindings.require(init.binding);
    const result = await this.store.scope(init.binding).enqueueDelivery(init);
    if (result.status === 'queued') {
      try {
        await this.#send({ bindingId: init.binding, reason: 'webhook' });
        this.#emit({ type: 'enqueued', bindingIds: [init.binding], reason: 'webhook' });
      } catch (error) {
        this.#emit({ type: 'error', error: error as Error });
      }
    }
    return result;
  }

  /**
   * Enqueues every due binding (claimed so concurrent ticks never enqueue one twice) and a webhook
   * run of every binding whose inbox holds a due delivery (a retry whose time came, a claim whose
   * holder died); returns how many bindings were due.
   */
  async tick(batch = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const due = await this.bindings.claimDue(batch);
      if (due.length > 0) {
        await this.boss.insert(
          due.map((binding) => this.#job({ bindingId: binding.id, reason: 'schedule' })),
        );
        this.#emit({ type: 'enqueued', bindingIds: due.map((binding) => binding.id), reason: 'schedule' });
        total += due.length;
      }
      if (due.length < batch) break;
    }
    const pending = await this.store.scopesWithDueDeliveries({ limit: batch });
    if (pending.length > 0) {
      // A binding with a job already queued keeps that one job (one queued job per binding).
      await this.boss.insert(pending.map((bindingId) => this.#job({ bindingId, reason: 'webhook' })));
      this.#emit({ type: 'enqueued', bindingIds: pending, reason: 'webhook' });
    }
    await this.#pruneInbox();
    return total;
  }

  /** Drops processed deliveries' ids older than `inbox.keepDoneMs`, at most every 10 minutes. */
  async #pruneInbox(): Promise<void> {
    const now = Date.now();
    if (now - this.#prunedAt < PRUNE_INTERVAL_MS) return;
    this.#prunedAt = now;
    const keepDoneMs = this.#options.inbox?.keepDoneMs ?? DEFAULT_KEEP_DONE_MS;
    try {
      await this.store.pruneDoneDeliveries(new Date(now - keepDoneMs));
    } catch (error) {
      this.#emit({ type: 'error', error: error as Error });
    }
  }

  /**
   * Stops taking jobs, releases the current page of every run (nothing of it commits; its lease
   * is freed and the binding re-enqueued for another worker), then closes the pools.
   */
  stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.#stopped ??= (async () => {
      if (this.#tickTimer) clearInterval(this.#tickTimer);
      this.#shutdown.abort(new Error('worker shutting down'));
      await Promise.allSettled([...this.#inFlight]);
      await this.boss.stop({ graceful: true, wait: true, timeout: options.timeoutMs ?? 30_000 });
      await this.store.close();
    })();
    return this.#stopped;
  }

  /** Stops on SIGTERM and SIGINT; returns a function removing the handlers. */
  installSignalHandlers(onStopped?: () => void): () => void {
    const handler = () => {
      void this.stop().then(onStopped, onStopped);
    };
    process.once('SIGTERM', handler);
    process.once('SIGINT', handler);
    return () => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
    };
  }

  async #createQueues(): Promise<void> {
    // Workers starting at once would deadlock in pg-boss's queue creation (it creates a
    // partition per queue): they take turns under a session advisory lock.
    const client = await this.store.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [`spec-kitty-queues:${this.store.schema}`]);
      try {
        await this.#defineQueues();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [
          `spec-kitty-queues:${this.store.schema}`,
        ]);
      }
    } finally {
      client.release();
    }
  }

  async #defineQueues(): Promise<void> {
    const maxAttempts = this.#options.maxAttempts ?? 5;
    const queues = await this.boss.getQueues();
    const existing = new Set(queues.map((queue) => queue.name));
    const define = async (name: string, options: Omit<PgBoss.Queue, 'name'>) => {
      if (existing.has(name)) await this.boss.updateQueue(name, { name, ...options });
      else await this.boss.createQueue(name, { name, ...options });
    };
    await define(SYNC_QUEUE, {
      // `short`: at most one queued job per binding. Not `stately`/`singleton`: pg-boss 10 fetches
      // in queue order, and a queued job whose binding is running makes every fetch fail its
      // unique index until that run ends, stalling the whole queue. The run lease is what keeps
      // a binding to one run at a time; a job finding it taken is deferred.
      policy: 'short',
      // The binding's failure count dead-letters it first; pg-boss only supplies the backoff.
      retryLimit: maxAttempts + 1,
      retryDelay: this.#options.retryDelaySeconds ?? 30,
      retryBackoff: true,
      expireInSeconds: this.#options.jobExpireSeconds ?? 900,
    });
    await define(DEAD_LETTER_QUEUE, { policy: 'standard' });
    await define(TICK_QUEUE, { policy: 'short' });
  }

  async #startWorking(): Promise<void> {
    const pollingIntervalSeconds = this.#options.pollingIntervalSeconds ?? 2;
    for (let index = 0; index < (this.#options.concurrency ?? 2); index += 1) {
      let workerId = '';
      workerId = await this.boss.work<SyncJob>(
        SYNC_QUEUE,
        { batchSize: 1, pollingIntervalSeconds },
        async (jobs) => {
          for (const job of jobs) await this.#track(this.#handle(job.data));
          // Work was found: look for more at once instead of idling a polling interval.
          if (jobs.length > 0 && !this.#shutdown.signal.aborted) this.boss.notifyWorker(workerId);
        },
      );
    }
    await this.boss.work(TICK_QUEUE, { pollingIntervalSeconds: 5 }, async () => {
      await this.tick();
    });
    await this.boss.schedule(TICK_QUEUE, '* * * * *');
    const tickMs = this.#options.tickIntervalMs ?? 15_000;
    if (tickMs > 0) {
      this.#tickTimer = setInterval(() => {
        this.tick().catch((error: unknown) => this.#emit({ type: 'error', error: error as Error }));
      }, tickMs);
      this.#tickTimer.unref();
      await this.tick();
    }
  }

  async #track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    try {
      return await work;
    } finally {
      this.#inFlight.delete(work);
    }
  }

  async #handle(job: SyncJob): Promise<void> {
    const binding = await this.bindings.get(job.bindingId);
    // Removed, disabled or dead-lettered since it was enqueued: nothing to do.
    if (!binding?.enabled || binding.status !== 'active') return;
    const mode: RunMode = job.reason === 'webhook' ? 'webhook' : 'sync';
    if (this.#shutdown.signal.aborted) {
      await this.#send({ bindingId: binding.id, reason: mode === 'webhook' ? 'webhook' : 'released' });
      return;
    }
    const started = Date.now();
    const outcome = await runBinding(this.#context, binding, this.#shutdown.signal, mode);
    this.#emit({ type: 'run', bindingId: binding.id, outcome, durationMs: Date.now() - started });
    await this.#settle(binding, outcome, mode);
  }

  async #settle(binding: Binding, outcome: RunOutcome, mode: RunMode): Promise<void> {
    const deferSeconds = this.#options.deferSeconds ?? 5;
    // A webhook run put off stays a webhook run (a drain, not a full sync).
    const deferred: JobReason = mode === 'webhook' ? 'webhook' : 'deferred';
    switch (outcome.kind) {
      case 'ok':
      case 'partial':
      case 'drained':
        await this.bindings.recordSuccess(binding.id);
        return;
      case 'busy': {
        const wait = Math.max(1, Math.ceil((outcome.holder.expiresAt.getTime() - Date.now()) / 1000));
        await this.#send({ bindingId: binding.id, reason: deferred }, Math.min(wait, deferSeconds));
        return;
      }
      case 'throttled':
        await this.#send({ bindingId: binding.id, reason: deferred }, deferSeconds * (0.5 + Math.random()));
        return;
      case 'released':
        // Another worker (or this one after a restart) resumes from the last committed page.
        await this.#send({ bindingId: binding.id, reason: mode === 'webhook' ? 'webhook' : 'released' });
        return;
      case 'rate_limited':
      case 'failed': {
        const maxAttempts = this.#options.maxAttempts ?? 5;
        const { failures, deadLettered } = await this.bindings.recordFailure(
          binding.id,
          outcome.error,
          maxAttempts,
        );
        if (deadLettered) {
          await this.boss.send(DEAD_LETTER_QUEUE, { bindingId: binding.id, error: outcome.error, failures });
          this.#emit({ type: 'dead_letter', bindingId: binding.id, error: outcome.error });
          return;
        }
        if (outcome.kind === 'rate_limited') {
          // Honour the tracker's reset; without one, back off like any failure.
          const base = this.#options.retryDelaySeconds ?? 30;
          const delay = outcome.retryAfterSeconds ?? base * 2 ** (failures - 1);
          await this.#send({ bindingId: binding.id, reason: 'rate_limited' }, delay);
          return;
        }
        // pg-boss retries the job with exponential backoff.
        throw new Error(
          `Binding ${binding.id} failed (attempt ${failures} of ${maxAttempts}): ${outcome.error}`,
        );
      }
    }
  }

  #job(data: SyncJob): PgBoss.JobInsert<SyncJob> {
    return { name: SYNC_QUEUE, data, singletonKey: data.bindingId };
  }

  #send(data: SyncJob, afterSeconds = 0): Promise<string | null> {
    const options: PgBoss.SendOptions = { singletonKey: data.bindingId };
    if (afterSeconds > 0) options.startAfter = new Date(Date.now() + afterSeconds * 1000);
    return this.boss.send(SYNC_QUEUE, data, options);
  }

  #emit(event: WorkerEvent): void {
    try {
      this.#options.onEvent?.(event);
    } catch {
      // An observer's failure must not stop the worker.
    }
  }
}
