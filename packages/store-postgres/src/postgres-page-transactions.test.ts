import { InMemoryConnector } from '@spec-kitty/connector-memory';
import { OwnershipPolicy, SyncEngine, supportsBatching } from '@spec-kitty/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresStore } from './postgres-store';
import { openTestStore, sampleIssue } from './test-support';

let opened: Awaited<ReturnType<typeof openTestStore>>;
let store: PostgresStore;
beforeAll(async () => {
  opened = await openTestStore('pages');
  store = opened.store;
});
afterAll(async () => {
  await opened.drop();
});

function trackerWith(count: number): InMemoryConnector {
  const connector = new InMemoryConnector({ name: 'memory', workspace: 'team' });
  for (let index = 0; index < count; index += 1) {
    connector.seed(sampleIssue(String(index).padStart(4, '0')));
  }
  return connector;
}

const policy = OwnershipPolicy.externalAuthoritative();
const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: 'shared' });

describe('page transactions', () => {
  it('commits each pull page (issues, bases, checkpoint) in one transaction', async () => {
    const scoped = store.scope('pages-one-tx');
    expect(supportsBatching(scoped)).toBe(true);
    const engine = new SyncEngine({ connector: trackerWith(250), store: scoped, policy });
    const result = await engine.pull({ limit: 100 });
    expect(result.stats.pulledCreated).toBe(250);
    // Three pages, three commits: 250 issues and 250 bases did not cost 500 transactions.
    expect(scoped.commits).toBe(3);
    expect(await scoped.countIssues()).toBe(250);
    expect((await scoped.listUnsyncedIssues({ system: 'memory' })).unsynced).toEqual([]);
    expect((await scoped.getCheckpoint('memory'))?.cursor).toBeNull();
  });

  it('loses nothing and commits no partial page when a run dies mid-page', async () => {
    const scopeId = 'pages-crash';
    const connector = trackerWith(250);
    const first = store.scope(scopeId);
    const controller = new AbortController();
    let writes = 0;
    const engine = new SyncEngine({
      connector,
      store: first,
      policy,
      onProgress: (event) => {
        // Die in the middle of the second page.
        if (event.type === 'write' && ++writes === 150) controller.abort(new Error('worker died'));
      },
    });
    await expect(engine.pull({ limit: 100, signal: controller.signal })).rejects.toThrow('worker died');
    // The half page was never committed: the database holds exactly page one and its checkpoint,
    // and the batch let go of what it had staged.
    expect(first.inBatch).toBe(false);
    expect(first.pendingWrites).toBe(0);
    const observer = store.scope(scopeId);
    expect(await observer.countIssues()).toBe(100);
    expect((await observer.getCheckpoint('memory'))?.cursor).toBe('100');

    // Another run resumes from page two and converges.
    const resumed = store.scope(scopeId);
    const result = await new SyncEngine({ connector, store: resumed, policy }).sync({ limit: 100 });
    expect(result.stats.pulledCreated).toBe(150);
    expect(await resumed.countIssues()).toBe(250);
    const stored = await resumed.listIssues();
    const remote = (await connector.listIssues({ cursor: null, limit: 1000, updatedSince: null })).items;
    expect(stored.map((issue) => issue.title)).toEqual(remote.map((issue) => issue.title));
  });

  it('commits the pages of a pull without checkpoints in one transaction each, with no flush', async () => {
    const scoped = store.scope('pages-no-checkpoints');
    const engine = new SyncEngine({
      connector: trackerWith(250),
      store: scoped,
      policy,
      persistCheckpoints: false,
    });
    await engine.pull({ limit: 100 });
    expect(scoped.commits).toBe(3);
    expect(scoped.pendingWrites).toBe(0);
    expect(await store.scope('pages-no-checkpoints').countIssues()).toBe(250);
  });

  it('commits push writes at once (outside a batch nothing is staged)', async () => {
    const scopeId = 'pages-push';
    const connector = trackerWith(3);
    const scoped = store.scope(scopeId);
    const engine = new SyncEngine({ connector, store: scoped, policy: shared });
    await engine.sync();
    const local = (await scoped.getIssue(sampleIssue('0001').ref))!;
    await scoped.upsertIssue({ ...local, title: 'Edited locally' });
    const draft = sampleIssue('draft-1', { title: 'New' });
    await scoped.upsertIssue(draft);
    const again = store.scope(scopeId);
    const result = await new SyncEngine({ connector, store: again, policy: shared }).sync();
    expect(result.stats.pushedUpdated).toBe(1);
    expect(result.stats.pushedCreated).toBe(1);
    expect(again.pendingWrites).toBe(0);
    const observer = store.scope(scopeId);
    expect((await observer.listUnsyncedIssues({ system: 'memory' })).unsynced).toEqual([]);
    expect((await observer.getIssue(local.ref))?.title).toBe('Edited locally');
  });

  it('a batch that throws commits nothing, also what a listing inside it already sent', async () => {
    const scoped = store.scope('pages-throw');
    const observer = store.scope('pages-throw');
    await expect(
      scoped.batch(async () => {
        await scoped.upsertIssue(sampleIssue('x'));
        await scoped.putSyncBase(sampleIssue('x'));
        await scoped.putCheckpoint('memory', { cursor: '7', updatedSince: null });
        expect(scoped.pendingWrites).toBe(3);
        // The listing sends the staged rows to the batch's open transaction and reads them there.
        expect((await scoped.listIssues()).map((issue) => issue.ref.id)).toEqual(['x']);
        expect(await scoped.getCheckpoint('memory')).toEqual({ cursor: '7', updatedSince: null });
        expect(await observer.countIssues()).toBe(0);
        throw new Error('page failed');
      }),
    ).rejects.toThrow('page failed');
    expect(scoped.inBatch).toBe(false);
    expect(await observer.getIssue(sampleIssue('x').ref)).toBeNull();
    expect(await observer.getSyncBase(sampleIssue('x').ref)).toBeNull();
    expect(await observer.getCheckpoint('memory')).toBeNull();
    expect(scoped.commits).toBe(0);
  });

  it('commits a batch, joined by nested batches, once; reads inside see its writes', async () => {
    const scoped = store.scope('pages-nested');
    const observer = store.scope('pages-nested');
    const result = await scoped.batch(async () => {
      await scoped.upsertIssue(sampleIssue('a'));
      const inner = await scoped.batch(async () => {
        await scoped.upsertIssue(sampleIssue('b'));
        await scoped.deleteIssue(sampleIssue('a').ref);
        return scoped.countIssues();
      });
      await scoped.upsertIssue(sampleIssue('c'));
      expect(await scoped.getIssue(sampleIssue('a').ref)).toBeNull();
      expect((await scoped.listIssues()).map((issue) => issue.ref.id)).toEqual(['b', 'c']);
      expect(await observer.countIssues()).toBe(0);
      return inner;
    });
    expect(result).toBe(1);
    expect(scoped.commits).toBe(1);
    expect((await observer.listIssues()).map((issue) => issue.ref.id)).toEqual(['b', 'c']);
  });

  it('takes back the writes of a nested batch that throws, staged or already sent, when the outer catches it', async () => {
    const ids = (issues: { ref: { id: string } }[]) => issues.map((issue) => issue.ref.id);
    for (const openBefore of [false, true]) {
      const scoped = store.scope(`pages-nested-throw-${openBefore}`);
      const observer = store.scope(`pages-nested-throw-${openBefore}`);
      await scoped.batch(async () => {
        await scoped.upsertIssue(sampleIssue('a'));
        // A listing opens the batch's transaction before (or only inside) the nested call.
        if (openBefore) expect(await scoped.countIssues()).toBe(1);
        await scoped.upsertIssue(sampleIssue('b'));
        await scoped
          .batch(async () => {
            await scoped.upsertIssue(sampleIssue('c'));
            await scoped.deleteIssue(sampleIssue('a').ref);
            await scoped.putCheckpoint('memory', { cursor: 'inner', updatedSince: null });
            expect(ids(await scoped.listIssues())).toEqual(['b', 'c']);
            throw new Error('inner page failed');
          })
          .catch(() => undefined);
        expect(await scoped.getIssue(sampleIssue('c').ref)).toBeNull();
        expect(await scoped.getCheckpoint('memory')).toBeNull();
        expect(ids(await scoped.listIssues())).toEqual(['a', 'b']);
        await scoped.upsertIssue(sampleIssue('d'));
      });
      expect(ids(await observer.listIssues())).toEqual(['a', 'b', 'd']);
      expect(await observer.getCheckpoint('memory')).toBeNull();
    }
  });

  it("prefetch answers a page's getIssue/getSyncBase without a query per issue, and writes evict it", async () => {
    const scopeId = 'pages-prefetch';
    const connector = trackerWith(120);
    await new SyncEngine({ connector, store: store.scope(scopeId), policy }).pull({ limit: 100 });
    // The engine asks the store to read each pulled page ahead (it supports `prefetch`).
    const scoped = store.scope(scopeId);
    const queries: string[] = [];
    const query = store.pool.query.bind(store.pool);
    store.pool.query = ((...args: Parameters<typeof query>) => {
      queries.push(String(args[0]));
      return query(...args);
    }) as typeof store.pool.query;
    try {
      const result = await new SyncEngine({
        connector,
        store: scoped,
        policy,
        persistCheckpoints: false,
      }).pull({ limit: 100 });
      expect(result.stats.skipped).toBe(120);
      // Two pages: one read-ahead each, instead of a getIssue and a getSyncBase per issue. (A
      // full pull then also lists the stored issues and tombstones once, to find deletions.)
      expect(queries.filter((text) => text.includes('unnest($2::text[]) AS k(identity)'))).toHaveLength(2);
      expect(queries.filter((text) => /identity = \$2/.test(text))).toEqual([]);
      expect(queries.length).toBeLessThanOrEqual(4);
    } finally {
      store.pool.query = query;
    }
    const ref = sampleIssue('0001').ref;
    await scoped.prefetch([ref]);
    await scoped.upsertIssue(sampleIssue('0001', { title: 'after prefetch' }));
    expect((await scoped.getIssue(ref))?.title).toBe('after prefetch');
    expect((await store.scope(scopeId).getIssue(ref))?.title).toBe('after prefetch');
  });
});
