import type { JsonValue } from '../util/json-value';
import type { TrackerEventType } from './enums';
import type { ExternalRef } from './external-ref';
import type { IssueTombstone } from './tombstone';

export interface Page<T> {
  readonly items: T[];
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
  readonly cursor: string | null;
  readonly updatedSince: Date | null;
}

export interface TrackerEvent {
  readonly eventId: string;
  readonly eventType: TrackerEventType;
  readonly issueRef: ExternalRef;
  /** When the provider says it happened. */
  readonly timestamp: Date;
  readonly payload: Readonly<Record<string, JsonValue>>;
}

export function createCheckpoint(init?: Partial<SyncCheckpoint>): SyncCheckpoint {
  return Object.freeze({ cursor: init?.cursor ?? null, updatedSince: init?.updatedSince ?? null });
}
