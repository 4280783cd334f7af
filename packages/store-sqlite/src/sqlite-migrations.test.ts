import { join } from 'node:path';
import { createTombstone, issueToJSON, refIdentity } from '@spec-kitty/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';
import { LATEST_SCHEMA_VERSION, migrate, readSchemaVersion, SQLITE_MIGRATIONS } from './sqlite-migrations';
import { SqliteStoreError } from './store-errors';
import { sampleIssue, tempDir } from './test-support';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

describe('schema migrations', () => {
  it('numbers steps 1..N without gaps', () => {
    expect(SQLITE_MIGRATIONS.map((m) => m.version)).toEqual(SQLITE_MIGRATIONS.map((_, index) => index + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(SQLITE_MIGRATIONS.length);
  });

  it('upgrades a version-1 database written by an older release without losing data', async () => {
    const path = join(dir, 'old.db');
    const db = new Database(path);
    expect(migrate(db, { target: 1 })).toEqual([1]);
    const issue = sampleIssue('42');
    // What release 1 wrote: the issues table only, no stored_at column.
    db.prepare(
      'INSERT INTO issues (identity, system, workspace, external_id, issue_key, updated_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(
      refIdentity(issue.ref),
      'github',
      'octo/hello',
      '42',
      '#42',
      null,
      JSON.stringify(issueToJSON(issue)),
    );
    expect(() => db.prepare('SELECT stored_at FROM issues').all()).toThrow(/no such column/);
    expect(readSchemaVersion(db)).toBe(1);
    db.close();

    const store = SqliteIssueStore.open(path);
    try {
      expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(await store.getIssue(issue.ref)).toEqual(issue);
      await store.addMapping('WP01', issue.ref);
      await store.putCheckpoint('github:octo/hello', { cursor: 'x', updatedSince: null });
      expect(await store.listMappings()).toHaveLength(1);
    } finally {
      store.close();
    }
    const check = new Database(path, { readonly: true });
    const versions = check.prepare('SELECT version FROM schema_version ORDER BY version').all();
    check.close();
    expect(versions).toEqual(SQLITE_MIGRATIONS.map((m) => ({ version: m.version })));
  });

  it('upgrades a version-7 store to 8 (tombstones) keeping its issues, bases and unsynced listing', async () => {
    const path = join(dir, 'v7.db');
    const db = new Database(path);
    migrate(db, { target: 7 });
    db.close();
    const issue = sampleIssue('42');
    const edited = sampleIssue('43');
    // Rows as a version-7 release wrote them (raw in its column, the base sharing it), keys unset.
    const v7 = new Database(path);
    expect(readSchemaVersion(v7)).toBe(7);
    expect(v7.prepare("SELECT name FROM sqlite_master WHERE name = 'tombstones'").get()).toBeUndefined();
    v7.close();
    const raw = new Database(path);
    for (const each of [issue, edited]) {
      raw
        .prepare(
          `INSERT INTO issues (identity, system, workspace, external_id, issue_key, updated_at, payload, raw, stored_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          refIdentity(each.ref),
          'github',
          'octo/hello',
          each.ref.id,
          each.ref.key,
          null,
          JSON.stringify({ ...issueToJSON(each), raw: undefined }),
          JSON.stringify(each.raw),
          '2026-01-01T00:00:00.000Z',
        );
      raw.prepare('INSERT INTO sync_bases (identity, payload, raw, raw_shared) VALUES (?, ?, NULL, 1)').run(
        refIdentity(each.ref),
        JSON.stringify({
          ...issueToJSON(each === edited ? { ...each, title: 'old title' } : each),
          raw: undefined,
        }),
      );
    }
    raw.close();

    const store = SqliteIssueStore.open(path);
    try {
      expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(await store.getIssue(issue.ref)).toEqual(issue);
      expect((await store.getSyncBase(edited.ref))?.title).toBe('old title');
      expect(
        (await store.listUnsyncedIssues({ system: 'github' })).unsynced.map((u) => u.issue.ref.id),
      ).toEqual(['43']);
      expect(await store.listTombstones()).toEqual([]);
      const tombstone = {
        ...createTombstone({ ref: edited.ref, reason: 'deleted', observedAt: '2026-03-01T00:00:00Z' }),
        origin: 'remote' as const,
        pushed: true,
      };
      await store.putTombstone(tombstone);
      expect(await store.listUnsyncedIssues({ system: 'github' })).toEqual({ unsynced: [], total: 2 });
    } finally {
      store.close();
    }
  });

  it('is idempotent: a second migrate applies nothing', () => {
    const db = new Database(join(dir, 'a.db'));
    expect(migrate(db)).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('refuses a database written by a newer release, saying what to upgrade', () => {
    const path = join(dir, 'new.db');
    const db = new Database(path);
    migrate(db);
    db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(
      LATEST_SCHEMA_VERSION + 1,
      'x',
    );
    db.close();
    expect(() => SqliteIssueStore.open(path)).toThrow(
      /newer than this release .*Upgrade @spec-kitty\/store-sqlite/,
    );
  });

  it('rolls back a failing step completely and names it', () => {
    const db = new Database(join(dir, 'bad.db'));
    const migrations = [
      SQLITE_MIGRATIONS[0]!,
      {
        version: 2,
        description: 'broken step',
        up: 'CREATE TABLE half_done (x INTEGER); SELECT * FROM missing_table;',
      },
    ];
    let error: unknown;
    try {
      migrate(db, { migrations });
    } catch (caught) {
      error = caught;
    }
    expect(SqliteStoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/schema version 2 \(broken step\) failed.*left at version 1/);
    expect(readSchemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });

  it('opens read-only only when the schema is current', async () => {
    const path = join(dir, 'ro.db');
    const db = new Database(path);
    migrate(db, { target: 2 });
    db.close();
    expect(() => SqliteIssueStore.open(path, { readonly: true })).toThrow(/schema version is 2.*read-write/);
    SqliteIssueStore.open(path).close();
    const store = SqliteIssueStore.open(path, { readonly: true });
    expect(await store.listIssues()).toEqual([]);
    store.close();
  });
});

describe('content keys are read from indexes (schema 7)', () => {
  const plan = (db: Database.Database, sql: string, ...params: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
      .map((row) => row.detail)
      .join('\n');

  it('opening a store looks for rows without a content key through an index, not a scan of every row', () => {
    const path = join(dir, 'keys.db');
    SqliteIssueStore.open(path).close();
    const db = new Database(path);
    try {
      for (const table of ['issues', 'sync_bases']) {
        const detail = plan(db, `SELECT 1 FROM ${table} WHERE content_key IS NULL LIMIT 1`);
        expect(detail).toMatch(/USING (COVERING )?INDEX \w+_missing_content_key/);
        expect(detail).not.toMatch(/^SCAN \w+$/m);
      }
    } finally {
      db.close();
    }
  });

  it("lists an issue system's rows in identity order with their content keys from one index", () => {
    const path = join(dir, 'unsynced.db');
    SqliteIssueStore.open(path).close();
    const db = new Database(path);
    try {
      const detail = plan(
        db,
        'SELECT identity, content_key FROM issues WHERE system = ? ORDER BY identity',
        'github',
      );
      expect(detail).toMatch(/USING COVERING INDEX issues_system \(system=\?\)/);
    } finally {
      db.close();
    }
  });
});
