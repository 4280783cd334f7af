import { join } from 'node:path';
import {
  createRef,
  createTombstone,
  type ExternalRef,
  supportsTombstones,
  type TombstoneRecord,
} from '@spec-kitty/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIST_UNSYNCED_SQL, SqliteIssueStore } from './sqlite-issue-store';
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

  it('survives reopening the file (every field, moved-to ref included)', async () => {
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
        db.prepare(`EXPLAIN QUERY PLAN ${LIST_UNSYNCED_SQL}`).all('github') as { detail: string }[]
      )
        .map((row) => row.detail)
        .join('\n');
      expect(detail).toMatch(/SEARCH i USING (COVERING )?INDEX issues_system \(system=\?\)/);
      expect(detail).toMatch(/SEARCH t USING PRIMARY KEY \(identity=\?\)/);
      expect(detail).not.toMatch(/SCAN t\b/);
    } finally {
      db.close();
      store = SqliteIssueStore.open(path);
    }
  });
});
