import type { JsonValue } from '../util/json-value';
import type { TrackerEventType } from './enums';
import type { ExternalRef } from './external-ref';
import type { IssueTombstone } from './tombstone';

/** One page of a listing. */
export interface Page<T> {
  /** The items of this page. */
  readonly items: T[];
  /** Cursor of the next page, or null on the last. */
  readonly nextCursor: string | null;
  /**
   * Issues this page revealed as gone (deleted, archived/trashed, moved away), from connectors
   * whose listing can see them (`reportsDeletions`). Absent or empty: the page says nothing
   * about deletions; an issue missing from `items` is never a deletion by itself.
   */
  readonly tombstones?: readonly IssueTombstone[];
}

/** Resume point of an incremental read: an opaque cursor plus the updated-since watermark. */
export interface SyncCheckpoint {
  /** Event cursor, when any. */
  readonly cursor: string | null;
  /** Listings resume from this instant. */
  readonly updatedSince: Date | null;
}

/** A change event a tracker reported. */
export interface TrackerEvent {
  /** The vendor's event id. */
  readonly eventId: string;
  /** What happened. */
  readonly eventType: TrackerEventType;
  /** The issue it happened to. */
  readonly issueRef: ExternalRef;
  /** When the provider says it happened. */
  readonly timestamp: Date;
  /** Event details. */
  readonly payload: Readonly<Record<string, JsonValue>>;
}

/** A frozen checkpoint (missing fields null). */
export function createCheckpoint(init?: Partial<SyncCheckpoint>): SyncCheckpoint {
  return Object.freeze({ cursor: init?.cursor ?? null, updatedSince: init?.updatedSince ?? null });
}
