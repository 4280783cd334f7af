import { CanonicalIssueType, CanonicalStatus, createIssue, createRef } from '@spec-kitty/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { InMemoryConnector } from './index';

const T0 = new Date('2026-01-01T00:00:00Z');
let clock = T0.getTime();
const now = () => new Date(clock);
const ref = (id: string) => createRef({ system: 'memory', workspace: 'ws', id });

function issue(id: string) {
  return createIssue({
    ref: ref(id),
    title: `Issue ${id}`,
    status: CanonicalStatus.TODO,
    issueType: CanonicalIssueType.TASK,
  });
}

let connector: InMemoryConnector;
beforeEach(() => {
  clock = T0.getTime();
  connector = new InMemoryConnector({ name: 'memory', workspace: 'ws' }, { now });
});

describe('InMemoryConnector deletions', () => {
  it('declares reportsDeletions', async () => {
    expect((await connector.getCapabilities()).reportsDeletions).toBe(true);
  });

  it('checkGone reports removed issues with their reason, unknown refs as deleted, and omits live ones', async () => {
    for (const id of ['a', 'b', 'c']) await connector.createIssue(issue(id));
    connector.remove(ref('b'), { reason: 'archived' });
    connector.remove(ref('c'), {
      reason: 'moved',
      movedTo: createRef({ system: 'memory', workspace: 'other', id: 'c' }),
    });
    const tombstones = await connector.checkGone([ref('a'), ref('b'), ref('c'), ref('never')]);
    expect(tombstones.map((t) => [t.ref.id, t.reason, t.movedTo?.workspace ?? null])).toEqual([
      ['b', 'archived', null],
      ['c', 'moved', 'other'],
      ['never', 'deleted', null],
    ]);
    await expect(connector.getIssue(ref('b'))).rejects.toThrow(/not found/);
  });

  it('a first listing page carries the tombstones removed at or after updatedSince; later pages none', async () => {
    for (const id of ['a', 'b', 'c']) await connector.createIssue(issue(id));
    connector.remove(ref('a'));
    clock += 60_000;
    const since = now();
    connector.remove(ref('b'));
    const first = await connector.listIssues({ updatedSince: since, cursor: null, limit: 1 });
    expect(first.tombstones?.map((t) => t.ref.id)).toEqual(['b']);
    const all = await connector.listIssues({ updatedSince: null, cursor: null, limit: 1 });
    expect(all.tombstones?.map((t) => t.ref.id)).toEqual(['a', 'b']);
    expect(all.items.map((item) => item.ref.id)).toEqual(['c']);
  });

  it('an issue created again is live again', async () => {
    await connector.createIssue(issue('a'));
    connector.remove(ref('a'));
    await connector.createIssue(issue('a'));
    expect(await connector.checkGone([ref('a')])).toEqual([]);
    expect(
      (await connector.listIssues({ updatedSince: null, cursor: null, limit: 5 })).tombstones,
    ).toBeUndefined();
  });
});
