import type { ConflictStrategy } from '../policy/conflicts';
import type { JsonValue } from '../util/json-value';

// Record types shared by the durable stores (SQLite, PostgreSQL) for the conflicts they keep, so a
// host reading conflicts sees one shape whichever store it runs on.

/** The host's decision on a pending conflict, and when a run wrote it to both sides. */
export interface StoredConflictResolution {
  readonly value: unknown;
  /** ISO 8601 time of the decision. */
  readonly resolvedAt: string;
  /** ISO 8601 time a run applied it; null until then. */
  readonly appliedAt: string | null;
}

/** A conflict the engine reported, kept by a store until someone acknowledges it. */
export interface StoredConflict {
  readonly id: number;
  readonly runId: number;
  readonly issueIdentity: string | null;
  readonly fieldName: string;
  readonly localValue: JsonValue;
  readonly externalValue: JsonValue;
  readonly resolvedValue: JsonValue;
  readonly strategy: ConflictStrategy;
  readonly manualReviewRequired: boolean;
  readonly acknowledgedAt: Date | null;
  /** Written to neither side (manual review with a sync base): it waits for `resolveConflict`. */
  readonly pending: boolean;
  readonly resolution: StoredConflictResolution | null;
}

/** How a host settles a pending conflict: one side's value, or a value of its own. */
export type ConflictDecision = { readonly take: 'local' | 'tracker' } | { readonly value: unknown };
