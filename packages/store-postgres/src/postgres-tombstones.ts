import {
  createTombstone,
  refFromJSON,
  refIdentity,
  refToJSON,
  type TombstoneReason,
  type TombstoneRecord,
} from '@spec-kitty/core';
import type pg from 'pg';
import { PostgresStoreError } from './store-errors';

/** A tombstones row as read back. */
export interface TombstoneRow {
  identity: string;
  ref: string;
  reason: string;
  moved_to: string | null;
  observed_at: string;
  origin: string;
  pushed: boolean;
}

export const TOMBSTONE_COLUMNS = 'identity, ref, reason, moved_to, observed_at, origin, pushed';

/**
 * Validates a record the way `createTombstone` does, plus its origin and pushed flag, and
 * returns it as the store keeps it (frozen, refs normalised).
 */
export function validTombstone(record: TombstoneRecord): TombstoneRecord {
  const tombstone = createTombstone(record);
  if (record.origin !== 'remote' && record.origin !== 'local') {
    throw new PostgresStoreError(
      `putTombstone: origin must be 'remote' or 'local', got ${JSON.stringify(record.origin)}.`,
    );
  }
  if (typeof record.pushed !== 'boolean') {
    throw new PostgresStoreError(
      `putTombstone: pushed must be a boolean, got ${JSON.stringify(record.pushed)}.`,
    );
  }
  return Object.freeze({ ...tombstone, origin: record.origin, pushed: record.pushed });
}

export function tombstoneFromRow(row: TombstoneRow, scopeId: string): TombstoneRecord {
  try {
    return validTombstone({
      ref: refFromJSON(JSON.parse(row.ref)),
      reason: row.reason as TombstoneReason,
      movedTo: row.moved_to === null ? null : refFromJSON(JSON.parse(row.moved_to)),
      observedAt: row.observed_at,
      origin: row.origin === 'local' ? 'local' : 'remote',
      pushed: row.pushed,
    });
  } catch (error) {
    throw new PostgresStoreError(
      `The stored tombstone of ${row.identity} of scope ${scopeId} is unreadable: ${(error as Error).message}. Write it again with putTombstone.`,
      { cause: error },
    );
  }
}

/**
 * Upserts tombstones in one statement, whatever their number. Ordering uses `observed_ts`, the
 * instant `observedAt` names (to the millisecond, whatever its offset); `observed_at` keeps the
 * text as given.
 */
export async function writeTombstones(
  client: pg.PoolClient,
  table: string,
  scopeId: string,
  staged: Map<string, TombstoneRecord>,
): Promise<void> {
  if (staged.size === 0) return;
  const records = [...staged.values()];
  const column = <T>(pick: (record: TombstoneRecord) => T): T[] => records.map(pick);
  await client.query(
    `INSERT INTO ${table} (scope_id, identity, system, workspace, external_id, issue_key, ref, reason, moved_to,
       observed_at, observed_ts, origin, pushed)
     SELECT $1, u.* FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::text[], $10::text[], $11::timestamptz[], $12::text[], $13::boolean[]) AS u
     ON CONFLICT (scope_id, identity) DO UPDATE SET system = excluded.system, workspace = excluded.workspace,
       external_id = excluded.external_id, issue_key = excluded.issue_key, ref = excluded.ref,
       reason = excluded.reason, moved_to = excluded.moved_to, observed_at = excluded.observed_at,
       observed_ts = excluded.observed_ts, origin = excluded.origin, pushed = excluded.pushed`,
    [
      scopeId,
      column((r) => refIdentity(r.ref)),
      column((r) => r.ref.system),
      column((r) => r.ref.workspace),
      column((r) => r.ref.id),
      column((r) => r.ref.key),
      column((r) => JSON.stringify(refToJSON(r.ref))),
      column((r) => r.reason),
      column((r) => (r.movedTo === null ? null : JSON.stringify(refToJSON(r.movedTo)))),
      column((r) => r.observedAt),
      column((r) => new Date(Date.parse(r.observedAt)).toISOString()),
      column((r) => r.origin),
      column((r) => r.pushed),
    ],
  );
}
