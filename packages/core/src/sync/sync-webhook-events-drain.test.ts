// `drainWebhookInbox`: claims a binding's deliveries, syncs their events with `syncEvents`,
// completes what synced and releases what failed with exponential backoff, dead after
// `maxAttempts` — on the real in-memory inbox, with an injected clock.
import { describe, expect, it } from 'vitest';
import {
  ConnectorRequestError,
  IssueNotFoundError,
  ModelValidationError,
  RateLimitedError,
  SyncConflictError,
} from '../errors/errors';
import { TrackerEventType } from '../model/enums';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import type { TrackerEvent } from '../model/page';
import { createTombstone, type IssueTombstone } from '../model/tombstone';
import { ConflictStrategy } from '../policy/conflicts';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { InMemoryWebhookInbox } from '../store/in-memory-webhook-inbox';
import { SyncEngine } from './sync-engine';
import { DELIVERY_RETRY_BASE_MS, deliveryRetryDelayMs, drainWebhookInbox } from './sync-webhook-events-drain';
import { counting } from './test-support/counting-connector';
import { FakeTracker } from './test-support/fake-tracker';
import { issue, noSleep, ref } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
const BINDING = 'gh-main';
const T0 = Date.parse('2026-06-01T12:00:00Z');

class DrainTracker extends FakeTracker {
  readonly gone = new Map<string, IssueTombstone>();
  readonly failReads = new Map<string, Error>();
  /** Called before each read (a test's hook, e.g. to abort the drain). */
  beforeRead: (() => void) | null = null;

  constructor() {
    super({ filterBeforePaging: true, capabilities: { reportsDeletions: true } });
  }

  override async getIssue(target: ExternalRef): Promise<CanonicalIssue> {
    this.beforeRead?.();
    const failure = this.failReads.get(refIdentity(target));
    if (failure !== undefined) throw failure;
    if (this.gone.has(refIdentity(target)))
      throw new IssueNotFoundError(`Issue not found: ${refIdentity(target)}`);
    return super.getIssue(target);
  }

  async checkGone(refs: readonly ExternalRef[]): Promise<IssueTombstone[]> {
    return refs.flatMap((target) => this.gone.get(refIdentity(target)) ?? []);
  }
}

/** The in-memory inbox, recording each release it is given. */
class RecordingInbox extends InMemoryWebhookInbox {
  readonly releases: { id: string; error: string; retryAt: Date; dead: boolean }[] = [];
  override async releaseDelivery(
    id: string,
    outcome: { readonly error: string; readonly retryAt: Date; readonly dead?: boolean },
  ): Promise<void> {
    this.releases.push({ id, error: outcome.error, retryAt: outcome.retryAt, dead: outcome.dead === true });
    return super.releaseDelivery(id, outcome);
  }
}

async function world() {
  const tracker = new DrainTracker();
  for (let index = 1; index <= 10; index++)
    tracker.seed(issue(`I-${index}`, { updatedAt: new Date(Date.UTC(2026, 0, 1) + index * 1000) }));
  const connector = counting(tracker);
  const store = new InMemoryIssueStore();
  const engine = new SyncEngine({ connector, store, policy: shared, sleep: noSleep });
  await engine.sync();
  connector.reset();
  const inbox = new RecordingInbox();
  let clock = T0;
  const now = () => new Date(clock);
  const advance = (ms: number) => {
    clock += ms;
  };
  return { tracker, connector, store, engine, inbox, now, advance };
}

let sequence = 0;
function event(issueId: string, type: TrackerEventType = TrackerEventType.UPDATED): TrackerEvent {
  sequence += 1;
  return {
    eventId: `delivery-${sequence}`,
    eventType: type,
    issueRef: ref(issueId),
    timestamp: new Date('2026-06-01T00:00:00Z'),
    payload: {},
  };
}

async function enqueue(inbox: InMemoryWebhookInbox, events: TrackerEvent[], receivedAt = new Date(T0)) {
  const queued = await inbox.enqueueDelivery({
    binding: BINDING,
    deliveryId: events[0]?.eventId ?? null,
    vendorEvent: 'issues',
    events,
    receivedAt,
  });
  return queued.id;
}

const serverError = () =>
  new ConnectorRequestError('GET /issues failed with HTTP 503', { statusCode: 503, provider: 'memory' });

describe('drainWebhookInbox', () => {
  it('claims, syncs and completes every due delivery (one getIssue per touched issue)', async () => {
    const { tracker, connector, store, engine, inbox, now } = await world();
    tracker.edit(ref('I-2'), { title: 'two' });
    tracker.edit(ref('I-3'), { title: 'three' });
    await enqueue(inbox, [event('I-2')]);
    await enqueue(inbox, [event('I-3'), event('I-2', TrackerEventType.TRANSITIONED)]);
    // Another binding's delivery is not this drain's.
    await inbox.enqueueDelivery({
      binding: 'other',
      deliveryId: 'x',
      vendorEvent: 'issues',
      events: [event('I-4')],
      receivedAt: now(),
    });
    const drained = await drainWebhookInbox(engine, inbox, { binding: BINDING, now });
    expect(drained).toMatchObject({ claimed: 2, completed: 2, retried: 0, dead: 0 });
    expect(drained.results).toHaveLength(1);
    expect(connector.calls).toEqual({ getIssue: 2 });
    expect((await store.getIssue(ref('I-3')))?.title).toBe('three');
    expect(await inbox.inboxStats(BINDING)).toMatchObject({ queued: 0, inFlight: 0, done: 2, dead: 0 });
    expect(await inbox.inboxStats('other')).toMatchObject({ queued: 1 });
  });

  it('claims in batches of `limit`, one syncEvents run each, until nothing is due', async () => {
    const { engine, inbox, now } = await world();
    for (const target of ['I-1', 'I-2', 'I-3', 'I-4', 'I-5']) await enqueue(inbox, [event(target)]);
    const drained = await drainWebhookInbox(engine, inbox, { binding: BINDING, limit: 2, now });
    expect(drained).toMatchObject({ claimed: 5, completed: 5 });
    expect(drained.results.map((result) => result.events?.received)).toEqual([2, 2, 1]);
  });

  it('a 5xx read releases the delivery with exponential backoff, then dead after maxAttempts; others complete', async () => {
    const { tracker, engine, inbox, now, advance } = await world();
    tracker.failReads.set(refIdentity(ref('I-1')), serverError());
    const failing = await enqueue(inbox, [event('I-1')]);
    await enqueue(inbox, [event('I-2')]);
    const options = { binding: BINDING, maxAttempts: 3, now };

    const first = await drainWebhookInbox(engine, inbox, options);
    expect(first).toMatchObject({ claimed: 2, completed: 1, retried: 1, dead: 0 });
    expect(inbox.releases).toEqual([
      {
        id: failing,
        error: expect.stringContaining('HTTP 503'),
        retryAt: new Date(T0 + DELIVERY_RETRY_BASE_MS),
        dead: false,
      },
    ]);
    // Not due before its retry time.
    advance(DELIVERY_RETRY_BASE_MS - 1);
    expect((await drainWebhookInbox(engine, inbox, options)).claimed).toBe(0);
    advance(1);
    const second = await drainWebhookInbox(engine, inbox, options);
    expect(second).toMatchObject({ claimed: 1, retried: 1, dead: 0 });
    // The delay doubles per attempt.
    expect(inbox.releases[1]?.retryAt).toEqual(new Date(now().getTime() + 2 * DELIVERY_RETRY_BASE_MS));
    advance(2 * DELIVERY_RETRY_BASE_MS);
    const third = await drainWebhookInbox(engine, inbox, options);
    expect(third).toMatchObject({ claimed: 1, retried: 0, dead: 1 });
    expect(inbox.releases[2]).toMatchObject({
      dead: true,
      error: expect.stringMatching(/^dead after 3 attempts: /),
    });
    expect(await inbox.inboxStats(BINDING)).toMatchObject({ queued: 0, dead: 1, done: 1 });
    // Nothing was taken for a deletion.
    expect(await engine.store.getIssue(ref('I-1'))).not.toBeNull();
  });

  it('once the tracker recovers, the retried delivery syncs and completes', async () => {
    const { tracker, store, engine, inbox, now, advance } = await world();
    tracker.edit(ref('I-1'), { title: 'changed during the outage' });
    tracker.failReads.set(refIdentity(ref('I-1')), serverError());
    await enqueue(inbox, [event('I-1')]);
    expect((await drainWebhookInbox(engine, inbox, { binding: BINDING, now })).retried).toBe(1);
    tracker.failReads.clear();
    advance(DELIVERY_RETRY_BASE_MS);
    expect(await drainWebhookInbox(engine, inbox, { binding: BINDING, now })).toMatchObject({
      claimed: 1,
      completed: 1,
    });
    expect((await store.getIssue(ref('I-1')))?.title).toBe('changed during the outage');
  });

  it('a deletion event completes its delivery with a tombstone', async () => {
    const { tracker, store, engine, inbox, now } = await world();
    tracker.gone.set(
      refIdentity(ref('I-6')),
      createTombstone({ ref: ref('I-6'), reason: 'deleted', observedAt: '2026-06-01T00:00:00.000Z' }),
    );
    await enqueue(inbox, [event('I-6', TrackerEventType.DELETED)]);
    expect(await drainWebhookInbox(engine, inbox, { binding: BINDING, now })).toMatchObject({ completed: 1 });
    expect(await store.getTombstone(ref('I-6'))).toMatchObject({ origin: 'remote' });
  });

  it('a rate limit is retried no earlier than its reset', async () => {
    const { tracker, engine, inbox, now } = await world();
    const resetAt = new Date(T0 + 30 * 60_000);
    tracker.failReads.set(
      refIdentity(ref('I-1')),
      new RateLimitedError('rate limited (HTTP 429)', { statusCode: 429, provider: 'memory', resetAt }),
    );
    await enqueue(inbox, [event('I-1')]);
    await drainWebhookInbox(engine, inbox, { binding: BINDING, now });
    expect(inbox.releases[0]?.retryAt).toEqual(resetAt);
  });

  it('passes the host’s gap to the first batch only', async () => {
    const { connector, engine, inbox, now } = await world();
    await enqueue(inbox, [event('I-1')]);
    await enqueue(inbox, [event('I-2')]);
    const drained = await drainWebhookInbox(engine, inbox, {
      binding: BINDING,
      limit: 1,
      gap: 'restart',
      now,
    });
    expect(drained.results.map((result) => result.events?.gapSync)).toEqual(['restart', null]);
    expect(connector.calls.listIssues).toBe(1);
  });

  it('with nothing queued runs no sync, even with a gap (the host closes it with sync())', async () => {
    const { connector, engine, inbox, now } = await world();
    const drained = await drainWebhookInbox(engine, inbox, { binding: BINDING, gap: 'restart', now });
    expect(drained).toEqual({ claimed: 0, completed: 0, retried: 0, dead: 0, results: [] });
    expect(connector.calls).toEqual({});
  });

  it('an abort releases the batch for a prompt retry and rethrows', async () => {
    const { tracker, engine, inbox, now } = await world();
    await enqueue(inbox, [event('I-1')]);
    const controller = new AbortController();
    tracker.beforeRead = () => controller.abort();
    await expect(
      drainWebhookInbox(engine, inbox, { binding: BINDING, signal: controller.signal, now }),
    ).rejects.toThrow();
    expect(inbox.releases).toEqual([
      expect.objectContaining({ error: 'aborted', retryAt: now(), dead: false }),
    ]);
    tracker.beforeRead = null;
    expect(await drainWebhookInbox(engine, inbox, { binding: BINDING, now })).toMatchObject({ completed: 1 });
  });

  it('strict manual review: the conflict error is rethrown after the batch is completed (its writes were made)', async () => {
    const tracker = new DrainTracker();
    tracker.seed(issue('I-1', { title: 'start', updatedAt: new Date(Date.UTC(2026, 0, 1)) }));
    const store = new InMemoryIssueStore();
    const engine = new SyncEngine({
      connector: tracker,
      store,
      policy: shared,
      strategy: ConflictStrategy.MANUAL_REVIEW,
      strictManualReview: true,
      sleep: noSleep,
    });
    await engine.sync();
    const local = await store.getIssue(ref('I-1'));
    await store.upsertIssue({ ...local!, title: 'local title' });
    tracker.edit(ref('I-1'), { title: 'remote title' });
    const inbox = new RecordingInbox();
    await enqueue(inbox, [event('I-1')]);
    await expect(drainWebhookInbox(engine, inbox, { binding: BINDING })).rejects.toThrow(SyncConflictError);
    expect(await inbox.inboxStats(BINDING)).toMatchObject({ done: 1, queued: 0, inFlight: 0 });
    expect(inbox.releases).toEqual([]);
  });

  it('rejects a limit, lease or attempt count that is not a positive integer', async () => {
    const { engine, inbox } = await world();
    for (const bad of [{ limit: 0 }, { leaseMs: -1 }, { maxAttempts: 1.5 }]) {
      await expect(drainWebhookInbox(engine, inbox, { binding: BINDING, ...bad })).rejects.toThrow(
        ModelValidationError,
      );
    }
  });

  it('backs off exponentially up to an hour', () => {
    expect([1, 2, 3, 4].map(deliveryRetryDelayMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(deliveryRetryDelayMs(40)).toBe(60 * 60_000);
  });
});
