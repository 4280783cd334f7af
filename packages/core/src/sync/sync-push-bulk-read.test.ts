// The push reads the remote copies of the issues it pushes with the connector's bulk read
// (`getIssues`) when it has one: a page of refs per call instead of a `getIssue` each or a listing
// of the whole tracker, with the same outcome.
import { describe, expect, it } from 'vitest';
import { ConnectorRequestError } from '../errors/errors';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import { type CanonicalIssue, cloneIssue } from '../model/issue';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { counting } from './test-support/counting-connector';
import { BulkReadingFakeTracker, FakeTracker } from './test-support/fake-tracker';
import { issue, ref } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
const id = (index: number) => `I-${String(index).padStart(6, '0')}`;

async function world<T extends FakeTracker>(tracker: T, size: number) {
  const start = Date.UTC(2026, 0, 1);
  for (let index = 0; index < size; index++) {
    tracker.seed(issue(id(index), { updatedAt: new Date(start + index * 1000) }));
  }
  const connector = counting(tracker);
  const store = new InMemoryIssueStore();
  const engine = new SyncEngine({ connector, store, policy: shared, retryBaseDelayMs: 1 });
  await engine.sync();
  connector.reset();
  return { tracker, connector, store, engine };
}

async function editLocally(store: InMemoryIssueStore, ids: readonly string[]): Promise<void> {
  for (const issueId of ids) {
    const local = (await store.getIssue(ref(issueId))) as CanonicalIssue;
    await store.upsertIssue(cloneIssue(local, { title: `${local.title} (edited)` }));
  }
}

const everyTenth = (size: number) => Array.from({ length: size / 10 }, (_, index) => id(index * 10));

describe('push with a bulk read', () => {
  it('reads 1,000 remote copies in 10 getIssues calls: no listing, no getIssue', async () => {
    const { connector, store, engine } = await world(
      new BulkReadingFakeTracker({ filterBeforePaging: true }),
      10_000,
    );
    await editLocally(store, everyTenth(10_000));
    const result = await engine.sync();
    expect(result.stats.pushedUpdated).toBe(1_000);
    // The pull's one (empty) page, then a page of refs per bulk read.
    expect(connector.calls).toEqual({ listIssues: 1, getCapabilities: 1, getIssues: 10, updateIssue: 1_000 });
  });

  it('without a bulk read the same push lists the whole tracker (the call count it saves)', async () => {
    const { connector, store, engine } = await world(new FakeTracker({ filterBeforePaging: true }), 10_000);
    await editLocally(store, everyTenth(10_000));
    await engine.sync();
    expect(connector.calls).toEqual({ listIssues: 101, getCapabilities: 1, updateIssue: 1_000 });
  });

  it('asks a page of refs per call: the push limit sets it', async () => {
    const { connector, store, engine } = await world(new BulkReadingFakeTracker(), 1_000);
    await editLocally(store, everyTenth(1_000));
    const asked: number[] = [];
    const read = connector.getIssues.bind(connector);
    connector.getIssues = (refs: readonly ExternalRef[]) => {
      asked.push(refs.length);
      return read(refs);
    };
    await engine.push({ limit: 30 });
    expect(asked).toEqual([30, 30, 30, 10]);
  });

  it('a single lookup stays one getIssue', async () => {
    const { connector, store, engine } = await world(
      new BulkReadingFakeTracker({ filterBeforePaging: true }),
      100,
    );
    await editLocally(store, [id(7)]);
    await engine.sync();
    expect(connector.calls).toEqual({ listIssues: 1, getCapabilities: 1, getIssue: 1, updateIssue: 1 });
  });

  it('ends in the same state as one getIssue per issue and as a listing', async () => {
    const scenario = async <T extends FakeTracker>(tracker: T, limit: number) => {
      const { store, engine } = await world(tracker, 300);
      await editLocally(store, [id(3), id(40), id(41), id(150), id(299)]);
      tracker.edit(ref(id(40)), { body: 'remote body' }); // merged with the local title
      tracker.edit(ref(id(41)), { title: 'remote title' }); // a conflict on the title
      tracker.deleteIssue(ref(id(150))); // gone remotely while edited here
      await store.upsertIssue(issue('NEW-1'));
      const result = await engine.sync({ limit });
      return {
        stats: result.stats,
        conflicts: result.conflicts.map(({ issueRef, fieldName }) => [issueRef?.id, fieldName]),
        failures: result.failures,
        local: await store.listIssues(),
        remote: [...tracker.issues.values()].map(({ updatedAt, ...rest }) => rest),
      };
    };
    const bulk = await scenario(new BulkReadingFakeTracker({ filterBeforePaging: true }), 100);
    // Five lookups against three listing pages: this one lists.
    const listed = await scenario(new FakeTracker({ filterBeforePaging: true }), 100);
    // Five lookups against 300 one-issue pages: this one asks getIssue for each.
    const single = await scenario(new FakeTracker({ filterBeforePaging: true }), 1);
    expect(bulk.stats.pushedUpdated).toBeGreaterThan(0);
    expect(bulk.conflicts.length).toBeGreaterThan(0);
    expect(bulk).toEqual(listed);
    expect(bulk).toEqual(single);
  });

  it('matches answers in any order, with some refs left out and some answered twice', async () => {
    const { tracker, connector, store, engine } = await world(new BulkReadingFakeTracker(), 40);
    await editLocally(store, [id(1), id(2), id(3), id(4), id(5)]);
    tracker.deleteIssue(ref(id(3)));
    const read = connector.getIssues.bind(connector);
    connector.getIssues = async (refs: readonly ExternalRef[]) => {
      const found = await read(refs);
      return [...found.reverse(), ...found];
    };
    const result = await engine.sync();
    expect(result.stats).toMatchObject({ pushedUpdated: 4, pushedCreated: 1 });
    for (const index of [1, 2, 4, 5]) {
      expect(tracker.issues.get(refIdentity(ref(id(index))))?.title).toBe(`Issue ${id(index)} (edited)`);
    }
  });

  it('an issue answered under another identity is not taken for the one asked', async () => {
    const { tracker, connector, store, engine } = await world(new BulkReadingFakeTracker(), 20);
    await editLocally(store, [id(1), id(2)]);
    const read = connector.getIssues.bind(connector);
    // The tracker answers I-000002 as I-000019 (a move, or a buggy connector).
    const elsewhere = await tracker.getIssue(ref(id(19)));
    connector.getIssues = async (refs: readonly ExternalRef[]) =>
      (await read(refs)).map((found) => (found.ref.id === id(2) ? elsewhere : found));
    const result = await engine.sync();
    expect(result.stats.pushedUpdated).toBe(1);
    // Without a remote copy the edit goes the create path (this tracker cannot tell deletions),
    // which the tracker refuses (it has I-000002): nothing is written over I-000019 or I-000002.
    expect(tracker.issues.get(refIdentity(ref(id(19))))?.title).toBe(`Issue ${id(19)}`);
    expect(tracker.issues.get(refIdentity(ref(id(2))))?.title).toBe(`Issue ${id(2)}`);
    expect(result.failures.map(({ operation, issueRef }) => [operation, issueRef?.id])).toEqual([
      ['create', id(2)],
    ]);
  });

  it('a failing bulk read is retried, then aborts the push before any write, as a failing listing does', async () => {
    const { connector, store, engine } = await world(new BulkReadingFakeTracker(), 50);
    await editLocally(store, [id(1), id(2), id(3)]);
    let attempts = 0;
    connector.getIssues = async () => {
      attempts += 1;
      throw new ConnectorRequestError('bulk read failed: 503', { statusCode: 503, provider: 'memory' });
    };
    await expect(engine.sync()).rejects.toThrow('bulk read failed: 503');
    // Retried like every read (1 + the default 2 retries), then the run stops.
    expect(attempts).toBe(3);
    expect(connector.writes()).toBe(0);
  });
});
