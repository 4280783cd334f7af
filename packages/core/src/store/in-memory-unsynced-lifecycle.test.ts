// InMemoryIssueStore keeps an issue and its base in one entry and tracks which issues are off
// their base lazily (issue 16): the unsynced listing must stay exact through every write.
import { describe, expect, it } from 'vitest';
import { refIdentity } from '../model/external-ref';
import { cloneIssue } from '../model/issue';
import { issue, ref } from '../sync/test-support/fixtures';
import { InMemoryIssueStore } from './in-memory-issue-store';

async function unsynced(store: InMemoryIssueStore): Promise<string[]> {
  const { unsynced: listed } = await store.listUnsyncedIssues({ system: 'memory' });
  return listed.map(({ issue: listedIssue }) => refIdentity(listedIssue.ref));
}

describe('InMemoryIssueStore unsynced tracking', () => {
  it('follows creates, bases, edits, deletions and re-creations', async () => {
    const store = new InMemoryIssueStore();
    const a = issue('A');
    const b = issue('B');
    const id = (name: string) => refIdentity(ref(name));
    await store.upsertIssue(a);
    await store.upsertIssue(b);
    expect(await unsynced(store)).toEqual([id('A'), id('B')]);
    // A pulled issue: stored, then its base (the same object).
    await store.putSyncBase(a);
    expect(await unsynced(store)).toEqual([id('B')]);
    await store.putSyncBase(b);
    expect(await unsynced(store)).toEqual([]);
    await store.upsertIssue(cloneIssue(b, { title: 'edited' }));
    expect(await unsynced(store)).toEqual([id('B')]);
    await store.deleteIssue(b.ref);
    expect(await unsynced(store)).toEqual([]);
    expect(await store.getSyncBase(b.ref)).toBe(b);
    // Back with its old content: synced again; with other content: unsynced.
    await store.upsertIssue(b);
    expect(await unsynced(store)).toEqual([]);
    await store.upsertIssue(cloneIssue(b, { title: 'again' }));
    expect(await unsynced(store)).toEqual([id('B')]);
    await store.deleteSyncBase(a.ref);
    expect(await unsynced(store)).toEqual([id('A'), id('B')]);
    await store.deleteIssue(a.ref);
    await store.deleteSyncBase(a.ref);
    expect(await store.getIssue(a.ref)).toBeNull();
    expect(await unsynced(store)).toEqual([id('B')]);
    const { total } = await store.listUnsyncedIssues({ system: 'memory' });
    expect(total).toBe(1);
    expect((await store.listIssues()).map((stored) => stored.title)).toEqual(['again']);
  });

  it('a base recorded before its issue is stored counts once the issue arrives', async () => {
    const store = new InMemoryIssueStore();
    const c = issue('C');
    await store.putSyncBase(c);
    expect(await store.listIssues()).toEqual([]);
    await store.upsertIssue(cloneIssue(c, { title: 'local' }));
    expect(await unsynced(store)).toEqual([refIdentity(c.ref)]);
  });
});
