import type {
  EnqueueDeliveryResult,
  InboxDelivery,
  InboxDeliveryInit,
  InboxStats,
  WebhookInbox,
} from '@spec-kitty/core';
import {
  decodeInboxEvents,
  encodeInboxDelivery,
  type InboxStateGroup,
  inboxStatsFromGroups,
  unreadableDeliveryReason,
} from '@spec-kitty/core/store';
import type pg from 'pg';
import type { StoreContext } from './store-context';
import { PostgresStoreError } from './store-errors';

interface ClaimedRow {
  id: string;
  binding: string;
  delivery_id: string | null;
  vendor_event: string;
  events: string | null;
  received_at: Date;
  attempts: number;
}

export function validDate(value: unknown, what: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new PostgresStoreError(`${what} must be a valid Date, got ${String(value)}.`);
  }
  return value;
}

/** Row ids are bigints handed out as decimal strings; anything else matches no row. */
function rowIds(ids: readonly string[]): string[] {
  return ids.filter((id) => /^[1-9][0-9]{0,18}$/.test(id));
}

/**
 * One scope's webhook inbox in the `webhook_inbox` table (store schema version 5). Every method
 * is one autocommitted statement (or a short transaction), never part of a `batch()`, so an
 * enqueue is committed when it resolves. Claims take rows with `FOR UPDATE SKIP LOCKED`: claimers
 * on any number of connections and hosts never get the same delivery, and none waits for another.
 * Without an explicit `now`, times come from the database clock (`clock_timestamp()`), so leases
 * mean the same to every host.
 */
export class PostgresWebhookInbox {
  readonly #context: StoreContext;
  readonly #scopeId: string;
  readonly #wrap: (error: unknown) => Error;

  constructor(context: StoreContext, scopeId: string, wrap: (error: unknown) => Error) {
    this.#context = context;
    this.#scopeId = scopeId;
    this.#wrap = wrap;
  }

  get #table(): string {
    return `${this.#context.schema}.webhook_inbox`;
  }

  async #query<Row extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<Row>> {
    try {
      return await this.#context.pool.query<Row>(text, values);
    } catch (error) {
      throw this.#wrap(error);
    }
  }

  async enqueue(init: InboxDeliveryInit): Promise<EnqueueDeliveryResult> {
    const row = encodeInboxDelivery(init);
    // Insert, or find the row holding (binding, deliveryId). A marker pruned between the two
    // statements leaves neither; the loop then inserts again.
    for (;;) {
      const inserted = await this.#query<{ id: string }>(
        `INSERT INTO ${this.#table} (scope_id, binding, delivery_id, vendor_event, events, received_at, state, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0)
         ON CONFLICT (scope_id, binding, delivery_id) WHERE delivery_id IS NOT NULL DO NOTHING
         RETURNING id`,
        [this.#scopeId, row.binding, row.deliveryId, row.vendorEvent, row.events, new Date(row.receivedMs)],
      );
      const created = inserted.rows[0];
      if (created !== undefined) return { status: 'queued', id: String(created.id) };
      const existing = await this.#query<{ id: string }>(
        `SELECT id FROM ${this.#table} WHERE scope_id = $1 AND binding = $2 AND delivery_id = $3`,
        [this.#scopeId, row.binding, row.deliveryId],
      );
      const found = existing.rows[0];
      if (found !== undefined) return { status: 'duplicate', id: String(found.id) };
    }
  }

  async claim(query: Parameters<WebhookInbox['claimDeliveries']>[0]): Promise<InboxDelivery[]> {
    const now = query.now === undefined ? null : validDate(query.now, 'claimDeliveries: now');
    if (!(query.limit > 0)) return [];
    if (!Number.isFinite(query.leaseMs)) {
      throw new PostgresStoreError(`claimDeliveries: leaseMs must be a finite number, got ${query.leaseMs}.`);
    }
    const { rows } = await this.#query<ClaimedRow>(
      `WITH clock AS (SELECT COALESCE($3::timestamptz, clock_timestamp()) AS now),
       due AS (
         SELECT w.id FROM ${this.#table} w, clock
         WHERE w.scope_id = $1 AND w.binding = $2 AND w.state IN ('queued', 'in_flight') AND w.available_at <= clock.now
         ORDER BY w.received_at, w.id
         LIMIT $4
         FOR UPDATE OF w SKIP LOCKED
       )
       UPDATE ${this.#table} w
         SET state = 'in_flight', attempts = w.attempts + 1,
             available_at = clock.now + $5::double precision * interval '1 millisecond'
       FROM due, clock
       WHERE w.id = due.id
       RETURNING w.id, w.binding, w.delivery_id, w.vendor_event, w.events, w.received_at, w.attempts`,
      [this.#scopeId, query.binding, now, Math.floor(query.limit), query.leaseMs],
    );
    rows.sort(
      (left, right) =>
        left.received_at.getTime() - right.received_at.getTime() ||
        (BigInt(left.id) < BigInt(right.id) ? -1 : BigInt(left.id) > BigInt(right.id) ? 1 : 0),
    );
    const claimed: InboxDelivery[] = [];
    for (const row of rows) {
      let events: InboxDelivery['events'];
      try {
        events = decodeInboxEvents(row.events ?? '');
      } catch (error) {
        // A row whose events cannot be read is set dead, so it never blocks the binding's queue.
        await this.#query(
          `UPDATE ${this.#table} SET state = 'dead', last_error = $3 WHERE scope_id = $1 AND id = $2`,
          [this.#scopeId, row.id, unreadableDeliveryReason(error)],
        );
        continue;
      }
      claimed.push({
        id: String(row.id),
        binding: row.binding,
        deliveryId: row.delivery_id,
        vendorEvent: row.vendor_event,
        events,
        receivedAt: row.received_at,
        attempts: row.attempts,
      });
    }
    return claimed;
  }

  async complete(ids: readonly string[], now?: Date): Promise<void> {
    const at = now === undefined ? null : validDate(now, 'completeDeliveries: now');
    const valid = rowIds(ids);
    if (valid.length === 0) return;
    await this.#query(
      `UPDATE ${this.#table} SET state = 'done', events = NULL, completed_at = COALESCE($3::timestamptz, clock_timestamp())
       WHERE scope_id = $1 AND id = ANY($2::bigint[]) AND state <> 'done'`,
      [this.#scopeId, valid, at],
    );
  }

  async release(id: string, outcome: Parameters<WebhookInbox['releaseDelivery']>[1]): Promise<void> {
    const retryAt = validDate(outcome.retryAt, 'releaseDelivery: retryAt');
    const [valid] = rowIds([id]);
    if (valid === undefined) return;
    // A done or dead row stays as it is: a late release (a claimer whose lease ran out) changes nothing.
    await this.#query(
      `UPDATE ${this.#table} SET state = $3, available_at = $4, last_error = $5
       WHERE scope_id = $1 AND id = $2 AND state IN ('queued', 'in_flight')`,
      [this.#scopeId, valid, outcome.dead === true ? 'dead' : 'queued', retryAt, String(outcome.error)],
    );
  }

  async stats(binding?: string): Promise<InboxStats> {
    const { rows } = await this.#query<InboxStateGroup & pg.QueryResultRow>(
      `SELECT state, count(*)::int AS n, min(received_at) AS oldest FROM ${this.#table}
       WHERE scope_id = $1 AND ($2::text IS NULL OR binding = $2) GROUP BY state`,
      [this.#scopeId, binding ?? null],
    );
    return inboxStatsFromGroups(rows);
  }

  async prune(before: Date): Promise<number> {
    const cutoff = validDate(before, 'pruneDeliveries: before');
    const result = await this.#query(
      `DELETE FROM ${this.#table} WHERE scope_id = $1 AND state = 'done' AND completed_at < $2`,
      [this.#scopeId, cutoff],
    );
    return result.rowCount ?? 0;
  }
}
