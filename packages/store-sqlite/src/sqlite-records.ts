import type { ExternalRef, JsonValue } from '@spec-kitty/core';

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
