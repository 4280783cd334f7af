import {
  createTombstone,
  type ExternalRef,
  refFromJSON,
  refIdentity,
  refToJSON,
  type TombstoneQuery,
  type TombstoneReason,
  type TombstoneRecord,
} from '@spec-kitty/core';
import type Database from 'better-sqlite3';
import { SqliteStoreError } from './store-errors';

interface TombstoneRow {
  identity: string;
  ref: string;
  reason: string;
  moved_to: string | null;
  observed_at: string;
  origin: string;
  pushed: number;
}

/**
 * The tombstones table's statements. A tombstone is a row of its own keyed by the issue's
 * identity: the issue row and its sync base stay as they were, so nothing is silently deleted
 * and a tombstone can be lifted without re-pulling the issue.
 */
export class SqliteTombstones {
  readonly #db: Database.Database;
  readonly #put: Database.Statement;
  readonly #get: Database.Statement;
  /** One prepared listing per filter combination, so each can use the index that fits it. */
  readonly #lists = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
    this.#put = db.prepare(
      `INSERT INTO tombstones (identity, system, workspace, external_id, issue_key, ref, reason, moved_to,
         observed_at, observed_ms, origin, pushed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (identity) DO UPDATE SET system = excluded.system, workspace = excluded.workspace,
         external_id = excluded.external_id, issue_key = excluded.issue_key, ref = excluded.ref,
         reason = excluded.reason, moved_to = excluded.moved_to, observed_at = excluded.observed_at,
         observed_ms = excluded.observed_ms, origin = excluded.origin, pushed = excluded.pushed`,
    );
    this.#get = db.prepare(
      'SELECT identity, ref, reason, moved_to, observed_at, origin, pushed FROM tombstones WHERE identity = ?',
    );
  }

  put(record: TombstoneRecord): void {
    const valid = validTombstone(record);
    const ref = valid.ref;
    this.#put.run(
      refIdentity(ref),
      ref.system,
      ref.workspace,
      ref.id,
      ref.key,
      JSON.stringify(refToJSON(ref)),
      valid.reason,
      valid.movedTo === null ? null : JSON.stringify(refToJSON(valid.movedTo)),
      valid.observedAt,
      Date.parse(valid.observedAt),
      valid.origin,
      valid.pushed ? 1 : 0,
    );
  }

  get(ref: ExternalRef): TombstoneRecord | null {
    const row = this.#get.get(refIdentity(ref)) as TombstoneRow | undefined;
    return row ? this.#parse(row) : null;
  }

  list(query: TombstoneQuery = {}): TombstoneRecord[] {
    const filters: string[] = [];
    const params: Record<string, string | number> = {};
    if (query.system !== undefined) {
      filters.push('system = @system');
      params.system = query.system;
    }
    if (query.origin !== undefined) {
      filters.push('origin = @origin');
      params.origin = query.origin;
    }
    if (query.pushed !== undefined) filters.push(query.pushed ? 'pushed = 1' : 'pushed = 0');
    const where = filters.length === 0 ? '' : `WHERE ${filters.join(' AND ')}`;
    let statement = this.#lists.get(where);
    if (statement === undefined) {
      statement = this.#db.prepare(
        `SELECT identity, ref, reason, moved_to, observed_at, origin, pushed FROM tombstones ${where}
         ORDER BY observed_ms, identity`,
      );
      this.#lists.set(where, statement);
    }
    return (statement.all(params) as TombstoneRow[]).map((row) => this.#parse(row));
  }

  #parse(row: TombstoneRow): TombstoneRecord {
    try {
      const tombstone = createTombstone({
        ref: refFromJSON(JSON.parse(row.ref)),
        reason: row.reason as TombstoneReason,
        movedTo: row.moved_to === null ? null : refFromJSON(JSON.parse(row.moved_to)),
        observedAt: row.observed_at,
      });
      return Object.freeze({
        ...tombstone,
        origin: row.origin === 'local' ? 'local' : 'remote',
        pushed: row.pushed === 1,
      });
    } catch (error) {
      throw new SqliteStoreError(
        `The stored tombstone of ${row.identity} in ${this.#db.name} is unreadable: ${(error as Error).message}. Write it again with putTombstone.`,
        { cause: error },
      );
    }
  }
}

/** Validates a record the way `createTombstone` does, plus its origin and pushed flag. */
function validTombstone(record: TombstoneRecord): TombstoneRecord {
  const tombstone = createTombstone(record);
  if (record.origin !== 'remote' && record.origin !== 'local') {
    throw new SqliteStoreError(
      `putTombstone: origin must be 'remote' or 'local', got ${JSON.stringify(record.origin)}.`,
    );
  }
  if (typeof record.pushed !== 'boolean') {
    throw new SqliteStoreError(
      `putTombstone: pushed must be a boolean, got ${JSON.stringify(record.pushed)}.`,
    );
  }
  return { ...tombstone, origin: record.origin, pushed: record.pushed };
}
