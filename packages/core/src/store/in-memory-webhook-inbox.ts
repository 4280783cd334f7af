import { ModelValidationError } from '../errors/errors';
import type { TrackerEvent } from '../model/page';
import {
  decodeInboxEvents,
  encodeInboxDelivery,
  trackerEventFromJSON,
  trackerEventToJSON,
} from './inbox-event-json';
import type {
  EnqueueDeliveryResult,
  InboxDelivery,
  InboxDeliveryInit,
  InboxStats,
  WebhookInbox,
} from './webhook-inbox';

type EntryState = 'queued' | 'in_flight' | 'done' | 'dead';

interface Entry {
  readonly id: string;
  /** Insertion order: the tie-break between deliveries received at the same instant. */
  readonly seq: number;
  readonly binding: string;
  readonly deliveryId: string | null;
  readonly vendorEvent: string;
  events: readonly TrackerEvent[];
  readonly receivedAt: Date;
  attempts: number;
  state: EntryState;
  /** Queued: claimable from this instant. */
  availableAt: number;
  /** In flight: claimable again from this instant (the lease's end). */
  leaseUntil: number;
  completedAt: number | null;
  lastError: string | null;
}

/** Copies events through their JSON form, so neither the caller nor a claimer can mutate what is kept. */
function copyEvents(events: readonly TrackerEvent[]): TrackerEvent[] {
  return events.map((event) => trackerEventFromJSON(trackerEventToJSON(event)));
}

function validDate(value: Date, what: string): number {
  const time = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new ModelValidationError(`${what} must be a valid Date`);
  return time;
}

/**
 * A `WebhookInbox` kept in process memory, for tests and embedded hosts that accept losing
 * queued deliveries on exit (it is not durable: use the SQLite or Postgres store for that).
 * It follows the contract otherwise exactly: de-duplication by `(binding, deliveryId)`, leases,
 * oldest-first claims, done markers kept until pruned.
 */
export class InMemoryWebhookInbox implements WebhookInbox {
  readonly #entries = new Map<string, Entry>();
  /** `binding \0 deliveryId` → entry id, for every delivery with an id (markers included). */
  readonly #byDeliveryId = new Map<string, string>();
  #nextSeq = 1;

  async enqueueDelivery(init: InboxDeliveryInit): Promise<EnqueueDeliveryResult> {
    const encoded = encodeInboxDelivery(init);
    const receivedAt = encoded.receivedMs;
    const key = init.deliveryId === null ? null : `${init.binding}\u0000${init.deliveryId}`;
    if (key !== null) {
      const existing = this.#byDeliveryId.get(key);
      if (existing !== undefined) return { status: 'duplicate', id: existing };
    }
    const events = decodeInboxEvents(encoded.events);
    const seq = this.#nextSeq++;
    const id = String(seq);
    this.#entries.set(id, {
      id,
      seq,
      binding: init.binding,
      deliveryId: init.deliveryId,
      vendorEvent: init.vendorEvent,
      events,
      receivedAt: new Date(receivedAt),
      attempts: 0,
      state: 'queued',
      availableAt: Number.NEGATIVE_INFINITY,
      leaseUntil: 0,
      completedAt: null,
      lastError: null,
    });
    if (key !== null) this.#byDeliveryId.set(key, id);
    return { status: 'queued', id };
  }

  async claimDeliveries(query: {
    readonly binding: string;
    readonly limit: number;
    readonly leaseMs: number;
    readonly now?: Date;
  }): Promise<InboxDelivery[]> {
    const now = query.now === undefined ? Date.now() : validDate(query.now, 'claimDeliveries now');
    if (!(query.limit > 0)) return [];
    const due = [...this.#entries.values()]
      .filter(
        (entry) =>
          entry.binding === query.binding &&
          ((entry.state === 'queued' && entry.availableAt <= now) ||
            (entry.state === 'in_flight' && entry.leaseUntil <= now)),
      )
      .sort((left, right) => left.receivedAt.getTime() - right.receivedAt.getTime() || left.seq - right.seq)
      .slice(0, Math.floor(query.limit));
    return due.map((entry) => {
      entry.state = 'in_flight';
      entry.attempts += 1;
      entry.leaseUntil = now + query.leaseMs;
      return {
        id: entry.id,
        binding: entry.binding,
        deliveryId: entry.deliveryId,
        vendorEvent: entry.vendorEvent,
        events: copyEvents(entry.events),
        receivedAt: new Date(entry.receivedAt),
        attempts: entry.attempts,
      };
    });
  }

  async completeDeliveries(ids: readonly string[], now?: Date): Promise<void> {
    const at = now === undefined ? Date.now() : validDate(now, 'completeDeliveries now');
    for (const id of ids) {
      const entry = this.#entries.get(id);
      if (entry === undefined || entry.state === 'done') continue;
      entry.state = 'done';
      entry.events = [];
      entry.completedAt = at;
    }
  }

  async releaseDelivery(
    id: string,
    outcome: { readonly error: string; readonly retryAt: Date; readonly dead?: boolean },
  ): Promise<void> {
    const entry = this.#entries.get(id);
    // A done or dead delivery stays as it is: a late release (a claimer whose lease had expired) changes nothing.
    if (entry === undefined || entry.state === 'done' || entry.state === 'dead') return;
    entry.lastError = outcome.error;
    if (outcome.dead === true) {
      entry.state = 'dead';
      return;
    }
    entry.state = 'queued';
    entry.availableAt = validDate(outcome.retryAt, 'releaseDelivery retryAt');
  }

  async inboxStats(binding?: string): Promise<InboxStats> {
    let queued = 0;
    let inFlight = 0;
    let dead = 0;
    let done = 0;
    let oldest: number | null = null;
    for (const entry of this.#entries.values()) {
      if (binding !== undefined && entry.binding !== binding) continue;
      if (entry.state === 'dead') dead += 1;
      else if (entry.state === 'done') done += 1;
      else {
        if (entry.state === 'queued') queued += 1;
        else inFlight += 1;
        const received = entry.receivedAt.getTime();
        if (oldest === null || received < oldest) oldest = received;
      }
    }
    return { queued, inFlight, dead, done, oldestPendingAt: oldest === null ? null : new Date(oldest) };
  }

  async pruneDeliveries(before: Date): Promise<number> {
    const cutoff = validDate(before, 'pruneDeliveries before');
    let pruned = 0;
    for (const [id, entry] of this.#entries) {
      if (entry.state !== 'done' || entry.completedAt === null || entry.completedAt >= cutoff) continue;
      this.#entries.delete(id);
      if (entry.deliveryId !== null) this.#byDeliveryId.delete(`${entry.binding}\u0000${entry.deliveryId}`);
      pruned += 1;
    }
    return pruned;
  }
}
