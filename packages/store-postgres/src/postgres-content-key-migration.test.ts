import { type CanonicalIssue, type CanonicalIssueJSON, issueToJSON, refIdentity } from '@spec-kitty/core';
import { contentKey } from '@spec-kitty/core/store';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrateComponent } from './pg-migrations';
import { PostgresStore } from './postgres-store';
import { LATEST_SCHEMA_VERSION, POSTGRES_MIGRATIONS } from './store-migrations';
import { databaseUrl, dropSchema, freshSchema, sampleIssue } from './test-support';

// The key schema version 2 wrote: the canonical text itself (kept here to build old rows).
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stable(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
function textKey(json: CanonicalIssueJSON): string {
  return stable([
    json.title,
    json.body,
    json.status,
    json.issue_type,
    json.priority,
    [...json.assignees].sort(),
    [...json.labels].sort(),
    json.parent,
    json.links,
    json.custom_fields,
  ]);
}

async function writeOldRow(
  pool: pg.Pool,
  schema: string,
  table: 'issues' | 'sync_bases',
  issue: CanonicalIssue,
) {
  const json = issueToJSON(issue);
  const identity = refIdentity(issue.ref);
  if (table === 'sync_bases') {
    await pool.query(
      `INSERT INTO "${schema}".sync_bases (scope_id, identity, payload, content_key) VALUES ('s', $1, $2, $3)`,
      [identity, JSON.stringify(json), textKey(json)],
    );
    return;
  }
  await pool.query(
    `INSERT INTO "${schema}".issues (scope_id, identity, system, workspace, external_id, issue_key, updated_at, payload, content_key)
     VALUES ('s', $1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      identity,
      issue.ref.system,
      issue.ref.workspace,
      issue.ref.id,
      issue.ref.key,
      json.updated_at,
      JSON.stringify(json),
      textKey(json),
    ],
  );
}

describe('content keys written by schema version 2', () => {
  it('are rewritten as digests, so a rewritten unchanged issue still matches its old base', async () => {
    const schema = freshSchema('keys');
    const pool = new pg.Pool({ connectionString: databaseUrl(), max: 2 });
    try {
      await migrateComponent(pool, {
        schema,
        component: 'store',
        migrations: POSTGRES_MIGRATIONS.slice(0, 2),
      });
      const same = sampleIssue('1', { labels: ['b', 'a'] });
      const changed = sampleIssue('2');
      const unbased = sampleIssue('3');
      await writeOldRow(pool, schema, 'issues', same);
      await writeOldRow(pool, schema, 'sync_bases', same);
      await writeOldRow(pool, schema, 'issues', sampleIssue('2', { title: 'edited locally' }));
      await writeOldRow(pool, schema, 'sync_bases', changed);
      await writeOldRow(pool, schema, 'issues', unbased);

      const store = await PostgresStore.open({ connectionString: databaseUrl(), schema, poolSize: 2 });
      try {
        expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
        const keys = await pool.query<{ content_key: string; payload: string }>(
          `SELECT content_key, payload FROM "${schema}".issues UNION ALL SELECT content_key, payload FROM "${schema}".sync_bases`,
        );
        expect(keys.rows).toHaveLength(5);
        for (const row of keys.rows) expect(row.content_key).toBe(contentKey(JSON.parse(row.payload)));

        const scope = store.scope('s');
        const listed = async () =>
          (await scope.listUnsyncedIssues({ system: 'memory' })).unsynced.map((entry) =>
            refIdentity(entry.issue.ref),
          );
        expect(await listed()).toEqual([refIdentity(changed.ref), refIdentity(unbased.ref)]);
        // The next pull rewrites the unchanged issue with a freshly computed key: still in sync.
        await scope.upsertIssue(same);
        expect(await listed()).toEqual([refIdentity(changed.ref), refIdentity(unbased.ref)]);
      } finally {
        await store.close();
      }
    } finally {
      await pool.end();
      await dropSchema(schema);
    }
  });
});
