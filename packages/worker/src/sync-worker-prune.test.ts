import { createRef, type InboxDeliveryInit, TrackerEventType } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { freshSchema, useWorkers } from './test-support';

const workers = useWorkers();

function delivery(bindingId: string, deliveryId: string): InboxDeliveryInit {
  const ref = createRef({ system: 'memory', workspace: 'w', id: deliveryId });
  return {
    binding: bindingId,
    deliveryId,
    vendorEvent: 'test',
    events: [
      {
        eventId: deliveryId,
        eventType: TrackerEventType.UPDATED,
        issueRef: ref,
        timestamp: new Date('2026-01-01T00:00:00Z'),
        payload: {},
      },
    ],
    receivedAt: new Date('2026-01-01T00:00:00Z'),
  };
}

describe('SyncWorker inbox pruning', () => {
  it('tick drops processed deliveries older than keepDoneMs and keeps newer, queued and dead ones', async () => {
    const [worker] = await workers.start(1, {
      schema: freshSchema('prune'),
      work: false,
      inbox: { keepDoneMs: 60 * 60_000 },
    });
    if (worker === undefined) throw new Error('no worker started');
    const inbox = worker.store.scope('b');
    const now = Date.now();
    for (const id of ['old-done', 'new-done', 'queued', 'dead'])
      await inbox.enqueueDelivery(delivery('b', id));
    const claimed = await inbox.claimDeliveries({ binding: 'b', limit: 10, leaseMs: 60_000 });
    const idOf = (deliveryId: string) => claimed.find((entry) => entry.deliveryId === deliveryId)?.id ?? '';
    await inbox.completeDeliveries([idOf('old-done')], new Date(now - 2 * 60 * 60_000));
    await inbox.completeDeliveries([idOf('new-done')], new Date(now - 10 * 60_000));
    await inbox.releaseDelivery(idOf('queued'), { error: 'retry', retryAt: new Date(now + 60_000) });
    await inbox.releaseDelivery(idOf('dead'), { error: 'gave up', retryAt: new Date(now), dead: true });

    await worker.tick();

    expect((await inbox.enqueueDelivery(delivery('b', 'old-done'))).status).toBe('queued');
    for (const kept of ['new-done', 'queued', 'dead'])
      expect((await inbox.enqueueDelivery(delivery('b', kept))).status).toBe('duplicate');
  });
});
