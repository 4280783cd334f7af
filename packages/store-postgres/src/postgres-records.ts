import type { ConflictStrategy, ExternalRef, JsonValue } from '@spec-kitty/core';

/** A work package (spec-kitty side) linked to a tracker issue. One package may map to many issues. */
export interface WorkPackageMapping {
  readonly workPackageId: string;
  readonly ref: ExternalRef;
  readonly createdAt: Date;
}

/** One run of a scope as recorded in the run log. */
export interface SyncRunRecord {
  readonly id: number;
  readonly scopeId: string;
  readonly command: string;
  /** Who ran it (the lease holder text), when known. */
  readonly holder: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  /** e.g. `ok`, `partial`, `conflicts`, `error`, `released`; null while running (or after a crash). */
  readonly outcome: string | null;
  readonly summary: JsonValue | null;
  readonly error: string | null;
}

/** The host's decision on a pending conflict, and when a run wrote it to both sides. */
export interface StoredConflictResolution {
  readonly value: unknown;
  /** ISO 8601 time of the decision. */
  readonly resolvedAt: string;
  /** ISO 8601 time a run applied it; null until then. */
  readonly appliedAt: string | null;
}

/** How a host settles a pending conflict: one side's value, or a value of its own. */
export type ConflictDecision = { readonly take: 'local' | 'tracker' } | { readonly value: unknown };

/** A decided resolution as engine input (`SyncRunOptions.resolutions`); `id` is the conflict id as a string. */
export interface PendingConflictResolution {
  readonly id: string;
  readonly issueRef: ExternalRef;
  readonly fieldName: string;
  readonly value: unknown;
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
