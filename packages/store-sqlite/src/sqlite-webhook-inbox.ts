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
import type Database from 'better-sqlite3';
import { SqliteStoreError } from './store-errors';

/** `available_ms` of a delivery nobody has claimed yet: due at any instant. */
const ALWAYS_DUE = Number.MIN_SAFE_INTEGER;

interface ClaimRow {
  id: number;
  binding: string;
  delivery_id: string | null;
  vendor_event: string;
  events: string | null;
  received_ms: number;
  attempts: number;
}

function validTime(value: unknown, what: string): number {
  const time = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new SqliteStoreError(`${what} must be a valid Date, got ${String(value)}.`);
  return time;
}

/** Row ids are integers; an id this store never handed out matches nothing. */
function rowId(id: string): number | null {
  return /^[1-9][0-9]{0,15}$/.test(id) ? Number(id) : null;
}

/**
 * The `webhook_inbox` table's statements (schema version 9). One row per delivery; `state` is
 * `queued`, `in_flight`, `done` or `dead`, and `available_ms` is when a queued row is due or when an
 * in-flight row's lease ends, so one index range finds everything claimable. Each method runs in
 * its own `BEGIN IMMEDIATE` transaction, so two processes never claim the same row and a result
 * is committed (WAL, fsync per `synchronous`) when the method returns.
 */
export class SqliteWebhookInbox {
  readonly #db: Database.Database;
  readonly #stmt: ReturnType<typeof prepareInboxStatements>;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#stmt = prepareInboxStatements(db);
  }

  enqueue(init: InboxDeliveryInit): EnqueueDeliveryResult {
    const row = encodeInboxDelivery(init);
    return this.#db
      .transaction((): EnqueueDeliveryResult => {
        if (row.deliveryId !== null) {
          const existing = this.#stmt.findDelivery.get(row.binding, row.deliveryId) as
            | { id: number }
            | undefined;
          if (existing !== undefined) return { status: 'duplicate', id: String(existing.id) };
        }
        const inserted = this.#stmt.insert.run(
          row.binding,
          row.deliveryId,
          row.vendorEvent,
          row.events,
          row.receivedMs,
          ALWAYS_DUE,
        );
        return { status: 'queued', id: String(inserted.lastInsertRowid) };
      })
      .immediate();
  }

  claim(query: Parameters<WebhookInbox['claimDeliveries']>[0]): InboxDelivery[] {
    const now = query.now === undefined ? Date.now() : validTime(query.now, 'claimDeliveries: now');
    if (!(query.limit > 0)) return [];
    const limit = Math.floor(query.limit);
    const leaseEnd = now + query.leaseMs;
    return this.#db
      .transaction((): InboxDelivery[] => {
        const claimed: InboxDelivery[] = [];
        // A row whose events cannot be read is set dead in this transaction and the next row
        // taken instead, so one corrupt row never blocks the binding's queue.
        let skipped = true;
        while (skipped && claimed.length < limit) {
          skipped = false;
          const rows = this.#stmt.due.all(query.binding, now, limit - claimed.length) as ClaimRow[];
          for (const row of rows) {
            let events: InboxDelivery['events'];
            try {
              events = decodeInboxEvents(row.events ?? '');
            } catch (error) {
              this.#stmt.release.run('dead', ALWAYS_DUE, unreadableDeliveryReason(error), row.id);
              skipped = true;
              continue;
            }
            this.#stmt.lease.run(leaseEnd, row.id);
            claimed.push({
              id: String(row.id),
              binding: row.binding,
              deliveryId: row.delivery_id,
              vendorEvent: row.vendor_event,
              events,
              receivedAt: new Date(row.received_ms),
              attempts: row.attempts + 1,
            });
          }
        }
        return claimed;
      })
      .immediate();
  }

  complete(ids: readonly string[], now?: Date): void {
    const at = now === undefined ? Date.now() : validTime(now, 'completeDeliveries: now');
    if (ids.length === 0) return;
    this.#db
      .transaction(() => {
        for (const id of ids) {
          const row = rowId(id);
          if (row !== null) this.#stmt.complete.run(at, row);
        }
      })
      .immediate();
  }

  release(id: string, outcome: Parameters<WebhookInbox['releaseDelivery']>[1]): void {
    const retryAt = validTime(outcome.retryAt, 'releaseDelivery: retryAt');
    const row = rowId(id);
    if (row === null) return;
    this.#db
      .transaction(() => {
        this.#stmt.release.run(
          outcome.dead === true ? 'dead' : 'queued',
          retryAt,
          String(outcome.error),
          row,
        );
      })
      .immediate();
  }

  stats(binding?: string): InboxStats {
    const groups = (
      binding === undefined ? this.#stmt.statsAll.all() : this.#stmt.statsOf.all(binding)
    ) as InboxStateGroup[];
    return inboxStatsFromGroups(groups);
  }

  prune(before: Date): number {
    const cutoff = validTime(before, 'pruneDeliveries: before');
    return this.#db.transaction(() => this.#stmt.prune.run(cutoff).changes).immediate();
  }
}

function prepareInboxStatements(db: Database.Database) {
  return {
    findDelivery: db.prepare('SELECT id FROM webhook_inbox WHERE binding = ? AND delivery_id = ?'),
    insert: db.prepare(
      `INSERT INTO webhook_inbox (binding, delivery_id, vendor_event, events, received_ms, state, attempts, available_ms)
       VALUES (?, ?, ?, ?, ?, 'queued', 0, ?)`,
    ),
    due: db.prepare(
      `SELECT id, binding, delivery_id, vendor_event, events, received_ms, attempts FROM webhook_inbox
       WHERE binding = ? AND state IN ('queued', 'in_flight') AND available_ms <= ?
       ORDER BY received_ms, id LIMIT ?`,
    ),
    lease: db.prepare(
      `UPDATE webhook_inbox SET state = 'in_flight', attempts = attempts + 1, available_ms = ? WHERE id = ?`,
    ),
    complete: db.prepare(
      `UPDATE webhook_inbox SET state = 'done', events = NULL, completed_ms = ? WHERE id = ? AND state <> 'done'`,
    ),
    // A done or dead row stays as it is: a late release (a claimer whose lease ran out) changes nothing.
    release: db.prepare(
      `UPDATE webhook_inbox SET state = ?, available_ms = ?, last_error = ?
       WHERE id = ? AND state IN ('queued', 'in_flight')`,
    ),
    statsAll: db.prepare(
      'SELECT state, COUNT(*) AS n, MIN(received_ms) AS oldest FROM webhook_inbox GROUP BY state',
    ),
    statsOf: db.prepare(
      'SELECT state, COUNT(*) AS n, MIN(received_ms) AS oldest FROM webhook_inbox WHERE binding = ? GROUP BY state',
    ),
    prune: db.prepare(`DELETE FROM webhook_inbox WHERE state = 'done' AND completed_ms < ?`),
  };
}
