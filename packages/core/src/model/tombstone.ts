import { ModelValidationError } from '../errors/errors';
import { createRef, type ExternalRef, type ExternalRefInit } from './external-ref';

/** Why an issue is gone from a tracker workspace. */
export type TombstoneReason = 'deleted' | 'archived' | 'moved';

const TOMBSTONE_REASONS: readonly TombstoneReason[] = ['deleted', 'archived', 'moved'];

/**
 * An issue that is definitively gone from a tracker workspace: deleted (404/410, recycle bin),
 * archived/trashed, or moved/transferred away. Connectors report one only on the vendor's
 * positive answer; a failure (timeout, 5xx, auth, rate limit) is never a tombstone.
 */
export interface IssueTombstone {
  /** The issue that is gone from this tracker/workspace. */
  readonly ref: ExternalRef;
  /** Deleted, archived/trashed, or moved/transferred away. */
  readonly reason: TombstoneReason;
  /** Where a moved/transferred issue lives now, when the vendor says (always null otherwise). */
  readonly movedTo: ExternalRef | null;
  /** ISO-8601 time the connector observed it. */
  readonly observedAt: string;
}

/** What `createTombstone` takes; `observedAt` defaults to now, `movedTo` to null. */
export interface IssueTombstoneInit {
  /** The issue that is gone (validated like `createRef`). */
  ref: ExternalRef | ExternalRefInit;
  /** Deleted, archived/trashed, or moved/transferred away. */
  reason: TombstoneReason;
  /** Where a moved issue lives now; only with reason `moved` (default null). */
  movedTo?: ExternalRef | ExternalRefInit | null;
  /** When the connector observed it: an ISO-8601 date-time or a Date (default now). */
  observedAt?: string | Date;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function observedAtOf(value: string | Date | undefined): string {
  if (value === undefined) return new Date().toISOString();
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw new ModelValidationError('IssueTombstone.observedAt is an invalid Date');
    return value.toISOString();
  }
  if (typeof value !== 'string' || !ISO_8601.test(value) || Number.isNaN(Date.parse(value))) {
    throw new ModelValidationError(
      `IssueTombstone.observedAt must be an ISO-8601 date-time (e.g. 2026-01-31T12:00:00Z), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * Validates and freezes a tombstone. Throws `ModelValidationError` for an unknown reason, an
 * invalid ref, a `movedTo` on a reason other than `moved`, or an `observedAt` that is not ISO-8601.
 */
export function createTombstone(init: IssueTombstoneInit): IssueTombstone {
  if (typeof init !== 'object' || init === null) {
    throw new ModelValidationError('IssueTombstone init must be an object with ref and reason');
  }
  if (!(TOMBSTONE_REASONS as readonly unknown[]).includes(init.reason)) {
    throw new ModelValidationError(
      `IssueTombstone.reason must be one of ${TOMBSTONE_REASONS.join(', ')}, got ${JSON.stringify(init.reason)}`,
    );
  }
  if (typeof init.ref !== 'object' || init.ref === null) {
    throw new ModelValidationError('IssueTombstone.ref must be an ExternalRef');
  }
  const ref = createRef(init.ref);
  const movedToInit = init.movedTo ?? null;
  if (movedToInit !== null && init.reason !== 'moved') {
    throw new ModelValidationError(
      `IssueTombstone.movedTo is only allowed when reason is 'moved', got '${init.reason}'`,
    );
  }
  if (movedToInit !== null && typeof movedToInit !== 'object') {
    throw new ModelValidationError('IssueTombstone.movedTo must be an ExternalRef or null');
  }
  const movedTo = movedToInit === null ? null : createRef(movedToInit);
  return Object.freeze({ ref, reason: init.reason, movedTo, observedAt: observedAtOf(init.observedAt) });
}

/** True when `value` is a known `TombstoneReason`. */
export function isTombstoneReason(value: unknown): value is TombstoneReason {
  return (TOMBSTONE_REASONS as readonly unknown[]).includes(value);
}
