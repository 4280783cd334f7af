// What fp shows of deleted issues. fp has no deleted or archived state in its output, and no bulk
// show: one `fp issue list` (every issue, one process) narrows the refs down to those it no longer
// lists, and each of those must then answer `fp issue show` with "Issue <id> not found" to count
// as deleted (a few processes at a time). Any other failure throws.
import { createTombstone, type ExternalRef, type IssueTombstone } from '@spec-kitty/core';
import { mapBounded } from '@spec-kitty/core/http';

/** `fp issue show` processes in flight while confirming unlisted refs. */
export const CONFIRM_CONCURRENCY = 4;

/** What `checkFpGone` needs from the connector. */
export interface FpGoneDeps {
  /** Ids of every issue `fp issue list` prints. */
  listedIds(signal?: AbortSignal): Promise<ReadonlySet<string>>;
  /** True when `fp issue show <id>` answers "Issue <id> not found"; false when it shows it; throws otherwise. */
  showsNotFound(id: string, signal?: AbortSignal): Promise<boolean>;
}

/** Tombstones (`deleted`) of the refs fp neither lists nor shows; live refs are omitted. */
export async function checkFpGone(
  deps: FpGoneDeps,
  refs: readonly ExternalRef[],
  signal?: AbortSignal,
): Promise<IssueTombstone[]> {
  if (refs.length === 0) return [];
  const observedAt = new Date().toISOString();
  const listed = await deps.listedIds(signal);
  const unlisted = refs.filter((ref) => !listed.has(ref.id));
  const gone = await mapBounded(unlisted, CONFIRM_CONCURRENCY, (ref) => deps.showsNotFound(ref.id, signal));
  return unlisted
    .filter((_, index) => gone[index])
    .map((ref) => createTombstone({ ref, reason: 'deleted', observedAt }));
}
