import type { ConflictStrategy, ExternalRef, JsonValue } from '@spec-kitty/core';

/** A work package (spec-kitty side) linked to a tracker issue. One package may map to many issues. */
export interface WorkPackageMapping {
  readonly workPackageId: string;
  readonly ref: ExternalRef;
  readonly createdAt: Date;
}

/** One CLI/engine run as recorded in the journal. */
export interface SyncRunRecord {
  readonly id: number;
  readonly command: string;
  readonly scope: string;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  /** e.g. `ok`, `partial`, `conflicts`, `error`; null while running (or after a crash). */
  readonly outcome: string | null;
  readonly summary: JsonValue | null;
}

/** The host's decision on a pending conflict, and when a run wrote it to both sides. */
export interface StoredConflictResolution {
  readonly value: unknown;
  /** ISO 8601 time of the decision. */
  readonly resolvedAt: string;
  /** ISO 8601 time a run applied it; null until then. */
  readonly appliedAt: string | null;
}

/** A conflict the engine reported, kept until someone acknowledges it. */
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
