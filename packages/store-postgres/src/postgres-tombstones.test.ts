import { randomUUID } from 'node:crypto';
import { InMemoryConnector } from '@spec-kitty/connector-memory';
import {
  CanonicalStatus,
  cloneIssue,
  createRef,
  createTombstone,
  type ExternalRef,
  issueToJSON,
  OwnershipPolicy,
  refIdentity,
  SyncEngine,
  supportsTombstones,
  type TombstoneRecord,
} from '@spec-kitty/core';
import { contentKey } from '@spec-kitty/core/store';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateComponent } from './pg-migrations';
import type { PostgresIssueStore } from './postgres-issue-store';
import { PostgresStore } from './postgres-store';
import { LATEST_SCHEMA_VERSION, POSTGRES_MIGRATIONS } from './store-migrations';
import { databaseUrl, dropSchema, freshSchema, openTestStore, sampleIssue } from './test-support';

let opened: Awaited<ReturnType<typeof openTestStore>>;
let store: PostgresStore;
beforeAll(async () => {
  opened = await openTestStore('tombstones');
  store = opened.store;
});
afterAll(async () => {
  await opened.drop();
});

const fresh = (): PostgresIssueStore => store.scope(`tenant-${randomUUID()}`);

const ref = (id: string, system = 'memory'): ExternalRef =>
  createRef({ system, workspace: 'team', id, key: `M-${id}`, url: null });

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

const ids = async (scope: PostgresIssueStore, query?: Parameters<PostgresIssueStore['listTombstones']>[0]) =>
  (await scope.listTombstones(query)).map((t) => `${t.ref.system}:${t.ref.id}`);

describe('tombstones', () => {
  it('are the TombstoneStore capability the engine looks for', () => {
    expect(supportsTombstones(fresh())).toBe(true);
  });

  it('round-trip every field, survive a new pool, and stay in their scope', async () => {
    const scopeId = `tenant-${randomUUID()}`;
    const moved = record('7', {
      reason: 'moved',
      movedTo: createRef({ system: 'memory', workspace: 'other-team', id: '99', key: 'O-99' }),
      observedAt: '2026-03-01T12:30:00+02:00',
    });
    await store.scope(scopeId).putTombstone(moved);
    const reopened = await PostgresStore.open({
      connectionString: databaseUrl(),
      schema: opened.schema,
      poolSize: 2,
    });
    try {
      expect(await reopened.scope(scopeId).getTombstone(ref('7'))).toEqual(moved);
      expect(await reopened.scope(scopeId).listTombstones()).toEqual([moved]);
      expect(await reopened.scope('someone-else').getTombstone(ref('7'))).toBeNull();
      expect(await reopened.scope('someone-else').listTombstones()).toEqual([]);
    } finally {
      await reopened.close();
    }
    await store.deleteScope(scopeId);
    expect(await store.scope(scopeId).getTombstone(ref('7'))).toBeNull();
  });

  it('hide an issue from the unsynced listing of their own scope only', async () => {
    const scope = fresh();
    const other = fresh();
    for (const each of [scope, other]) await each.upsertIssue(sampleIssue('1'));
    await scope.putTombstone(record('1'));
    expect(await scope.listUnsyncedIssues({ system: 'memory' })).toEqual({ unsynced: [], total: 1 });
    expect((await other.listUnsyncedIssues({ system: 'memory' })).unsynced).toHaveLength(1);
  });

  it('commit with the page in one batch transaction, and roll back with it', async () => {
    const scope = fresh();
    const observer = store.scope(scope.scopeId);
    const commitsBefore = scope.commits;
    await scope.batch(async () => {
      await scope.upsertIssue(sampleIssue('1'));
      await scope.putTombstone(record('2'));
      await scope.putCheckpoint('memory', { cursor: 'p1', updatedSince: null });
      expect(await scope.getTombstone(ref('2'))).not.toBeNull();
      expect(await observer.getTombstone(ref('2'))).toBeNull();
      // A listing inside the batch sees the staged tombstone (through the batch's transaction).
      expect(await ids(scope)).toEqual(['memory:2']);
      expect(await observer.listTombstones()).toEqual([]);
    });
    expect(scope.commits - commitsBefore).toBe(1);
    expect(await observer.getTombstone(ref('2'))).not.toBeNull();
    await expect(
      scope.batch(async () => {
        await scope.putTombstone(record('3'));
        await scope.upsertIssue(sampleIssue('3'));
        throw new Error('page failed');
      }),
    ).rejects.toThrow('page failed');
    expect(await observer.getTombstone(ref('3'))).toBeNull();
    expect(await observer.getIssue(ref('3'))).toBeNull();
  });
});

describe('schema version 4', () => {
  it('upgrades a version-3 schema keeping its issues and bases, then records tombstones', async () => {
    const schema = freshSchema('v3');
    const pool = new pg.Pool({ connectionString: databaseUrl(), max: 2 });
    try {
      await migrateComponent(pool, {
        schema,
        component: 'store',
        migrations: POSTGRES_MIGRATIONS.slice(0, 3),
      });
      // Rows as a version-3 release wrote them.
      const issue = sampleIssue('1');
      const json = issueToJSON(issue);
      const baseJson = issueToJSON(cloneIssue(issue, { title: 'old' }));
      await pool.query(
        `INSERT INTO "${schema}".issues (scope_id, identity, system, workspace, external_id, issue_key, updated_at, payload, content_key)
         VALUES ('s', $1, 'memory', 'team', '1', 'M-1', $2, $3, $4)`,
        [refIdentity(issue.ref), json.updated_at, JSON.stringify(json), contentKey(json)],
      );
      await pool.query(
        `INSERT INTO "${schema}".sync_bases (scope_id, identity, payload, content_key) VALUES ('s', $1, $2, $3)`,
        [refIdentity(issue.ref), JSON.stringify(baseJson), contentKey(baseJson)],
      );
      const missing = await pool.query(`SELECT to_regclass('"${schema}".tombstones') IS NULL AS missing`);
      expect(missing.rows[0]?.missing).toBe(true);

      const upgraded = await PostgresStore.open({ connectionString: databaseUrl(), schema, poolSize: 2 });
      try {
        expect(await upgraded.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
        const scope = upgraded.scope('s');
        expect(await scope.getIssue(issue.ref)).toEqual(issue);
        expect((await scope.getSyncBase(issue.ref))?.title).toBe('old');
        expect((await scope.listUnsyncedIssues({ system: 'memory' })).unsynced).toHaveLength(1);
        await scope.putTombstone(record('1'));
        expect(await scope.listUnsyncedIssues({ system: 'memory' })).toEqual({ unsynced: [], total: 1 });
      } finally {
        await upgraded.close();
      }
    } finally {
      await pool.end();
      await dropSchema(schema);
    }
  });
});

describe('SyncEngine deletions on a scope', () => {
  it('records a remote deletion and closes a local one in the scope, seen from a new pool', async () => {
    const scopeId = `engine-${randomUUID()}`;
    const connector = new InMemoryConnector({ name: 'memory', workspace: 'team' });
    for (const id of ['1', '2', '3']) connector.seed(sampleIssue(id));
    const policy = OwnershipPolicy.externalAuthoritative();
    const scope = store.scope(scopeId);
    await new SyncEngine({ connector, store: scope, policy }).sync();
    connector.remove(sampleIssue('1').ref);
    await scope.putTombstone(record('2', { origin: 'local', pushed: false }));
    const result = await new SyncEngine({ connector, store: store.scope(scopeId), policy }).sync();
    expect(result.failures).toEqual([]);
    expect(result.tombstones.map((tombstone) => tombstone.ref.id)).toEqual(['1']);
    expect(result.closedRemote.map((closed) => closed.id)).toEqual(['2']);
    expect((await connector.getIssue(sampleIssue('2').ref)).status).toBe(CanonicalStatus.CANCELED);

    const reopened = await PostgresStore.open({
      connectionString: databaseUrl(),
      schema: opened.schema,
      poolSize: 2,
    });
    try {
      const view = reopened.scope(scopeId);
      expect(await view.getTombstone(sampleIssue('1').ref)).toMatchObject({ origin: 'remote', pushed: true });
      expect(await view.getTombstone(sampleIssue('2').ref)).toMatchObject({ origin: 'local', pushed: true });
      expect(await view.countIssues()).toBe(3);
    } finally {
      await reopened.close();
    }
  });
});
