import { type JsonValue, OwnershipMode, OwnershipPolicy } from '@spec-kitty/core';
import { quoteSchema } from '@spec-kitty/store-postgres';
import type pg from 'pg';
import type { Binding, BindingInit, BindingStatus, BindingSyncOptions } from './binding';
import { BindingNotFoundError, BindingValidationError } from './worker-errors';

interface BindingRow {
  id: string;
  provider: string;
  config: Record<string, JsonValue>;
  credential_ref: string | null;
  policy: OwnershipPolicy;
  sync_options: BindingSyncOptions;
  interval_seconds: number;
  enabled: boolean;
  status: BindingStatus;
  next_run_at: Date;
  last_run_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  consecutive_failures: number;
  dead_lettered_at: Date | null;
  created_at: Date;
}

const DEFAULT_INTERVAL_SECONDS = 900;
const SECRET_KEY = /token|secret|password|passwd|api[-_]?key|private[-_]?key|credential/i;
// Hosted connectors take this marker instead of a token: it names no secret.
const NOT_A_SECRET = new Set(['nango-managed']);
const MODES = new Set<string>(Object.values(OwnershipMode));

function toBinding(row: BindingRow): Binding {
  return {
    id: row.id,
    provider: row.provider,
    config: row.config,
    credentialRef: row.credential_ref,
    policy: row.policy,
    intervalSeconds: row.interval_seconds,
    syncOptions: row.sync_options,
    enabled: row.enabled,
    status: row.status,
    nextRunAt: row.next_run_at,
    lastRunAt: row.last_run_at,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error,
    consecutiveFailures: row.consecutive_failures,
    deadLetteredAt: row.dead_lettered_at,
    createdAt: row.created_at,
  };
}

/** Refuses config entries that look like secrets: credentials are referenced, never stored. */
function assertNoSecrets(value: JsonValue, path: string): void {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) assertNoSecrets(item, `${path}[${index}]`);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, item] of Object.entries(value)) {
    const where = path ? `${path}.${key}` : key;
    if (SECRET_KEY.test(key) && !(typeof item === 'string' && NOT_A_SECRET.has(item)) && item !== null) {
      throw new BindingValidationError(
        `Binding config field "${where}" looks like a secret; bindings never store credentials. Remove it and set credentialRef to the name of a credential the worker resolves (e.g. from SPEC_KITTY_CREDENTIAL_<NAME>).`,
      );
    }
    assertNoSecrets(item as JsonValue, where);
  }
}

function validate(init: BindingInit): void {
  if (init.id.trim() === '') throw new BindingValidationError('A binding id must not be empty.');
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(init.provider)) {
    throw new BindingValidationError(
      `Binding ${init.id}: provider ${JSON.stringify(init.provider)} is not a connector id.`,
    );
  }
  const interval = init.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS;
  if (!Number.isInteger(interval) || interval < 1) {
    throw new BindingValidationError(
      `Binding ${init.id}: intervalSeconds must be a positive integer, got ${interval}.`,
    );
  }
  if (init.policy && !MODES.has(init.policy.mode)) {
    throw new BindingValidationError(
      `Binding ${init.id}: unknown ownership mode ${JSON.stringify(init.policy.mode)}.`,
    );
  }
  const limit = init.syncOptions?.limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new BindingValidationError(`Binding ${init.id}: syncOptions.limit must be a positive integer.`);
  }
  assertNoSecrets((init.config ?? {}) as JsonValue, '');
  assertNoSecrets((init.syncOptions?.filters ?? {}) as JsonValue, 'syncOptions.filters');
}

/**
 * Bindings in PostgreSQL: what to sync (provider, connector config, a credential reference,
 * policy), when (an interval), and its health (failures in a row, last error, dead letter).
 */
export class BindingRegistry {
  readonly #pool: pg.Pool;
  readonly #table: string;

  constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#table = `${quoteSchema(schema)}.bindings`;
  }

  /** Registers a binding, due at once; with `replace`, an existing one is updated (health kept). */
  async add(init: BindingInit, options: { replace?: boolean } = {}): Promise<Binding> {
    validate(init);
    const values = [
      init.id.trim(),
      init.provider,
      JSON.stringify(init.config ?? {}),
      init.credentialRef ?? null,
      JSON.stringify(init.policy ?? OwnershipPolicy.externalAuthoritative()),
      JSON.stringify(init.syncOptions ?? {}),
      init.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS,
      init.enabled ?? true,
    ];
    const conflict = options.replace
      ? `ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, config = excluded.config,
           credential_ref = excluded.credential_ref, policy = excluded.policy, sync_options = excluded.sync_options,
           interval_seconds = excluded.interval_seconds, enabled = excluded.enabled, updated_at = now()`
      : 'ON CONFLICT (id) DO NOTHING';
    const { rows } = await this.#pool.query<BindingRow>(
      `INSERT INTO ${this.#table} (id, provider, config, credential_ref, policy, sync_options, interval_seconds, enabled)
       VALUES ($1, $2, $3::jsonb, $4, $5::jsonb, $6::jsonb, $7, $8) ${conflict} RETURNING *`,
      values,
    );
    if (!rows[0]) {
      throw new BindingValidationError(
        `A binding with id ${init.id} already exists; remove it first or add it with replace (--replace).`,
      );
    }
    return toBinding(rows[0]);
  }

  /** Registers many bindings in one statement (existing ids are left as they are); returns how many were new. */
  async addMany(inits: readonly BindingInit[]): Promise<number> {
    for (const init of inits) validate(init);
    const result = await this.#pool.query(
      `INSERT INTO ${this.#table} (id, provider, config, credential_ref, policy, sync_options, interval_seconds)
       SELECT id, provider, config::jsonb, credential_ref, policy::jsonb, sync_options::jsonb, interval_seconds
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::integer[])
         AS b(id, provider, config, credential_ref, policy, sync_options, interval_seconds)
       ON CONFLICT (id) DO NOTHING`,
      [
        inits.map((init) => init.id.trim()),
        inits.map((init) => init.provider),
        inits.map((init) => JSON.stringify(init.config ?? {})),
        inits.map((init) => init.credentialRef ?? null),
        inits.map((init) => JSON.stringify(init.policy ?? OwnershipPolicy.externalAuthoritative())),
        inits.map((init) => JSON.stringify(init.syncOptions ?? {})),
        inits.map((init) => init.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS),
      ],
    );
    return result.rowCount ?? 0;
  }

  async get(id: string): Promise<Binding | null> {
    const { rows } = await this.#pool.query<BindingRow>(`SELECT * FROM ${this.#table} WHERE id = $1`, [id]);
    return rows[0] ? toBinding(rows[0]) : null;
  }

  async require(id: string): Promise<Binding> {
    const binding = await this.get(id);
    if (!binding)
      throw new BindingNotFoundError(`No binding with id ${id}; list them with \`bindings list\`.`);
    return binding;
  }

  /** Bindings sorted by id, optionally only those of one status or provider. */
  async list(query: { status?: BindingStatus; provider?: string } = {}): Promise<Binding[]> {
    const { rows } = await this.#pool.query<BindingRow>(
      `SELECT * FROM ${this.#table} WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR provider = $2)
       ORDER BY id COLLATE "C"`,
      [query.status ?? null, query.provider ?? null],
    );
    return rows.map(toBinding);
  }

  /** Removes a binding; returns whether it existed. Its synced issues stay (`PostgresStore.deleteScope`). */
  async remove(id: string): Promise<boolean> {
    const result = await this.#pool.query(`DELETE FROM ${this.#table} WHERE id = $1`, [id]);
    return (result.rowCount ?? 0) > 0;
  }

  /** Changes a binding's connector config (e.g. a new revision); the next run uses it. */
  async updateConfig(id: string, config: Readonly<Record<string, JsonValue>>): Promise<void> {
    assertNoSecrets(config as JsonValue, '');
    const result = await this.#pool.query(
      `UPDATE ${this.#table} SET config = $2::jsonb, updated_at = now() WHERE id = $1`,
      [id, JSON.stringify(config)],
    );
    if (result.rowCount !== 1) throw new BindingNotFoundError(`No binding with id ${id}.`);
  }

  /** Re-activates a dead-lettered binding, clears its failures and makes it due now. */
  async reset(id: string): Promise<Binding> {
    const { rows } = await this.#pool.query<BindingRow>(
      `UPDATE ${this.#table} SET status = 'active', consecutive_failures = 0, dead_lettered_at = NULL,
         next_run_at = now(), updated_at = now() WHERE id = $1 RETURNING *`,
      [id],
    );
    if (!rows[0]) throw new BindingNotFoundError(`No binding with id ${id}.`);
    return toBinding(rows[0]);
  }

  /**
   * Claims up to `limit` due bindings and moves their next run one interval ahead, in one
   * statement: concurrent schedulers skip each other's rows, so each due run is enqueued once.
   */
  async claimDue(limit: number): Promise<Binding[]> {
    const { rows } = await this.#pool.query<BindingRow>(
      `UPDATE ${this.#table} b SET next_run_at = now() + make_interval(secs => b.interval_seconds)
       WHERE b.id IN (
         SELECT id FROM ${this.#table} WHERE enabled AND status = 'active' AND next_run_at <= now()
         ORDER BY next_run_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING b.*`,
      [limit],
    );
    return rows.map(toBinding);
  }

  async recordSuccess(id: string): Promise<void> {
    await this.#pool.query(
      `UPDATE ${this.#table} SET last_run_at = now(), last_success_at = now(), consecutive_failures = 0,
         last_error = NULL WHERE id = $1`,
      [id],
    );
  }

  /**
   * Counts a failed run and records its error; at `maxAttempts` failures in a row the binding is
   * dead-lettered (no longer scheduled). Returns the new count and whether that happened.
   */
  async recordFailure(
    id: string,
    error: string,
    maxAttempts: number,
  ): Promise<{ failures: number; deadLettered: boolean }> {
    const { rows } = await this.#pool.query<{ consecutive_failures: number; status: BindingStatus }>(
      `UPDATE ${this.#table} SET last_run_at = now(), last_error = $2,
         consecutive_failures = consecutive_failures + 1,
         status = CASE WHEN consecutive_failures + 1 >= $3 THEN 'dead_letter' ELSE status END,
         dead_lettered_at = CASE WHEN consecutive_failures + 1 >= $3 THEN now() ELSE dead_lettered_at END
       WHERE id = $1 RETURNING consecutive_failures, status`,
      [id, error, maxAttempts],
    );
    const row = rows[0];
    return { failures: row?.consecutive_failures ?? 0, deadLettered: row?.status === 'dead_letter' };
  }
}
