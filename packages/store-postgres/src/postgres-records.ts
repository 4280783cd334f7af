import type { ExternalRef, JsonValue } from '@spec-kitty/core';

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
