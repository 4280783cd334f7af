// The in-memory store keeps tombstones beside the issue (never deleting it), and a tombstoned
// issue is not listed as unsynced, so its local edits are never pushed.
import { describe, expect, it } from 'vitest';
import { ModelValidationError } from '../errors/errors';
import { CanonicalIssueType, CanonicalStatus } from '../model/enums';
import { createRef } from '../model/external-ref';
import { createIssue } from '../model/issue';
import { InMemoryIssueStore } from './in-memory-issue-store';
import { supportsTombstones, type TombstoneRecord } from './issue-store';

const ref = (id: string, system = 'github') => createRef({ system, workspace: 'o/r', id });

function record(id: string, init: Partial<TombstoneRecord> = {}): TombstoneRecord {
  return {
    ref: ref(id),
    reason: 'deleted',
    movedTo: null,
    observedAt: '2026-01-01T00:00:00Z',
    origin: 'remote',
    pushed: true,
    ...init,
  };
}

describe('InMemoryIssueStore tombstones', () => {
  it('is detected as a TombstoneStore', () => {
    expect(supportsTombstones(new InMemoryIssueStore())).toBe(true);
    expect(supportsTombstones({} as never)).toBe(false);
  });

  it('keeps the issue and hides it from the unsynced listing', async () => {
    const store = new InMemoryIssueStore();
    const issue = createIssue({
      ref: ref('1'),
      title: 'A',
      status: CanonicalStatus.TODO,
      issueType: CanonicalIssueType.TASK,
    });
    await store.upsertIssue(issue);
    expect((await store.listUnsyncedIssues({ system: 'github' })).unsynced).toHaveLength(1);
    await store.putTombstone(record('1', { origin: 'local', pushed: false }));
    expect(await store.getIssue(ref('1'))).not.toBeNull();
    expect(await store.listUnsyncedIssues({ system: 'github' })).toEqual({ unsynced: [], total: 1 });
    expect(await store.getTombstone(ref('1'))).toMatchObject({ origin: 'local', pushed: false });
  });

  it('upserts by identity and lists oldest first, then by identity, with filters', async () => {
    const store = new InMemoryIssueStore();
    await store.putTombstone(record('2', { observedAt: '2026-01-02T00:00:00Z' }));
    await store.putTombstone(record('b', { origin: 'local', pushed: false }));
    await store.putTombstone(record('a'));
    await store.putTombstone(record('b', { origin: 'local', pushed: true }));
    await store.putTombstone(record('9', { ref: ref('9', 'jira') }));
    const ids = (list: TombstoneRecord[]) => list.map((item) => `${item.ref.system}:${item.ref.id}`);
    expect(ids(await store.listTombstones())).toEqual(['github:a', 'github:b', 'jira:9', 'github:2']);
    expect(ids(await store.listTombstones({ system: 'github', origin: 'local' }))).toEqual(['github:b']);
    expect(ids(await store.listTombstones({ pushed: false }))).toEqual([]);
  });

  it('rejects a record without a valid origin or pushed flag', async () => {
    const store = new InMemoryIssueStore();
    await expect(store.putTombstone(record('1', { origin: 'elsewhere' as never }))).rejects.toThrow(
      ModelValidationError,
    );
    await expect(store.putTombstone(record('1', { pushed: 'yes' as never }))).rejects.toThrow(
      ModelValidationError,
    );
  });
});
