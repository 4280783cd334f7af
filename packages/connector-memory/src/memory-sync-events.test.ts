// Live sync against the reference connector, through the public core root: webhook events cost
// one `getIssue` per touched issue (never a listing), deletions become tombstones through
// `checkGone`, and `drainWebhookInbox` completes what synced.
import {
  CanonicalIssueType,
  CanonicalStatus,
  createIssue,
  createRef,
  drainWebhookInbox,
  FieldOwner,
  InMemoryIssueStore,
  InMemoryWebhookInbox,
  OwnershipPolicy,
  SyncEngine,
  type TrackerConnector,
  type TrackerEvent,
  TrackerEventType,
} from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { InMemoryConnector } from './index';

const ref = (id: string) => createRef({ system: 'memory', workspace: 'ws', id });
const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

/** Counts the calls made to the connector's methods (the connector itself is unchanged). */
function counted(inner: InMemoryConnector): { connector: TrackerConnector; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const connector = new Proxy(inner, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls[String(property)] = (calls[String(property)] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { connector, calls };
}

async function world(size: number) {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const tracker = new InMemoryConnector(
    { name: 'memory', workspace: 'ws' },
    {
      now: () => {
        clock += 1000;
        return new Date(clock);
      },
    },
  );
  for (let index = 0; index < size; index++)
    await tracker.createIssue(
      createIssue({
        ref: ref(`I-${index}`),
        title: `Issue ${index}`,
        status: CanonicalStatus.TODO,
        issueType: CanonicalIssueType.TASK,
      }),
    );
  const { connector, calls } = counted(tracker);
  const store = new InMemoryIssueStore();
  const engine = new SyncEngine({ connector, store, policy: shared });
  await engine.sync();
  for (const key of Object.keys(calls)) delete calls[key];
  return { tracker, calls, store, engine };
}

let sequence = 0;
const event = (id: string, eventType: TrackerEventType = TrackerEventType.UPDATED): TrackerEvent => ({
  eventId: `memory-${++sequence}`,
  eventType,
  issueRef: ref(id),
  timestamp: new Date('2026-06-01T00:00:00Z'),
  payload: {},
});

describe('syncEvents with the memory connector', () => {
  it('one touched issue of 1,000 costs one getIssue and no listing', async () => {
    const { tracker, calls, store, engine } = await world(1_000);
    await tracker.updateIssue(ref('I-500'), { title: 'renamed' });
    delete calls.updateIssue;
    const result = await engine.syncEvents([event('I-500'), event('I-500')]);
    expect(calls).toEqual({ getIssue: 1 });
    expect(result.events).toEqual({ received: 2, duplicates: 0, skipped: 0, issues: 1, gapSync: null });
    expect((await store.getIssue(ref('I-500')))?.title).toBe('renamed');
  });

  it('a drained deletion event becomes a remote tombstone; an event for an issue never stored is retried', async () => {
    const { tracker, store, engine } = await world(3);
    tracker.remove(ref('I-1'));
    const inbox = new InMemoryWebhookInbox();
    const receivedAt = new Date('2026-06-01T00:00:00Z');
    const delivery = { binding: 'memory', vendorEvent: 'issues', receivedAt };
    await inbox.enqueueDelivery({
      ...delivery,
      deliveryId: 'd-1',
      events: [event('I-1', TrackerEventType.DELETED)],
    });
    // The memory connector's checkGone reports any unknown ref as deleted; the engine never asks
    // about an issue it does not hold, so a not-yet-readable new issue is not lost.
    await inbox.enqueueDelivery({ ...delivery, deliveryId: 'd-2', events: [event('NEW-1')] });
    const now = () => receivedAt;
    const drained = await drainWebhookInbox(engine, inbox, { binding: 'memory', now });
    expect(drained).toMatchObject({ claimed: 2, completed: 1, retried: 1, dead: 0 });
    expect(await store.getTombstone(ref('I-1'))).toMatchObject({ origin: 'remote', reason: 'deleted' });
    expect(await inbox.inboxStats('memory')).toMatchObject({ done: 1, queued: 1 });
  });
});
