import {
  assertConflictTakesDecision,
  type BatchingIssueStore,
  type CanonicalIssue,
  type CanonicalIssueJSON,
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
  issueFromJSON,
  issueToJSON,
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
import { contentKey } from '@spec-kitty/core/store';
import type pg from 'pg';
import type { SyncRunRecord, WorkPackageMapping } from './postgres-records';
import { acquireRunLease, type RunLease, type RunLeaseOptions } from './postgres-run-lease';
import {
  TOMBSTONE_COLUMNS,
  type TombstoneRow,
  tombstoneFromRow,
  validTombstone,
  writeTombstones,
} from './postgres-tombstones';
import { PostgresWebhookInbox } from './postgres-webhook-inbox';
import { inTransaction, type StoreContext } from './store-context';
import { PostgresStoreError } from './store-errors';

export interface PostgresIssueStoreOptions {
  /** A held run lease of this scope: every commit first checks it is still ours (fencing). */
  lease?: RunLease | null;
}

/** An issue or base write, serialized once when staged (`null` stages a delete). */
interface Staged {
  readonly payload: string;
  readonly contentKey: string;
  readonly updatedAt: string | null;
  readonly system: string;
  readonly workspace: string;
  readonly id: string;
  readonly key: string | null;
}

function stage(issue: CanonicalIssue): Staged {
  const json: CanonicalIssueJSON = issueToJSON(issue);
  return {
    payload: JSON.stringify(json),
    contentKey: contentKey(json),
    updatedAt: json.updated_at,
    system: issue.ref.system,
    workspace: issue.ref.workspace,
    id: issue.ref.id,
    key: issue.ref.key,
  };
}

/** Writes not yet committed, by table and key (`null` deletes; tombstones are only upserted). */
interface Writes {
  issues: Map<string, Staged | null>;
  bases: Map<string, Staged | null>;
  checkpoints: Map<string, SyncCheckpoint | null>;
  tombstones: Map<string, TombstoneRecord>;
}

function noWrites(): Writes {
  return { issues: new Map(), bases: new Map(), checkpoints: new Map(), tombstones: new Map() };
}

function copyWrites(writes: Writes): Writes {
  return {
    issues: new Map(writes.issues),
    bases: new Map(writes.bases),
    checkpoints: new Map(writes.checkpoints),
    tombstones: new Map(writes.tombstones),
  };
}

function countWrites(writes: Writes): number {
  return writes.issues.size + writes.bases.size + writes.checkpoints.size + writes.tombstones.size;
}

interface IssueRow {
  identity: string;
  payload: string;
}

interface RunRow {
  id: string;
  scope_id: string;
  command: string;
  holder: string | null;
  started_at: Date;
  finished_at: Date | null;
  outcome: string | null;
  summary: JsonValue | null;
  error: string | null;
}

interface ConflictRow {
  id: string;
  run_id: string;
  identity: string | null;
  field_name: string;
  local_value: JsonValue;
  external_value: JsonValue;
  resolved_value: JsonValue;
  strategy: string;
  manual_review_required: boolean;
  acknowledged_at: Date | null;
  pending: boolean;
  ref: string | null;
  resolution_value: JsonValue | null;
  resolved_at: Date | null;
  applied_at: Date | null;
}

function toStoredConflict(row: ConflictRow): StoredConflict {
  return {
    id: Number(row.id),
    runId: Number(row.run_id),
    issueIdentity: row.identity,
    fieldName: row.field_name,
    localValue: row.local_value,
    externalValue: row.external_value,
    resolvedValue: row.resolved_value,
    strategy: row.strategy as ConflictStrategy,
    manualReviewRequired: row.manual_review_required,
    acknowledgedAt: row.acknowledged_at,
    pending: row.pending,
    resolution:
      row.resolved_at === null
        ? null
        : {
            value: row.resolution_value,
            resolvedAt: row.resolved_at.toISOString(),
            appliedAt: row.applied_at?.toISOString() ?? null,
          },
  };
}

/** What `assertConflictTakesDecision` reads from a conflict row. */
function decisionState(row: ConflictRow): ConflictDecisionState {
  return {
    identity: row.identity,
    fieldName: row.field_name,
    strategy: row.strategy,
    manualReviewRequired: row.manual_review_required,
    pending: row.pending,
    appliedAt: row.applied_at?.toISOString() ?? null,
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
  };
}

/** `ConflictRecord.pending`, read defensively: records from older cores lack it. */
function isPending(conflict: ConflictRecord): boolean {
  return (conflict as { readonly pending?: unknown }).pending === true;
}

/** A JSON value for a jsonb parameter (undefined becomes null). */
function jsonParam(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

export function runRecordFromRow(row: RunRow): SyncRunRecord {
  return {
    id: Number(row.id),
    scopeId: row.scope_id,
    command: row.command,
    holder: row.holder,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    summary: row.summary,
    error: row.error,
  };
}

/**
 * The `IssueStore` of one scope (a binding, a tenant) in a shared PostgreSQL database, with sync
 * bases, an unsynced listing, checkpoints, work-package mappings, a run log with conflicts and
 * run leases. Obtain it from `PostgresStore.scope(id)`.
 *
 * Batches (`BatchingIssueStore`): the engine runs each pulled page, with its checkpoint, in
 * `batch()`. Issue, base, checkpoint and tombstone writes made in a batch are staged in memory
 * (reads see them) and committed in one transaction, in a few set-based statements, when the batch
 * resolves; none of them is when it throws. A crash mid-page thus leaves the previous page's
 * checkpoint and the next run re-pulls the page. Outside a batch every write commits at once.
 * One object serves one run at a time: a batch collects every issue/base/checkpoint write made
 * through the object while it is open.
 */
export class PostgresIssueStore
  implements
    IssueStore,
    SyncBaseStore,
    CheckpointStore,
    UnsyncedIssueStore,
    BatchingIssueStore,
    TombstoneStore,
    WebhookInbox
{
  readonly scopeId: string;
  readonly #context: StoreContext;
  #lease: RunLease | null;
  #batchDepth = 0;
  /** The open batch's writes not yet sent to the database. */
  #staged: Writes = noWrites();
  /**
   * The open transaction of a batch, begun only when a listing read inside the batch must see
   * its writes (the staged rows are written to it first); the batch's commit then ends it.
   */
  #batchClient: Promise<pg.PoolClient> | null = null;
  /** Committed rows read ahead by `prefetch` (payload, or null: no row); writes evict theirs. */
  #cachedIssues = new Map<string, string | null>();
  #cachedBases = new Map<string, string | null>();
  #commits = 0;
  /** Set when a nested batch that threw could not take its writes back: the batch cannot commit. */
  #batchBroken: Error | null = null;
  readonly #inbox: PostgresWebhookInbox;

  constructor(context: StoreContext, scopeId: string, options: PostgresIssueStoreOptions = {}) {
    if (scopeId.trim() === '') throw new PostgresStoreError('A store scope id must not be empty.');
    this.#context = context;
    this.scopeId = scopeId;
    this.#lease = options.lease ?? null;
    this.#inbox = new PostgresWebhookInbox(context, scopeId, (error) => this.#wrap(error));
  }

  /** Writes of the open batch not yet committed (0 outside a batch). */
  get pendingWrites(): number {
    return countWrites(this.#staged);
  }

  /** True while a `batch()` runs. */
  get inBatch(): boolean {
    return this.#batchDepth > 0;
  }

  /** Write transactions committed by this object (for tests and metrics). */
  get commits(): number {
    return this.#commits;
  }

  /** Attaches (or detaches) the run lease every commit is fenced with. */
  useLease(lease: RunLease | null): void {
    this.#lease = lease;
  }

  /**
   * Runs `fn`; the issue, sync base, checkpoint and tombstone writes it makes through this
   * object commit in one transaction (fenced by the lease) when it resolves, and none of them
   * when it throws or the commit fails. Nested calls join the outer batch; a nested call that
   * throws takes its own writes back (a savepoint when the transaction is open), so they never
   * commit even when the caller catches its error. Mappings, the run log and conflicts are not
   * part of a batch: they commit at once.
   */
  async batch<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#batchDepth > 0) return this.#nestedBatch(fn);
    this.#batchDepth = 1;
    this.#batchBroken = null;
    try {
      const result = await fn();
      await this.#commitBatch();
      return result;
    } catch (error) {
      await this.#abandonBatch();
      throw error;
    } finally {
      this.#batchDepth = 0;
    }
  }

  async #nestedBatch<T>(fn: () => Promise<T>): Promise<T> {
    this.#batchDepth += 1;
    const savepoint = `spec_kitty_batch_${this.#batchDepth}`;
    const before = copyWrites(this.#staged);
    const opened = this.#batchClient;
    try {
      if (opened !== null) await (await opened).query(`SAVEPOINT ${savepoint}`);
      const result = await fn();
      if (opened !== null) await (await opened).query(`RELEASE SAVEPOINT ${savepoint}`);
      return result;
    } catch (error) {
      this.#staged = before;
      try {
        if (opened !== null) await (await opened).query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
        else if (this.#batchClient !== null) {
          // The transaction opened inside this call, so it holds nothing from before it.
          const inner = this.#batchClient;
          this.#batchClient = null;
          const client = await inner;
          await client.query('ROLLBACK').catch(() => undefined);
          client.release();
        }
      } catch (undo) {
        // The outer batch must not commit what this call could not take back.
        this.#batchBroken = this.#wrap(undo);
      }
      throw error;
    } finally {
      this.#batchDepth -= 1;
    }
  }

  /**
   * Reads the stored issues and sync bases of `refs` (a page the engine is about to merge) in
   * one query, so the engine's per-issue `getIssue`/`getSyncBase` cost no round trip. Replaces
   * the previous read-ahead. Only sound while this run holds the scope's lease: nobody else
   * writes the scope meanwhile.
   */
  async prefetch(refs: readonly ExternalRef[]): Promise<void> {
    const identities = [...new Set(refs.map(refIdentity))];
    this.#cachedIssues = new Map();
    this.#cachedBases = new Map();
    if (identities.length === 0) return;
    const schema = this.#context.schema;
    const { rows } = await this.#query<{
      identity: string;
      payload: string | null;
      base_payload: string | null;
    }>(
      `SELECT k.identity, i.payload, b.payload AS base_payload
       FROM unnest($2::text[]) AS k(identity)
       LEFT JOIN ${schema}.issues i ON i.scope_id = $1 AND i.identity = k.identity
       LEFT JOIN ${schema}.sync_bases b ON b.scope_id = $1 AND b.identity = k.identity`,
      [this.scopeId, identities],
    );
    for (const row of rows) {
      this.#cachedIssues.set(row.identity, row.payload);
      this.#cachedBases.set(row.identity, row.base_payload);
    }
  }

  // ── IssueStore ────────────────────────────────────────────────────────────────────────────

  async listIssues(query?: { system?: string | null }): Promise<CanonicalIssue[]> {
    const system = query?.system ?? null;
    const { rows } = await this.#listingRead<IssueRow>(
      `SELECT identity, payload FROM ${this.#context.schema}.issues
       WHERE scope_id = $1 AND ($2::text IS NULL OR system = $2) ORDER BY identity`,
      [this.scopeId, system],
    );
    return rows.map((row) => this.#parse(row, 'issues'));
  }

  async getIssue(ref: ExternalRef): Promise<CanonicalIssue | null> {
    const identity = refIdentity(ref);
    const staged = this.#staged.issues.get(identity);
    if (staged !== undefined)
      return staged === null ? null : this.#parse({ identity, payload: staged.payload }, 'staged');
    const cached = this.#cachedIssues.get(identity);
    if (cached !== undefined)
      return cached === null ? null : this.#parse({ identity, payload: cached }, 'issues');
    const { rows } = await this.#read<IssueRow>(
      `SELECT identity, payload FROM ${this.#context.schema}.issues WHERE scope_id = $1 AND identity = $2`,
      [this.scopeId, identity],
    );
    return rows[0] ? this.#parse(rows[0], 'issues') : null;
  }

  async upsertIssue(issue: CanonicalIssue): Promise<void> {
    const identity = refIdentity(issue.ref);
    this.#cachedIssues.delete(identity);
    await this.#write('issues', identity, stage(issue));
  }

  async deleteIssue(ref: ExternalRef): Promise<void> {
    const identity = refIdentity(ref);
    this.#cachedIssues.delete(identity);
    await this.#write('issues', identity, null);
  }

  /** Number of issues, optionally of one system (no payload is read). */
  async countIssues(query?: { system?: string | null }): Promise<number> {
    const { rows } = await this.#listingRead<{ n: string }>(
      `SELECT COUNT(*) AS n FROM ${this.#context.schema}.issues WHERE scope_id = $1 AND ($2::text IS NULL OR system = $2)`,
      [this.scopeId, query?.system ?? null],
    );
    return Number(rows[0]?.n ?? 0);
  }

  // ── SyncBaseStore ─────────────────────────────────────────────────────────────────────────

  async getSyncBase(ref: ExternalRef): Promise<CanonicalIssue | null> {
    const identity = refIdentity(ref);
    const staged = this.#staged.bases.get(identity);
    if (staged !== undefined)
      return staged === null ? null : this.#parse({ identity, payload: staged.payload }, 'staged');
    const cached = this.#cachedBases.get(identity);
    if (cached !== undefined)
      return cached === null ? null : this.#parse({ identity, payload: cached }, 'sync_bases');
    const { rows } = await this.#read<IssueRow>(
      `SELECT identity, payload FROM ${this.#context.schema}.sync_bases WHERE scope_id = $1 AND identity = $2`,
      [this.scopeId, identity],
    );
    return rows[0] ? this.#parse(rows[0], 'sync_bases') : null;
  }

  async putSyncBase(issue: CanonicalIssue): Promise<void> {
    const identity = refIdentity(issue.ref);
    this.#cachedBases.delete(identity);
    await this.#write('bases', identity, stage(issue));
  }

  async deleteSyncBase(ref: ExternalRef): Promise<void> {
    const identity = refIdentity(ref);
    this.#cachedBases.delete(identity);
    await this.#write('bases', identity, null);
  }

  // ── TombstoneStore ────────────────────────────────────────────────────────────────────────

  /**
   * Records that an issue is gone (idempotent upsert by its identity). The issue row and its
   * sync base stay; the issue is no longer listed as unsynced. In a batch it commits with the
   * batch's page and checkpoint.
   */
  async putTombstone(record: TombstoneRecord): Promise<void> {
    const valid = validTombstone(record);
    await this.#write('tombstones', refIdentity(valid.ref), valid);
  }

  async getTombstone(ref: ExternalRef): Promise<TombstoneRecord | null> {
    const identity = refIdentity(ref);
    const staged = this.#staged.tombstones.get(identity);
    if (staged !== undefined) return staged;
    const { rows } = await this.#read<TombstoneRow>(
      `SELECT ${TOMBSTONE_COLUMNS} FROM ${this.#context.schema}.tombstones WHERE scope_id = $1 AND identity = $2`,
      [this.scopeId, identity],
    );
    return rows[0] ? tombstoneFromRow(rows[0], this.scopeId) : null;
  }

  /** Tombstones of this scope, oldest first (by observedAt, then identity), optionally filtered. */
  async listTombstones(query?: TombstoneQuery): Promise<TombstoneRecord[]> {
    const { rows } = await this.#listingRead<TombstoneRow>(
      `SELECT ${TOMBSTONE_COLUMNS} FROM ${this.#context.schema}.tombstones
       WHERE scope_id = $1 AND ($2::text IS NULL OR system = $2) AND ($3::text IS NULL OR origin = $3)
         AND ($4::boolean IS NULL OR pushed = $4)
       ORDER BY observed_ts, identity`,
      [this.scopeId, query?.system ?? null, query?.origin ?? null, query?.pushed ?? null],
    );
    return rows.map((row) => tombstoneFromRow(row, this.scopeId));
  }

  // ── UnsyncedIssueStore ────────────────────────────────────────────────────────────────────

  /**
   * Issues of `system` whose content differs from their sync base (or that have none), in one
   * query. A tombstoned issue is never listed (it is not pushed as an edit); `total` still counts
   * it, since its row is kept.
   */
  async listUnsyncedIssues(query: { system: string }): Promise<{ unsynced: UnsyncedIssue[]; total: number }> {
    const schema = this.#context.schema;
    // The count row always comes back, joined to the changed issues when there are any.
    const { rows } = await this.#listingRead<IssueRow & { base_payload: string | null; total: string }>(
      `WITH mine AS (SELECT * FROM ${schema}.issues WHERE scope_id = $1 AND system = $2),
       changed AS (
         SELECT i.identity, i.payload, b.payload AS base_payload
         FROM mine i
         LEFT JOIN ${schema}.sync_bases b ON b.scope_id = i.scope_id AND b.identity = i.identity
         WHERE (b.identity IS NULL OR i.content_key <> b.content_key)
           AND NOT EXISTS (SELECT 1 FROM ${schema}.tombstones t WHERE t.scope_id = i.scope_id AND t.identity = i.identity)
       )
       SELECT c.identity, c.payload, c.base_payload, counted.total
       FROM (SELECT COUNT(*) AS total FROM mine) AS counted
       LEFT JOIN changed c ON true
       ORDER BY c.identity`,
      [this.scopeId, query.system],
    );
    const total = Number(rows[0]?.total ?? 0);
    const unsynced = rows
      .filter((row) => row.identity !== null)
      .map((row) => ({
        issue: this.#parse(row, 'issues'),
        base:
          row.base_payload === null
            ? null
            : this.#parse({ identity: row.identity, payload: row.base_payload }, 'sync_bases'),
      }));
    return { unsynced, total };
  }

  // ── CheckpointStore ───────────────────────────────────────────────────────────────────────

  async getCheckpoint(scope: string): Promise<SyncCheckpoint | null> {
    const staged = this.#staged.checkpoints.get(scope);
    if (staged !== undefined) return staged;
    const { rows } = await this.#read<{ cursor: string | null; updated_since: Date | null }>(
      `SELECT cursor, updated_since FROM ${this.#context.schema}.checkpoints WHERE scope_id = $1 AND scope = $2`,
      [this.scopeId, scope],
    );
    const row = rows[0];
    return row ? createCheckpoint({ cursor: row.cursor, updatedSince: row.updated_since }) : null;
  }

  /** In a batch, commits with the batch's issue and base writes. */
  async putCheckpoint(scope: string, checkpoint: SyncCheckpoint): Promise<void> {
    await this.#write('checkpoints', scope, checkpoint);
  }

  /** Every checkpoint of this scope id, by scope. */
  async listCheckpoints(): Promise<{ scope: string; checkpoint: SyncCheckpoint; writtenAt: Date }[]> {
    const { rows } = await this.#listingRead<{
      scope: string;
      cursor: string | null;
      updated_since: Date | null;
      written_at: Date;
    }>(
      `SELECT scope, cursor, updated_since, written_at FROM ${this.#context.schema}.checkpoints
       WHERE scope_id = $1 ORDER BY scope COLLATE "C"`,
      [this.scopeId],
    );
    return rows.map((row) => ({
      scope: row.scope,
      checkpoint: createCheckpoint({ cursor: row.cursor, updatedSince: row.updated_since }),
      writtenAt: row.written_at,
    }));
  }

  async deleteCheckpoint(scope: string): Promise<void> {
    await this.#write('checkpoints', scope, null);
  }

  // ── Work-package mappings ─────────────────────────────────────────────────────────────────

  /** Links a work package to an issue; linking the same pair again is a no-op. */
  async addMapping(workPackageId: string, ref: ExternalRef): Promise<WorkPackageMapping> {
    const id = workPackageId.trim();
    if (id === '') throw new PostgresStoreError('addMapping: the work package id must not be empty.');
    const schema = this.#context.schema;
    await this.#query(
      `INSERT INTO ${schema}.mappings (scope_id, work_package_id, identity, ref) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [this.scopeId, id, refIdentity(ref), JSON.stringify(refToJSON(ref))],
    );
    const { rows } = await this.#query<{ work_package_id: string; ref: string; created_at: Date }>(
      `SELECT work_package_id, ref, created_at FROM ${schema}.mappings
       WHERE scope_id = $1 AND work_package_id = $2 AND identity = $3`,
      [this.scopeId, id, refIdentity(ref)],
    );
    const row = rows[0];
    if (!row) throw new PostgresStoreError(`addMapping: the mapping ${id} → ${refIdentity(ref)} vanished.`);
    return {
      workPackageId: row.work_package_id,
      ref: refFromJSON(JSON.parse(row.ref)),
      createdAt: row.created_at,
    };
  }

  /** Mappings sorted by work package then identity; filter by work package and/or issue. */
  async listMappings(query?: { workPackageId?: string; ref?: ExternalRef }): Promise<WorkPackageMapping[]> {
    const { rows } = await this.#query<{ work_package_id: string; ref: string; created_at: Date }>(
      `SELECT work_package_id, ref, created_at FROM ${this.#context.schema}.mappings
       WHERE scope_id = $1 AND ($2::text IS NULL OR work_package_id = $2) AND ($3::text IS NULL OR identity = $3)
       ORDER BY work_package_id, identity`,
      [this.scopeId, query?.workPackageId ?? null, query?.ref ? refIdentity(query.ref) : null],
    );
    return rows.map((row) => ({
      workPackageId: row.work_package_id,
      ref: refFromJSON(JSON.parse(row.ref)),
      createdAt: row.created_at,
    }));
  }

  /** Removes one link (or every link of the work package when `ref` is omitted); returns how many. */
  async removeMapping(workPackageId: string, ref?: ExternalRef): Promise<number> {
    const result = await this.#query(
      `DELETE FROM ${this.#context.schema}.mappings
       WHERE scope_id = $1 AND work_package_id = $2 AND ($3::text IS NULL OR identity = $3)`,
      [this.scopeId, workPackageId, ref ? refIdentity(ref) : null],
    );
    return result.rowCount ?? 0;
  }

  // ── Run log and conflicts ─────────────────────────────────────────────────────────────────

  /** Starts a run log entry; returns its id. */
  async beginRun(command: string, holder: string | null = null): Promise<number> {
    const { rows } = await this.#query<{ id: string }>(
      `INSERT INTO ${this.#context.schema}.runs (scope_id, command, holder) VALUES ($1, $2, $3) RETURNING id`,
      [this.scopeId, command, holder],
    );
    return Number(rows[0]?.id);
  }

  async finishRun(
    runId: number,
    outcome: string,
    summary: JsonValue | null = null,
    error: string | null = null,
  ): Promise<void> {
    await this.#query(
      `UPDATE ${this.#context.schema}.runs SET finished_at = clock_timestamp(), outcome = $3, summary = $4::jsonb, error = $5
       WHERE scope_id = $1 AND id = $2`,
      [this.scopeId, runId, outcome, summary === null ? null : JSON.stringify(summary), error],
    );
  }

  /** Most recent runs of this scope first. */
  async listRuns(query?: { limit?: number }): Promise<SyncRunRecord[]> {
    const { rows } = await this.#query<RunRow>(
      `SELECT * FROM ${this.#context.schema}.runs WHERE scope_id = $1 ORDER BY id DESC LIMIT $2`,
      [this.scopeId, query?.limit ?? 20],
    );
    return rows.map(runRecordFromRow);
  }

  /**
   * Stores the conflicts a run reported, in one transaction. A pending conflict (written to
   * neither side) already open for the same issue and field is updated in place, keeping its id
   * and any decision, because every run re-detects it until it is resolved.
   */
  async recordConflicts(runId: number, conflicts: readonly ConflictRecord[]): Promise<void> {
    if (conflicts.length === 0) return;
    const table = `${this.#context.schema}.conflicts`;
    try {
      await inTransaction(this.#context.pool, async (client) => {
        for (const conflict of conflicts) {
          const identity = conflict.issueRef ? refIdentity(conflict.issueRef) : null;
          const pending = isPending(conflict);
          const values = [
            jsonParam(conflict.localValue),
            jsonParam(conflict.externalValue),
            jsonParam(conflict.resolvedValue),
          ];
          if (pending && identity !== null) {
            const refreshed = await client.query(
              `UPDATE ${table} SET local_value = $4::jsonb, external_value = $5::jsonb, resolved_value = $6::jsonb
               WHERE id = (SELECT id FROM ${table} WHERE scope_id = $1 AND identity = $2 AND field_name = $3
                 AND acknowledged_at IS NULL AND pending ORDER BY id LIMIT 1)`,
              [this.scopeId, identity, conflict.fieldName, ...values],
            );
            if (refreshed.rowCount === 1) continue;
          }
          await client.query(
            `INSERT INTO ${table} (scope_id, run_id, identity, field_name, local_value, external_value, resolved_value,
               strategy, manual_review_required, pending, ref)
             VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8, $9, $10, $11)`,
            [
              this.scopeId,
              runId,
              identity,
              conflict.fieldName,
              ...values,
              conflict.strategy,
              conflict.manualReviewRequired,
              pending,
              conflict.issueRef ? JSON.stringify(refToJSON(conflict.issueRef)) : null,
            ],
          );
        }
      });
    } catch (error) {
      throw this.#wrap(error);
    }
  }

  /** One conflict of this scope by id, acknowledged or not; null when there is none. */
  async getConflict(id: number): Promise<StoredConflict | null> {
    const { rows } = await this.#query<ConflictRow>(
      `SELECT * FROM ${this.#context.schema}.conflicts WHERE scope_id = $1 AND id = $2`,
      [this.scopeId, id],
    );
    return rows[0] ? toStoredConflict(rows[0]) : null;
  }

  /**
   * Records the host's decision on a pending manual-review conflict: the tracker's value, the
   * local one, or a value of its own. The next run given `listPendingResolutions()` writes it to
   * both sides; deciding again before that replaces the decision. Throws
   * `ConflictResolutionError` when the id is unknown in this scope or the conflict is not pending.
   */
  async resolveConflict(id: number, decision: ConflictDecision): Promise<StoredConflict> {
    const table = `${this.#context.schema}.conflicts`;
    return inTransaction(this.#context.pool, async (client) => {
      const { rows } = await client.query<ConflictRow>(
        `SELECT * FROM ${table} WHERE scope_id = $1 AND id = $2 FOR UPDATE`,
        [this.scopeId, id],
      );
      const row = rows[0] ?? null;
      assertConflictTakesDecision(id, `scope ${this.scopeId}`, row, decisionState);
      const value = decidedValue(
        decision,
        { local: row.local_value as unknown, external: row.external_value as unknown },
        (own) => own,
      );
      const updated = await client.query<ConflictRow>(
        `UPDATE ${table} SET resolution_value = $2::jsonb, resolved_at = now() WHERE id = $1 RETURNING *`,
        [id, jsonParam(value)],
      );
      return toStoredConflict(updated.rows[0]!);
    });
  }

  /** Decided, not yet applied resolutions of this scope, oldest first, as engine input. */
  async listPendingResolutions(query?: { system?: string }): Promise<ConflictResolution[]> {
    const { rows } = await this.#query<ConflictRow>(
      `SELECT * FROM ${this.#context.schema}.conflicts
       WHERE scope_id = $1 AND resolved_at IS NOT NULL AND applied_at IS NULL AND acknowledged_at IS NULL AND ref IS NOT NULL
       ORDER BY id`,
      [this.scopeId],
    );
    const resolutions: ConflictResolution[] = [];
    for (const row of rows) {
      const issueRef = refFromJSON(JSON.parse(row.ref as string));
      if (query?.system !== undefined && issueRef.system !== query.system) continue;
      resolutions.push({
        id: String(row.id),
        issueRef,
        fieldName: row.field_name,
        value: row.resolution_value,
      });
    }
    return resolutions;
  }

  /** Marks resolutions a run applied (`SyncResult.appliedResolutions`) as applied and acknowledged. */
  async markResolutionsApplied(ids: readonly string[]): Promise<void> {
    const numeric = ids.filter((id) => /^[1-9]\d*$/.test(id)).map(Number);
    if (numeric.length === 0) return;
    await this.#query(
      `UPDATE ${this.#context.schema}.conflicts SET applied_at = now(), acknowledged_at = now()
       WHERE scope_id = $1 AND id = ANY($2::bigint[]) AND resolved_at IS NOT NULL AND applied_at IS NULL`,
      [this.scopeId, numeric],
    );
  }

  /** Conflicts of this scope, oldest first; by default only those not yet acknowledged. */
  async listConflicts(query?: {
    includeAcknowledged?: boolean;
    manualReviewOnly?: boolean;
  }): Promise<StoredConflict[]> {
    const { rows } = await this.#query<ConflictRow>(
      `SELECT * FROM ${this.#context.schema}.conflicts
       WHERE scope_id = $1 AND ($2 OR acknowledged_at IS NULL) AND (NOT $3 OR manual_review_required)
       ORDER BY id`,
      [this.scopeId, query?.includeAcknowledged ?? false, query?.manualReviewOnly ?? false],
    );
    return rows.map(toStoredConflict);
  }

  /** Marks conflicts as reviewed (all open ones when `ids` is omitted); returns how many changed. */
  async acknowledgeConflicts(ids?: readonly number[]): Promise<number> {
    const result = await this.#query(
      `UPDATE ${this.#context.schema}.conflicts SET acknowledged_at = now()
       WHERE scope_id = $1 AND acknowledged_at IS NULL AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))`,
      [this.scopeId, ids === undefined ? null : [...ids]],
    );
    return result.rowCount ?? 0;
  }

  // ── Run lease ─────────────────────────────────────────────────────────────────────────────

  /** Takes this scope's run lease and fences every later commit of this object with it. */
  async acquireRunLease(options: RunLeaseOptions): Promise<RunLease> {
    const lease = await acquireRunLease(this.#context, this.scopeId, options);
    this.#lease = lease;
    return lease;
  }

  // ── WebhookInbox ──────────────────────────────────────────────────────────────────────────
  // The scope's inbox. Its writes commit at once on their own connection, never staged in (or
  // fenced by the lease of) a batch, so an accepted delivery survives whatever the batch does.

  /** Stores a delivery unless `(binding, deliveryId)` is known in this scope; committed when it resolves. */
  enqueueDelivery(init: InboxDeliveryInit): Promise<EnqueueDeliveryResult> {
    return this.#inbox.enqueue(init);
  }

  /** Claims due deliveries with `FOR UPDATE SKIP LOCKED`: concurrent claimers never share one. */
  claimDeliveries(query: Parameters<WebhookInbox['claimDeliveries']>[0]): Promise<InboxDelivery[]> {
    return this.#inbox.claim(query);
  }

  completeDeliveries(ids: readonly string[], now?: Date): Promise<void> {
    return this.#inbox.complete(ids, now);
  }

  releaseDelivery(id: string, outcome: Parameters<WebhookInbox['releaseDelivery']>[1]): Promise<void> {
    return this.#inbox.release(id, outcome);
  }

  inboxStats(binding?: string): Promise<InboxStats> {
    return this.#inbox.stats(binding);
  }

  pruneDeliveries(before: Date): Promise<number> {
    return this.#inbox.prune(before);
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  async #query<Row extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<Row>> {
    try {
      return await this.#context.pool.query<Row>(text, values);
    } catch (error) {
      throw this.#wrap(error);
    }
  }

  #wrap(error: unknown): Error {
    if (PostgresStoreError.isInstance(error)) return error;
    return new PostgresStoreError(
      `The PostgreSQL store (schema ${this.#context.schemaName}, scope ${this.scopeId}) failed: ${(error as Error).message}. Check that the server is reachable and the schema was migrated by this release.`,
      { cause: error },
    );
  }

  /** Stages a write in a batch; outside one, commits it at once (one transaction, fenced). */
  async #write<K extends keyof Writes>(
    table: K,
    key: string,
    value: Writes[K] extends Map<string, infer V> ? V : never,
  ): Promise<void> {
    if (this.#batchDepth > 0) {
      (this.#staged[table] as Map<string, typeof value>).set(key, value);
      return;
    }
    const writes = noWrites();
    (writes[table] as Map<string, typeof value>).set(key, value);
    await this.#commit(writes, null);
  }

  /** A point read of issues, bases or checkpoints: inside a batch's open transaction when there is one. */
  async #read<Row extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<Row>> {
    if (this.#batchClient === null) return this.#query<Row>(text, values);
    try {
      return await (await this.#batchClient).query<Row>(text, values);
    } catch (error) {
      throw this.#wrap(error);
    }
  }

  /**
   * A listing read (many rows, so staged writes cannot be overlaid one by one): inside a batch
   * with writes, they are first sent to the batch's open transaction, which the query then
   * reads; they commit with the batch.
   */
  async #listingRead<Row extends pg.QueryResultRow>(
    text: string,
    values: unknown[],
  ): Promise<pg.QueryResult<Row>> {
    if (this.#batchDepth === 0 || (this.pendingWrites === 0 && this.#batchClient === null)) {
      return this.#query<Row>(text, values);
    }
    try {
      const client = await this.#openBatchTransaction();
      const writes = this.#staged;
      this.#staged = noWrites();
      await writeAll(client, this.#context.schema, this.scopeId, writes);
      return await client.query<Row>(text, values);
    } catch (error) {
      throw this.#wrap(error);
    }
  }

  #openBatchTransaction(): Promise<pg.PoolClient> {
    if (this.#batchClient === null) {
      const opening = this.#context.pool.connect().then(async (client) => {
        try {
          await client.query('BEGIN');
          return client;
        } catch (error) {
          client.release();
          throw error;
        }
      });
      // Whoever awaits it sees the error; this only keeps a failed open from going unhandled.
      opening.catch(() => undefined);
      this.#batchClient = opening;
    }
    return this.#batchClient;
  }

  /** Commits the batch: its staged writes and its open transaction, if any. */
  async #commitBatch(): Promise<void> {
    if (this.#batchBroken !== null) throw this.#batchBroken;
    const writes = this.#staged;
    const opened = this.#batchClient;
    this.#staged = noWrites();
    this.#batchClient = null;
    await this.#commit(writes, opened);
  }

  /**
   * Writes `writes` and commits, in one transaction fenced by the lease: `opened`'s when given
   * (already begun), else a new one. On failure nothing of it commits.
   */
  async #commit(writes: Writes, opened: Promise<pg.PoolClient> | null): Promise<void> {
    if (countWrites(writes) === 0 && opened === null) return;
    let client: pg.PoolClient;
    try {
      client = opened ? await opened : await this.#context.pool.connect();
    } catch (error) {
      throw this.#wrap(error);
    }
    try {
      if (!opened) await client.query('BEGIN');
      await this.#lease?.fence(client);
      await writeAll(client, this.#context.schema, this.scopeId, writes);
      await client.query('COMMIT');
      this.#commits += 1;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.#wrap(error);
    } finally {
      client.release();
    }
  }

  /**
   * A batch that threw: its staged writes are dropped and its open transaction rolled back. The
   * read-ahead stays valid: each write evicted its own rows when it was made.
   */
  async #abandonBatch(): Promise<void> {
    const opened = this.#batchClient;
    this.#staged = noWrites();
    this.#batchClient = null;
    const client = await opened?.catch(() => null);
    if (!client) return;
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }

  #parse(row: IssueRow, table: string): CanonicalIssue {
    try {
      return issueFromJSON(JSON.parse(row.payload));
    } catch (error) {
      throw new PostgresStoreError(
        `The stored issue ${row.identity} of scope ${this.scopeId} (table ${table}) is unreadable: ${(error as Error).message}. Delete it (deleteIssue) and pull again to restore it from the tracker.`,
        { cause: error },
      );
    }
  }
}

async function writeAll(
  client: pg.PoolClient,
  schema: string,
  scopeId: string,
  writes: Writes,
): Promise<void> {
  await writeRows(client, `${schema}.issues`, scopeId, writes.issues, true);
  await writeRows(client, `${schema}.sync_bases`, scopeId, writes.bases, false);
  await writeCheckpoints(client, `${schema}.checkpoints`, scopeId, writes.checkpoints);
  await writeTombstones(client, `${schema}.tombstones`, scopeId, writes.tombstones);
}

/** Upserts and deletes of checkpoints (`null` deletes), one statement each. */
async function writeCheckpoints(
  client: pg.PoolClient,
  table: string,
  scopeId: string,
  staged: Map<string, SyncCheckpoint | null>,
): Promise<void> {
  for (const [scope, checkpoint] of staged) {
    if (checkpoint === null) {
      await client.query(`DELETE FROM ${table} WHERE scope_id = $1 AND scope = $2`, [scopeId, scope]);
      continue;
    }
    await client.query(
      `INSERT INTO ${table} (scope_id, scope, cursor, updated_since, written_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (scope_id, scope) DO UPDATE SET cursor = excluded.cursor,
         updated_since = excluded.updated_since, written_at = excluded.written_at`,
      [scopeId, scope, checkpoint.cursor, checkpoint.updatedSince],
    );
  }
}

/** Upserts and deletes of one table in at most two statements, whatever the page size. */
async function writeRows(
  client: pg.PoolClient,
  table: string,
  scopeId: string,
  staged: Map<string, Staged | null>,
  withColumns: boolean,
): Promise<void> {
  if (staged.size === 0) return;
  const deletes: string[] = [];
  const identities: string[] = [];
  const rows: Staged[] = [];
  for (const [identity, value] of staged) {
    if (value === null) deletes.push(identity);
    else {
      identities.push(identity);
      rows.push(value);
    }
  }
  if (deletes.length > 0) {
    await client.query(`DELETE FROM ${table} WHERE scope_id = $1 AND identity = ANY($2::text[])`, [
      scopeId,
      deletes,
    ]);
  }
  if (identities.length === 0) return;
  if (!withColumns) {
    await client.query(
      `INSERT INTO ${table} (scope_id, identity, payload, content_key)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])
       ON CONFLICT (scope_id, identity) DO UPDATE SET payload = excluded.payload, content_key = excluded.content_key`,
      [scopeId, identities, rows.map((row) => row.payload), rows.map((row) => row.contentKey)],
    );
    return;
  }
  await client.query(
    `INSERT INTO ${table} (scope_id, identity, system, workspace, external_id, issue_key, updated_at, payload, content_key, stored_at)
     SELECT $1, u.*, now() FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS u
     ON CONFLICT (scope_id, identity) DO UPDATE SET system = excluded.system, workspace = excluded.workspace,
       external_id = excluded.external_id, issue_key = excluded.issue_key, updated_at = excluded.updated_at,
       payload = excluded.payload, content_key = excluded.content_key, stored_at = excluded.stored_at`,
    [
      scopeId,
      identities,
      rows.map((row) => row.system),
      rows.map((row) => row.workspace),
      rows.map((row) => row.id),
      rows.map((row) => row.key),
      rows.map((row) => row.updatedAt),
      rows.map((row) => row.payload),
      rows.map((row) => row.contentKey),
    ],
  );
}
