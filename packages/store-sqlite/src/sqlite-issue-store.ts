import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  assertConflictTakesDecision,
  type BatchingIssueStore,
  type CanonicalIssue,
  type CheckpointStore,
  type ConflictDecision,
  type ConflictDecisionState,
  type ConflictRecord,
  type ConflictResolution,
  type ConflictStrategy,
  createCheckpoint,
  decidedValue,
  type EnqueueDeliveryResult,
  type ExternalRef,
  type InboxDelivery,
  type InboxDeliveryInit,
  type InboxStats,
  type IssueStore,
  type JsonValue,
  refFromJSON,
  refIdentity,
  refToJSON,
  type StoredConflict,
  type SyncBaseStore,
  type SyncCheckpoint,
  type TombstoneQuery,
  type TombstoneRecord,
  type TombstoneStore,
  type UnsyncedIssue,
  type UnsyncedIssueStore,
  type WebhookInbox,
} from '@spec-kitty/core';
import Database from 'better-sqlite3';
import { deserializeIssue, type SerializedIssue, serializeIssue } from './issue-payload';
import { LATEST_SCHEMA_VERSION, migrate, readSchemaVersion } from './sqlite-migrations';
import type { SyncRunRecord, WorkPackageMapping } from './sqlite-records';
import {
  acquireRunLock,
  forceReleaseRunLock,
  type RunLock,
  type RunLockOptions,
  readRunLock,
} from './sqlite-run-lock';
import { SqliteTombstones } from './sqlite-tombstones';
import { SqliteWebhookInbox } from './sqlite-webhook-inbox';
import { statementTrace } from './statement-trace';
import { type RunLockHolder, SqliteStoreError } from './store-errors';

/** What `storedBytes()` reports, in bytes. */
export interface StoredBytes {
  /** Issue rows: identity, payload, raw and content key. */
  readonly issues: number;
  /** Of which the raw vendor JSON. */
  readonly issueRaw: number;
  /** Sync base rows, likewise. */
  readonly syncBases: number;
  /** Of which raw vendor JSON a base keeps of its own (it differs from its issue's). */
  readonly syncBaseRaw: number;
}

export interface SqliteIssueStoreOptions {
  /** Database file; `:memory:` for a private in-memory database. Parent directories are created. */
  path: string;
  /** How long a statement waits for another connection's write lock (default 10 000 ms). */
  busyTimeoutMs?: number;
  /**
   * `full` (default): every committed write survives a crash of the process or the machine.
   * `normal`: survives a process crash; the last writes may roll back on power loss (faster).
   */
  synchronous?: 'full' | 'normal';
  /** Open without writing; fails if the schema is not already current. */
  readonly?: boolean;
}

interface IssueRow {
  identity: string;
  payload: string;
  raw: string | null;
}

interface CheckpointRow {
  cursor: string | null;
  updated_since: string | null;
}

interface MappingRow {
  work_package_id: string;
  ref: string;
  created_at: string;
}

interface RunRow {
  id: number;
  command: string;
  scope: string;
  started_at: string;
  finished_at: string | null;
  outcome: string | null;
  summary: string | null;
}

interface ConflictRow {
  id: number;
  run_id: number;
  identity: string | null;
  field_name: string;
  local_value: string | null;
  external_value: string | null;
  resolved_value: string | null;
  strategy: string;
  manual_review_required: number;
  acknowledged_at: string | null;
  pending: number;
  ref: string | null;
  resolution_value: string | null;
  resolved_at: string | null;
  applied_at: string | null;
}

/** The settled promise the hot write methods return. */
const DONE: Promise<void> = Promise.resolve();

function toJsonText(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

function fromJsonText(text: string | null): JsonValue {
  return text === null ? null : (JSON.parse(text) as JsonValue);
}

/**
 * A durable `IssueStore` on SQLite (better-sqlite3), which also keeps sync bases (three-way
 * merge), engine checkpoints per scope, work-package mappings, a run journal with conflict
 * records, and an advisory run lock. Issues are stored as the wire JSON (`issueToJSON`, with
 * `raw` in a column of its own so a sync base can share it instead of repeating it) plus
 * indexed columns. Tombstones (issues gone from the tracker, or deleted locally) are rows of
 * their own: the issue and its sync base stay. Every write is its own committed transaction
 * (WAL), so a crash loses nothing already written, except inside `batch()`, whose writes commit
 * together; concurrent connections wait on each other (`busy_timeout`).
 */
export class SqliteIssueStore
  implements
    IssueStore,
    SyncBaseStore,
    CheckpointStore,
    UnsyncedIssueStore,
    BatchingIssueStore,
    TombstoneStore,
    WebhookInbox
{
  readonly path: string;
  /** The connection; `#db` is the same after writing the rows a batch holds back. */
  readonly #conn: Database.Database;
  /** The prepared statements; `#stmt` is the same after writing the rows a batch holds back. */
  readonly #statements: ReturnType<typeof prepareStatements>;
  /** Multi-row INSERTs for the rows a batch holds back, by row count. */
  readonly #issueInserts = new Map<number, Database.Statement>();
  readonly #baseInserts = new Map<number, Database.Statement>();
  readonly #tombstones: SqliteTombstones;
  readonly #inbox: SqliteWebhookInbox;
  /** Settles when the open `batch()` has committed or rolled back; null when none is open. */
  #openBatch: Promise<void> | null = null;
  /** Set inside a `batch()` callback, so an inbox method called there fails instead of waiting for itself. */
  readonly #insideBatch = new AsyncLocalStorage<true>();
  /**
   * Whether batches run inside `#insideBatch`: only once the store is used as a webhook inbox. On
   * Node 20 and 22 an `AsyncLocalStorage` in use hooks every promise the process makes (about 6%
   * of a cold pull's CPU), which a store that is no inbox need not pay.
   */
  #tracksBatches = false;
  /** Whether the open batch runs inside `#insideBatch`. */
  #openBatchTracked = false;
  readonly #busyTimeoutMs: number;
  /**
   * The issue row written last inside the open batch (its identity, its text, the batch epoch), so
   * a base recorded right after it shares its payload and raw without reading the row back.
   * Fields, not an object, so a pull allocates nothing for it per issue.
   */
  #lastWrittenIdentity: string | null = null;
  #lastWrittenRow: SerializedIssue | null = null;
  #lastWrittenEpoch = 0;
  /** Moves at every batch begin and end and at every rollback, so `#lastWritten…` is trusted only within one batch. */
  #batchEpoch = 0;
  /** The last issue serialised: a pull writes the same (immutable) issue as issue and as base. */
  #lastSerializedIssue: CanonicalIssue | null = null;
  #lastSerializedRow: SerializedIssue | null = null;
  /** Inside `batch()`: the one `stored_at` of its writes (they commit at once), made once, not per row. */
  #batchStamp: string | null = null;
  /** Savepoints taken by nested batches, for unique names. */
  #savepoints = 0;
  /**
   * Inside a batch, issue and base rows are held back (their statement parameters, in order) and
   * written with one multi-row INSERT per table when anything else touches the database, or when
   * the batch commits. A row is held at most once per identity (a second write of it, or a base
   * write before its issue's, writes the held rows first), so issue rows, then base rows, keep
   * the order the triggers depend on.
   */
  readonly #heldIssues: unknown[] = [];
  readonly #heldIssueIds = new Set<string>();
  readonly #heldBases: unknown[] = [];
  readonly #heldBaseIds = new Set<string>();
  /** Why writing held rows failed in the open batch: it then rolls back instead of committing without them. */
  #heldFailure: { error: unknown } | null = null;

  /** The connection, once the rows a batch holds back are written: every use but the batch's own writes. */
  get #db(): Database.Database {
    this.#writeHeld();
    return this.#conn;
  }

  /** The prepared statements, once the rows a batch holds back are written. */
  get #stmt(): ReturnType<typeof prepareStatements> {
    this.#writeHeld();
    return this.#statements;
  }

  #writeHeld(): void {
    if (this.#heldIssueIds.size === 0 && this.#heldBaseIds.size === 0) return;
    const issues = this.#heldIssueIds.size;
    const bases = this.#heldBaseIds.size;
    this.#heldIssueIds.clear();
    this.#heldBaseIds.clear();
    try {
      if (issues > 0) this.#insertRows(this.#heldIssues, issues, ISSUE_COLUMNS, this.#issueInserts);
      if (bases > 0) this.#insertRows(this.#heldBases, bases, BASE_COLUMNS, this.#baseInserts);
    } catch (error) {
      // Whichever call wrote them gets the error; the batch fails with it too.
      this.#heldFailure ??= { error };
      throw error;
    } finally {
      this.#heldIssues.length = 0;
      this.#heldBases.length = 0;
    }
  }

  /** Forgets the held rows: the transaction they belong to is rolling back. */
  #dropHeld(): void {
    this.#heldIssueIds.clear();
    this.#heldBaseIds.clear();
    this.#heldIssues.length = 0;
    this.#heldBases.length = 0;
  }

  #insertRows(
    params: unknown[],
    rows: number,
    columns: readonly string[],
    statements: Map<number, Database.Statement>,
  ): void {
    for (let start = 0; start < rows; start += MAX_ROWS_PER_INSERT) {
      const count = Math.min(MAX_ROWS_PER_INSERT, rows - start);
      let statement = statements.get(count);
      if (statement === undefined) {
        statement = this.#conn.prepare(multiRowUpsert(columns, count));
        statements.set(count, statement);
      }
      statement.run(
        count === rows ? params : params.slice(start * columns.length, (start + count) * columns.length),
      );
    }
  }

  #serialize(issue: CanonicalIssue): SerializedIssue {
    if (this.#lastSerializedIssue === issue && this.#lastSerializedRow !== null)
      return this.#lastSerializedRow;
    const row = serializeIssue(issue);
    this.#lastSerializedIssue = issue;
    this.#lastSerializedRow = row;
    return row;
  }

  constructor(options: SqliteIssueStoreOptions) {
    this.path = options.path === ':memory:' ? ':memory:' : resolve(options.path);
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
    try {
      if (this.path !== ':memory:' && !options.readonly) mkdirSync(dirname(this.path), { recursive: true });
      this.#conn = new Database(this.path, {
        readonly: options.readonly ?? false,
        fileMustExist: options.readonly ?? false,
        timeout: options.busyTimeoutMs ?? 10_000,
        verbose: statementTrace(),
      });
    } catch (error) {
      throw new SqliteStoreError(
        `Cannot open the SQLite store at ${this.path}: ${(error as Error).message}. Check that the path exists and is writable.`,
        { cause: error },
      );
    }
    try {
      if (!options.readonly) {
        const db = this.#conn;
        // Two processes opening a new store at once race to switch it to WAL and migrate it;
        // SQLite answers the loser SQLITE_BUSY at once (the busy timeout does not cover a
        // journal-mode change), so the open steps retry until the busy timeout runs out.
        retryWhileBusy(() => {
          if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') {
            db.pragma('journal_mode = WAL');
          }
        }, options.busyTimeoutMs ?? 10_000);
        db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
        db.pragma('foreign_keys = ON');
        retryWhileBusy(() => {
          migrate(db);
          backfillContentKeys(db);
        }, options.busyTimeoutMs ?? 10_000);
      } else {
        const version = readSchemaVersion(this.#conn);
        if (version !== LATEST_SCHEMA_VERSION) {
          throw new SqliteStoreError(
            `Cannot open ${this.path} read-only: its schema version is ${version}, this release needs ${LATEST_SCHEMA_VERSION}. Open it once read-write to migrate it.`,
          );
        }
      }
      this.#statements = prepareStatements(this.#conn);
      this.#tombstones = new SqliteTombstones(this.#conn);
      this.#inbox = new SqliteWebhookInbox(this.#conn);
    } catch (error) {
      this.#conn.close();
      if (SqliteStoreError.isInstance(error)) throw error;
      throw new SqliteStoreError(
        `Cannot use ${this.path} as a spec-kitty tracker store: ${(error as Error).message}. Point the store at a new file or at one this package created.`,
        { cause: error },
      );
    }
  }

  /** Opens (creating and migrating as needed) the store at `path`. */
  static open(path: string, options: Omit<SqliteIssueStoreOptions, 'path'> = {}): SqliteIssueStore {
    return new SqliteIssueStore({ ...options, path });
  }

  /** The schema version of the open database. */
  get schemaVersion(): number {
    return readSchemaVersion(this.#db);
  }

  get isOpen(): boolean {
    return this.#conn.open;
  }

  /** Closes the connection; a batch still open rolls back, rows it held back included. */
  close(): void {
    this.#dropHeld();
    if (this.#conn.open) this.#conn.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  // ── IssueStore ────────────────────────────────────────────────────────────────────────────

  async listIssues(query?: { system?: string | null }): Promise<CanonicalIssue[]> {
    const system = query?.system ?? null;
    const rows = (
      system === null ? this.#stmt.listIssues.all() : this.#stmt.listIssuesBySystem.all(system)
    ) as IssueRow[];
    return rows.map((row) => this.#parseIssue(row, 'issues'));
  }

  // The hot methods of a pull return settled promises rather than being async (no async frame per
  // call); a failure still rejects the promise, as an async method's would.
  getIssue(ref: ExternalRef): Promise<CanonicalIssue | null> {
    try {
      return Promise.resolve(this.#getIssue(ref));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #getIssue(ref: ExternalRef): CanonicalIssue | null {
    const identity = refIdentity(ref);
    // Rows held back for other identities cannot change this one's row.
    const statements = this.#heldIssueIds.has(identity) ? this.#stmt : this.#statements;
    const row = statements.getIssue.get(identity) as IssueRow | undefined;
    return row ? this.#parseIssue(row, 'issues') : null;
  }

  upsertIssue(issue: CanonicalIssue): Promise<void> {
    try {
      this.#upsertIssue(issue);
      return DONE;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #upsertIssue(issue: CanonicalIssue): void {
    const identity = refIdentity(issue.ref);
    const row = this.#serialize(issue);
    const ref = issue.ref;
    if (this.#openBatch === null) {
      this.#stmt.upsertIssue.run(
        identity,
        ref.system,
        ref.workspace,
        ref.id,
        ref.key,
        row.updatedAt,
        row.payload,
        row.raw,
        new Date().toISOString(),
        row.contentKey,
      );
      this.#lastWrittenIdentity = null;
      return;
    }
    // Inside a batch the row is held back and written with others (see `#heldIssues`).
    if (this.#heldIssueIds.has(identity) || this.#heldBaseIds.has(identity)) this.#writeHeld();
    this.#heldIssueIds.add(identity);
    this.#heldIssues.push(
      identity,
      ref.system,
      ref.workspace,
      ref.id,
      ref.key,
      row.updatedAt,
      row.payload,
      row.raw,
      this.#batchStamp,
      row.contentKey,
    );
    // The batch holds the write lock until the base is written: its row is known without a read.
    this.#lastWrittenIdentity = identity;
    this.#lastWrittenRow = row;
    this.#lastWrittenEpoch = this.#batchEpoch;
  }

  async deleteIssue(ref: ExternalRef): Promise<void> {
    const identity = refIdentity(ref);
    this.#inTransaction(() => {
      // A sync base sharing this issue's raw keeps its own copy from now on.
      this.#stmt.unshareBaseRaw.run(identity);
      this.#stmt.deleteIssue.run(identity);
    });
    this.#lastWrittenIdentity = null;
  }

  /** Number of issues, optionally for one system (cheap: no payload parsing). */
  async countIssues(query?: { system?: string | null }): Promise<number> {
    const system = query?.system ?? null;
    const row = (
      system === null ? this.#stmt.countIssues.get() : this.#stmt.countIssuesBySystem.get(system)
    ) as {
      n: number;
    };
    return row.n;
  }

  // ── SyncBaseStore ─────────────────────────────────────────────────────────────────────────

  getSyncBase(ref: ExternalRef): Promise<CanonicalIssue | null> {
    try {
      return Promise.resolve(this.#getSyncBase(ref));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #getSyncBase(ref: ExternalRef): CanonicalIssue | null {
    const identity = refIdentity(ref);
    // A base reads its own row and its issue's; rows held back for other identities change neither.
    const statements =
      this.#heldIssueIds.has(identity) || this.#heldBaseIds.has(identity) ? this.#stmt : this.#statements;
    const row = statements.getBase.get(identity) as IssueRow | undefined;
    return row ? this.#parseIssue(row, 'sync_bases') : null;
  }

  /**
   * A base equal to the stored issue (the usual case: both were just written from one pulled
   * issue) shares the issue's payload instead of repeating it; triggers copy the payload into the
   * base before the issue's payload changes or the issue is deleted, so the base never changes
   * with it. Likewise the base keeps no raw vendor JSON when the issue holds the same raw; such
   * a base reads back the issue's current raw: raw is not content, and the merge never reads it.
   */
  putSyncBase(issue: CanonicalIssue): Promise<void> {
    try {
      this.#putSyncBase(issue);
      return DONE;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #putSyncBase(issue: CanonicalIssue): void {
    const identity = refIdentity(issue.ref);
    const row = this.#serialize(issue);
    const written = this.#lastWrittenRow;
    if (
      this.#openBatch !== null &&
      this.#lastWrittenIdentity === identity &&
      this.#lastWrittenEpoch === this.#batchEpoch &&
      written !== null
    ) {
      // Written by this batch, which still holds the write lock: the row is known without a read.
      if (this.#heldBaseIds.has(identity)) this.#writeHeld();
      const payloadShared = written.payload === row.payload;
      const rawShared = row.raw !== null && written.raw === row.raw;
      this.#heldBaseIds.add(identity);
      this.#heldBases.push(
        identity,
        payloadShared ? '' : row.payload,
        rawShared ? null : row.raw,
        rawShared ? 1 : 0,
        row.contentKey,
        payloadShared ? 1 : 0,
      );
      return;
    }
    this.#inTransaction(() => {
      const stored = this.#stmt.getIssueText.get(identity) as
        | { payload: string; raw: string | null }
        | undefined;
      this.#writeBase(identity, row, stored?.payload ?? null, stored?.raw ?? null);
    });
  }

  #writeBase(
    identity: string,
    row: SerializedIssue,
    issuePayload: string | null,
    issueRaw: string | null,
  ): void {
    const payloadShared = issuePayload === row.payload;
    const rawShared = row.raw !== null && issueRaw === row.raw;
    this.#stmt.putBase.run(
      identity,
      payloadShared ? '' : row.payload,
      rawShared ? null : row.raw,
      rawShared ? 1 : 0,
      row.contentKey,
      payloadShared ? 1 : 0,
    );
  }

  async deleteSyncBase(ref: ExternalRef): Promise<void> {
    this.#stmt.deleteBase.run(refIdentity(ref));
  }

  // ── UnsyncedIssueStore ────────────────────────────────────────────────────────────────────

  /**
   * Issues of `system` whose content differs from their sync base (or that have none), with one
   * indexed query: a no-op push parses no issue at all. A tombstoned issue is never listed (it is
   * not pushed as an edit); `total` still counts it, since its row is kept.
   */
  async listUnsyncedIssues(query: { system: string }): Promise<{ unsynced: UnsyncedIssue[]; total: number }> {
    const rows = this.#stmt.listUnsynced.all(query.system) as (IssueRow & {
      base_payload: string | null;
      base_raw: string | null;
    })[];
    const unsynced = rows.map((row) => ({
      issue: this.#parseIssue(row, 'issues'),
      base:
        row.base_payload === null
          ? null
          : this.#parseIssue(
              { identity: row.identity, payload: row.base_payload, raw: row.base_raw },
              'sync_bases',
            ),
    }));
    const { n } = this.#stmt.countIssuesBySystem.get(query.system) as { n: number };
    return { unsynced, total: n };
  }

  // ── TombstoneStore ────────────────────────────────────────────────────────────────────────

  /**
   * Records that an issue is gone (idempotent upsert by its identity). The issue row and its
   * sync base stay; the issue is no longer listed as unsynced. Inside `batch()` it commits with
   * the batch's other writes.
   */
  async putTombstone(record: TombstoneRecord): Promise<void> {
    this.#writeHeld();
    this.#tombstones.put(record);
  }

  async getTombstone(ref: ExternalRef): Promise<TombstoneRecord | null> {
    this.#writeHeld();
    return this.#tombstones.get(ref);
  }

  /** Tombstones oldest first (by observedAt, then identity), optionally filtered. */
  async listTombstones(query?: TombstoneQuery): Promise<TombstoneRecord[]> {
    this.#writeHeld();
    return this.#tombstones.list(query);
  }

  // ── WebhookInbox ──────────────────────────────────────────────────────────────────────────

  /**
   * Stores a verified delivery unless `(binding, deliveryId)` is known; committed (and, with the
   * default `synchronous: 'full'`, fsynced) when it resolves, so a host may answer the vendor 2xx.
   * While a `batch()` of this connection is open it waits for that batch to end, so a batch that
   * rolls back can never take an accepted delivery with it.
   */
  async enqueueDelivery(init: InboxDeliveryInit): Promise<EnqueueDeliveryResult> {
    await this.#ownTransaction('enqueueDelivery');
    return this.#inbox.enqueue(init);
  }

  /** Claims due deliveries in one `BEGIN IMMEDIATE` transaction: another process never claims the same rows. */
  async claimDeliveries(query: Parameters<WebhookInbox['claimDeliveries']>[0]): Promise<InboxDelivery[]> {
    await this.#ownTransaction('claimDeliveries');
    return this.#inbox.claim(query);
  }

  async completeDeliveries(ids: readonly string[], now?: Date): Promise<void> {
    await this.#ownTransaction('completeDeliveries');
    this.#inbox.complete(ids, now);
  }

  async releaseDelivery(id: string, outcome: Parameters<WebhookInbox['releaseDelivery']>[1]): Promise<void> {
    await this.#ownTransaction('releaseDelivery');
    this.#inbox.release(id, outcome);
  }

  /** Counts (a read: it does not wait for an open batch, whose writes never touch the inbox). */
  async inboxStats(binding?: string): Promise<InboxStats> {
    this.#tracksBatches = true;
    return this.#inbox.stats(binding);
  }

  async pruneDeliveries(before: Date): Promise<number> {
    await this.#ownTransaction('pruneDeliveries');
    return this.#inbox.prune(before);
  }

  /** Resolves when an inbox write can run in a transaction of its own on this connection. */
  async #ownTransaction(method: string): Promise<void> {
    const inside = (detail = '') =>
      new SqliteStoreError(
        `${method} commits on its own and cannot run inside batch(), which commits only when it ends${detail}; call it after the batch.`,
      );
    // From now on batches run inside `#insideBatch`, so a call from inside one is told apart.
    this.#tracksBatches = true;
    if (this.#insideBatch.getStore() === true) throw inside();
    while (this.#openBatch !== null) {
      if (this.#openBatchTracked) {
        await this.#openBatch;
      } else if (!(await settlesWithin(this.#openBatch, this.#busyTimeoutMs))) {
        // A batch opened before the store was used as an inbox cannot tell a call from inside it
        // apart: after waiting as long as for a write lock, the call is taken to come from inside.
        throw inside(` (it waited ${this.#busyTimeoutMs} ms for the open batch, busyTimeoutMs)`);
      }
    }
    if (this.#db.inTransaction) {
      throw new SqliteStoreError(
        `${method} commits on its own and cannot run inside transaction(); call it after the transaction.`,
      );
    }
  }

  // ── CheckpointStore ───────────────────────────────────────────────────────────────────────

  async getCheckpoint(scope: string): Promise<SyncCheckpoint | null> {
    const row = this.#stmt.getCheckpoint.get(scope) as CheckpointRow | undefined;
    if (!row) return null;
    return createCheckpoint({
      cursor: row.cursor,
      updatedSince: row.updated_since === null ? null : new Date(row.updated_since),
    });
  }

  putCheckpoint(scope: string, checkpoint: SyncCheckpoint): Promise<void> {
    try {
      this.#stmt.putCheckpoint.run(
        scope,
        checkpoint.cursor,
        checkpoint.updatedSince ? checkpoint.updatedSince.toISOString() : null,
        new Date().toISOString(),
      );
      return DONE;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Every stored checkpoint, by scope. */
  async listCheckpoints(): Promise<{ scope: string; checkpoint: SyncCheckpoint; writtenAt: Date }[]> {
    const rows = this.#stmt.listCheckpoints.all() as (CheckpointRow & {
      scope: string;
      written_at: string;
    })[];
    return rows.map((row) => ({
      scope: row.scope,
      checkpoint: createCheckpoint({
        cursor: row.cursor,
        updatedSince: row.updated_since === null ? null : new Date(row.updated_since),
      }),
      writtenAt: new Date(row.written_at),
    }));
  }

  async deleteCheckpoint(scope: string): Promise<void> {
    this.#stmt.deleteCheckpoint.run(scope);
  }

  // ── Work-package mappings ─────────────────────────────────────────────────────────────────

  /** Links a work package to an issue; linking the same pair again is a no-op. */
  async addMapping(workPackageId: string, ref: ExternalRef): Promise<WorkPackageMapping> {
    const id = workPackageId.trim();
    if (id === '') throw new SqliteStoreError('addMapping: the work package id must not be empty.');
    this.#stmt.addMapping.run(id, refIdentity(ref), JSON.stringify(refToJSON(ref)), new Date().toISOString());
    const row = this.#stmt.getMapping.get(id, refIdentity(ref)) as MappingRow;
    return this.#parseMapping(row);
  }

  /** Mappings sorted by work package then identity; filter by work package and/or issue. */
  async listMappings(query?: { workPackageId?: string; ref?: ExternalRef }): Promise<WorkPackageMapping[]> {
    const rows = this.#stmt.listMappings.all({
      wp: query?.workPackageId ?? null,
      identity: query?.ref ? refIdentity(query.ref) : null,
    }) as MappingRow[];
    return rows.map((row) => this.#parseMapping(row));
  }

  /** Removes one link (or every link of the work package when `ref` is omitted); returns how many. */
  async removeMapping(workPackageId: string, ref?: ExternalRef): Promise<number> {
    const info = ref
      ? this.#stmt.removeMapping.run(workPackageId, refIdentity(ref))
      : this.#stmt.removeMappingsOf.run(workPackageId);
    return info.changes;
  }

  // ── Run journal and conflicts ─────────────────────────────────────────────────────────────

  /** Starts a journal entry for a run; returns its id. */
  async beginRun(command: string, scope: string): Promise<number> {
    const info = this.#stmt.beginRun.run(command, scope, new Date().toISOString());
    return Number(info.lastInsertRowid);
  }

  async finishRun(runId: number, outcome: string, summary: JsonValue | null = null): Promise<void> {
    this.#stmt.finishRun.run(
      new Date().toISOString(),
      outcome,
      summary === null ? null : JSON.stringify(summary),
      runId,
    );
  }

  /** Most recent runs first. */
  async listRuns(query?: { limit?: number; scope?: string }): Promise<SyncRunRecord[]> {
    const rows = this.#stmt.listRuns.all({
      scope: query?.scope ?? null,
      limit: query?.limit ?? 20,
    }) as RunRow[];
    return rows.map((row) => ({
      id: row.id,
      command: row.command,
      scope: row.scope,
      startedAt: new Date(row.started_at),
      finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
      outcome: row.outcome,
      summary: fromJsonText(row.summary),
    }));
  }

  /**
   * Stores the conflicts a run reported, all in one transaction. A pending conflict (written to
   * neither side) that is already open for the same issue and field is updated in place, keeping
   * its id and any decision, because every run re-detects it until it is resolved.
   */
  async recordConflicts(runId: number, conflicts: readonly ConflictRecord[]): Promise<void> {
    const { insertConflict, findOpenPending, refreshPending } = this.#stmt;
    this.#db
      .transaction(() => {
        for (const conflict of conflicts) {
          const identity = conflict.issueRef ? refIdentity(conflict.issueRef) : null;
          const pending = isPending(conflict);
          const local = toJsonText(conflict.localValue);
          const external = toJsonText(conflict.externalValue);
          const resolved = toJsonText(conflict.resolvedValue);
          if (pending && identity !== null) {
            const open = findOpenPending.get(identity, conflict.fieldName) as { id: number } | undefined;
            if (open) {
              refreshPending.run(local, external, resolved, open.id);
              continue;
            }
          }
          insertConflict.run(
            runId,
            identity,
            conflict.fieldName,
            local,
            external,
            resolved,
            conflict.strategy,
            conflict.manualReviewRequired ? 1 : 0,
            pending ? 1 : 0,
            conflict.issueRef ? JSON.stringify(refToJSON(conflict.issueRef)) : null,
          );
        }
      })
      .immediate();
  }

  /** Conflicts, oldest first; by default only those not yet acknowledged. */
  async listConflicts(query?: {
    includeAcknowledged?: boolean;
    manualReviewOnly?: boolean;
  }): Promise<StoredConflict[]> {
    const rows = this.#stmt.listConflicts.all({
      all: query?.includeAcknowledged ? 1 : 0,
      manual: query?.manualReviewOnly ? 1 : 0,
    }) as ConflictRow[];
    return rows.map(toStoredConflict);
  }

  /** One conflict by id, acknowledged or not; null when there is none. */
  async getConflict(id: number): Promise<StoredConflict | null> {
    const row = this.#stmt.getConflict.get(id) as ConflictRow | undefined;
    return row ? toStoredConflict(row) : null;
  }

  /**
   * Records the host's decision on a pending manual-review conflict: the tracker's value, the
   * local one, or a value of its own. The next run given `listPendingResolutions()` writes it to
   * both sides. Deciding again before a run applied it replaces the decision. Throws
   * `ConflictResolutionError` when the id does not exist or the conflict is not pending.
   */
  async resolveConflict(id: number, decision: ConflictDecision): Promise<StoredConflict> {
    return this.#db
      .transaction(() => {
        const row = (this.#stmt.getConflict.get(id) as ConflictRow | undefined) ?? null;
        assertConflictTakesDecision(id, this.path, row, decisionState);
        const value = decidedValue(
          decision,
          { local: row.local_value, external: row.external_value },
          toJsonText,
        );
        this.#stmt.resolveConflict.run(value, new Date().toISOString(), id);
        return toStoredConflict(this.#stmt.getConflict.get(id) as ConflictRow);
      })
      .immediate();
  }

  /** Decided, not yet applied resolutions, oldest first, as engine input (`id` = conflict id). */
  async listPendingResolutions(query?: { system?: string }): Promise<ConflictResolution[]> {
    const rows = this.#stmt.listDecided.all() as ConflictRow[];
    const resolutions: ConflictResolution[] = [];
    for (const row of rows) {
      const issueRef = row.ref === null ? null : refFromJSON(JSON.parse(row.ref));
      if (issueRef === null || (query?.system !== undefined && issueRef.system !== query.system)) continue;
      resolutions.push({
        id: String(row.id),
        issueRef,
        fieldName: row.field_name,
        value: fromJsonText(row.resolution_value),
      });
    }
    return resolutions;
  }

  /**
   * Marks resolutions a run applied (`SyncResult.appliedResolutions`) as applied and acknowledged.
   * Ids that are not decided conflicts of this store are ignored.
   */
  async markResolutionsApplied(ids: readonly string[]): Promise<void> {
    const now = new Date().toISOString();
    this.#db
      .transaction(() => {
        for (const id of ids) {
          if (!/^[1-9]\d*$/.test(id)) continue;
          this.#stmt.markApplied.run(now, now, Number(id));
        }
      })
      .immediate();
  }

  /** Marks conflicts as reviewed (all open ones when `ids` is omitted); returns how many changed. */
  async acknowledgeConflicts(ids?: readonly number[]): Promise<number> {
    const now = new Date().toISOString();
    if (ids === undefined) return this.#stmt.ackAllConflicts.run(now).changes;
    return this.#db
      .transaction(() => ids.reduce((sum, id) => sum + this.#stmt.ackConflict.run(now, id).changes, 0))
      .immediate();
  }

  // ── Run lock ──────────────────────────────────────────────────────────────────────────────

  /** Takes the advisory run lock so two sync runs on this database never interleave. */
  acquireRunLock(options: RunLockOptions): Promise<RunLock> {
    return acquireRunLock(this.#db, options);
  }

  /** Runs `fn` holding the run lock, releasing it afterwards even when `fn` throws. */
  async withRunLock<T>(options: RunLockOptions, fn: () => Promise<T>): Promise<T> {
    const lock = await this.acquireRunLock(options);
    try {
      return await fn();
    } finally {
      lock.release();
    }
  }

  readRunLock(): RunLockHolder | null {
    return readRunLock(this.#db);
  }

  forceReleaseRunLock(): RunLockHolder | null {
    return forceReleaseRunLock(this.#db);
  }

  /** Runs `fn` in one write transaction (`BEGIN IMMEDIATE`); all its synchronous writes commit together. */
  transaction<T>(fn: () => T): T {
    try {
      // Rows a batch holds back are written before it begins (`#db`) and before it ends, so
      // its writes commit, or roll back, with it.
      return this.#db
        .transaction(() => {
          const result = fn();
          this.#writeHeld();
          return result;
        })
        .immediate();
    } catch (error) {
      // Its writes rolled back: an issue it wrote is no longer what `#lastWritten…` says.
      this.#dropHeld();
      this.#batchEpoch += 1;
      throw error;
    }
  }

  /**
   * Runs `fn` in one write transaction that stays open across its awaits: every write it makes
   * through this store commits together when it resolves (one fsync instead of one per write),
   * and none does when it throws. Inside an open transaction it joins it. The engine batches each
   * pulled page with its checkpoint this way (`BatchingIssueStore`). A nested call that throws
   * takes its own writes back (a savepoint), so they never commit even when the caller catches
   * its error. Other connections wait for the commit (`busyTimeoutMs`), so keep a batch to local
   * work, not network calls.
   */
  async batch<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#db.inTransaction) return this.#nestedBatch(fn);
    this.#stmt.begin.run();
    this.#batchEpoch += 1;
    this.#heldFailure = null;
    this.#batchStamp = new Date().toISOString();
    let settled = (): void => {};
    this.#openBatch = new Promise<void>((resolve) => {
      settled = resolve;
    });
    try {
      let result: T;
      this.#openBatchTracked = this.#tracksBatches;
      try {
        result = this.#openBatchTracked ? await this.#insideBatch.run(true, fn) : await fn();
        this.#writeHeld();
        // Set by the awaited callback, which TypeScript's narrowing cannot see.
        const failure = this.#heldFailure as { error: unknown } | null;
        if (failure !== null) throw failure.error;
      } catch (error) {
        this.#dropHeld();
        if (this.#conn.inTransaction) this.#statements.rollback.run();
        throw error;
      } finally {
        this.#batchStamp = null;
      }
      if (this.#conn.inTransaction) this.#statements.commit.run();
      return result;
    } finally {
      this.#batchEpoch += 1;
      this.#heldFailure = null;
      this.#openBatch = null;
      settled();
    }
  }

  async #nestedBatch<T>(fn: () => Promise<T>): Promise<T> {
    this.#savepoints += 1;
    const savepoint = `spec_kitty_batch_${this.#savepoints}`;
    this.#db.exec(`SAVEPOINT ${savepoint}`);
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      this.#batchEpoch += 1;
      // Rows held back since the savepoint (it wrote the earlier ones) roll back with it.
      this.#dropHeld();
      if (this.#conn.inTransaction) this.#conn.exec(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      throw error;
    }
    if (this.#db.inTransaction) this.#db.exec(`RELEASE ${savepoint}`);
    return result;
  }

  #inTransaction(fn: () => void): void {
    this.#db.transaction(fn).immediate();
  }

  /**
   * Bytes the stored issues and sync bases take (UTF-8 text of their rows' payload and raw
   * columns; indexes and free pages not counted): what a store costs per issue.
   */
  storedBytes(): StoredBytes {
    return this.#stmt.storedBytes.get() as StoredBytes;
  }

  /** `PRAGMA integrity_check`: `ok` or the problems found. */
  integrityCheck(): string {
    const rows = this.#db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((row) => row.integrity_check).join('\n');
  }

  #parseIssue(row: IssueRow, table: string): CanonicalIssue {
    try {
      return deserializeIssue(row.payload, row.raw);
    } catch (error) {
      throw new SqliteStoreError(
        `The stored issue ${row.identity} in ${this.path} (table ${table}) is unreadable: ${(error as Error).message}. Delete it (deleteIssue) and pull again to restore it from the tracker.`,
        { cause: error },
      );
    }
  }

  #parseMapping(row: MappingRow): WorkPackageMapping {
    return {
      workPackageId: row.work_package_id,
      ref: refFromJSON(JSON.parse(row.ref)),
      createdAt: new Date(row.created_at),
    };
  }
}

/** Whether `promise` settles within `ms` milliseconds. */
function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** `ConflictRecord.pending`; a record built by an older core lacks it and counts as not pending. */
function isPending(conflict: ConflictRecord): boolean {
  return conflict.pending === true;
}

/** What `assertConflictTakesDecision` reads from a conflict row. */
function decisionState(row: ConflictRow): ConflictDecisionState {
  return {
    identity: row.identity,
    fieldName: row.field_name,
    strategy: row.strategy,
    manualReviewRequired: row.manual_review_required === 1,
    pending: row.pending === 1,
    appliedAt: row.applied_at,
    acknowledgedAt: row.acknowledged_at,
  };
}

function toStoredConflict(row: ConflictRow): StoredConflict {
  return {
    id: row.id,
    runId: row.run_id,
    issueIdentity: row.identity,
    fieldName: row.field_name,
    localValue: fromJsonText(row.local_value),
    externalValue: fromJsonText(row.external_value),
    resolvedValue: fromJsonText(row.resolved_value),
    strategy: row.strategy as ConflictStrategy,
    manualReviewRequired: row.manual_review_required === 1,
    acknowledgedAt: row.acknowledged_at === null ? null : new Date(row.acknowledged_at),
    pending: row.pending === 1,
    resolution:
      row.resolved_at === null
        ? null
        : {
            value: fromJsonText(row.resolution_value),
            resolvedAt: row.resolved_at,
            appliedAt: row.applied_at,
          },
  };
}

/**
 * Issues of a system off their sync base (or without one), with the base's payload. Content keys
 * come from the `issues_system` index; a tombstoned issue is left out by a primary-key probe.
 */
export const LIST_UNSYNCED_SQL = `SELECT i.identity AS identity, i.payload AS payload, i.raw AS raw,
         CASE WHEN b.payload_shared = 1 THEN i.payload ELSE b.payload END AS base_payload,
         CASE WHEN b.raw_shared = 1 THEN i.raw ELSE b.raw END AS base_raw
       FROM issues i LEFT JOIN sync_bases b ON b.identity = i.identity
       WHERE i.system = ?
         AND (b.identity IS NULL OR i.content_key IS NULL OR b.content_key IS NULL OR i.content_key <> b.content_key)
         AND NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.identity = i.identity)
       ORDER BY i.identity`;

/** The columns an issue row is written with, in the order `upsertIssue` holds its parameters. */
const ISSUE_COLUMNS = [
  'identity',
  'system',
  'workspace',
  'external_id',
  'issue_key',
  'updated_at',
  'payload',
  'raw',
  'stored_at',
  'content_key',
] as const;
/** Likewise for a sync base row. */
const BASE_COLUMNS = ['identity', 'payload', 'raw', 'raw_shared', 'content_key', 'payload_shared'] as const;
/** Rows per multi-row INSERT: a pulled page (100) in one statement, well under SQLite's parameter limit. */
const MAX_ROWS_PER_INSERT = 100;

/** `INSERT … VALUES (…), (…) ON CONFLICT (identity) DO UPDATE` of `rows` rows into the table of `columns`. */
function multiRowUpsert(columns: readonly string[], rows: number): string {
  const table = columns === ISSUE_COLUMNS ? 'issues' : 'sync_bases';
  const row = `(${columns.map(() => '?').join(', ')})`;
  const updates = columns
    .filter((column) => column !== 'identity')
    .map((column) => `${column} = excluded.${column}`)
    .join(', ');
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}
    ON CONFLICT (identity) DO UPDATE SET ${updates}`;
}

function prepareStatements(db: Database.Database) {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    listIssues: db.prepare('SELECT identity, payload, raw FROM issues ORDER BY identity'),
    listIssuesBySystem: db.prepare(
      'SELECT identity, payload, raw FROM issues WHERE system = ? ORDER BY identity',
    ),
    countIssues: db.prepare('SELECT COUNT(*) AS n FROM issues'),
    countIssuesBySystem: db.prepare('SELECT COUNT(*) AS n FROM issues WHERE system = ?'),
    getIssue: db.prepare('SELECT identity, payload, raw FROM issues WHERE identity = ?'),
    getIssueText: db.prepare('SELECT payload, raw FROM issues WHERE identity = ?'),
    upsertIssue: db.prepare(
      `INSERT INTO issues (identity, system, workspace, external_id, issue_key, updated_at, payload, raw, stored_at,
         content_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (identity) DO UPDATE SET
         system = excluded.system, workspace = excluded.workspace, external_id = excluded.external_id,
         issue_key = excluded.issue_key, updated_at = excluded.updated_at, payload = excluded.payload,
         raw = excluded.raw, stored_at = excluded.stored_at, content_key = excluded.content_key`,
    ),
    unshareBaseRaw: db.prepare(
      `UPDATE sync_bases SET raw = (SELECT i.raw FROM issues i WHERE i.identity = sync_bases.identity), raw_shared = 0
       WHERE identity = ? AND raw_shared = 1`,
    ),
    deleteIssue: db.prepare('DELETE FROM issues WHERE identity = ?'),
    getBase: db.prepare(
      `SELECT b.identity AS identity, CASE WHEN b.payload_shared = 1 THEN i.payload ELSE b.payload END AS payload,
         CASE WHEN b.raw_shared = 1 THEN i.raw ELSE b.raw END AS raw
       FROM sync_bases b LEFT JOIN issues i ON i.identity = b.identity WHERE b.identity = ?`,
    ),
    putBase: db.prepare(
      `INSERT INTO sync_bases (identity, payload, raw, raw_shared, content_key, payload_shared) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (identity) DO UPDATE SET payload = excluded.payload, raw = excluded.raw,
         raw_shared = excluded.raw_shared, content_key = excluded.content_key, payload_shared = excluded.payload_shared`,
    ),
    deleteBase: db.prepare('DELETE FROM sync_bases WHERE identity = ?'),
    storedBytes: db.prepare(
      `SELECT
         (SELECT COALESCE(SUM(length(CAST(payload AS BLOB)) + COALESCE(length(CAST(raw AS BLOB)), 0)
            + length(CAST(identity AS BLOB)) + COALESCE(length(content_key), 0)), 0) FROM issues) AS issues,
         (SELECT COALESCE(SUM(length(CAST(raw AS BLOB))), 0) FROM issues) AS issueRaw,
         (SELECT COALESCE(SUM(length(CAST(payload AS BLOB)) + COALESCE(length(CAST(raw AS BLOB)), 0)
            + length(CAST(identity AS BLOB)) + COALESCE(length(content_key), 0)), 0) FROM sync_bases) AS syncBases,
         (SELECT COALESCE(SUM(length(CAST(raw AS BLOB))), 0) FROM sync_bases) AS syncBaseRaw`,
    ),
    listUnsynced: db.prepare(LIST_UNSYNCED_SQL),
    getCheckpoint: db.prepare('SELECT cursor, updated_since FROM checkpoints WHERE scope = ?'),
    listCheckpoints: db.prepare(
      'SELECT scope, cursor, updated_since, written_at FROM checkpoints ORDER BY scope',
    ),
    putCheckpoint: db.prepare(
      `INSERT INTO checkpoints (scope, cursor, updated_since, written_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (scope) DO UPDATE SET cursor = excluded.cursor, updated_since = excluded.updated_since,
         written_at = excluded.written_at`,
    ),
    deleteCheckpoint: db.prepare('DELETE FROM checkpoints WHERE scope = ?'),
    addMapping: db.prepare(
      'INSERT INTO mappings (work_package_id, identity, ref, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    getMapping: db.prepare(
      'SELECT work_package_id, ref, created_at FROM mappings WHERE work_package_id = ? AND identity = ?',
    ),
    listMappings: db.prepare(
      `SELECT work_package_id, ref, created_at FROM mappings
       WHERE (@wp IS NULL OR work_package_id = @wp) AND (@identity IS NULL OR identity = @identity)
       ORDER BY work_package_id, identity`,
    ),
    removeMapping: db.prepare('DELETE FROM mappings WHERE work_package_id = ? AND identity = ?'),
    removeMappingsOf: db.prepare('DELETE FROM mappings WHERE work_package_id = ?'),
    beginRun: db.prepare('INSERT INTO runs (command, scope, started_at) VALUES (?, ?, ?)'),
    finishRun: db.prepare('UPDATE runs SET finished_at = ?, outcome = ?, summary = ? WHERE id = ?'),
    listRuns: db.prepare(
      'SELECT * FROM runs WHERE (@scope IS NULL OR scope = @scope) ORDER BY id DESC LIMIT @limit',
    ),
    insertConflict: db.prepare(
      `INSERT INTO conflicts (run_id, identity, field_name, local_value, external_value, resolved_value, strategy,
         manual_review_required, pending, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    findOpenPending: db.prepare(
      `SELECT id FROM conflicts WHERE identity = ? AND field_name = ? AND acknowledged_at IS NULL AND pending = 1
       ORDER BY id LIMIT 1`,
    ),
    refreshPending: db.prepare(
      'UPDATE conflicts SET local_value = ?, external_value = ?, resolved_value = ? WHERE id = ?',
    ),
    getConflict: db.prepare('SELECT * FROM conflicts WHERE id = ?'),
    resolveConflict: db.prepare('UPDATE conflicts SET resolution_value = ?, resolved_at = ? WHERE id = ?'),
    listDecided: db.prepare(
      `SELECT * FROM conflicts WHERE resolved_at IS NOT NULL AND applied_at IS NULL AND acknowledged_at IS NULL
       ORDER BY id`,
    ),
    markApplied: db.prepare(
      `UPDATE conflicts SET applied_at = ?, acknowledged_at = COALESCE(acknowledged_at, ?)
       WHERE id = ? AND resolved_at IS NOT NULL AND applied_at IS NULL`,
    ),
    listConflicts: db.prepare(
      `SELECT * FROM conflicts WHERE (@all = 1 OR acknowledged_at IS NULL)
         AND (@manual = 0 OR manual_review_required = 1) ORDER BY id`,
    ),
    ackConflict: db.prepare(
      'UPDATE conflicts SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL',
    ),
    ackAllConflicts: db.prepare('UPDATE conflicts SET acknowledged_at = ? WHERE acknowledged_at IS NULL'),
  };
}

/** Fills content keys of rows written before schema version 4 (once; later writes keep them). */
function backfillContentKeys(db: Database.Database): void {
  const tables = ['issues', 'sync_bases'] as const;
  const pending = tables.some((table) =>
    db.prepare(`SELECT 1 FROM ${table} WHERE content_key IS NULL LIMIT 1`).get(),
  );
  if (!pending) return;
  db.transaction(() => {
    for (const table of tables) {
      const update = db.prepare(`UPDATE ${table} SET content_key = ? WHERE identity = ?`);
      const payload =
        table === 'issues'
          ? 'payload'
          : 'CASE WHEN payload_shared = 1 THEN (SELECT i.payload FROM issues i WHERE i.identity = sync_bases.identity) ELSE payload END';
      for (const row of db
        .prepare(`SELECT identity, ${payload} AS payload FROM ${table} WHERE content_key IS NULL`)
        .all() as IssueRow[]) {
        try {
          update.run(serializeIssue(deserializeIssue(row.payload, null)).contentKey, row.identity);
        } catch {
          // An unreadable row keeps a NULL key: it is listed as unsynced and reported when read.
        }
      }
    }
  }).immediate();
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || /database is locked/i.test(String(error));
}

/** Runs `step`, retrying on SQLITE_BUSY with short synchronous pauses until `timeoutMs` has passed. */
function retryWhileBusy(step: () => void, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      step();
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, 20);
    }
  }
}
