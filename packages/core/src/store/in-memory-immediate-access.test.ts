// The engine reads and writes an InMemoryIssueStore without a promise per call (issue 16), but
// only while the store's promise methods are its own: a subclass that overrides one (to log,
// persist or fail) must keep seeing every call, and a dry run must not write at all.
import { describe, expect, it } from 'vitest';
import type { ExternalRef } from '../model/external-ref';
import { cloneIssue } from '../model/issue';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { SyncEngine } from '../sync/sync-engine';
import { FakeTracker } from '../sync/test-support/fake-tracker';
import { issue, ref } from '../sync/test-support/fixtures';

const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

import { InMemoryIssueStore, immediateAccessOf } from './in-memory-issue-store';

describe('immediateAccessOf', () => {
  it('reads and writes what the promise methods read and write', async () => {
    const store = new InMemoryIssueStore();
    const access = immediateAccessOf(store);
    expect(access).not.toBeNull();
    const a = issue('A');
    access?.upsertIssue(a);
    expect(await store.getIssue(a.ref)).toEqual(a);
    expect(access?.getSyncBase(a.ref)).toBeNull();
    access?.putSyncBase(a);
    expect(await store.getSyncBase(a.ref)).toEqual(a);
    await store.upsertIssue(cloneIssue(a, { title: 'edited' }));
    expect(access?.getIssue(a.ref)?.title).toBe('edited');
    expect((await store.listUnsyncedIssues({ system: 'memory' })).unsynced).toHaveLength(1);
    expect(access?.getIssue(ref('missing'))).toBeNull();
  });

  it('putSynced stores an issue as its own base, and every later write sees both', async () => {
    const store = new InMemoryIssueStore();
    const access = immediateAccessOf(store);
    const [a, b, c] = [issue('A'), issue('B'), issue('C')];
    for (const pulled of [c, a, b]) access?.putSynced(pulled);
    const unsynced = async () =>
      (await store.listUnsyncedIssues({ system: 'memory' })).unsynced.map(
        ({ issue: listed }) => listed.ref.id,
      );
    expect((await store.listIssues()).map((listed) => listed.ref.id)).toEqual(['A', 'B', 'C']);
    expect(await store.getSyncBase(a.ref)).toBe(await store.getIssue(a.ref));
    expect(await unsynced()).toEqual([]);
    // The same issue again changes nothing; an edit is off its base until the base follows.
    await store.upsertIssue(a);
    expect(await unsynced()).toEqual([]);
    const edited = cloneIssue(a, { title: 'edited' });
    await store.upsertIssue(edited);
    expect(await unsynced()).toEqual(['A']);
    expect((await store.getSyncBase(a.ref))?.title).toBe(a.title);
    access?.putSynced(edited);
    expect(await unsynced()).toEqual([]);
    // A base replaced under a synced issue, a base forgotten, an issue deleted (its base stays).
    await store.putSyncBase(cloneIssue(b, { title: 'older' }));
    await store.deleteSyncBase(c.ref);
    expect(await unsynced()).toEqual(['B', 'C']);
    access?.putSynced(issue('D'));
    await store.deleteIssue(ref('D'));
    expect(await store.getIssue(ref('D'))).toBeNull();
    expect((await store.getSyncBase(ref('D')))?.ref.id).toBe('D');
    expect((await store.listIssues()).map((listed) => listed.ref.id)).toEqual(['A', 'B', 'C']);
    expect((await store.listUnsyncedIssues({ system: 'memory' })).total).toBe(3);
  });

  it('is null for another store and for a subclass overriding a read or a write', () => {
    expect(immediateAccessOf({ getIssue: async () => null })).toBeNull();
    class Logged extends InMemoryIssueStore {
      override async getSyncBase(issueRef: ExternalRef) {
        return super.getSyncBase(issueRef);
      }
    }
    expect(immediateAccessOf(new Logged())).toBeNull();
    class Unchanged extends InMemoryIssueStore {}
    expect(immediateAccessOf(new Unchanged())).not.toBeNull();
  });

  it('leaves a subclass override in the path of every pulled issue', async () => {
    const written: string[] = [];
    class Logged extends InMemoryIssueStore {
      override upsertIssue(stored: Parameters<InMemoryIssueStore['upsertIssue']>[0]) {
        written.push(stored.ref.id);
        return super.upsertIssue(stored);
      }
    }
    const connector = new FakeTracker();
    for (const id of ['A', 'B', 'C']) connector.seed(issue(id));
    const store = new Logged();
    const result = await new SyncEngine({ connector, store, policy }).pull();
    expect(result.stats.pulledCreated).toBe(3);
    expect(written).toEqual(['A', 'B', 'C']);
  });

  it('is not used by a dry run, which leaves the store as it was', async () => {
    const connector = new FakeTracker();
    connector.seed(issue('A'));
    const store = new InMemoryIssueStore();
    const planned = await new SyncEngine({ connector, store, policy }).plan();
    expect(planned.writes.some((write) => write.target === 'local')).toBe(true);
    expect(await store.listIssues()).toEqual([]);
    expect(await store.getSyncBase(ref('A'))).toBeNull();
  });

  it('writes pulled issues and their bases, and reports each local write to observers', async () => {
    const connector = new FakeTracker();
    for (const id of ['A', 'B']) connector.seed(issue(id));
    const store = new InMemoryIssueStore();
    const events: string[] = [];
    await new SyncEngine({
      connector,
      store,
      policy,
      onProgress: (event) => {
        if (event.type === 'write')
          events.push(`${event.write.target} ${event.write.action} ${event.write.ref.id}`);
      },
    }).pull();
    expect(events).toEqual(['local create A', 'local create B']);
    expect((await store.getSyncBase(ref('A')))?.title).toBe((await store.getIssue(ref('A')))?.title);
    expect((await store.listUnsyncedIssues({ system: 'memory' })).unsynced).toEqual([]);
  });
});
