import { ModelValidationError } from '../errors/errors';
import { isTrackerEventType } from '../model/enums';
import { createRef } from '../model/external-ref';
import type { TrackerEvent } from '../model/page';
import type { JsonValue } from '../util/json-value';
import type { InboxDeliveryInit } from './webhook-inbox';

/** A `TrackerEvent` as plain JSON (the timestamp as an ISO string), the form durable inboxes keep. */
export interface TrackerEventJSON {
  readonly eventId: string;
  readonly eventType: string;
  readonly issueRef: {
    readonly system: string;
    readonly workspace: string;
    readonly id: string;
    readonly key: string | null;
    readonly url: string | null;
  };
  readonly timestamp: string;
  readonly payload: Record<string, JsonValue>;
}

/** A delivery validated and in the form a durable inbox keeps it. */
export interface EncodedInboxDelivery {
  readonly binding: string;
  readonly deliveryId: string | null;
  readonly vendorEvent: string;
  /** `encodeInboxEvents` of the events. */
  readonly events: string;
  /** `receivedAt` in epoch milliseconds. */
  readonly receivedMs: number;
}

/**
 * Validates what `enqueueDelivery` was given (a non-empty binding, a string or null delivery id,
 * a string vendor event, a valid `receivedAt`, events with valid timestamps) and encodes it, so
 * every inbox refuses the same input with the same `ModelValidationError`.
 */
export function encodeInboxDelivery(init: InboxDeliveryInit): EncodedInboxDelivery {
  if (typeof init.binding !== 'string' || init.binding === '') {
    throw new ModelValidationError('InboxDeliveryInit.binding must be a non-empty string');
  }
  if (init.deliveryId !== null && typeof init.deliveryId !== 'string') {
    throw new ModelValidationError('InboxDeliveryInit.deliveryId must be a string or null');
  }
  if (typeof init.vendorEvent !== 'string') {
    throw new ModelValidationError('InboxDeliveryInit.vendorEvent must be a string');
  }
  const receivedMs = init.receivedAt instanceof Date ? init.receivedAt.getTime() : Number.NaN;
  if (Number.isNaN(receivedMs)) {
    throw new ModelValidationError('InboxDeliveryInit.receivedAt must be a valid Date');
  }
  return {
    binding: init.binding,
    deliveryId: init.deliveryId,
    vendorEvent: init.vendorEvent,
    events: encodeInboxEvents(init.events),
    receivedMs,
  };
}

/** The events as JSON text, for a durable inbox's `events` column. */
export function encodeInboxEvents(events: readonly TrackerEvent[]): string {
  return JSON.stringify(events.map(trackerEventToJSON));
}

/** Parses what `encodeInboxEvents` wrote (or an already-parsed JSON array) back into validated events. */
export function decodeInboxEvents(value: string | readonly unknown[]): TrackerEvent[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(parsed)) {
    throw new ModelValidationError(
      "An inbox delivery's events must be a JSON array; the stored row is corrupt",
    );
  }
  return parsed.map((item) => trackerEventFromJSON(item));
}

/**
 * The dead-letter reason a durable inbox records for a stored delivery whose events cannot be
 * decoded (`decodeInboxEvents` threw): the first line of the error's message, so a multi-line
 * validation message stays one line in the row and in logs.
 */
export function unreadableDeliveryReason(error: unknown): string {
  const message =
    typeof error === 'object' && error !== null && typeof (error as Error).message === 'string'
      ? (error as Error).message
      : String(error);
  return `the stored events are unreadable (${message.split('\n')[0]}); the delivery was set dead`;
}

/** One event as plain JSON; a payload value JSON cannot hold (a function, undefined) is dropped as JSON.stringify drops it. */
export function trackerEventToJSON(event: TrackerEvent): TrackerEventJSON {
  const timestamp = event.timestamp;
  if (!(timestamp instanceof Date) || Number.isNaN(timestamp.getTime())) {
    throw new ModelValidationError(`TrackerEvent ${event.eventId} has no valid timestamp; pass a Date`);
  }
  const ref = event.issueRef;
  return {
    eventId: event.eventId,
    eventType: event.eventType,
    issueRef: {
      system: ref.system,
      workspace: ref.workspace,
      id: ref.id,
      key: ref.key ?? null,
      url: ref.url ?? null,
    },
    timestamp: timestamp.toISOString(),
    payload: JSON.parse(JSON.stringify(event.payload ?? {})) as Record<string, JsonValue>,
  };
}

/** Validates one JSON event and rebuilds it (the ref through `createRef`, the timestamp as a Date). */
export function trackerEventFromJSON(value: unknown): TrackerEvent {
  if (typeof value !== 'object' || value === null) {
    throw new ModelValidationError('An inbox event must be a JSON object; the stored row is corrupt');
  }
  const record = value as Record<string, unknown>;
  const { eventId, eventType, issueRef, timestamp, payload } = record;
  if (typeof eventId !== 'string') throw new ModelValidationError('An inbox event has no string eventId');
  if (!isTrackerEventType(eventType)) {
    throw new ModelValidationError(
      `Inbox event ${eventId} has an unknown eventType ${JSON.stringify(eventType)}`,
    );
  }
  if (typeof issueRef !== 'object' || issueRef === null) {
    throw new ModelValidationError(`Inbox event ${eventId} has no issueRef object`);
  }
  const date = typeof timestamp === 'string' ? new Date(timestamp) : null;
  if (date === null || Number.isNaN(date.getTime())) {
    throw new ModelValidationError(`Inbox event ${eventId} has no valid ISO timestamp`);
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new ModelValidationError(`Inbox event ${eventId} has no payload object`);
  }
  return {
    eventId,
    eventType,
    issueRef: createRef(issueRef as Parameters<typeof createRef>[0]),
    timestamp: date,
    payload: payload as Record<string, JsonValue>,
  };
}
