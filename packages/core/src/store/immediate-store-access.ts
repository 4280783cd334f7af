import type { ExternalRef } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';

/**
 * Synchronous reads and writes of a store that lives in this process (the in-memory store). The
 * engine uses them instead of awaiting one promise per call: on a pull of 100,000 issues the
 * awaits alone cost several times the store's own work, and most of its garbage. They do exactly
 * what the promise methods of the same names do.
 */
export interface ImmediateStoreAccess {
  getIssue(ref: ExternalRef): CanonicalIssue | null;
  upsertIssue(issue: CanonicalIssue): void;
  getSyncBase(ref: ExternalRef): CanonicalIssue | null;
  putSyncBase(issue: CanonicalIssue): void;
  /** `upsertIssue` and `putSyncBase` of the same issue at once (a pulled issue new to the store). */
  putSynced(issue: CanonicalIssue): void;
}
