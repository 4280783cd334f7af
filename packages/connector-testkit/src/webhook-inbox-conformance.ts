import {
  createRef,
  type InboxDelivery,
  type InboxDeliveryInit,
  ModelValidationError,
  supportsWebhookInbox,
  type TrackerEvent,
  TrackerEventType,
  type WebhookInbox,
} from '@spec-kitty/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

export interface WebhookInboxUnderTest {
  inbox: WebhookInbox;
  /** Releases resources (close the database, remove temp files). */
  cleanup?: () => Promise<void> | void;
}

/** A fresh, empty inbox per test. */
export type WebhookInboxFactory = () => Promise<WebhookInboxUnderTest> | WebhookInboxUnderTest;

const T0 = Date.parse('2026-04-01T12:00:00.000Z');
const at = (ms: number): Date => new Date(T0 + ms);

function event(id: string, overrides: Partial<TrackerEvent> = {}): TrackerEvent {
  return {
    eventId: `evt-${id}`,
    eventType: TrackerEventType.UPDATED,
    issueRef: createRef({
      system: 'github',
      workspace: 'octo/hello',
      id,
      key: `#${id}`,
      url: `https://example.test/${id}`,
    }),
    timestamp: new Date('2026-03-31T23:59:59.987Z'),
    payload: { action: 'edited', changes: { title: { from: 'old ✓' } }, list: [1, 'two', null, true, 2.5] },
    ...overrides,
  };
}

function delivery(
  binding: string,
  deliveryId: string | null,
  receivedMs = 0,
  events = [event('1')],
): InboxDeliveryInit {
  return { binding, deliveryId, vendorEvent: 'issues', events, receivedAt: at(receivedMs) };
}

const ids = (deliveries: readonly InboxDelivery[]) => deliveries.map((d) => d.id);

const EMPTY = { queued: 0, inFlight: 0, dead: 0, done: 0, oldestPendingAt: null } as const;

/**
 * The `WebhookInbox` contract (core `store/webhook-inbox.ts`) as tests, sentence by sentence:
 * de-duplication by `(binding, deliveryId)` (a null id never de-duplicates), per-binding claims,
 * oldest `receivedAt` first, attempts counted per claim, leases that expire, release for a retry
 * or as dead, done markers kept until pruned, stats, and deliveries that round-trip exactly.
 * Every time is passed explicitly (`now`), so the suite never sleeps.
 */
export function runWebhookInboxConformance(name: string, factory: WebhookInboxFactory): void {
  describe(`WebhookInbox conformance: ${name}`, () => {
    let subject: WebhookInboxUnderTest;
    let inbox: WebhookInbox;
    beforeEach(async () => {
      subject = await factory();
      inbox = subject.inbox;
    });
    afterEach(async () => {
      await subject.cleanup?.();
    });

    const claim = (binding: string, nowMs: number, limit = 100, leaseMs = 60_000) =>
      inbox.claimDeliveries({ binding, limit, leaseMs, now: at(nowMs) });

    it('is detected by supportsWebhookInbox and starts empty', async () => {
      expect(supportsWebhookInbox(inbox as never)).toBe(true);
      expect(await inbox.inboxStats()).toEqual(EMPTY);
      expect(await claim('gh', 0)).toEqual([]);
    });

    it('round-trips a delivery exactly: dates to the millisecond, payload JSON, refs, event order', async () => {
      const events = [
        event('7'),
        event('8', {
          eventType: TrackerEventType.DELETED,
          payload: { deleted: true, nested: { deep: [{ a: 'ünïcödé "q"' }] }, empty: {}, none: null },
          timestamp: new Date('2026-01-02T03:04:05.006Z'),
        }),
        event('9', { eventType: TrackerEventType.TRANSITIONED, payload: {} }),
      ];
      const init: InboxDeliveryInit = {
        binding: 'gh',
        deliveryId: 'a1b2-c3',
        vendorEvent: 'issues',
        events,
        receivedAt: new Date('2026-04-01T12:00:00.123Z'),
      };
      const queued = await inbox.enqueueDelivery(init);
      expect(queued.status).toBe('queued');
      expect(typeof queued.id).toBe('string');
      const [claimed, ...rest] = await claim('gh', 1000);
      expect(rest).toEqual([]);
      expect(claimed).toEqual({ ...init, id: queued.id, attempts: 1 });
      for (const [index, each] of (claimed?.events ?? []).entries()) {
        expect(each.timestamp).toBeInstanceOf(Date);
        expect(each.timestamp.getTime()).toBe(events[index]?.timestamp.getTime());
        expect(each.issueRef).toEqual(events[index]?.issueRef);
      }
      expect(claimed?.receivedAt).toBeInstanceOf(Date);
      expect(claimed?.receivedAt.toISOString()).toBe('2026-04-01T12:00:00.123Z');
    });

    it('keeps a delivery with no events and a null delivery id', async () => {
      const queued = await inbox.enqueueDelivery(delivery('gh', null, 0, []));
      const [claimed] = await claim('gh', 0);
      expect(claimed).toEqual({
        id: queued.id,
        binding: 'gh',
        deliveryId: null,
        vendorEvent: 'issues',
        events: [],
        receivedAt: at(0),
        attempts: 1,
      });
    });

    it('de-duplicates by (binding, deliveryId): a second enqueue stores nothing and names the first', async () => {
      const first = await inbox.enqueueDelivery(delivery('gh', 'd-1'));
      const again = await inbox.enqueueDelivery(delivery('gh', 'd-1', 5, [event('2')]));
      expect(first.status).toBe('queued');
      expect(again).toEqual({ status: 'duplicate', id: first.id });
      const claimed = await claim('gh', 10);
      expect(ids(claimed)).toEqual([first.id]);
      expect(claimed[0]?.events.map((e) => e.eventId)).toEqual(['evt-1']);
      expect((await inbox.inboxStats('gh')).inFlight).toBe(1);
    });

    it('de-duplicates in every state: queued, in flight, dead and done', async () => {
      const queued = await inbox.enqueueDelivery(delivery('gh', 'q'));
      expect(await inbox.enqueueDelivery(delivery('gh', 'q'))).toEqual({
        status: 'duplicate',
        id: queued.id,
      });

      const flying = await inbox.enqueueDelivery(delivery('gh', 'f', 1));
      const dead = await inbox.enqueueDelivery(delivery('gh', 'd', 2));
      const done = await inbox.enqueueDelivery(delivery('gh', 'c', 3));
      const claimed = await claim('gh', 10);
      expect(ids(claimed)).toEqual([queued.id, flying.id, dead.id, done.id]);
      await inbox.releaseDelivery(dead.id, { error: 'boom', retryAt: at(20), dead: true });
      await inbox.completeDeliveries([done.id], at(11));
      expect(await inbox.enqueueDelivery(delivery('gh', 'f'))).toEqual({
        status: 'duplicate',
        id: flying.id,
      });
      expect(await inbox.enqueueDelivery(delivery('gh', 'd'))).toEqual({ status: 'duplicate', id: dead.id });
      expect(await inbox.enqueueDelivery(delivery('gh', 'c'))).toEqual({ status: 'duplicate', id: done.id });
    });

    it('never de-duplicates a null deliveryId', async () => {
      const first = await inbox.enqueueDelivery(delivery('gh', null));
      const second = await inbox.enqueueDelivery(delivery('gh', null));
      expect(first.status).toBe('queued');
      expect(second.status).toBe('queued');
      expect(second.id).not.toBe(first.id);
      expect((await inbox.inboxStats('gh')).queued).toBe(2);
    });

    it('scopes de-duplication and claims to the binding', async () => {
      const gh = await inbox.enqueueDelivery(delivery('gh', 'same'));
      const gl = await inbox.enqueueDelivery(delivery('gl', 'same'));
      expect(gl.status).toBe('queued');
      expect(gl.id).not.toBe(gh.id);
      expect(ids(await claim('gh', 0))).toEqual([gh.id]);
      expect(await claim('gh', 0)).toEqual([]);
      expect(await claim('other', 0)).toEqual([]);
      const [glClaimed] = await claim('gl', 0);
      expect(glClaimed?.binding).toBe('gl');
      expect(glClaimed?.id).toBe(gl.id);
    });

    it('claims oldest receivedAt first (not in enqueue order), at most limit per claim', async () => {
      const late = await inbox.enqueueDelivery(delivery('gh', 'late', 300));
      const early = await inbox.enqueueDelivery(delivery('gh', 'early', 100));
      const middle = await inbox.enqueueDelivery(delivery('gh', 'middle', 200));
      const first = await claim('gh', 1000, 2);
      expect(ids(first)).toEqual([early.id, middle.id]);
      expect(ids(await claim('gh', 1000, 2))).toEqual([late.id]);
      expect(await claim('gh', 1000, 2)).toEqual([]);
    });

    it('counts attempts: each claim increments them, including re-claims after expiry or release', async () => {
      const queued = await inbox.enqueueDelivery(delivery('gh', 'x'));
      expect((await claim('gh', 0, 1, 1000))[0]?.attempts).toBe(1);
      expect((await claim('gh', 1000, 1, 1000))[0]?.attempts).toBe(2);
      await inbox.releaseDelivery(queued.id, { error: 'rate limited', retryAt: at(1500) });
      const third = await claim('gh', 1500, 1, 1000);
      expect(third[0]?.id).toBe(queued.id);
      expect(third[0]?.attempts).toBe(3);
    });

    it('leases a claim: not claimable before the lease ends, claimable again once it has (a crashed claimer)', async () => {
      const queued = await inbox.enqueueDelivery(delivery('gh', 'lease'));
      expect(ids(await claim('gh', 0, 10, 5000))).toEqual([queued.id]);
      expect(await claim('gh', 1, 10, 5000)).toEqual([]);
      expect(await claim('gh', 4999, 10, 5000)).toEqual([]);
      expect(await inbox.inboxStats('gh')).toMatchObject({ queued: 0, inFlight: 1 });
      const reclaimed = await claim('gh', 5000, 10, 5000);
      expect(ids(reclaimed)).toEqual([queued.id]);
      expect(reclaimed[0]?.events).toEqual([event('1')]);
      expect(await claim('gh', 9999, 10, 5000)).toEqual([]);
    });

    it('claims a due queued delivery and an expired lease together, oldest first', async () => {
      const older = await inbox.enqueueDelivery(delivery('gh', 'older', 0));
      expect(ids(await claim('gh', 0, 1, 100))).toEqual([older.id]);
      const newer = await inbox.enqueueDelivery(delivery('gh', 'newer', 50));
      expect(ids(await claim('gh', 100))).toEqual([older.id, newer.id]);
    });

    it('releases for a retry: claimable again from retryAt, not before', async () => {
      const queued = await inbox.enqueueDelivery(delivery('gh', 'retry'));
      await claim('gh', 0);
      await inbox.releaseDelivery(queued.id, { error: 'HTTP 502 from the tracker', retryAt: at(10_000) });
      expect(await inbox.inboxStats('gh')).toMatchObject({ queued: 1, inFlight: 0, dead: 0 });
      expect(await claim('gh', 9_999)).toEqual([]);
      const retried = await claim('gh', 10_000);
      expect(ids(retried)).toEqual([queued.id]);
      expect(retried[0]?.events).toEqual([event('1')]);
    });

    it('a delivery waiting for its retry does not hold back younger due ones', async () => {
      const first = await inbox.enqueueDelivery(delivery('gh', 'first', 0));
      const second = await inbox.enqueueDelivery(delivery('gh', 'second', 10));
      await claim('gh', 20, 1);
      await inbox.releaseDelivery(first.id, { error: 'later', retryAt: at(60_000) });
      expect(ids(await claim('gh', 30))).toEqual([second.id]);
    });

    it('releases as dead: never claimed again, counted as dead, kept (not pruned)', async () => {
      const queued = await inbox.enqueueDelivery(delivery('gh', 'dead'));
      await claim('gh', 0);
      await inbox.releaseDelivery(queued.id, {
        error: 'gave up after 5 attempts',
        retryAt: at(1),
        dead: true,
      });
      expect(await claim('gh', 1)).toEqual([]);
      expect(await claim('gh', 10 * 86_400_000)).toEqual([]);
      expect(await inbox.inboxStats('gh')).toEqual({
        queued: 0,
        inFlight: 0,
        dead: 1,
        done: 0,
        oldestPendingAt: null,
      });
      expect(await inbox.pruneDeliveries(at(100 * 86_400_000))).toBe(0);
      expect((await inbox.inboxStats('gh')).dead).toBe(1);
    });

    it('completes: never claimed again, counted as done, its marker still de-duplicates', async () => {
      const a = await inbox.enqueueDelivery(delivery('gh', 'a', 0));
      const b = await inbox.enqueueDelivery(delivery('gh', 'b', 1));
      const c = await inbox.enqueueDelivery(delivery('gh', 'c', 2));
      await claim('gh', 5, 100, 1000);
      await inbox.completeDeliveries([a.id, b.id], at(6));
      await inbox.completeDeliveries([], at(6));
      expect(await inbox.inboxStats('gh')).toEqual({
        queued: 0,
        inFlight: 1,
        dead: 0,
        done: 2,
        oldestPendingAt: at(2),
      });
      // After every lease ran out only the uncompleted one comes back.
      expect(ids(await claim('gh', 5000))).toEqual([c.id]);
      expect((await inbox.enqueueDelivery(delivery('gh', 'a'))).status).toBe('duplicate');
    });

    it('prunes only done deliveries completed before the cutoff; a pruned id may be enqueued again', async () => {
      const old = await inbox.enqueueDelivery(delivery('gh', 'old', 0));
      const recent = await inbox.enqueueDelivery(delivery('gh', 'recent', 1));
      const pending = await inbox.enqueueDelivery(delivery('gh', 'pending', 2));
      const flying = await inbox.enqueueDelivery(delivery('gh', 'flying', 3));
      const dead = await inbox.enqueueDelivery(delivery('gl', 'dead', 4));
      await claim('gh', 10, 2);
      await inbox.completeDeliveries([old.id], at(1_000));
      await inbox.completeDeliveries([recent.id], at(5_000));
      await claim('gh', 10, 1); // pending → in flight
      expect(ids(await claim('gh', 10))).toEqual([flying.id]);
      await claim('gl', 10);
      await inbox.releaseDelivery(dead.id, { error: 'x', retryAt: at(0), dead: true });

      expect(await inbox.pruneDeliveries(at(1_000))).toBe(0); // strictly before the cutoff
      expect(await inbox.pruneDeliveries(at(1_001))).toBe(1);
      expect(await inbox.inboxStats()).toEqual({
        queued: 0,
        inFlight: 2,
        dead: 1,
        done: 1,
        oldestPendingAt: at(2),
      });
      expect(await inbox.pruneDeliveries(at(1_001))).toBe(0);
      expect(await inbox.pruneDeliveries(at(10 * 86_400_000))).toBe(1);
      expect(await inbox.inboxStats()).toEqual({
        queued: 0,
        inFlight: 2,
        dead: 1,
        done: 0,
        oldestPendingAt: at(2),
      });

      const again = await inbox.enqueueDelivery(delivery('gh', 'old', 20));
      expect(again.status).toBe('queued');
      expect(again.id).not.toBe(old.id);
      expect((await inbox.enqueueDelivery(delivery('gh', 'pending'))).status).toBe('duplicate');
      expect(pending.id).not.toBe(again.id);
    });

    it('counts per binding or for all bindings, with the oldest pending receivedAt', async () => {
      await inbox.enqueueDelivery(delivery('gh', '1', 300));
      await inbox.enqueueDelivery(delivery('gh', '2', 200));
      const gl = await inbox.enqueueDelivery(delivery('gl', '1', 100));
      await inbox.enqueueDelivery(delivery('gl', '2', 400));
      await claim('gh', 1000, 1);
      expect(await inbox.inboxStats('gh')).toEqual({
        queued: 1,
        inFlight: 1,
        dead: 0,
        done: 0,
        oldestPendingAt: at(200),
      });
      expect(await inbox.inboxStats('gl')).toEqual({
        queued: 2,
        inFlight: 0,
        dead: 0,
        done: 0,
        oldestPendingAt: at(100),
      });
      expect(await inbox.inboxStats()).toEqual({
        queued: 3,
        inFlight: 1,
        dead: 0,
        done: 0,
        oldestPendingAt: at(100),
      });
      expect(await inbox.inboxStats('none')).toEqual(EMPTY);
      await claim('gl', 1000, 1);
      await inbox.completeDeliveries([gl.id], at(1001));
      const stats = await inbox.inboxStats('gl');
      expect(stats).toEqual({ queued: 1, inFlight: 0, dead: 0, done: 1, oldestPendingAt: at(400) });
      expect(stats.oldestPendingAt).toBeInstanceOf(Date);
    });

    it('a late release (a claimer whose lease ran out) leaves a done or dead delivery as it is', async () => {
      const done = await inbox.enqueueDelivery(delivery('gh', 'done', 0));
      const dead = await inbox.enqueueDelivery(delivery('gh', 'dead', 1));
      await claim('gh', 0);
      await inbox.completeDeliveries([done.id], at(5));
      await inbox.releaseDelivery(dead.id, { error: 'gave up', retryAt: at(5), dead: true });
      await inbox.releaseDelivery(done.id, { error: 'late', retryAt: at(6) });
      await inbox.releaseDelivery(dead.id, { error: 'late', retryAt: at(6) });
      expect(await claim('gh', 1_000_000)).toEqual([]);
      expect(await inbox.inboxStats('gh')).toEqual({
        queued: 0,
        inFlight: 0,
        dead: 1,
        done: 1,
        oldestPendingAt: null,
      });
    });

    it('refuses an invalid delivery with a ModelValidationError and stores nothing', async () => {
      const invalid: InboxDeliveryInit[] = [
        { ...delivery('gh', 'a'), binding: '' },
        { ...delivery('gh', 'b'), receivedAt: new Date('not a date') },
        { ...delivery('gh', 'c'), deliveryId: 42 as unknown as string },
        { ...delivery('gh', 'd'), events: [event('1', { timestamp: new Date(Number.NaN) })] },
      ];
      for (const init of invalid) {
        await expect(inbox.enqueueDelivery(init)).rejects.toSatisfy((error) =>
          ModelValidationError.isInstance(error),
        );
      }
      expect(await inbox.inboxStats()).toEqual(EMPTY);
      expect((await inbox.enqueueDelivery(delivery('gh', 'a'))).status).toBe('queued');
    });

    it('concurrent claims never hand out the same delivery', async () => {
      for (let n = 0; n < 10; n++) await inbox.enqueueDelivery(delivery('gh', `c-${n}`, n));
      const batches = await Promise.all([0, 1, 2, 3].map(() => claim('gh', 100, 3)));
      const claimed = batches.flatMap(ids);
      expect(new Set(claimed).size).toBe(claimed.length);
      const rest = ids(await claim('gh', 100));
      expect(new Set([...claimed, ...rest]).size).toBe(10);
      expect(claimed.length + rest.length).toBe(10);
    });

    it('a queued delivery is claimable at once, whatever its receivedAt', async () => {
      const future = await inbox.enqueueDelivery(delivery('gh', 'future', 3_600_000));
      expect(ids(await claim('gh', 0))).toEqual([future.id]);
    });
  });
}
