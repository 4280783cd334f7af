import { join } from 'node:path';
import { cloneIssue, createRef, issueToJSON, refIdentity, supportsUnsyncedListing } from '@spec-kitty/core';
import { contentEqual } from '@spec-kitty/core/internal';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';
import { migrate } from './sqlite-migrations';
import { sampleIssue, tempDir } from './test-support';

let dir: string;
let cleanup: () => void;
let store: SqliteIssueStore;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  store = SqliteIssueStore.open(join(dir, 'u.db'));
});
afterEach(() => {
  store.close();
  cleanup();
});

const ids = async (system = 'github') =>
  (await store.listUnsyncedIssues({ system })).unsynced.map((entry) => entry.issue.ref.id);

describe('listUnsyncedIssues', () => {
  it('is advertised to the engine', () => {
    expect(supportsUnsyncedListing(store)).toBe(true);
  });

  it('lists issues without a base or whose content moved off it, with their base', async () => {
    const a = sampleIssue('a');
    const b = sampleIssue('b');
    await store.upsertIssue(a);
    await store.upsertIssue(b);
    expect(await ids()).toEqual(['a', 'b']);
    await store.putSyncBase(a);
    await store.putSyncBase(b);
    expect(await ids()).toEqual([]);
    await store.upsertIssue(cloneIssue(b, { title: 'edited' }));
    const { unsynced, total } = await store.listUnsyncedIssues({ system: 'github' });
    expect(total).toBe(2);
    expect(unsynced).toHaveLength(1);
    expect(unsynced[0]?.issue.title).toBe('edited');
    expect(unsynced[0]?.base?.title).toBe('Issue b');
    await store.deleteSyncBase(a.ref);
    expect(await ids()).toEqual(['a', 'b']);
  });

  it('ignores timestamps, raw and label/assignee order, like the engine', async () => {
    const a = sampleIssue('a');
    await store.upsertIssue(a);
    await store.putSyncBase(a);
    await store.upsertIssue(
      cloneIssue(a, {
        updatedAt: new Date(),
        raw: { other: true },
        labels: [...a.labels].reverse(),
        assignees: [...a.assignees].reverse(),
        customFields: { nested: { a: [1, 'two', null, true] }, points: 3 },
      }),
    );
    expect(await ids()).toEqual([]);
  });

  it('never misses an issue the engine would consider unsynced (random edits)', async () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    for (let step = 0; step < 200; step++) {
      const id = String(random(8));
      const system = random(4) === 0 ? 'jira' : 'github';
      const issue = sampleIssue(id, {
        ref: createRef({ system, workspace: 'w', id }),
        title: `t${random(3)}`,
        labels: random(2) ? ['x', 'y'] : ['y', 'x'],
        priority: random(2),
      });
      const op = random(4);
      if (op === 0) await store.putSyncBase(issue);
      else if (op === 1) await store.deleteSyncBase(issue.ref);
      else if (op === 2) await store.deleteIssue(issue.ref);
      else await store.upsertIssue(issue);
    }
    for (const system of ['github', 'jira']) {
      const listed = new Set(
        (await store.listUnsyncedIssues({ system })).unsynced.map((entry) => refIdentity(entry.issue.ref)),
      );
      for (const issue of await store.listIssues({ system })) {
        const base = await store.getSyncBase(issue.ref);
        const expected = base === null || !contentEqual(issue, base);
        expect(listed.has(refIdentity(issue.ref)), refIdentity(issue.ref)).toBe(expected);
      }
    }
  });

  it('backfills content keys for rows written before schema version 4', async () => {
    const path = join(dir, 'v3.db');
    const db = new Database(path);
    migrate(db, { target: 3 });
    const issue = sampleIssue('9');
    const payload = JSON.stringify(issueToJSON(issue));
    db.prepare(
      'INSERT INTO issues (identity, system, workspace, external_id, issue_key, updated_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(refIdentity(issue.ref), 'github', 'octo/hello', '9', '#9', null, payload);
    db.prepare('INSERT INTO sync_bases (identity, payload) VALUES (?, ?)').run(
      refIdentity(issue.ref),
      payload,
    );
    db.close();
    const upgraded = SqliteIssueStore.open(path);
    try {
      expect(await upgraded.listUnsyncedIssues({ system: 'github' })).toEqual({ unsynced: [], total: 1 });
    } finally {
      upgraded.close();
    }
  });
});
