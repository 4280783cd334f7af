import type pg from 'pg';
import { PostgresStoreError } from './store-errors';

/** One forward-only schema step of a component. `version` is the component's version after `up`. */
export interface PostgresMigration {
  readonly version: number;
  readonly description: string;
  /** SQL run inside the step's transaction; `{{schema}}` is replaced by the quoted schema name. */
  readonly up: string;
  /**
   * Work SQL cannot express (recomputing values in JavaScript), run after `up` in the same
   * transaction and under the same lock, so it happens exactly once, with the version bump.
   */
  readonly run?: (client: pg.PoolClient, quotedSchema: string) => Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Validates a schema name and returns it quoted; names are restricted so they never need escaping. */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new PostgresStoreError(
      `Invalid schema name ${JSON.stringify(schema)}: use lower-case letters, digits and "_" (at most 63), starting with a letter or "_".`,
    );
  }
  return `"${schema}"`;
}

/** The version of `component` recorded in `schema` (0 when it has never been migrated). */
export async function readComponentVersion(
  client: pg.Pool | pg.PoolClient,
  schema: string,
  component: string,
): Promise<number> {
  const table = await client.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [
    `${quoteSchema(schema)}.schema_version`,
  ]);
  if (!table.rows[0]?.exists) return 0;
  const row = await client.query<{ version: number | null }>(
    `SELECT MAX(version) AS version FROM ${quoteSchema(schema)}.schema_version WHERE component = $1`,
    [component],
  );
  return row.rows[0]?.version ?? 0;
}

/**
 * Brings `component` in `schema` to its latest version, one step per transaction. Concurrent
 * migrators (a fleet of workers starting at once) serialize on a transaction-scoped advisory
 * lock, and each re-reads the version under it, so every step runs exactly once. Refuses a
 * schema newer than `migrations`. Returns the versions applied.
 */
export async function migrateComponent(
  pool: pg.Pool,
  options: { schema: string; component: string; migrations: readonly PostgresMigration[] },
): Promise<number[]> {
  const schema = quoteSchema(options.schema);
  const latest = options.migrations.at(-1)?.version ?? 0;
  const applied: number[] = [];
  const client = await pool.connect();
  try {
    for (const migration of options.migrations) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `spec-kitty-migrate:${options.schema}`,
        ]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${schema}.schema_version (
             component   text NOT NULL,
             version     integer NOT NULL,
             description text NOT NULL,
             applied_at  timestamptz NOT NULL DEFAULT now(),
             PRIMARY KEY (component, version)
           )`,
        );
        const current = await readComponentVersion(client, options.schema, options.component);
        if (current > latest) {
          throw new PostgresStoreError(
            `The ${options.component} schema in ${options.schema} is at version ${current}, newer than this release (${latest}). Upgrade @spec-kitty packages on every worker before starting this one.`,
          );
        }
        if (current < migration.version) {
          if (migration.up.trim() !== '') await client.query(migration.up.replaceAll('{{schema}}', schema));
          await migration.run?.(client, schema);
          await client.query(
            `INSERT INTO ${schema}.schema_version (component, version, description) VALUES ($1, $2, $3)`,
            [options.component, migration.version, migration.description],
          );
          applied.push(migration.version);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        if (PostgresStoreError.isInstance(error)) throw error;
        throw new PostgresStoreError(
          `Migrating the ${options.component} schema in ${options.schema} to version ${migration.version} (${migration.description}) failed: ${(error as Error).message}. The database is left at the previous version.`,
          { cause: error },
        );
      }
    }
  } finally {
    client.release();
  }
  return applied;
}
