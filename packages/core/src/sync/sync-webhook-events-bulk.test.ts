// `syncEvents` on a connector with a bulk read (`getIssues`): the touched issues are read a page
// per call instead of one `getIssue` each, with the same outcome.
import { describe, expect, it } from 'vitest';
import { ConnectorRequestError, RateLimitedError } from '../errors/errors';
import { TrackerEventType } from '../model/enums';
import type { ExternalRef } from '../model/external-ref';
import type { TrackerEvent } from '../model/page';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { counting } from './test-support/counting-connector';
import { BulkReadingFakeTracker, FakeTracker } from './test-support/fake-tracker';
import { issue, ref } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
const id = (index: number) => `I-${String(index).padStart(4, '0')}`;
const noSleep = async () => {};

async function world<T extends FakeTracker>(tracker: T, size: number) {
  for (let index = 0; index < size; index++) {
    tracker.seed(issue(id(index), { updatedAt: new Date(Date.UTC(2026, 0, 1) + index * 1000) }));
  }
  const connector = counting(tracker);
  const store = new InMemoryIssueStore();
  const engine = new SyncEngine({ connector, store, policy: shared, sleep: noSleep });
  await engine.sync();
  connector.reset();
  return { tracker, connector, store, engine };
}

const updated = (issueId: string, sequence: number): TrackerEvent => ({
  eventId: `delivery-${issueId}-${sequence}`,
  eventType: TrackerEventType.UPDATED,
  issueRef: ref(issueId),
  timestamp: new Date('2026-06-01T00:00:00Z'),
  payload: {},
});

describe('syncEvents with a bulk read', () => {
  it('reads 31 touched issues in one getIssues call, and 250 in three', async () => {
    const { tracker, connector, store, engine } = await world(new BulkReadingFakeTracker(), 300);
    tracker.edit(ref(id(5)), { title: 'edited on the tracker' });
    const few = Array.from({ length: 31 }, (_, index) => updated(id(index), 1));
    const result = await engine.syncEvents(few);
    // The page size comes from the connector's capabilities (answered locally), once per run.
    expect(connector.calls).toEqual({ getCapabilities: 1, getIssues: 1 });
    expect(result.events).toMatchObject({ received: 31, issues: 31 });
    expect((await store.getIssue(ref(id(5))))?.title).toBe('edited on the tracker');
    connector.reset();
    await engine.syncEvents(Array.from({ length: 250 }, (_, index) => updated(id(index), 2)));
    // A page of issues per call (the engine's default page size, 100).
    expect(connector.calls).toEqual({ getCapabilities: 1, getIssues: 3 });
  });

  it('ends as one getIssue per issue does: merges, a conflict, an issue gone from the tracker', async () => {
    const scenario = async <T extends FakeTracker>(tracker: T) => {
      const { store, engine } = await world(tracker, 20);
      tracker.edit(ref(id(1)), { title: 'remote title' });
      tracker.edit(ref(id(2)), { title: 'remote title 2', body: 'remote body' });
      const local = await store.getIssue(ref(id(2)));
      if (local !== null) await store.upsertIssue({ ...local, title: 'local title' });
      tracker.deleteIssue(ref(id(3)));
      const result = await engine.syncEvents([updated(id(1), 1), updated(id(2), 1), updated(id(3), 1)]);
      return {
        stats: result.stats,
        failures: result.failures.map(({ operation, issueRef, failureClass, retryable }) => ({
          operation,
          id: issueRef?.id,
          failureClass,
          retryable,
        })),
        conflicts: result.conflicts.length,
        local: await store.listIssues(),
        remote: [...tracker.issues.values()].map(({ updatedAt, ...rest }) => rest),
      };
    };
    const bulk = await scenario(new BulkReadingFakeTracker());
    const single = await scenario(new FakeTracker());
    expect(bulk.stats.pulledUpdated).toBeGreaterThan(0);
    expect(bulk.conflicts).toBeGreaterThan(0);
    expect(bulk.failures.map(({ id: failed }) => failed)).toEqual([id(3)]);
    expect(bulk).toEqual(single);
  });

  it('a failed bulk read is a retryable failure of each issue it asked about; nothing changes', async () => {
    const { connector, store, engine } = await world(new BulkReadingFakeTracker(), 10);
    const before = await store.listIssues();
    connector.getIssues = async (_refs: readonly ExternalRef[]) => {
      throw new ConnectorRequestError('POST /bulk failed with HTTP 503', {
        statusCode: 503,
        provider: 'memory',
      });
    };
    const result = await engine.syncEvents([updated(id(1), 1), updated(id(2), 1), updated(id(3), 1)]);
    expect(
      result.failures.map(({ operation, issueRef, retryable }) => [operation, issueRef?.id, retryable]),
    ).toEqual([
      ['get_issue', id(1), true],
      ['get_issue', id(2), true],
      ['get_issue', id(3), true],
    ]);
    expect(await store.listIssues()).toEqual(before);
    expect(connector.writes()).toBe(0);
  });
  it('a rate-limited bulk read stops the run: no later batch is asked for, nothing changes', async () => {
    const { connector, store, engine } = await world(new BulkReadingFakeTracker(), 250);
    const before = await store.listIssues();
    let asked = 0;
    connector.getIssues = async (_refs: readonly ExternalRef[]) => {
      asked += 1;
      throw new RateLimitedError('rate limited by memory', {
        provider: 'memory',
        resetAt: new Date(Date.now() + 3_600_000),
      });
    };
    const result = await engine.syncEvents(Array.from({ length: 250 }, (_, index) => updated(id(index), 1)));
    // Three batches of 100 would be read; the first one's rate limit stops the other two.
    expect(asked).toBe(1);
    const reads = result.failures.filter(({ operation }) => operation === 'get_issue');
    // The first batch failed on the rate limit; the issues of the other two were never asked for.
    expect(reads.map(({ issueRef }) => issueRef?.id)).toEqual(
      Array.from({ length: 250 }, (_, index) => id(index)),
    );
    expect(reads.slice(0, 100).every(({ message }) => message.includes('could not read the issue'))).toBe(
      true,
    );
    expect(
      reads.slice(100).every(({ message }) => message.startsWith('not read: the run stopped first')),
    ).toBe(true);
    expect(await store.listIssues()).toEqual(before);
    expect(connector.writes()).toBe(0);
  });
});
