import { refIdentity } from '../model/external-ref';
import type { TrackerEvent } from '../model/page';

/** Event keys one engine remembers across `syncEvents` calls (oldest forgotten first). */
export const RECENT_EVENT_CAPACITY = 10_000;

/**
 * The de-duplication key of an event: its id, issue, type and timestamp. The id alone is not
 * enough: connectors build it from the vendor's delivery id and fall back to a constant when a
 * request carries none (`github:issues.edited`), and one delivery can touch several issues. A
 * vendor's redelivery repeats all four; two different changes differ in at least one.
 */
export function eventKey(event: TrackerEvent): string {
  return `${event.eventId}\u0000${refIdentity(event.issueRef)}\u0000${event.eventType}\u0000${event.timestamp.getTime()}`;
}

/**
 * The keys of events an engine synced recently: a bounded set (insertion order), so memory stays
 * bounded whatever the delivery rate. Only events whose issue synced without a failure are
 * remembered, so a failed event delivered again is processed again.
 */
export class RecentEventKeys {
  readonly #capacity: number;
  readonly #keys = new Set<string>();

  constructor(capacity = RECENT_EVENT_CAPACITY) {
    this.#capacity = capacity;
  }

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  add(key: string): void {
    // Re-adding moves a key to the newest end.
    this.#keys.delete(key);
    this.#keys.add(key);
    if (this.#keys.size <= this.#capacity) return;
    const oldest = this.#keys.values().next();
    if (oldest.done !== true) this.#keys.delete(oldest.value);
  }

  get size(): number {
    return this.#keys.size;
  }
}
