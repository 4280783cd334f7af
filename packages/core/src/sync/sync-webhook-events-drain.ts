// The one place that turns a store's webhook inbox into syncs: claim due deliveries, run
// `syncEvents` on their events, complete what synced, release what failed with backoff.
import { ModelValidationError, SyncConflictError } from '../errors/errors';
import { FailureClass } from '../errors/failure-class';
import { refIdentity } from '../model/external-ref';
import type { InboxDelivery, WebhookInbox } from '../store/webhook-inbox';
import type { SyncEngine } from './sync-engine';
import {
  formatSyncFailure,
  type SyncEventsGap,
  type SyncFailure,
  SyncOperation,
  type SyncResult,
} from './sync-result';

/** Options of `drainWebhookInbox`. */
export interface DrainWebhookInboxOptions {
  /** The binding whose deliveries are drained (`InboxDelivery.binding`). */
  readonly binding: string;
  /** Deliveries per claim, each claim one `syncEvents` run (default 50). */
  readonly limit?: number;
  /** How long a claim is leased before another process may take it over (default 60 000 ms). */
  readonly leaseMs?: number;
  /** Attempts after which a failing delivery is released as dead (default 5). */
  readonly maxAttempts?: number;
  /**
   * Passed to `syncEvents` for the first batch (and the next ones until a gap sync succeeds).
   * With nothing queued no sync runs: the host closes its gap with `sync()` (`claimed` is 0).
   */
  readonly gap?: SyncEventsGap | null;
  /** Stops the drain (the batch in flight is released for a prompt retry). */
  readonly signal?: AbortSignal;
  /** The clock for claims, completions and retry times (default: now). */
  readonly now?: () => Date;
}

/** What one `drainWebhookInbox` call did. */
export interface DrainWebhookInboxResult {
  /** Deliveries claimed. */
  readonly claimed: number;
  /** Deliveries completed (their issues synced, or nothing to do). */
  readonly completed: number;
  /** Deliveries released for a later attempt. */
  readonly retried: number;
  /** Deliveries released as dead (failed `maxAttempts` times). */
  readonly dead: number;
  /** One `syncEvents` result per batch, in order. */
  readonly results: readonly SyncResult[];
}

/** First retry delay of a failed delivery; it doubles per attempt up to `DELIVERY_RETRY_MAX_MS`. */
export const DELIVERY_RETRY_BASE_MS = 5_000;
/** Longest delay before a failed delivery is retried. */
export const DELIVERY_RETRY_MAX_MS = 60 * 60_000;

const DEFAULT_LIMIT = 50;
const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_MAX_ATTEMPTS = 5;
const MAX_REASON_LENGTH = 500;

/** The delay before the next attempt of a delivery that failed its `attempts`-th attempt. */
export function deliveryRetryDelayMs(attempts: number): number {
  return Math.min(DELIVERY_RETRY_BASE_MS * 2 ** Math.max(attempts - 1, 0), DELIVERY_RETRY_MAX_MS);
}

/**
 * Whether a failure keeps its issue's deliveries for another attempt: a failed read or deletion
 * check (the event's change did not arrive), except a not-found that no attempt can change, and
 * any other failure a later attempt may fix. A push failure of a local edit does not: the remote
 * change arrived, and the edit stays unsynced for the next sync.
 */
export function failureHoldsDelivery(failure: SyncFailure): boolean {
  if (failure.issueRef === null) return false;
  if (failure.operation === SyncOperation.GET_ISSUE || failure.operation === SyncOperation.CHECK_GONE)
    return failure.retryable || failure.failureClass !== FailureClass.NOT_FOUND;
  return failure.retryable;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1)
    throw new ModelValidationError(`${name} must be a positive integer, got ${String(value)}`);
  return chosen;
}

/** A one-line reason for the inbox (messages of the engine and connectors never carry secrets). */
function reasonOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_REASON_LENGTH ? `${line.slice(0, MAX_REASON_LENGTH - 1)}…` : line;
}

/**
 * Drains one binding's inbox: claims due deliveries in batches of `limit` until none is due,
 * runs `engine.syncEvents` on each batch's events, completes the deliveries whose issues synced,
 * and releases each delivery whose issue failed (see `failureHoldsDelivery`) for a retry after an
 * exponential backoff (from `DELIVERY_RETRY_BASE_MS`, at least until a rate limit's reset), or as
 * dead once it has failed `maxAttempts` times, with the failure as its one-line reason. When
 * `syncEvents` throws, the batch is released (promptly when aborted) and the error rethrown; a
 * `SyncConflictError` (strict manual review) completes it first, since its writes were made.
 */
export async function drainWebhookInbox(
  engine: SyncEngine,
  inbox: WebhookInbox,
  options: DrainWebhookInboxOptions,
): Promise<DrainWebhookInboxResult> {
  const limit = positiveInteger('limit', options.limit, DEFAULT_LIMIT);
  const leaseMs = positiveInteger('leaseMs', options.leaseMs, DEFAULT_LEASE_MS);
  const maxAttempts = positiveInteger('maxAttempts', options.maxAttempts, DEFAULT_MAX_ATTEMPTS);
  const now = options.now ?? (() => new Date());
  const counts = { claimed: 0, completed: 0, retried: 0, dead: 0 };
  const results: SyncResult[] = [];
  let gap = options.gap ?? null;
  for (;;) {
    options.signal?.throwIfAborted();
    const batch = await inbox.claimDeliveries({ binding: options.binding, limit, leaseMs, now: now() });
    if (batch.length === 0) break;
    counts.claimed += batch.length;
    let result: SyncResult;
    try {
      result = await engine.syncEvents(
        batch.flatMap((delivery) => delivery.events),
        { signal: options.signal, gap },
      );
    } catch (error) {
      await settleThrown(inbox, batch, error, { now, maxAttempts, counts, signal: options.signal });
      throw error;
    }
    results.push(result);
    // The gap is closed once a gap sync ran with a listing that did not fail.
    const gapClosed =
      result.events?.gapSync != null && !result.failures.some((f) => f.operation === SyncOperation.PULL_PAGE);
    if (gapClosed) gap = null;
    await settleBatch(inbox, batch, result, { now, maxAttempts, counts });
  }
  return { ...counts, results };
}

interface SettleContext {
  readonly now: () => Date;
  readonly maxAttempts: number;
  readonly counts: { claimed: number; completed: number; retried: number; dead: number };
}

async function settleBatch(
  inbox: WebhookInbox,
  batch: readonly InboxDelivery[],
  result: SyncResult,
  context: SettleContext,
): Promise<void> {
  const holding = new Map<string, SyncFailure>();
  let resetAt = 0;
  for (const failure of result.failures) {
    if (failure.resetAt !== null) resetAt = Math.max(resetAt, failure.resetAt.getTime());
    if (!failureHoldsDelivery(failure) || failure.issueRef === null) continue;
    const identity = refIdentity(failure.issueRef);
    if (!holding.has(identity)) holding.set(identity, failure);
  }
  const done: string[] = [];
  for (const delivery of batch) {
    const failure = delivery.events
      .map((event) => holding.get(refIdentity(event.issueRef)))
      .find((found) => found !== undefined);
    if (failure === undefined) done.push(delivery.id);
    else await release(inbox, delivery, formatSyncFailure(failure), resetAt, context);
  }
  if (done.length > 0) {
    await inbox.completeDeliveries(done, context.now());
    context.counts.completed += done.length;
  }
}

async function settleThrown(
  inbox: WebhookInbox,
  batch: readonly InboxDelivery[],
  error: unknown,
  context: SettleContext & { readonly signal: AbortSignal | undefined },
): Promise<void> {
  if (SyncConflictError.isInstance(error)) {
    await inbox.completeDeliveries(
      batch.map(({ id }) => id),
      context.now(),
    );
    context.counts.completed += batch.length;
    return;
  }
  const aborted = context.signal?.aborted === true;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  for (const delivery of batch) {
    if (aborted) {
      // Stopped by the host, not failed: claimable again at once.
      await inbox.releaseDelivery(delivery.id, { error: 'aborted', retryAt: context.now() });
      context.counts.retried += 1;
    } else await release(inbox, delivery, `sync failed: ${message}`, 0, context);
  }
}

async function release(
  inbox: WebhookInbox,
  delivery: InboxDelivery,
  reason: string,
  notBefore: number,
  context: SettleContext,
): Promise<void> {
  const dead = delivery.attempts >= context.maxAttempts;
  const at = context.now().getTime();
  const retryAt = new Date(Math.max(at + deliveryRetryDelayMs(delivery.attempts), notBefore));
  await inbox.releaseDelivery(delivery.id, {
    error: reasonOf(dead ? `dead after ${delivery.attempts} attempts: ${reason}` : reason),
    retryAt,
    dead,
  });
  if (dead) context.counts.dead += 1;
  else context.counts.retried += 1;
}
