import type pg from 'pg';

/** What the store's modules share: the pool and the quoted schema holding the tables. */
export interface StoreContext {
  /** The `pg` pool every query runs on. */
  readonly pool: pg.Pool;
  /** Quoted schema name, safe to interpolate (validated by `quoteSchema`). */
  readonly schema: string;
  /** The unquoted name, for messages. */
  readonly schemaName: string;
}

/** Runs `fn` in one transaction on one pooled connection; rolls back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
