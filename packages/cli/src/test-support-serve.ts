import type {
  EnqueueDeliveryResult,
  InboxDelivery,
  InboxDeliveryInit,
  InboxStats,
  WebhookInbox,
} from '@spec-kitty/core';

/** An inbox that records what was enqueued (de-duplicating by binding and delivery id), for HTTP tests. */
export class TestWebhookInbox implements WebhookInbox {
  readonly enqueued: InboxDeliveryInit[] = [];

  async enqueueDelivery(init: InboxDeliveryInit): Promise<EnqueueDeliveryResult> {
    const index = this.enqueued.findIndex(
      (known) =>
        init.deliveryId !== null && known.binding === init.binding && known.deliveryId === init.deliveryId,
    );
    if (index >= 0) return { status: 'duplicate', id: String(index + 1) };
    this.enqueued.push(init);
    return { status: 'queued', id: String(this.enqueued.length) };
  }

  async claimDeliveries(): Promise<InboxDelivery[]> {
    return [];
  }

  async completeDeliveries(): Promise<void> {}

  async releaseDelivery(): Promise<void> {}

  async inboxStats(binding?: string): Promise<InboxStats> {
    const queued = this.enqueued.filter((init) => binding === undefined || init.binding === binding);
    return {
      queued: queued.length,
      inFlight: 0,
      dead: 0,
      done: 0,
      oldestPendingAt: queued[0]?.receivedAt ?? null,
    };
  }

  async pruneDeliveries(): Promise<number> {
    return 0;
  }
}
