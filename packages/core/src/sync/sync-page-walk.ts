// The engine's walk across `listIssues` calls (following `nextCursor`). Connectors guard the
// loops inside one call; this guards the loop between calls: a connector or tracker that hands
// back a cursor it already gave, or offers "more" forever, would otherwise keep a run going
// until the process is killed, writing a checkpoint per page.
import { ModelValidationError } from '../errors/errors';
import { PageWalkLimitError } from '../http/page-walk';

/** Default `maxPages` of a `SyncEngine`: 10 million issues at 100 per page. */
export const DEFAULT_MAX_SYNC_PAGES = 100_000;

export interface SyncPageWalk {
  /**
   * Call with each page's `nextCursor` (not null) before following it. Throws
   * `PageWalkLimitError` when that cursor was already followed in this walk (or is the one the
   * walk started from), or when following it would exceed `maxPages`.
   */
  next(cursor: string): void;
  /** As `next`, but returns the `PageWalkLimitError` (null when the walk may follow `cursor`). */
  refusal(cursor: string): PageWalkLimitError | null;
}

/**
 * Starts a walk whose first page is fetched with `first` (a checkpoint's cursor, or null).
 * `resumable`: a pull, whose checkpoint lets the next run continue where this one stopped.
 */
export function createSyncPageWalk(
  provider: string,
  maxPages: number,
  first: string | null,
  resumable: boolean,
): SyncPageWalk {
  const seen = new Set<string>();
  if (first !== null) seen.add(first);
  let pages = 1;
  const refusal = (cursor: string): PageWalkLimitError | null => {
    if (seen.has(cursor)) {
      return new PageWalkLimitError(
        `${provider}: stopped listing issues after ${pages} page(s): listIssues returned a nextCursor it had already returned (a pagination loop in the connector or the tracker). The checkpoint was not moved to it; retrying will loop again, so report it to the connector's maintainers.`,
        { provider, reason: 'repeated_cursor', pages },
      );
    }
    if (pages >= maxPages) {
      return new PageWalkLimitError(
        `${provider}: stopped listing issues after ${pages} page(s) (SyncEngine maxPages = ${maxPages}) while listIssues still offered another page. ${resumable ? 'The next pull resumes from the checkpoint; raise' : 'Raise'} maxPages if one run should walk the whole listing.`,
        { provider, reason: 'max_pages', pages },
      );
    }
    seen.add(cursor);
    pages += 1;
    return null;
  };
  return {
    refusal,
    next(cursor: string) {
      const refused = refusal(cursor);
      if (refused !== null) throw refused;
    },
  };
}

/** `maxPages` must be a positive integer, as a page size must. */
export function checkMaxPages(maxPages: number): number {
  if (!Number.isInteger(maxPages) || maxPages < 1) {
    throw new ModelValidationError(`maxPages must be a positive integer, got ${String(maxPages)}`);
  }
  return maxPages;
}
