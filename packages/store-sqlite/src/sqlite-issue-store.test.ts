import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CanonicalIssue,
  CanonicalStatus,
  ConflictStrategy,
  cloneIssue,
  createCheckpoint,
  createRef,
  InMemoryIssueStore,
  type IssueStore,
  issuesEqual,
  supportsCheckpoints,
  supportsSyncBase,
} from '@spec-kitty/core';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';
import { LATEST_SCHEMA_VERSION } from './sqlite-migrations';
import { SqliteStoreError } from './store-errors';
import { sampleIssue, storesInTempDir } from './test-support';

const { openStore, dir } = storesInTempDir();

describe('SqliteIssueStore as an IssueStore', () => {
  it('round-trips every field of an issue exactly', async () => {
    const store = openStore();
    const issue = sampleIssue('1');
    await store.upsertIssue(issue);
    const loaded = await store.getIssue(issue.ref);
    expect(loaded).not.toBeNull();
    expect(issuesEqual(loaded!, issue)).toBe(true);
    expect(loaded).toEqual(issue);
  });

  it('returns null for a missing issue and ignores deleting one', async () => {
    const store = openStore();
    const ref = createRef({ system: 'github', workspace: 'w', id: 'nope' });
    expect(await store.getIssue(ref)).toBeNull();
    await expect(store.deleteIssue(ref)).resolves.toBeUndefined();
  });

  it('replaces by identity and deletes', async () => {
    const store = openStore();
    await store.upsertIssue(sampleIssue('1'));
    await store.upsertIssue(sampleIssue('1', { title: 'Renamed' }));
    expect((await store.listIssues()).map((i) => i.title)).toEqual(['Renamed']);
    await store.deleteIssue(sampleIssue('1').ref);
    expect(await store.listIssues()).toEqual([]);
  });

  it('lists sorted by identity in code-point order and filters by system', async () => {
    const store = openStore();
    const ids = ['b', 'a', 'Z', '\u{1F600}', '\uFF21', 'a10', 'a2'];
    for (const id of ids) await store.upsertIssue(sampleIssue(id));
    // Python's sorted() order (code points): U+FF21 sorts before U+1F600 (UTF-16 order would not).
    expect((await store.listIssues()).map((i) => i.ref.id)).toEqual([
      'Z',
      'a',
      'a10',
      'a2',
      'b',
      '\uFF21',
      '\u{1F600}',
    ]);
    await store.upsertIssue(
      sampleIssue('x', { ref: createRef({ system: 'jira', workspace: 'P', id: 'P-1' }) }),
    );
    expect((await store.listIssues({ system: 'jira' })).map((i) => i.ref.id)).toEqual(['P-1']);
    expect(await store.listIssues({ system: 'github' })).toHaveLength(ids.length);
    expect(await store.countIssues()).toBe(ids.length + 1);
    expect(await store.countIssues({ system: 'jira' })).toBe(1);
  });

  it('hands out immutable issues: neither the caller nor a reader changes the stored copy', async () => {
    const store = openStore();
    const issue = sampleIssue('1');
    const lookalike = { ...issue, labels: [...issue.labels] };
    await store.upsertIssue(lookalike);
    lookalike.labels.push('mutated-after-upsert');
    const loaded = (await store.getIssue(issue.ref))!;
    expect(loaded.labels).toEqual(['sync', 'p1']);
    expect(() => (loaded.labels as string[]).push('mutated-after-get')).toThrow(TypeError);
    expect(Object.isFrozen(loaded.raw)).toBe(true);
    expect((await store.getIssue(issue.ref))!.labels).toEqual(['sync', 'p1']);
  });

  it('keeps everything across close and reopen', async () => {
    const first = openStore();
    await first.upsertIssue(sampleIssue('1'));
    await first.putSyncBase(sampleIssue('1', { title: 'base' }));
    await first.putCheckpoint(
      'github:octo/hello',
      createCheckpoint({ cursor: 'c2', updatedSince: new Date(5) }),
    );
    first.close();
    const second = openStore();
    expect((await second.getIssue(sampleIssue('1').ref))?.title).toBe('Issue 1');
    expect((await second.getSyncBase(sampleIssue('1').ref))?.title).toBe('base');
    expect(await second.getCheckpoint('github:octo/hello')).toEqual({
      cursor: 'c2',
      updatedSince: new Date(5),
    });
    expect(second.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
  });

  it('behaves like InMemoryIssueStore over a random sequence of operations', async () => {
    const sqlite = openStore();
    const memory = new InMemoryIssueStore();
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const apply = async (store: IssueStore, op: number, issue: CanonicalIssue, system: string | null) => {
      if (op === 0) await store.deleteIssue(issue.ref);
      else if (op === 1) return store.listIssues({ system });
      else if (op === 2) return store.getIssue(issue.ref);
      else await store.upsertIssue(issue);
      return null;
    };
    for (let step = 0; step < 300; step++) {
      const op = random(5);
      const id = String(random(12));
      const system = ['github', 'jira'][random(2)]!;
      const issue = sampleIssue(id, {
        ref: createRef({ system, workspace: 'w', id }),
        title: `t${random(100)}`,
        status: random(2) ? CanonicalStatus.DONE : CanonicalStatus.TODO,
      });
      const filter = random(3) === 0 ? null : system;
      expect(await apply(sqlite, op, issue, filter)).toEqual(await apply(memory, op, issue, filter));
    }
    expect(await sqlite.listIssues()).toEqual(await memory.listIssues());
  });

  it('reports an unreadable stored row with its identity and how to recover', async () => {
    const store = openStore();
    await store.upsertIssue(sampleIssue('1'));
    const raw = new Database(store.path);
    raw.prepare('UPDATE issues SET payload = \'{"ref": 5}\'').run();
    raw.close();
    const error = await store.listIssues().catch((e: unknown) => e);
    expect(SqliteStoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('github:octo/hello:1');
    expect((error as Error).message).toContain('pull again');
  });

  it('reads payloads written by the Python original (microseconds, +00:00 offsets)', async () => {
    const store = openStore();
    const raw = new Database(store.path);
    const payload = {
      ref: { system: 'jira', workspace: 'SP', id: '10001', key: 'SP-1', url: null },
      title: 'From Python',
      body: null,
      status: 'in_review',
      issue_type: 'story',
      priority: 1,
      assignees: [],
      labels: ['py'],
      parent: null,
      links: [],
      custom_fields: { spec_kitty_mission: { mission_id: 'm-1' } },
      created_at: '2026-01-02T03:04:05.123456+00:00',
      updated_at: '2026-01-03T03:04:05.999999+00:00',
      raw: null,
    };
    raw
      .prepare(
        'INSERT INTO issues (identity, system, workspace, external_id, payload) VALUES (?, ?, ?, ?, ?)',
      )
      .run('jira:SP:10001', 'jira', 'SP', '10001', JSON.stringify(payload));
    raw.close();
    const issue = await store.getIssue(createRef({ system: 'jira', workspace: 'SP', id: '10001' }));
    expect(issue).toMatchObject({
      title: 'From Python',
      status: 'in_review',
      issueType: 'story',
      labels: ['py'],
    });
    expect(issue?.updatedAt?.toISOString()).toBe('2026-01-03T03:04:05.999Z');
    expect(issue?.customFields).toEqual({ spec_kitty_mission: { mission_id: 'm-1' } });
  });

  it('fails to open an unusable path with a message naming it', () => {
    const file = join(dir(), 'plain-file');
    writeFileSync(file, 'not a directory');
    expect(() => SqliteIssueStore.open(join(file, 'sub', 'store.db'))).toThrow(
      /Cannot open the SQLite store at .*plain-file.*writable/,
    );
  });

  it('refuses a file that is not a database', () => {
    const file = join(dir(), 'garbage.db');
    writeFileSync(file, 'x'.repeat(4096));
    expect(() => SqliteIssueStore.open(file)).toThrow(/garbage\.db/);
  });
});

describe('sync bases and checkpoints', () => {
  it('advertises both optional capabilities', () => {
    const store = openStore();
    expect(supportsSyncBase(store)).toBe(true);
    expect(supportsCheckpoints(store)).toBe(true);
  });

  it('stores sync bases separately from issues', async () => {
    const store = openStore();
    const issue = sampleIssue('7');
    expect(await store.getSyncBase(issue.ref)).toBeNull();
    await store.putSyncBase(cloneIssue(issue, { title: 'agreed' }));
    await store.upsertIssue(issue);
    expect((await store.getSyncBase(issue.ref))?.title).toBe('agreed');
    expect((await store.getIssue(issue.ref))?.title).toBe('Issue 7');
    await store.deleteSyncBase(issue.ref);
    expect(await store.getSyncBase(issue.ref)).toBeNull();
    expect(await store.getIssue(issue.ref)).not.toBeNull();
  });

  it('keeps one checkpoint per scope', async () => {
    const store = openStore();
    expect(await store.getCheckpoint('a')).toBeNull();
    await store.putCheckpoint('a', createCheckpoint({ cursor: '1' }));
    await store.putCheckpoint('b', createCheckpoint({ updatedSince: new Date('2026-03-01T00:00:00.000Z') }));
    await store.putCheckpoint('a', createCheckpoint({ cursor: null, updatedSince: new Date(1000) }));
    expect(await store.getCheckpoint('a')).toEqual({ cursor: null, updatedSince: new Date(1000) });
    expect(await store.getCheckpoint('b')).toEqual({
      cursor: null,
      updatedSince: new Date('2026-03-01T00:00:00.000Z'),
    });
    expect((await store.listCheckpoints()).map((c) => c.scope)).toEqual(['a', 'b']);
    await store.deleteCheckpoint('a');
    expect(await store.getCheckpoint('a')).toBeNull();
  });
});

describe('work-package mappings', () => {
  it('adds idempotently, lists with filters and removes', async () => {
    const store = openStore();
    const one = sampleIssue('1').ref;
    const two = sampleIssue('2').ref;
    const first = await store.addMapping('WP01', one);
    await store.addMapping('WP01', one);
    await store.addMapping('WP01', two);
    await store.addMapping('WP02', two);
    expect(first.workPackageId).toBe('WP01');
    expect(first.ref).toEqual(one);
    expect((await store.listMappings()).map((m) => `${m.workPackageId}>${m.ref.id}`)).toEqual([
      'WP01>1',
      'WP01>2',
      'WP02>2',
    ]);
    expect((await store.listMappings({ workPackageId: 'WP01' })).length).toBe(2);
    expect((await store.listMappings({ ref: two })).map((m) => m.workPackageId)).toEqual(['WP01', 'WP02']);
    expect(await store.removeMapping('WP01', two)).toBe(1);
    expect(await store.removeMapping('WP01', two)).toBe(0);
    expect(await store.removeMapping('WP02')).toBe(1);
    expect((await store.listMappings()).map((m) => m.workPackageId)).toEqual(['WP01']);
  });

  it('rejects an empty work package id', async () => {
    const store = openStore();
    await expect(store.addMapping('  ', sampleIssue('1').ref)).rejects.toThrow(/must not be empty/);
  });
});

describe('run journal and conflicts', () => {
  it('records runs and conflicts, and acknowledges them', async () => {
    const store = openStore();
    const runId = await store.beginRun('sync', 'github:octo/hello');
    await store.recordConflicts(runId, [
      {
        fieldName: 'title',
        localValue: 'mine',
        externalValue: 'theirs',
        resolvedValue: 'theirs',
        strategy: ConflictStrategy.NEWER_TIMESTAMP,
        manualReviewRequired: false,
        issueRef: sampleIssue('1').ref,
        pending: false,
      },
      {
        fieldName: 'labels',
        localValue: ['a'],
        externalValue: ['b'],
        resolvedValue: ['a'],
        strategy: ConflictStrategy.MANUAL_REVIEW,
        manualReviewRequired: true,
        issueRef: null,
        pending: false,
      },
    ]);
    await store.finishRun(runId, 'conflicts', { pulledCreated: 1 });
    const [run] = await store.listRuns();
    expect(run).toMatchObject({
      id: runId,
      command: 'sync',
      outcome: 'conflicts',
      summary: { pulledCreated: 1 },
    });
    expect(run?.finishedAt).toBeInstanceOf(Date);
    const open = await store.listConflicts();
    expect(open.map((c) => c.fieldName)).toEqual(['title', 'labels']);
    expect(open[0]).toMatchObject({ issueIdentity: 'github:octo/hello:1', localValue: 'mine', runId });
    expect((await store.listConflicts({ manualReviewOnly: true })).map((c) => c.fieldName)).toEqual([
      'labels',
    ]);
    expect(await store.acknowledgeConflicts([open[0]!.id])).toBe(1);
    expect((await store.listConflicts()).map((c) => c.fieldName)).toEqual(['labels']);
    expect(await store.acknowledgeConflicts()).toBe(1);
    expect(await store.listConflicts()).toEqual([]);
    expect(await store.listConflicts({ includeAcknowledged: true })).toHaveLength(2);
  });
});
