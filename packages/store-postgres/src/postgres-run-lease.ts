import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { inTransaction, type StoreContext } from './store-context';
import { RunLeaseHeldError, type RunLeaseHolder, RunLeaseLostError } from './store-errors';

/**
 * A held run lease: at most one run per scope at a time, across every process sharing the
 * database. It expires unless renewed, so a crashed holder frees its scope after `ttlMs`;
 * `release()` is idempotent and only removes this lease, never a successor's.
 */
export interface RunLease {
  readonly holder: RunLeaseHolder;
  /** Extends the lease by its ttl; throws `RunLeaseLostError` when another run took it over. */
  renew(): Promise<void>;
  release(): Promise<void>;
  /** Inside `client`'s open transaction: locks the lease row, or throws `RunLeaseLostError`. */
  fence(client: pg.PoolClient): Promise<void>;
}

export interface RunLeaseOptions {
  /** What the holder is doing, shown to whoever finds the lease taken (e.g. `sync`). */
  command: string;
  /** Names the holder for operators (default `pid <pid> on <host>`). */
  holder?: string;
  /** The lease expires this long after it was taken or last renewed (default 60 000 ms). */
  ttlMs?: number;
  /** Wait up to this long for the lease before failing (default 0: fail at once). */
  waitMs?: number;
  /** Poll interval while waiting (default 200 ms). */
  pollMs?: number;
}

interface LeaseRow {
  scope_id: string;
  token: string;
  holder: string;
  command: string;
  acquired_at: Date;
  expires_at: Date;
}

const DEFAULT_TTL_MS = 60_000;

function toHolder(row: LeaseRow): RunLeaseHolder {
  return {
    scopeId: row.scope_id,
    token: row.token,
    holder: row.holder,
    command: row.command,
    acquiredAt: row.acquired_at,
    expiresAt: row.expires_at,
  };
}

/** The current, unexpired lease of `scopeId`, or null. */
export async function readRunLease(context: StoreContext, scopeId: string): Promise<RunLeaseHolder | null> {
  const { rows } = await context.pool.query<LeaseRow>(
    `SELECT * FROM ${context.schema}.run_leases WHERE scope_id = $1 AND expires_at > now()`,
    [scopeId],
  );
  return rows[0] ? toHolder(rows[0]) : null;
}

/** One attempt: takes a free or expired lease in one statement (the row lock decides races). */
export async function tryAcquireRunLease(
  context: StoreContext,
  scopeId: string,
  options: RunLeaseOptions,
): Promise<RunLease | RunLeaseHolder> {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const token = randomUUID();
  const holderText = options.holder ?? `pid ${process.pid} on ${hostname()}`;
  const { rows } = await context.pool.query<LeaseRow>(
    `INSERT INTO ${context.schema}.run_leases AS l (scope_id, token, holder, command, acquired_at, expires_at)
     VALUES ($1, $2, $3, $4, now(), now() + make_interval(secs => $5::double precision / 1000))
     ON CONFLICT (scope_id) DO UPDATE SET token = excluded.token, holder = excluded.holder,
       command = excluded.command, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
     WHERE l.expires_at <= now()
     RETURNING *`,
    [scopeId, token, holderText, options.command, ttlMs],
  );
  const taken = rows[0];
  if (taken === undefined) {
    const current = await readRunLease(context, scopeId);
    // Expired between the two statements: try again at once.
    return current ?? tryAcquireRunLease(context, scopeId, options);
  }
  const holder = toHolder(taken);
  let released = false;
  const lost = () =>
    new RunLeaseLostError(
      `The run lease of scope ${scopeId} (${holderText}) expired and was taken over or released; this run's writes are refused. Raise the lease ttl or renew it more often.`,
    );
  return {
    holder,
    async renew() {
      const result = await context.pool.query(
        `UPDATE ${context.schema}.run_leases SET expires_at = now() + make_interval(secs => $3::double precision / 1000)
         WHERE scope_id = $1 AND token = $2 AND expires_at > now()`,
        [scopeId, token, ttlMs],
      );
      if (result.rowCount !== 1) throw lost();
    },
    async release() {
      if (released) return;
      released = true;
      await context.pool.query(
        `DELETE FROM ${context.schema}.run_leases WHERE scope_id = $1 AND token = $2`,
        [scopeId, token],
      );
    },
    async fence(client) {
      const result = await client.query(
        `SELECT 1 FROM ${context.schema}.run_leases WHERE scope_id = $1 AND token = $2 AND expires_at > now() FOR SHARE`,
        [scopeId, token],
      );
      if (result.rowCount !== 1) throw lost();
    },
  };
}

/** Acquires the lease of `scopeId`, waiting up to `waitMs`; throws `RunLeaseHeldError` naming the holder. */
export async function acquireRunLease(
  context: StoreContext,
  scopeId: string,
  options: RunLeaseOptions,
): Promise<RunLease> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    const result = await tryAcquireRunLease(context, scopeId, options);
    if ('release' in result) return result;
    if (Date.now() >= deadline) {
      throw new RunLeaseHeldError(
        `Another run holds the lease of scope ${scopeId}: \`${result.command}\` by ${result.holder} since ${result.acquiredAt.toISOString()} (expires ${result.expiresAt.toISOString()}). Wait for it to finish; a crashed holder's lease expires by itself.`,
        { holder: result },
      );
    }
    await sleep(Math.min(options.pollMs ?? 200, Math.max(1, deadline - Date.now())));
  }
}

/** Removes the lease of `scopeId` whoever holds it; returns who did. For operators only. */
export async function forceReleaseRunLease(
  context: StoreContext,
  scopeId: string,
): Promise<RunLeaseHolder | null> {
  return inTransaction(context.pool, async (client) => {
    const { rows } = await client.query<LeaseRow>(
      `DELETE FROM ${context.schema}.run_leases WHERE scope_id = $1 RETURNING *`,
      [scopeId],
    );
    return rows[0] ? toHolder(rows[0]) : null;
  });
}
