import {
  type DrainWebhookInboxResult,
  drainWebhookInbox,
  type JsonValue,
  SyncEngine,
  type SyncEngineOptions,
  type SyncResult,
} from '@spec-kitty/core';
import {
  type PostgresStore,
  type RunLease,
  RunLeaseHeldError,
  type RunLeaseHolder,
} from '@spec-kitty/store-postgres';
import type { Binding } from './binding';
import { type ConnectorFactory, probeRateLimits } from './connector-factory';
import type { CredentialResolver } from './credentials';
import { CredentialNotFoundError } from './worker-errors';

/** How one attempt to run a binding ended. */
export type RunOutcome =
  | {
      readonly kind: 'ok';
      readonly runId: number;
      readonly result: SyncResult;
      /** What the run drained from the binding's webhook inbox before it synced, when anything was due. */
      readonly drained?: DrainWebhookInboxResult;
    }
  /** Item-level failures (validation, denied fields) that a retry would not fix. */
  | {
      readonly kind: 'partial';
      readonly runId: number;
      readonly result: SyncResult;
      readonly drained?: DrainWebhookInboxResult;
    }
  /**
   * A webhook run: the binding's due inbox deliveries were synced (`syncEvents`) and completed;
   * deliveries whose issues failed were released for a retry with backoff, or as dead.
   */
  | { readonly kind: 'drained'; readonly runId: number; readonly drained: DrainWebhookInboxResult }
  /** Another run holds the binding's lease. */
  | { readonly kind: 'busy'; readonly holder: RunLeaseHolder }
  /** The provider's fleet-wide concurrency cap is reached. */
  | { readonly kind: 'throttled' }
  | {
      readonly kind: 'rate_limited';
      readonly runId: number;
      readonly retryAfterSeconds: number | null;
      readonly error: string;
    }
  | { readonly kind: 'failed'; readonly runId: number | null; readonly error: string }
  /** Shutdown: the run gave its current page back (nothing of it committed) and its lease up. */
  | { readonly kind: 'released'; readonly runId: number };

export interface RunBindingContext {
  readonly store: PostgresStore;
  readonly workerId: string;
  readonly resolveCredential: CredentialResolver;
  readonly createConnector: ConnectorFactory;
  readonly leaseTtlMs: number;
  /** Fleet-wide runs of a provider at once; undefined or Infinity: no cap. */
  readonly providerCap: (provider: string) => number | undefined;
  readonly engineOptions?: Partial<Omit<SyncEngineOptions, 'connector' | 'store' | 'policy'>>;
  /** How the binding's webhook inbox is drained (see `drainWebhookInbox`). */
  readonly inbox?: { readonly limit?: number; readonly leaseMs?: number; readonly maxAttempts?: number };
}

/** `sync`: drain the binding's webhook inbox, then run its sync operation. `webhook`: only drain. */
export type RunMode = 'sync' | 'webhook';

const SHUTDOWN = 'worker shutting down';

/** Takes one of the provider's `cap` slots (leases named `provider-slot:<provider>:<n>`), or null. */
async function takeProviderSlot(
  context: RunBindingContext,
  provider: string,
): Promise<RunLease | null | 'none'> {
  const cap = context.providerCap(provider);
  if (cap === undefined || !Number.isFinite(cap)) return 'none';
  // Start at a random slot so workers do not all contend for slot 0.
  const start = Math.floor(Math.random() * cap);
  for (let offset = 0; offset < cap; offset += 1) {
    const slot = (start + offset) % cap;
    try {
      return await context.store.acquireRunLease(`provider-slot:${provider}:${slot}`, {
        command: 'provider-slot',
        holder: context.workerId,
        ttlMs: context.leaseTtlMs,
      });
    } catch (error) {
      if (!RunLeaseHeldError.isInstance(error)) throw error;
    }
  }
  return null;
}

function summarize(result: SyncResult, drained: DrainWebhookInboxResult | null = null): JsonValue {
  return {
    stats: { ...result.stats },
    conflicts: result.conflicts.length,
    failures: failureLines([result]),
    ...(drained === null ? {} : { inbox: summarizeDrain(drained) }),
  };
}

function summarizeDrain(drained: DrainWebhookInboxResult): JsonValue {
  return {
    claimed: drained.claimed,
    completed: drained.completed,
    retried: drained.retried,
    dead: drained.dead,
    conflicts: drained.results.reduce((total, result) => total + result.conflicts.length, 0),
    failures: failureLines(drained.results),
  };
}

/** The first 20 failures of `results` as `operation: message` lines, for the run log. */
function failureLines(results: readonly SyncResult[]): string[] {
  return results
    .flatMap((result) => result.failures.map((failure) => `${failure.operation}: ${failure.message}`))
    .slice(0, 20);
}

/**
 * One run of a binding: its lease (one run per binding fleet-wide), a provider slot, the
 * engine (each pull page and its checkpoint commit in one store batch), the run log. Every run
 * first drains the binding's due webhook deliveries (`drainWebhookInbox` on the binding's scope,
 * inbox binding = binding id); a `webhook` run stops there, a `sync` run then syncs. Never
 * throws for a run that failed; the caller decides about retries from the outcome. `signal`
 * aborting (shutdown) releases the current page (and the inbox batch in flight).
 */
export async function runBinding(
  context: RunBindingContext,
  binding: Binding,
  signal: AbortSignal,
  mode: RunMode = 'sync',
): Promise<RunOutcome> {
  const scoped = context.store.scope(binding.id);
  let lease: RunLease;
  try {
    lease = await scoped.acquireRunLease({
      command: 'sync',
      holder: context.workerId,
      ttlMs: context.leaseTtlMs,
    });
  } catch (error) {
    if (RunLeaseHeldError.isInstance(error)) return { kind: 'busy', holder: error.holder };
    return { kind: 'failed', runId: null, error: (error as Error).message };
  }
  let slot: RunLease | null | 'none' = 'none';
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason ?? new Error(SHUTDOWN));
  signal.addEventListener('abort', onAbort, { once: true });
  let heartbeat: NodeJS.Timeout | undefined;
  let runId: number | null = null;
  try {
    slot = await takeProviderSlot(context, binding.provider);
    if (slot === null) return { kind: 'throttled' };
    const held = [lease, ...(slot === 'none' ? [] : [slot])];
    // Renew well before expiry; a lost lease stops the run (its commits would be refused anyway).
    heartbeat = setInterval(
      () => {
        Promise.all(held.map((entry) => entry.renew())).catch((error: unknown) => controller.abort(error));
      },
      Math.max(50, Math.floor(context.leaseTtlMs / 3)),
    );
    heartbeat.unref();
    runId = await scoped.beginRun(mode, context.workerId);
    if (signal.aborted) throw signal.reason ?? new Error(SHUTDOWN);

    let credential = null;
    if (binding.credentialRef) {
      credential = await context.resolveCredential(binding.credentialRef, binding);
      if (credential === null) {
        throw new CredentialNotFoundError(
          `Binding ${binding.id} needs credential "${binding.credentialRef}", which this worker cannot resolve. Provide it to every worker (environment or the host's resolver).`,
        );
      }
    }
    // The engine asks the scoped store to read each pulled page ahead (`PrefetchingIssueStore`).
    const { connector, probe } = probeRateLimits(await context.createConnector(binding, credential));
    const engine = new SyncEngine({
      ...context.engineOptions,
      connector,
      store: scoped,
      policy: binding.policy,
    });
    const drain = await drainWebhookInbox(engine, scoped, {
      ...context.inbox,
      binding: binding.id,
      signal: controller.signal,
    });
    for (const batch of drain.results) await scoped.recordConflicts(runId, batch.conflicts);
    const drained = drain.claimed > 0 ? drain : null;
    if (mode === 'webhook') {
      if (probe.limited()) {
        const error = drain.results.flatMap((result) => result.errors)[0] ?? 'rate limited';
        await scoped.finishRun(runId, 'rate_limited', summarizeDrain(drain), error);
        return { kind: 'rate_limited', runId, retryAfterSeconds: probe.retryAfterSeconds(), error };
      }
      await scoped.finishRun(runId, 'ok', summarizeDrain(drain));
      return { kind: 'drained', runId, drained: drain };
    }
    // Host decisions on pending conflicts (resolveConflict) are written by this run.
    const resolutions = await scoped.listPendingResolutions({ system: connector.name });
    const options = {
      limit: binding.syncOptions.limit ?? 100,
      filters: binding.syncOptions.filters,
      signal: controller.signal,
      resolutions,
    };
    const operation = binding.syncOptions.operation ?? 'sync';
    const result =
      operation === 'pull'
        ? await engine.pull(options)
        : operation === 'push'
          ? await engine.push(options)
          : await engine.sync(options);
    await scoped.recordConflicts(runId, result.conflicts);
    await scoped.markResolutionsApplied(result.appliedResolutions);
    if (probe.limited()) {
      const error = result.errors[0] ?? 'rate limited';
      await scoped.finishRun(runId, 'rate_limited', summarize(result, drained), error);
      return { kind: 'rate_limited', runId, retryAfterSeconds: probe.retryAfterSeconds(), error };
    }
    const listingFailed = result.failures.some((failure) => failure.operation === 'pull_page');
    if (listingFailed) {
      const error = result.errors.join('; ');
      await scoped.finishRun(runId, 'error', summarize(result, drained), error);
      return { kind: 'failed', runId, error };
    }
    const outcome = result.failures.length > 0 ? 'partial' : result.conflicts.length > 0 ? 'conflicts' : 'ok';
    await scoped.finishRun(runId, outcome, summarize(result, drained));
    return {
      kind: outcome === 'partial' ? 'partial' : 'ok',
      runId,
      result,
      ...(drained === null ? {} : { drained }),
    };
  } catch (error) {
    // The page in flight was given back by the store's batch (nothing of it, nor its checkpoint, committed).
    const message = (error as Error)?.message ?? String(error);
    if (runId === null) return { kind: 'failed', runId, error: message };
    if (signal.aborted) {
      await scoped.finishRun(runId, 'released', null, SHUTDOWN).catch(() => undefined);
      return { kind: 'released', runId };
    }
    await scoped.finishRun(runId, 'error', null, message).catch(() => undefined);
    return { kind: 'failed', runId, error: message };
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (heartbeat) clearInterval(heartbeat);
    if (slot !== null && slot !== 'none') await slot.release().catch(() => undefined);
    await lease.release().catch(() => undefined);
  }
}
