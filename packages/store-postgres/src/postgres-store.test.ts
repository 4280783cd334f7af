import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictResolutionError, ConflictStrategy, createRef } from '@spec-kitty/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateComponent } from './pg-migrations';
import { PostgresStore } from './postgres-store';
import { PostgresStoreError, RunLeaseHeldError, RunLeaseLostError } from './store-errors';
import { LATEST_SCHEMA_VERSION, POSTGRES_MIGRATIONS } from './store-migrations';
import { databaseUrl, dropSchema, freshSchema, openTestStore, sampleIssue } from './test-support';

let opened: Awaited<ReturnType<typeof openTestStore>>;
let store: PostgresStore;
beforeAll(async () => {
  opened = await openTestStore('store');
  store = opened.store;
});
afterAll(async () => {
  await opened.drop();
});

describe('scopes (multi-tenant tables)', () => {
  it('keeps the same identity apart in two scopes and deletes one scope entirely', async () => {
    const left = store.scope('tenant-a');
    const right = store.scope('tenant-b');
    await left.upsertIssue(sampleIssue('1', { title: 'left' }));
    await right.upsertIssue(sampleIssue('1', { title: 'right' }));
    await left.putCheckpoint('memory', { cursor: 'c', updatedSince: null });
    expect((await left.getIssue(sampleIssue('1').ref))?.title).toBe('left');
    expect((await right.getIssue(sampleIssue('1').ref))?.title).toBe('right');
    await store.deleteScope('tenant-a');
    expect(await left.listIssues()).toEqual([]);
    expect(await left.getCheckpoint('memory')).toBeNull();
    expect(await right.countIssues()).toBe(1);
  });

  it('rejects an empty scope id', () => {
    expect(() => store.scope(' ')).toThrow(PostgresStoreError);
  });
});

describe('unsynced listing', () => {
  it('returns issues without a base or off their base, and the total of the system', async () => {
    const scoped = store.scope('unsynced');
    for (const id of ['a', 'b', 'c']) {
      await scoped.upsertIssue(sampleIssue(id));
      await scoped.putSyncBase(sampleIssue(id));
    }
    await scoped.upsertIssue(sampleIssue('b', { title: 'moved off its base' }));
    await scoped.upsertIssue(sampleIssue('d'));
    // Label order alone is not a change (labels compare as sets).
    await scoped.upsertIssue(sampleIssue('c', { labels: ['sync'] }));
    const { unsynced, total } = await scoped.listUnsyncedIssues({ system: 'memory' });
    expect(total).toBe(4);
    expect(unsynced.map(({ issue, base }) => [issue.ref.id, base?.title ?? null])).toEqual([
      ['b', 'Issue b'],
      ['d', null],
    ]);
    expect(await scoped.listUnsyncedIssues({ system: 'github' })).toEqual({ unsynced: [], total: 0 });
  });

  it('counts every issue of the system when none is unsynced', async () => {
    const scoped = store.scope('all-synced');
    for (const id of ['a', 'b']) {
      await scoped.upsertIssue(sampleIssue(id));
      await scoped.putSyncBase(sampleIssue(id));
    }
    expect(await scoped.listUnsyncedIssues({ system: 'memory' })).toEqual({ unsynced: [], total: 2 });
  });
});

describe('run leases', () => {
  it('admits one holder per scope, names it, and lets another take over once it expires', async () => {
    const first = await store.acquireRunLease('lease-a', { command: 'sync', holder: 'worker 1', ttlMs: 300 });
    const error = await store
      .acquireRunLease('lease-a', { command: 'sync', holder: 'worker 2' })
      .catch((caught: unknown) => caught);
    expect(RunLeaseHeldError.isInstance(error)).toBe(true);
    expect((error as RunLeaseHeldError).holder.holder).toBe('worker 1');
    expect((error as Error).message).toContain('worker 1');
    // Another scope is independent.
    const other = await store.acquireRunLease('lease-b', { command: 'sync', ttlMs: 300 });
    await other.release();
    await sleep(400);
    const second = await store.acquireRunLease('lease-a', {
      command: 'sync',
      holder: 'worker 2',
      ttlMs: 5_000,
    });
    await expect(first.renew()).rejects.toThrow(RunLeaseLostError);
    // Releasing a lease someone else took over leaves theirs alone.
    await first.release();
    expect((await store.readRunLease('lease-a'))?.holder).toBe('worker 2');
    await second.release();
    expect(await store.readRunLease('lease-a')).toBeNull();
  });

  it('waits for a lease up to waitMs', async () => {
    const held = await store.acquireRunLease('lease-wait', { command: 'sync', ttlMs: 10_000 });
    setTimeout(() => void held.release(), 150);
    const next = await store.acquireRunLease('lease-wait', { command: 'sync', waitMs: 5_000, pollMs: 20 });
    expect(next.holder.scopeId).toBe('lease-wait');
    await next.release();
  });

  it('fences writes: a run whose lease was taken over commits nothing', async () => {
    const zombie = store.scope('fenced');
    await zombie.acquireRunLease({ command: 'sync', holder: 'zombie', ttlMs: 200 });
    const successorTookOver = zombie.batch(async () => {
      await zombie.upsertIssue(sampleIssue('z'));
      await zombie.putCheckpoint('memory', { cursor: '1', updatedSince: null });
      await sleep(300);
      return store.acquireRunLease('fenced', { command: 'sync', holder: 'successor' });
    });
    await expect(successorTookOver).rejects.toThrow(RunLeaseLostError);
    expect(zombie.pendingWrites).toBe(0);
    await expect(zombie.upsertIssue(sampleIssue('y'))).rejects.toThrow(RunLeaseLostError);
    const observer = store.scope('fenced');
    expect(await observer.getIssue(sampleIssue('z').ref)).toBeNull();
    expect(await observer.getIssue(sampleIssue('y').ref)).toBeNull();
    expect(await observer.getCheckpoint('memory')).toBeNull();
    await store.forceReleaseRunLease('fenced');
  });

  it('force-releases a lease and reports who held it', async () => {
    await store.acquireRunLease('lease-force', { command: 'sync', holder: 'stuck' });
    expect((await store.forceReleaseRunLease('lease-force'))?.holder).toBe('stuck');
    expect(await store.readRunLease('lease-force')).toBeNull();
  });
});

describe('mappings, run log and conflicts', () => {
  it('links work packages to issues per scope', async () => {
    const scoped = store.scope('maps');
    const ref = createRef({ system: 'memory', workspace: 'team', id: '7', key: 'M-7' });
    const mapping = await scoped.addMapping(' WP01 ', ref);
    expect(mapping.workPackageId).toBe('WP01');
    await scoped.addMapping('WP01', ref);
    await scoped.addMapping('WP02', ref);
    expect((await scoped.listMappings({ ref })).map((entry) => entry.workPackageId)).toEqual([
      'WP01',
      'WP02',
    ]);
    expect(await store.scope('other-maps').listMappings()).toEqual([]);
    expect(await scoped.removeMapping('WP01')).toBe(1);
    await expect(scoped.addMapping('  ', ref)).rejects.toThrow(PostgresStoreError);
  });

  it('records runs and their conflicts, and acknowledges them', async () => {
    const scoped = store.scope('journal');
    const runId = await scoped.beginRun('sync', 'worker 1');
    await scoped.recordConflicts(runId, [
      {
        issueRef: sampleIssue('1').ref,
        fieldName: 'title',
        localValue: 'mine',
        externalValue: 'theirs',
        resolvedValue: 'theirs',
        strategy: ConflictStrategy.NEWER_TIMESTAMP,
        manualReviewRequired: true,
        pending: false,
      },
    ]);
    await scoped.finishRun(runId, 'conflicts', { pulled: 1 });
    const [run] = await scoped.listRuns();
    expect(run).toMatchObject({
      id: runId,
      command: 'sync',
      holder: 'worker 1',
      outcome: 'conflicts',
      summary: { pulled: 1 },
    });
    expect(run?.finishedAt).toBeInstanceOf(Date);
    const conflicts = await scoped.listConflicts({ manualReviewOnly: true });
    expect(
      conflicts.map((conflict) => [conflict.fieldName, conflict.localValue, conflict.issueIdentity]),
    ).toEqual([['title', 'mine', 'memory:team:1']]);
    expect(await scoped.acknowledgeConflicts()).toBe(1);
    expect(await scoped.listConflicts()).toEqual([]);
    expect((await store.listRuns({ scopeId: 'journal' })).map((entry) => entry.id)).toEqual([runId]);
  });
});

describe('conflict resolutions', () => {
  const pendingTitle = (local: string, external: string) => ({
    issueRef: sampleIssue('9').ref,
    fieldName: 'title',
    localValue: local,
    externalValue: external,
    resolvedValue: local,
    strategy: ConflictStrategy.MANUAL_REVIEW,
    manualReviewRequired: true,
    pending: true,
  });

  it('keeps one open pending conflict per issue and field, takes a decision, and applies it once', async () => {
    const scoped = store.scope('resolutions');
    const first = await scoped.beginRun('sync');
    await scoped.recordConflicts(first, [pendingTitle('mine', 'theirs')]);
    const second = await scoped.beginRun('sync');
    await scoped.recordConflicts(second, [pendingTitle('mine 2', 'theirs 2')]);
    const open = await scoped.listConflicts();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      localValue: 'mine 2',
      externalValue: 'theirs 2',
      pending: true,
      resolution: null,
    });
    const id = open[0]!.id;
    expect(await scoped.listPendingResolutions()).toEqual([]);
    const decided = await scoped.resolveConflict(id, { take: 'local' });
    expect(decided.resolution?.value).toBe('mine 2');
    await scoped.resolveConflict(id, { value: 'both' });
    const resolutions = await scoped.listPendingResolutions({ system: 'memory' });
    expect(resolutions).toEqual([
      { id: String(id), issueRef: sampleIssue('9').ref, fieldName: 'title', value: 'both' },
    ]);
    expect(await scoped.listPendingResolutions({ system: 'github' })).toEqual([]);
    // Another scope sees none of it.
    expect(await store.scope('other-resolutions').listPendingResolutions()).toEqual([]);
    await scoped.markResolutionsApplied([String(id), 'junk']);
    expect(await scoped.listPendingResolutions()).toEqual([]);
    expect((await scoped.getConflict(id))?.resolution?.appliedAt).not.toBeNull();
    expect(await scoped.listConflicts()).toEqual([]);
  });

  it('refuses unknown and non-pending conflicts', async () => {
    const scoped = store.scope('resolutions-refused');
    const runId = await scoped.beginRun('sync');
    await scoped.recordConflicts(runId, [{ ...pendingTitle('a', 'b'), pending: false }]);
    const [conflict] = await scoped.listConflicts();
    const notPending = await scoped
      .resolveConflict(conflict!.id, { take: 'tracker' })
      .catch((error: unknown) => error);
    expect(ConflictResolutionError.isInstance(notPending) && notPending.reason).toBe('not_pending');
    const missing = await scoped
      .resolveConflict(999_999, { take: 'tracker' })
      .catch((error: unknown) => error);
    expect(ConflictResolutionError.isInstance(missing) && missing.reason).toBe('not_found');
  });
});

describe('migrations', () => {
  it('records the schema version, and concurrent first opens migrate exactly once', async () => {
    const schema = freshSchema('migrate');
    try {
      const stores = await Promise.all(
        Array.from({ length: 5 }, () =>
          PostgresStore.open({ connectionString: databaseUrl(), schema, poolSize: 2 }),
        ),
      );
      expect(await stores[0]!.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      const { rows } = await stores[0]!.pool.query(
        `SELECT component, version FROM "${schema}".schema_version ORDER BY version`,
      );
      expect(rows).toEqual(
        POSTGRES_MIGRATIONS.map((migration) => ({ component: 'store', version: migration.version })),
      );
      await Promise.all(stores.map((opened) => opened.close()));
    } finally {
      await dropSchema(schema);
    }
  });

  it('upgrades a version 1 schema step by step, keeping its rows', async () => {
    const schema = freshSchema('upgrade');
    try {
      const pool = new pg.Pool({ connectionString: databaseUrl(), max: 2 });
      await migrateComponent(pool, {
        schema,
        component: 'store',
        migrations: POSTGRES_MIGRATIONS.slice(0, 1),
      });
      await pool.query(
        `INSERT INTO "${schema}".runs (scope_id, command) VALUES ('old', 'sync');
         INSERT INTO "${schema}".conflicts (scope_id, run_id, field_name, strategy, manual_review_required)
           SELECT 'old', id, 'title', 'manual_review', true FROM "${schema}".runs`,
      );
      await pool.end();
      const upgraded = await PostgresStore.open({ connectionString: databaseUrl(), schema });
      expect(await upgraded.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      expect(await upgraded.scope('old').listConflicts()).toMatchObject([
        { fieldName: 'title', pending: false },
      ]);
      await upgraded.close();
    } finally {
      await dropSchema(schema);
    }
  });

  it('refuses a schema written by a newer release, and an unmigrated one without migrate', async () => {
    const schema = freshSchema('newer');
    try {
      await expect(
        PostgresStore.open({ connectionString: databaseUrl(), schema, migrate: false }),
      ).rejects.toThrow(/version 0, this release needs/);
      const first = await PostgresStore.open({ connectionString: databaseUrl(), schema });
      await first.pool.query(
        `INSERT INTO "${schema}".schema_version (component, version, description) VALUES ('store', 99, 'future')`,
      );
      await first.close();
      await expect(PostgresStore.open({ connectionString: databaseUrl(), schema })).rejects.toThrow(
        /version 99, newer than this release/,
      );
    } finally {
      await dropSchema(schema);
    }
  });

  it('rejects a schema name that would need quoting, and explains a wrong URL without the password', async () => {
    await expect(PostgresStore.open({ connectionString: databaseUrl(), schema: 'Bad-Name' })).rejects.toThrow(
      /Invalid schema name/,
    );
    const error = await PostgresStore.open({ connectionString: 'postgres://u:s3cret@127.0.0.1:1/db' }).catch(
      (caught: unknown) => caught as Error,
    );
    expect(PostgresStoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('postgres://u:***@127.0.0.1:1/db');
    expect((error as Error).message).not.toContain('s3cret');
  });
});
