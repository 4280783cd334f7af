import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, inject } from 'vitest';
// @ts-expect-error -- a plain ESM fixture shared with the worker child processes.
import { seededMemoryFactory } from '../test-fixtures/seeded-memory.mjs';
import type { ConnectorFactory } from './connector-factory';
import { SyncWorker, type SyncWorkerOptions } from './sync-worker';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export function databaseUrl(): string {
  return inject('databaseUrl');
}

export function freshSchema(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

/** Drops a worker schema and its pg-boss schema. */
export async function dropWorkerSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS "${schema}_boss" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes (then fails with `what`). */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Pairs of runs of one binding whose lifetimes overlap, from the run log. A run that never
 * finished (its process was killed) counts as running until `killedAt`.
 */
export async function overlappingRuns(
  pool: pg.Pool,
  schema: string,
  killedAt: Date | null = null,
): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT COUNT(*) AS n FROM "${schema}".runs a JOIN "${schema}".runs b
       ON a.scope_id = b.scope_id AND a.id < b.id
     WHERE a.started_at < COALESCE(b.finished_at, $1::timestamptz, 'infinity')
       AND b.started_at < COALESCE(a.finished_at, $1::timestamptz, 'infinity')`,
    [killedAt],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Short intervals, leases and retries, so worker tests finish in seconds. */
export const FAST_WORKER_OPTIONS = {
  pollingIntervalSeconds: 0.5,
  maintenanceIntervalSeconds: 1,
  tickIntervalMs: 0,
  leaseTtlMs: 3000,
  jobExpireSeconds: 10,
  retryDelaySeconds: 1,
  deferSeconds: 1,
  poolSize: 3,
  engineOptions: { maxRetryAttempts: 0 },
} as const satisfies Partial<SyncWorkerOptions>;

/** What `useWorkers` hands a test file. */
export interface TestWorkers {
  /**
   * Starts `count` workers on `options.schema` (ids `worker-<n>` unless `options.workerId`), with
   * the fast options and the seeded memory connector unless `options` says otherwise.
   */
  start(count: number, options: Partial<SyncWorkerOptions> & { schema: string }): Promise<SyncWorker[]>;
  /** Runs `cleanup` after the test, before the cleanups registered earlier. */
  defer(cleanup: () => Promise<void>): void;
}

/**
 * For a test file that starts workers: after each test, everything `start` started is stopped and
 * its schema dropped, and every deferred cleanup runs, the latest first.
 */
export function useWorkers(): TestWorkers {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    async start(count, options) {
      const workers = await Promise.all(
        Array.from({ length: count }, (_, index) =>
          SyncWorker.start({
            connectionString: databaseUrl(),
            workerId: `worker-${index}`,
            ...FAST_WORKER_OPTIONS,
            createConnector: seededMemoryFactory as ConnectorFactory,
            ...options,
          }),
        ),
      );
      cleanups.push(async () => {
        await Promise.all(workers.map((worker) => worker.stop({ timeoutMs: 5000 })));
        await dropWorkerSchema(options.schema);
      });
      return workers;
    },
    defer(cleanup) {
      cleanups.push(cleanup);
    },
  };
}
