import { SpecKittyTrackerError } from '../errors/errors';
import type { ConflictStrategy } from '../policy/conflicts';
import type { JsonValue } from '../util/json-value';

// Record types shared by the durable stores (SQLite, PostgreSQL) for the conflicts they keep, so a
// host reading conflicts sees one shape whichever store it runs on.

/** The host's decision on a pending conflict, and when a run wrote it to both sides. */
export interface StoredConflictResolution {
  /** The decided value. */
  readonly value: unknown;
  /** ISO 8601 time of the decision. */
  readonly resolvedAt: string;
  /** ISO 8601 time a run applied it; null until then. */
  readonly appliedAt: string | null;
}

/** A conflict the engine reported, kept by a store until someone acknowledges it. */
export interface StoredConflict {
  /** Store-assigned id. */
  readonly id: number;
  /** The run that recorded it. */
  readonly runId: number;
  /** `refIdentity` of the issue, when known. */
  readonly issueIdentity: string | null;
  /** Canonical field name. */
  readonly fieldName: string;
  /** The local value. */
  readonly localValue: JsonValue;
  /** The tracker's value. */
  readonly externalValue: JsonValue;
  /** The value the strategy chose. */
  readonly resolvedValue: JsonValue;
  /** The strategy that applied. */
  readonly strategy: ConflictStrategy;
  /** True when a host must decide. */
  readonly manualReviewRequired: boolean;
  /** When it was acknowledged, or null. */
  readonly acknowledgedAt: Date | null;
  /** Written to neither side (manual review with a sync base): it waits for `resolveConflict`. */
  readonly pending: boolean;
  /** The host's decision, or null. */
  readonly resolution: StoredConflictResolution | null;
}

/** How a host settles a pending conflict: one side's value, or a value of its own. */
export type ConflictDecision =
  | {
      /** Keep the local or the tracker's value. */
      readonly take: 'local' | 'tracker';
    }
  | {
      /** Write this value to both sides. */
      readonly value: unknown;
    };

/** Why a conflict could not be resolved. */
export type ConflictResolutionFailure = 'not_found' | 'not_pending';

/**
 * `resolveConflict` was given an id that does not exist, or a conflict that is not a pending
 * manual-review one (already applied, acknowledged, or written to a side by its strategy).
 */
export class ConflictResolutionError extends SpecKittyTrackerError {
  /** `'ConflictResolutionError'`. */
  static override readonly errorName: string = 'ConflictResolutionError';
  /** The conflict id. */
  readonly conflictId: number;
  /** Why it cannot take a decision. */
  readonly reason: ConflictResolutionFailure;

  constructor(message: string, options: { conflictId: number; reason: ConflictResolutionFailure }) {
    super(message);
    this.conflictId = options.conflictId;
    this.reason = options.reason;
  }
}

/** What a store reads from a conflict's row to decide whether it takes a decision. */
export interface ConflictDecisionState {
  /** `refIdentity` of the issue, when known. */
  readonly identity: string | null;
  /** Canonical field name. */
  readonly fieldName: string;
  /** The strategy that applied. */
  readonly strategy: string;
  /** True when a host must decide. */
  readonly manualReviewRequired: boolean;
  /** True while undecided. */
  readonly pending: boolean;
  /** ISO 8601 times, or null. */
  readonly appliedAt: string | null;
  /** When it was acknowledged (ISO), or null. */
  readonly acknowledgedAt: string | null;
}

/**
 * Throws `ConflictResolutionError` unless conflict `id` exists (`row` not null) and is an open,
 * pending manual-review one. `where` names the store (a file path, a scope); `stateOf` reads the
 * store's row.
 */
export function assertConflictTakesDecision<Row>(
  id: number,
  where: string,
  row: Row | null,
  stateOf: (row: Row) => ConflictDecisionState,
): asserts row is Row {
  if (row === null) {
    throw new ConflictResolutionError(
      `Conflict ${id} does not exist in ${where}. List the open ones with listConflicts().`,
      { conflictId: id, reason: 'not_found' },
    );
  }
  const state = stateOf(row);
  const why = notResolvableReason(state);
  if (why !== null) {
    throw new ConflictResolutionError(
      `Conflict ${id} (${state.identity ?? 'no issue'} ${state.fieldName}) cannot be resolved: ${why}. Only open, pending manual-review conflicts take a decision.`,
      { conflictId: id, reason: 'not_pending' },
    );
  }
}

function notResolvableReason(state: ConflictDecisionState): string | null {
  if (state.appliedAt !== null) return `its resolution was already applied at ${state.appliedAt}`;
  if (state.acknowledgedAt !== null) return `it was acknowledged at ${state.acknowledgedAt}`;
  if (!state.manualReviewRequired) return `its ${state.strategy} strategy already settled it`;
  if (!state.pending) return 'its value was already written (it is not pending)';
  if (state.identity === null) return 'it names no issue';
  return null;
}

/** The value a decision settles on: one side's stored value, or the host's own (encoded as stored). */
export function decidedValue<T>(
  decision: ConflictDecision,
  stored: { readonly local: T; readonly external: T },
  encode: (value: unknown) => T,
): T {
  if ('take' in decision) return decision.take === 'local' ? stored.local : stored.external;
  return encode(decision.value);
}
