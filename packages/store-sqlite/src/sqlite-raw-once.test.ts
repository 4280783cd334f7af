import { join } from 'node:path';
import { cloneIssue, issuesEqual, issueToJSON, refIdentity } from '@spec-kitty/core';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';
import { migrate } from './sqlite-migrations';
import { sampleIssue, storesInTempDir } from './test-support';

const { openStore, dir, track } = storesInTempDir();

const MARKER = `vendor-marker-${'x'.repeat(64)}`;

function withRaw(id: string, note = MARKER) {
  return sampleIssue(id, { raw: { number: Number(id), body_html: note, user: { login: 'ada' } } });
}

/** How many stored columns (issues and sync bases, payload or raw) contain `text`. */
function copiesOf(path: string, text: string): number {
  const db = new Database(path, { readonly: true });
  try {
    const count = (table: string) => {
      const columns = (db.pragma(`table_info(${table})`) as { name: string }[]).map((column) => column.name);
      const texts = columns.includes('raw')
        ? `SELECT payload AS t FROM ${table} UNION ALL SELECT raw FROM ${table}`
        : `SELECT payload AS t FROM ${table}`;
      return (
        db.prepare(`SELECT COUNT(*) AS n FROM (${texts}) WHERE instr(t, ?) > 0`).get(text) as { n: number }
      ).n;
    };
    return count('issues') + count('sync_bases');
  } finally {
    db.close();
  }
}

describe('raw vendor JSON is stored once', () => {
  it('shares the raw of an issue and its sync base written from the same pull', async () => {
    const store = openStore();
    const issue = withRaw('1');
    await store.upsertIssue(issue);
    await store.putSyncBase(issue);
    expect(copiesOf(store.path, MARKER)).toBe(1);
    expect(issuesEqual((await store.getSyncBase(issue.ref))!, issue)).toBe(true);
    expect(issuesEqual((await store.getIssue(issue.ref))!, issue)).toBe(true);
    // Equal raw that is not the same object (e.g. a base recorded by a later run) is shared too.
    await store.putSyncBase(cloneIssue(issue, { title: 'base title', raw: { ...issue.raw } }));
    expect(copiesOf(store.path, MARKER)).toBe(1);
    expect((await store.getSyncBase(issue.ref))?.title).toBe('base title');
  });

  it('keeps a base raw of its own when it differs from the issue or the issue is absent', async () => {
    const store = openStore();
    const base = withRaw('2', `${MARKER}-base`);
    await store.putSyncBase(base);
    expect(issuesEqual((await store.getSyncBase(base.ref))!, base)).toBe(true);
    const issue = withRaw('2', `${MARKER}-issue`);
    await store.upsertIssue(issue);
    expect(issuesEqual((await store.getSyncBase(base.ref))!, base)).toBe(true);
    await store.putSyncBase(issue);
    expect(copiesOf(store.path, `${MARKER}-issue`)).toBe(1);
    expect(copiesOf(store.path, `${MARKER}-base`)).toBe(0);
  });

  it('gives a base that shared its raw a copy of its own when the issue is deleted', async () => {
    const store = openStore();
    const issue = withRaw('3');
    await store.upsertIssue(issue);
    await store.putSyncBase(issue);
    await store.deleteIssue(issue.ref);
    expect(await store.getIssue(issue.ref)).toBeNull();
    expect(issuesEqual((await store.getSyncBase(issue.ref))!, issue)).toBe(true);
  });

  it('lists unsynced issues with their bases, raw included', async () => {
    const store = openStore();
    const issue = withRaw('4');
    await store.upsertIssue(issue);
    await store.putSyncBase(issue);
    const edited = cloneIssue(issue, { title: 'edited locally' });
    await store.upsertIssue(edited);
    const { unsynced, total } = await store.listUnsyncedIssues({ system: 'github' });
    expect(total).toBe(1);
    expect(unsynced).toHaveLength(1);
    expect(issuesEqual(unsynced[0]!.issue, edited)).toBe(true);
    expect(unsynced[0]!.base?.raw).toEqual(issue.raw);
  });

  it('migrates a schema-5 store: raw moves to its own column, a base equal to its issue shares it', async () => {
    const path = join(dir(), 'v5.db');
    const db = new Database(path);
    migrate(db, { target: 5 });
    const issue = withRaw('5');
    const otherBase = withRaw('6', `${MARKER}-old-base`);
    const insertIssue = db.prepare(
      'INSERT INTO issues (identity, system, workspace, external_id, issue_key, updated_at, payload, content_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const stored of [issue, withRaw('6')]) {
      insertIssue.run(
        refIdentity(stored.ref),
        'github',
        'octo/hello',
        stored.ref.id,
        stored.ref.key,
        null,
        JSON.stringify(issueToJSON(stored)),
        'old-key',
      );
    }
    const insertBase = db.prepare('INSERT INTO sync_bases (identity, payload, content_key) VALUES (?, ?, ?)');
    insertBase.run(refIdentity(issue.ref), JSON.stringify(issueToJSON(issue)), 'old-key');
    insertBase.run(refIdentity(otherBase.ref), JSON.stringify(issueToJSON(otherBase)), 'old-key');
    db.close();
    // Before: the raw of issue 5 twice (issue and base), of issue 6 and of its older base once each.
    expect(copiesOf(path, MARKER)).toBe(4);

    const store = SqliteIssueStore.open(path);
    track(store);
    // After: issue 5's raw once (its base shares it), issue 6's and its different base's raw once each.
    expect(copiesOf(path, MARKER)).toBe(3);
    expect(copiesOf(path, `${MARKER}-old-base`)).toBe(1);
    expect(issuesEqual((await store.getIssue(issue.ref))!, issue)).toBe(true);
    expect(issuesEqual((await store.getSyncBase(issue.ref))!, issue)).toBe(true);
    expect(issuesEqual((await store.getSyncBase(otherBase.ref))!, otherBase)).toBe(true);
    // Content keys were recomputed: issue 5 equals its base, issue 6 differs from its base.
    const { unsynced } = await store.listUnsyncedIssues({ system: 'github' });
    expect(unsynced.map(({ issue: listed }) => listed.ref.id)).toEqual([]);
    await store.upsertIssue(cloneIssue(issue, { title: 'changed' }));
    expect(
      (await store.listUnsyncedIssues({ system: 'github' })).unsynced.map((u) => u.issue.ref.id),
    ).toEqual(['5']);
  });
});
