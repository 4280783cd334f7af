import type { TrackerEvent } from '../model/page';
import type { IssueStore } from './issue-store';

/**
 * One verified, parsed webhook delivery kept in a store's inbox until it is synced. The inbox is
 * the durable queue between "the delivery was accepted" (the HTTP 2xx) and "its issues were
 * synced": a host answers the vendor only after `enqueueDelivery` has committed, so a crash in
 * between loses nothing.
 */
export interface InboxDelivery {
  /** Store-assigned id, unique in the inbox. */
  readonly id: string;
  /** The binding (sync scope) the delivery arrived for, e.g. the CLI binding name. */
  readonly binding: string;
  /** The vendor's delivery id (with `binding`, the de-duplication key), or null when the vendor sends none. */
  readonly deliveryId: string | null;
  /** The vendor's event name, e.g. `issues`. */
  readonly vendorEvent: string;
  /** The delivery's events, as the connector's `webhooks.parse` returned them. */
  readonly events: readonly TrackerEvent[];
  /** When the host accepted the delivery. */
  readonly receivedAt: Date;
  /** Processing attempts started so far (claims), including the current one. */
  readonly attempts: number;
}

/** What `enqueueDelivery` stores. */
export interface InboxDeliveryInit {
  /** See `InboxDelivery.binding`. */
  readonly binding: string;
  /** See `InboxDelivery.deliveryId`. */
  readonly deliveryId: string | null;
  /** See `InboxDelivery.vendorEvent`. */
  readonly vendorEvent: string;
  /** See `InboxDelivery.events`. */
  readonly events: readonly TrackerEvent[];
  /** See `InboxDelivery.receivedAt`. */
  readonly receivedAt: Date;
}

/** The outcome of `enqueueDelivery`. */
export type EnqueueDeliveryResult =
  /** Stored and committed; it will be claimed. */
  | { readonly status: 'queued'; readonly id: string }
  /** `(binding, deliveryId)` is already in the inbox (queued, in flight, done or dead): nothing stored. */
  | { readonly status: 'duplicate'; readonly id: string };

/** Counts of one binding's inbox (or of every binding's), for `/healthz` and `status`. */
export interface InboxStats {
  /** Waiting to be claimed (including failed attempts waiting for their retry time). */
  readonly queued: number;
  /** Claimed and not yet completed or released (their lease may have expired after a crash). */
  readonly inFlight: number;
  /** Given up after repeated failures; kept for inspection. */
  readonly dead: number;
  /** Completed and kept as de-duplication markers until pruned. */
  readonly done: number;
  /** `receivedAt` of the oldest queued or in-flight delivery, or null. */
  readonly oldestPendingAt: Date | null;
}

/**
 * Optional: the store keeps a durable webhook inbox (detect it with `supportsWebhookInbox`).
 * Every method commits before it resolves. Claims are leases: a delivery claimed by a process
 * that died becomes claimable again once `leaseMs` has passed, so a crash between claim and
 * `completeDeliveries` re-processes it (syncing an issue twice is harmless).
 */
export interface WebhookInbox {
  /** Stores a delivery unless `(binding, deliveryId)` is already known (a null `deliveryId` never de-duplicates). */
  enqueueDelivery(init: InboxDeliveryInit): Promise<EnqueueDeliveryResult>;
  /**
   * Claims up to `limit` deliveries of `binding` that are queued and due, or in flight with an
   * expired lease, oldest `receivedAt` first; each claim increments `attempts`.
   */
  claimDeliveries(query: {
    readonly binding: string;
    readonly limit: number;
    readonly leaseMs: number;
    readonly now?: Date;
  }): Promise<InboxDelivery[]>;
  /** Marks claimed deliveries done: their events are dropped, their de-duplication markers stay. */
  completeDeliveries(ids: readonly string[], now?: Date): Promise<void>;
  /**
   * Releases a claimed delivery after a failed attempt: it is claimable again from `retryAt`, or
   * never again when `dead` is true. `error` is a one-line reason (never a secret).
   */
  releaseDelivery(
    id: string,
    outcome: { readonly error: string; readonly retryAt: Date; readonly dead?: boolean },
  ): Promise<void>;
  /** Counts, for one binding or (no argument) all. */
  inboxStats(binding?: string): Promise<InboxStats>;
  /** Deletes done deliveries completed before `before`; returns how many. Queued, in-flight and dead ones stay. */
  pruneDeliveries(before: Date): Promise<number>;
}

/** Whether the store keeps a durable webhook inbox. */
export function supportsWebhookInbox<S extends IssueStore>(store: S): store is S & WebhookInbox {
  const candidate = store as Partial<WebhookInbox>;
  return (
    typeof candidate.enqueueDelivery === 'function' &&
    typeof candidate.claimDeliveries === 'function' &&
    typeof candidate.completeDeliveries === 'function' &&
    typeof candidate.releaseDelivery === 'function' &&
    typeof candidate.inboxStats === 'function' &&
    typeof candidate.pruneDeliveries === 'function'
  );
}
