import { join } from 'node:path';
import {
  cloneIssue,
  createRef,
  createTombstone,
  type ExternalRef,
  ModelValidationError,
  supportsTombstones,
  type TombstoneRecord,
} from '@spec-kitty/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';
import { sampleIssue, tempDir } from './test-support';

let dir: string;
let cleanup: () => void;
let path: string;
let store: SqliteIssueStore;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  path = join(dir, 't.db');
  store = SqliteIssueStore.open(path);
});
afterEach(() => {
  store.close();
  cleanup();
});

const ref = (id: string, system = 'github', workspace = 'octo/hello'): ExternalRef =>
  createRef({ system, workspace, id, key: `#${id}`, url: `https://example.test/${id}` });

function record(
  id: string,
  overrides: Partial<Omit<TombstoneRecord, 'ref'>> & { system?: string } = {},
): TombstoneRecord {
  const { system, origin = 'remote', pushed = true, ...rest } = overrides;
  return {
    ...createTombstone({
      ref: ref(id, system),
      reason: rest.reason ?? 'deleted',
      movedTo: rest.movedTo ?? null,
      observedAt: rest.observedAt ?? '2026-03-01T10:00:00.000Z',
    }),
    origin,
    pushed,
  };
}

describe('tombstones', () => {
  it('is the TombstoneStore capability the engine looks for', () => {
    expect(supportsTombstones(store)).toBe(true);
  });

  it('round-trips every field, moved-to ref included, and survives reopening the file', async () => {
    const moved = record('7', {
      reason: 'moved',
      movedTo: createRef({ system: 'github', workspace: 'octo/elsewhere', id: '99', key: '#99' }),
      observedAt: '2026-03-01T12:30:00+02:00',
    });
    await store.putTombstone(moved);
    expect(await store.getTombstone(ref('7'))).toEqual(moved);
    expect(await store.getTombstone(ref('8'))).toBeNull();
    store.close();
    store = SqliteIssueStore.open(path);
    expect(await store.getTombstone(ref('7'))).toEqual(moved);
    expect(await store.listTombstones()).toEqual([moved]);
  });

  it('upserts by identity: writing the same ref again replaces the record, never duplicates it', async () => {
    await store.putTombstone(record('1', { origin: 'local', pushed: false }));
    const pushed = record('1', { origin: 'local', pushed: true, observedAt: '2026-03-02T00:00:00.000Z' });
    await store.putTombstone(pushed);
    await store.putTombstone(pushed);
    expect(await store.listTombstones()).toEqual([pushed]);
  });

  it('keeps the issue row and its sync base, and no longer lists the issue as unsynced', async () => {
    const edited = sampleIssue('1');
    const base = cloneIssue(edited, { title: 'before the local edit' });
    await store.upsertIssue(edited);
    await store.putSyncBase(base);
    await store.upsertIssue(sampleIssue('2'));
    expect(
      (await store.listUnsyncedIssues({ system: 'github' })).unsynced.map((u) => u.issue.ref.id),
    ).toEqual(['1', '2']);
    await store.putTombstone(record('1'));
    await store.putTombstone(record('2', { origin: 'local', pushed: false }));
    expect(await store.listUnsyncedIssues({ system: 'github' })).toEqual({ unsynced: [], total: 2 });
    expect(await store.getIssue(edited.ref)).toEqual(edited);
    expect((await store.getSyncBase(edited.ref))?.title).toBe('before the local edit');
    expect(await store.countIssues()).toBe(2);
  });

  it('lists oldest first by the instant observed (whatever the offset), then identity, with filters', async () => {
    const late = record('a', { observedAt: '2026-03-01T12:00:00.000Z' });
    // 11:00Z written with an offset: a text sort would put it after `late`.
    const early = record('b', { observedAt: '2026-03-01T13:00:00+02:00', origin: 'local', pushed: false });
    const tieLow = record('c', { observedAt: '2026-03-01T12:00:00.000Z', origin: 'local', pushed: true });
    const gitlab = record('d', {
      system: 'gitlab',
      observedAt: '2026-02-01T00:00:00.000Z',
      reason: 'archived',
    });
    for (const tombstone of [late, early, tieLow, gitlab]) await store.putTombstone(tombstone);
    const ids = async (query?: Parameters<SqliteIssueStore['listTombstones']>[0]) =>
      (await store.listTombstones(query)).map((t) => `${t.ref.system}:${t.ref.id}`);
    expect(await ids()).toEqual(['gitlab:d', 'github:b', 'github:a', 'github:c']);
    expect(await ids({ system: 'github' })).toEqual(['github:b', 'github:a', 'github:c']);
    expect(await ids({ origin: 'local' })).toEqual(['github:b', 'github:c']);
    expect(await ids({ origin: 'local', pushed: false })).toEqual(['github:b']);
    expect(await ids({ pushed: true })).toEqual(['gitlab:d', 'github:a', 'github:c']);
    expect(await ids({ system: 'gitlab', origin: 'remote', pushed: true })).toEqual(['gitlab:d']);
    expect(await ids({ system: 'jira' })).toEqual([]);
  });

  it('rejects an invalid record with a typed error and writes nothing', async () => {
    const bad = { ...record('1'), reason: 'vanished' } as unknown as TombstoneRecord;
    await expect(store.putTombstone(bad)).rejects.toSatisfy((error) =>
      ModelValidationError.isInstance(error),
    );
    await expect(
      store.putTombstone({ ...record('2'), origin: 'elsewhere' } as unknown as TombstoneRecord),
    ).rejects.toThrow(/origin must be 'remote' or 'local'/);
    expect(await store.listTombstones()).toEqual([]);
  });

  it('commits with the page in a batch, and rolls back with it', async () => {
    const reader = SqliteIssueStore.open(path, { readonly: true });
    try {
      await store.batch(async () => {
        await store.upsertIssue(sampleIssue('1'));
        await store.putTombstone(record('2'));
        expect(await reader.listTombstones()).toEqual([]);
        expect(await store.getTombstone(ref('2'))).not.toBeNull();
      });
      expect(await reader.getTombstone(ref('2'))).not.toBeNull();
      await expect(
        store.batch(async () => {
          await store.putTombstone(record('3'));
          await store.upsertIssue(sampleIssue('3'));
          throw new Error('page failed');
        }),
      ).rejects.toThrow('page failed');
      expect(await reader.getTombstone(ref('3'))).toBeNull();
      expect(await reader.getIssue(ref('3'))).toBeNull();
    } finally {
      reader.close();
    }
  });

  it('skips tombstoned issues in the unsynced listing by a key lookup, not a scan of the tombstones', () => {
    store.close();
    const db = new Database(path, { readonly: true });
    try {
      const detail = (
        db
          .prepare(
            `EXPLAIN QUERY PLAN SELECT i.identity FROM issues i LEFT JOIN sync_bases b ON b.identity = i.identity
             WHERE i.system = ? AND (b.identity IS NULL OR i.content_key <> b.content_key)
               AND NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.identity = i.identity) ORDER BY i.identity`,
          )
          .all('github') as { detail: string }[]
      )
        .map((row) => row.detail)
        .join('\n');
      expect(detail).toMatch(/USING COVERING INDEX issues_system \(system=\?\)/);
      expect(detail).toMatch(/SEARCH t USING PRIMARY KEY \(identity=\?\)/);
      expect(detail).not.toMatch(/SCAN t\b/);
    } finally {
      db.close();
      store = SqliteIssueStore.open(path);
    }
  });
});
