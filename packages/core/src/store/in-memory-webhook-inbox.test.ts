import { describe, expect, it } from 'vitest';
import { TrackerEventType } from '../model/enums';
import { createRef, refIdentity } from '../model/external-ref';
import type { TrackerEvent } from '../model/page';
import { InMemoryWebhookInbox } from './in-memory-webhook-inbox';
import { decodeInboxEvents, encodeInboxEvents } from './inbox-event-json';
import { supportsWebhookInbox } from './webhook-inbox';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function event(id: string): TrackerEvent {
  return {
    eventId: `e-${id}`,
    eventType: TrackerEventType.UPDATED,
    issueRef: createRef({ system: 'github', workspace: 'octo/hello', id, key: `#${id}`, url: null }),
    timestamp: new Date('2025-12-31T23:59:59.123Z'),
    payload: { action: 'edited', nested: { list: [1, 'two', null, true] } },
  };
}

describe('InMemoryWebhookInbox', () => {
  it('is detected as a webhook inbox', () => {
    const inbox = new InMemoryWebhookInbox();
    expect(supportsWebhookInbox(inbox as never)).toBe(true);
  });

  it('de-duplicates by binding and delivery id, keeps the marker after completion, forgets it once pruned', async () => {
    const inbox = new InMemoryWebhookInbox();
    const init = {
      binding: 'gh',
      deliveryId: 'd1',
      vendorEvent: 'issues',
      events: [event('1')],
      receivedAt: t0,
    };
    const first = await inbox.enqueueDelivery(init);
    expect(first.status).toBe('queued');
    expect(await inbox.enqueueDelivery(init)).toEqual({ status: 'duplicate', id: first.id });
    expect((await inbox.enqueueDelivery({ ...init, binding: 'other' })).status).toBe('queued');
    const [claimed] = await inbox.claimDeliveries({ binding: 'gh', limit: 10, leaseMs: 1000, now: at(1) });
    await inbox.completeDeliveries([claimed?.id ?? ''], at(2));
    expect((await inbox.enqueueDelivery(init)).status).toBe('duplicate');
    expect(await inbox.pruneDeliveries(at(2))).toBe(0);
    expect(await inbox.pruneDeliveries(at(3))).toBe(1);
    expect((await inbox.enqueueDelivery(init)).status).toBe('queued');
  });

  it('leases claims: an unexpired claim is not handed out again, an expired one is, with attempts counted', async () => {
    const inbox = new InMemoryWebhookInbox();
    await inbox.enqueueDelivery({
      binding: 'gh',
      deliveryId: null,
      vendorEvent: 'issues',
      events: [],
      receivedAt: t0,
    });
    const [first] = await inbox.claimDeliveries({ binding: 'gh', limit: 1, leaseMs: 1000, now: at(0) });
    expect(first?.attempts).toBe(1);
    expect(await inbox.claimDeliveries({ binding: 'gh', limit: 1, leaseMs: 1000, now: at(999) })).toEqual([]);
    const [again] = await inbox.claimDeliveries({ binding: 'gh', limit: 1, leaseMs: 1000, now: at(1000) });
    expect(again?.id).toBe(first?.id);
    expect(again?.attempts).toBe(2);
  });

  it('hands out copies: mutating what was enqueued or claimed changes nothing stored', async () => {
    const inbox = new InMemoryWebhookInbox();
    const payload: Record<string, unknown> = { action: 'edited' };
    const events = [{ ...event('1'), payload }] as TrackerEvent[];
    await inbox.enqueueDelivery({
      binding: 'gh',
      deliveryId: null,
      vendorEvent: 'issues',
      events,
      receivedAt: t0,
    });
    payload.action = 'tampered';
    const [claimed] = await inbox.claimDeliveries({ binding: 'gh', limit: 1, leaseMs: 0, now: at(0) });
    expect(claimed?.events[0]?.payload).toEqual({ action: 'edited' });
    (claimed?.events[0]?.payload as Record<string, unknown>).action = 'again';
    const [reclaimed] = await inbox.claimDeliveries({ binding: 'gh', limit: 1, leaseMs: 0, now: at(1) });
    expect(reclaimed?.events[0]?.payload).toEqual({ action: 'edited' });
  });
});

describe('inbox event JSON', () => {
  it('round-trips events exactly, the ref rebuilt as a validated ref', () => {
    const events = [event('1'), { ...event('2'), eventType: TrackerEventType.DELETED, payload: {} }];
    const decoded = decodeInboxEvents(encodeInboxEvents(events));
    expect(decoded).toEqual(events);
    expect(decoded[0]?.timestamp).toBeInstanceOf(Date);
    expect(refIdentity(decoded[0]?.issueRef ?? events[0]!.issueRef)).toBe('github:octo/hello:1');
  });

  it('rejects a corrupt row with a message naming what is wrong', () => {
    expect(() => decodeInboxEvents('{}')).toThrow(/must be a JSON array/);
    expect(() =>
      decodeInboxEvents([{ ...JSON.parse(encodeInboxEvents([event('1')]))[0], eventType: 'nope' }]),
    ).toThrow(/unknown eventType "nope"/);
  });
});
