// A sync base equal to its issue shares the issue's payload (schema 10); triggers give it a copy
// of its own before the issue changes or goes, so a base never changes with its issue.
import { join } from 'node:path';
import { cloneIssue, issuesEqual, issueToJSON, refIdentity } from '@spec-kitty/core';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';
import { migrate } from './sqlite-migrations';
import { sampleIssue, storesInTempDir } from './test-support';

const { openStore, dir, track } = storesInTempDir();

const MARKER = `payload-marker-${'y'.repeat(48)}`;

/** How many payload columns (issues and sync bases) hold `text`. */
function payloadCopies(path: string, text: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db
        .prepare(
          `SELECT COUNT(*) AS n FROM (SELECT payload AS t FROM issues UNION ALL SELECT payload FROM sync_bases)
           WHERE instr(t, ?) > 0`,
        )
        .get(text) as { n: number }
    ).n;
  } finally {
    db.close();
  }
}

const marked = (id: string, title = `${MARKER} ${id}`) => sampleIssue(id, { title, raw: null });

describe('a sync base equal to its issue shares its payload', () => {
  it('stores the payload once for an issue and its base written from one pull, in a batch or not', async () => {
    const store = openStore();
    const inBatch = marked('1');
    await store.batch(async () => {
      await store.upsertIssue(inBatch);
      await store.putSyncBase(inBatch);
    });
    const alone = marked('2');
    await store.upsertIssue(alone);
    // An equal issue that is not the same object (a base recorded by a later run) shares too.
    await store.putSyncBase(marked('2'));
    expect(payloadCopies(store.path, MARKER)).toBe(2);
    for (const issue of [inBatch, alone]) {
      expect(issuesEqual((await store.getSyncBase(issue.ref))!, issue)).toBe(true);
    }
    expect(await store.listUnsyncedIssues({ system: 'github' })).toEqual({ unsynced: [], total: 2 });
  });

  it('keeps the base as it was when the issue changes or is deleted afterwards', async () => {
    const store = openStore();
    const issue = marked('3');
    await store.upsertIssue(issue);
    await store.putSyncBase(issue);
    const edited = cloneIssue(issue, { title: 'edited locally' });
    await store.upsertIssue(edited);
    expect(issuesEqual((await store.getSyncBase(issue.ref))!, issue)).toBe(true);
    const { unsynced } = await store.listUnsyncedIssues({ system: 'github' });
    expect(unsynced).toHaveLength(1);
    expect(issuesEqual(unsynced[0]!.issue, edited)).toBe(true);
    expect(issuesEqual(unsynced[0]!.base!, issue)).toBe(true);

    const other = marked('4');
    await store.batch(async () => {
      await store.upsertIssue(other);
      await store.putSyncBase(other);
      await store.deleteIssue(other.ref);
    });
    expect(await store.getIssue(other.ref)).toBeNull();
    expect(issuesEqual((await store.getSyncBase(other.ref))!, other)).toBe(true);
  });

  it('stores a payload of its own for a base that differs from the issue', async () => {
    const store = openStore();
    const issue = marked('5');
    await store.upsertIssue(issue);
    const base = cloneIssue(issue, { title: `${MARKER} base of 5` });
    await store.putSyncBase(base);
    expect(payloadCopies(store.path, MARKER)).toBe(2);
    expect(issuesEqual((await store.getSyncBase(issue.ref))!, base)).toBe(true);
  });

  it('never shares with an issue write that a failed transaction took back', async () => {
    const store = openStore();
    const stored = marked('6');
    const rolledBack = cloneIssue(stored, { title: `${MARKER} rolled back` });
    await store.batch(async () => {
      await store.upsertIssue(stored);
      expect(() =>
        store.transaction(() => {
          void store.upsertIssue(rolledBack);
          throw new Error('step failed');
        }),
      ).toThrow('step failed');
      await store.putSyncBase(rolledBack);
    });
    expect(issuesEqual((await store.getIssue(stored.ref))!, stored)).toBe(true);
    expect(issuesEqual((await store.getSyncBase(stored.ref))!, rolledBack)).toBe(true);

    const takenBack = cloneIssue(stored, { title: `${MARKER} nested batch taken back` });
    await store.batch(async () => {
      await store
        .batch(async () => {
          await store.upsertIssue(takenBack);
          throw new Error('inner page failed');
        })
        .catch(() => undefined);
      await store.putSyncBase(takenBack);
    });
    expect(issuesEqual((await store.getIssue(stored.ref))!, stored)).toBe(true);
    expect(issuesEqual((await store.getSyncBase(stored.ref))!, takenBack)).toBe(true);
  });

  it('migrates a schema-9 store: bases equal to their issue share its payload, others keep theirs', async () => {
    const path = join(dir(), 'v9.db');
    const db = new Database(path);
    migrate(db, { target: 9 });
    const same = marked('7');
    const differs = marked('8');
    const olderBase = cloneIssue(differs, { title: `${MARKER} older 8` });
    const insertIssue = db.prepare(
      `INSERT INTO issues (identity, system, workspace, external_id, issue_key, updated_at, payload, raw, stored_at, content_key)
       VALUES (?, 'github', 'octo/hello', ?, ?, NULL, ?, NULL, '2026-01-01T00:00:00.000Z', 'key')`,
    );
    const insertBase = db.prepare(
      `INSERT INTO sync_bases (identity, payload, raw, raw_shared, content_key) VALUES (?, ?, NULL, 0, 'key')`,
    );
    const payload = (issue: typeof same) => JSON.stringify({ ...issueToJSON(issue), raw: undefined });
    for (const issue of [same, differs]) {
      insertIssue.run(refIdentity(issue.ref), issue.ref.id, issue.ref.key, payload(issue));
    }
    insertBase.run(refIdentity(same.ref), payload(same));
    insertBase.run(refIdentity(differs.ref), payload(olderBase));
    db.close();
    expect(payloadCopies(path, MARKER)).toBe(4);

    const store = SqliteIssueStore.open(path);
    track(store);
    expect(payloadCopies(path, MARKER)).toBe(3);
    expect(issuesEqual((await store.getSyncBase(same.ref))!, same)).toBe(true);
    expect(issuesEqual((await store.getSyncBase(differs.ref))!, olderBase)).toBe(true);
    await store.upsertIssue(cloneIssue(same, { title: 'changed after the upgrade' }));
    expect(issuesEqual((await store.getSyncBase(same.ref))!, same)).toBe(true);
  });
});
