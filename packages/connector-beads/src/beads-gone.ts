// What bd shows of deleted issues. bd 1.x deletes an issue outright (`bd show` of it prints
// "no issue found matching" on stderr and skips it; with no id found at all, exit 1 and an error
// object); older bd kept deleted issues as `status: "tombstone"`. bd resolves partial ids, so only
// a shown issue with exactly the requested id proves it still exists.
import { createTombstone, type ExternalRef, type IssueTombstone } from '@spec-kitty/core';
import { isRecord, type JsonRecord } from './beads-mapping';

/** The status older bd gives a deleted issue. */
export const BEADS_TOMBSTONE_STATUS = 'tombstone';

/** Ids per `bd show` process (keeps argv short). */
export const CHECK_GONE_BATCH = 50;

/** True for a record older bd keeps for a deleted issue. */
export function isBeadsTombstone(record: JsonRecord): boolean {
  return typeof record.status === 'string' && record.status.toLowerCase() === BEADS_TOMBSTONE_STATUS;
}

/** The issue record of one `bd show` entry (bd prints the issue itself, some builds wrap it in `issue`). */
export function shownIssue(entry: unknown): JsonRecord | null {
  if (!isRecord(entry)) return null;
  return isRecord(entry.issue) ? entry.issue : entry;
}

/**
 * Tombstones of `refs` given what `bd show` printed for them: an id bd did not print (exactly),
 * or printed as a tombstone, is deleted.
 */
export function beadsTombstones(
  refs: readonly ExternalRef[],
  shown: readonly JsonRecord[],
  observedAt: string,
): IssueTombstone[] {
  const byId = new Map<string, JsonRecord>();
  for (const record of shown) if (typeof record.id === 'string') byId.set(record.id.toLowerCase(), record);
  const tombstones: IssueTombstone[] = [];
  for (const ref of refs) {
    const record = byId.get(ref.id.toLowerCase());
    if (record === undefined || isBeadsTombstone(record))
      tombstones.push(createTombstone({ ref, reason: 'deleted', observedAt }));
  }
  return tombstones;
}
