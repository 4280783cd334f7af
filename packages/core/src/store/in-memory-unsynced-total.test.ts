// `listUnsyncedIssues` reports the total of a system from a count kept on every write: a no-op
// push lists nothing and walks no stored issue. The walk is counted by watching Map iteration.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CanonicalIssueType, CanonicalStatus } from '../model/enums';
import { createRef } from '../model/external-ref';
import { createIssue } from '../model/issue';
import { InMemoryIssueStore } from './in-memory-issue-store';

function issue(system: string, id: string, title = `Issue ${id}`) {
  return createIssue({
    ref: createRef({ system, workspace: 'w', id }),
    title,
    status: CanonicalStatus.TODO,
    issueType: CanonicalIssueType.TASK,
  });
}

/** Counts iterations started over maps holding at least `size` entries while `fn` runs. */
async function mapWalks(size: number, fn: () => Promise<unknown>): Promise<number> {
  let walks = 0;
  const count = (name: 'values' | 'keys' | 'entries' | 'forEach' | typeof Symbol.iterator) => {
    const original = Map.prototype[name] as (...args: unknown[]) => unknown;
    vi.spyOn(Map.prototype, name).mockImplementation(function (
      this: Map<unknown, unknown>,
      ...args: unknown[]
    ) {
      if (this.size >= size) walks += 1;
      return original.apply(this, args);
    } as never);
  };
  count('values');
  count('keys');
  count('entries');
  count('forEach');
  count(Symbol.iterator);
  try {
    await fn();
  } finally {
    vi.restoreAllMocks();
  }
  return walks;
}

afterEach(() => vi.restoreAllMocks());

describe('InMemoryIssueStore unsynced total', () => {
  it('counts issues per system without walking the stored issues', async () => {
    const store = new InMemoryIssueStore();
    for (let index = 0; index < 200; index += 1) {
      const stored = issue('memory', `M-${index}`);
      await store.upsertIssue(stored);
      await store.putSyncBase(stored);
    }
    await store.upsertIssue(issue('github', 'G-1'));
    await store.upsertIssue(issue('github', 'G-2'));

    let listed: Awaited<ReturnType<InMemoryIssueStore['listUnsyncedIssues']>> | undefined;
    expect(
      await mapWalks(100, async () => {
        listed = await store.listUnsyncedIssues({ system: 'memory' });
      }),
    ).toBe(0);
    expect(listed).toEqual({ unsynced: [], total: 200 });
    expect((await store.listUnsyncedIssues({ system: 'github' })).total).toBe(2);
    expect((await store.listUnsyncedIssues({ system: 'jira' })).total).toBe(0);
  });

  it('keeps the count true across replacements and deletes', async () => {
    const store = new InMemoryIssueStore();
    await store.upsertIssue(issue('memory', '1'));
    await store.upsertIssue(issue('memory', '1', 'renamed'));
    await store.upsertIssue(issue('memory', '2'));
    expect((await store.listUnsyncedIssues({ system: 'memory' })).total).toBe(2);
    await store.deleteIssue(createRef({ system: 'memory', workspace: 'w', id: '1' }));
    await store.deleteIssue(createRef({ system: 'memory', workspace: 'w', id: '1' }));
    await store.deleteIssue(createRef({ system: 'memory', workspace: 'w', id: 'absent' }));
    const after = await store.listUnsyncedIssues({ system: 'memory' });
    expect(after.total).toBe(1);
    expect(after.unsynced.map((entry) => entry.issue.ref.id)).toEqual(['2']);
  });
});
