import pg from 'pg';
import { migrateComponent, quoteSchema, readComponentVersion } from './pg-migrations';
import { PostgresIssueStore, type PostgresIssueStoreOptions, runRecordFromRow } from './postgres-issue-store';
import type { SyncRunRecord } from './postgres-records';
import {
  acquireRunLease,
  forceReleaseRunLease,
  type RunLease,
  type RunLeaseOptions,
  readRunLease,
} from './postgres-run-lease';
import { validDate } from './postgres-webhook-inbox';
import { inTransaction, type StoreContext } from './store-context';
import { PostgresStoreError, type RunLeaseHolder } from './store-errors';
import { LATEST_SCHEMA_VERSION, POSTGRES_MIGRATIONS, STORE_COMPONENT } from './store-migrations';

export interface PostgresStoreOptions {
  /** `postgres://user@host:port/db`; ignored when `pool` is given. */
  connectionString?: string;
  /** A pool the host owns (the store never ends it). */
  pool?: pg.Pool;
  /** Schema holding the tables (default `spec_kitty`); created when missing. */
  schema?: string;
  /** Connections of the pool the store creates (default 10). */
  poolSize?: number;
  /** Run pending migrations on open (default true). With false, opening fails unless the schema is current. */
  migrate?: boolean;
}

const DEFAULT_SCHEMA = 'spec_kitty';

/** Redacts the password of a connection string for messages. */
export function redactConnectionString(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/**
 * A PostgreSQL database shared by many scopes (bindings, tenants) and processes. `scope(id)`
 * gives the `IssueStore` of one scope; the database also holds each scope's run lease and run
 * log. Tables live in one schema, migrated forward-only on open (`schema_version`).
 */
export class PostgresStore {
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly #context: StoreContext;
  readonly #ownsPool: boolean;
  #closed = false;

  private constructor(pool: pg.Pool, schema: string, ownsPool: boolean) {
    this.pool = pool;
    this.schema = schema;
    this.#ownsPool = ownsPool;
    this.#context = { pool, schema: quoteSchema(schema), schemaName: schema };
  }

  /** Connects, and migrates the schema unless `migrate: false`. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema ?? DEFAULT_SCHEMA;
    quoteSchema(schema);
    if (!options.pool && !options.connectionString) {
      throw new PostgresStoreError(
        'PostgresStore.open needs a connectionString (postgres://user@host:port/database) or a pg Pool.',
      );
    }
    const pool =
      options.pool ??
      new pg.Pool({
        connectionString: options.connectionString,
        max: options.poolSize ?? 10,
        application_name: 'spec-kitty-tracker',
      });
    // An idle client losing its server must not crash the process; the next query reports it.
    if (!options.pool) pool.on('error', () => undefined);
    const store = new PostgresStore(pool, schema, !options.pool);
    try {
      if (options.migrate ?? true) {
        await migrateComponent(pool, { schema, component: STORE_COMPONENT, migrations: POSTGRES_MIGRATIONS });
      } else {
        const version = await readComponentVersion(pool, schema, STORE_COMPONENT);
        if (version !== LATEST_SCHEMA_VERSION) {
          throw new PostgresStoreError(
            `The store schema in ${schema} is at version ${version}, this release needs ${LATEST_SCHEMA_VERSION}. Open it once with migrate: true.`,
          );
        }
      }
    } catch (error) {
      await store.close();
      if (PostgresStoreError.isInstance(error)) throw error;
      const where = options.connectionString ? redactConnectionString(options.connectionString) : 'the pool';
      throw new PostgresStoreError(
        `Cannot open the PostgreSQL store at ${where}: ${(error as Error).message}. Check the URL, that the server runs and that the user may create tables.`,
        { cause: error },
      );
    }
    return store;
  }

  /** The `IssueStore` of one scope; cheap, make one per run. */
  scope(scopeId: string, options?: PostgresIssueStoreOptions): PostgresIssueStore {
    return new PostgresIssueStore(this.#context, scopeId, options);
  }

  /** The store schema version recorded in the database. */
  schemaVersion(): Promise<number> {
    return readComponentVersion(this.pool, this.schema, STORE_COMPONENT);
  }

  acquireRunLease(scopeId: string, options: RunLeaseOptions): Promise<RunLease> {
    return acquireRunLease(this.#context, scopeId, options);
  }

  readRunLease(scopeId: string): Promise<RunLeaseHolder | null> {
    return readRunLease(this.#context, scopeId);
  }

  forceReleaseRunLease(scopeId: string): Promise<RunLeaseHolder | null> {
    return forceReleaseRunLease(this.#context, scopeId);
  }

  /** Most recent runs first, of every scope or of one. */
  async listRuns(query?: { scopeId?: string; limit?: number }): Promise<SyncRunRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM ${this.#context.schema}.runs WHERE ($1::text IS NULL OR scope_id = $1) ORDER BY id DESC LIMIT $2`,
      [query?.scopeId ?? null, query?.limit ?? 100],
    );
    return rows.map(runRecordFromRow);
  }

  /**
   * Scopes whose webhook inbox holds a delivery due now (queued and due, or in flight with an
   * expired lease), so a scheduler can start a drain for each; at most `limit`, any order.
   */
  async scopesWithDueDeliveries(options: { now?: Date; limit?: number } = {}): Promise<string[]> {
    const { rows } = await this.pool.query<{ scope_id: string }>(
      `SELECT DISTINCT scope_id FROM ${this.#context.schema}.webhook_inbox
       WHERE state IN ('queued', 'in_flight') AND available_at <= COALESCE($1::timestamptz, clock_timestamp())
       LIMIT $2`,
      [options.now ?? null, options.limit ?? 1000],
    );
    return rows.map((row) => row.scope_id);
  }

  /**
   * Removes the markers of webhook deliveries completed before `before`, in every scope (queued,
   * in-flight and dead deliveries stay); returns how many were removed. A delivery id redelivered
   * after its marker is gone is queued again, so keep markers longer than vendors redeliver.
   */
  async pruneDoneDeliveries(before: Date): Promise<number> {
    const cutoff = validDate(before, 'pruneDoneDeliveries: before');
    const result = await this.pool.query(
      `DELETE FROM ${this.#context.schema}.webhook_inbox WHERE state = 'done' AND completed_at < $1`,
      [cutoff],
    );
    return result.rowCount ?? 0;
  }

  /** Removes every row of a scope (issues, bases, tombstones, checkpoints, mappings, runs, conflicts, lease, webhook inbox). */
  async deleteScope(scopeId: string): Promise<void> {
    const schema = this.#context.schema;
    await inTransaction(this.pool, async (client) => {
      for (const table of [
        'conflicts',
        'runs',
        'issues',
        'sync_bases',
        'tombstones',
        'checkpoints',
        'mappings',
        'run_leases',
        'webhook_inbox',
      ]) {
        await client.query(`DELETE FROM ${schema}.${table} WHERE scope_id = $1`, [scopeId]);
      }
    });
  }

  get isOpen(): boolean {
    return !this.#closed;
  }

  /** Ends the pool the store created (a host's pool is left alone). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsPool) await this.pool.end();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
