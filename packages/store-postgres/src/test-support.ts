import { randomUUID } from 'node:crypto';
import {
  type CanonicalIssue,
  CanonicalIssueType,
  CanonicalStatus,
  createIssue,
  createRef,
} from '@spec-kitty/core';
import pg from 'pg';
import { inject } from 'vitest';
import { PostgresStore } from './postgres-store';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** The test database (SPEC_KITTY_TEST_DATABASE_URL or the cluster the global setup started). */
export function databaseUrl(): string {
  return inject('databaseUrl');
}

/** A schema name no other test file uses, so files run in parallel on one database. */
export function freshSchema(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/** Opens a store on a new schema; `drop()` closes it and removes the schema. */
export async function openTestStore(
  prefix = 'test',
): Promise<{ store: PostgresStore; schema: string; drop: () => Promise<void> }> {
  const schema = freshSchema(prefix);
  const store = await PostgresStore.open({ connectionString: databaseUrl(), schema, poolSize: 4 });
  return {
    store,
    schema,
    drop: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export function sampleIssue(
  id: string,
  overrides: Partial<Parameters<typeof createIssue>[0]> = {},
): CanonicalIssue {
  return createIssue({
    ref: createRef({ system: 'memory', workspace: 'team', id, key: `M-${id}`, url: null }),
    title: `Issue ${id}`,
    body: 'Body with ünïcödé and "quotes"',
    status: CanonicalStatus.TODO,
    issueType: CanonicalIssueType.TASK,
    priority: 2,
    assignees: ['ada'],
    labels: ['sync'],
    customFields: { points: 3 },
    createdAt: new Date('2026-01-01T00:00:00.000Z'),
    updatedAt: new Date('2026-01-02T00:00:00.000Z'),
    ...overrides,
  });
}
