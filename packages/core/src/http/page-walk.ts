// A bounded page walk. Connectors that follow a server's "next" signal (a Link header, a Relay
// endCursor, a continuation token, a page number) inside one call guard the loop with it: a
// server that answers "there is more" forever, or hands back a cursor it already gave, would
// otherwise keep the walk going until the process is killed.
import { ConnectorRequestError } from '../errors/errors';
import { FailureClass } from '../errors/failure-class';

/** Default `maxPages` of connector configs: far above any real listing the walks serve. */
export const DEFAULT_MAX_PAGES = 1000;

/**
 * A page walk stopped: the server repeated a cursor (or link) it had already returned, or the
 * walk reached its configured `maxPages`. Not retryable: the same request would loop again.
 */
export class PageWalkLimitError extends ConnectorRequestError {
  static override readonly errorName: string = 'PageWalkLimitError';
  /** Why the walk stopped. */
  readonly reason: 'repeated_cursor' | 'max_pages';
  /** Pages fetched before the walk stopped. */
  readonly pages: number;

  constructor(
    message: string,
    options: { provider: string; reason: 'repeated_cursor' | 'max_pages'; pages: number },
  ) {
    super(message, { provider: options.provider, failureClass: FailureClass.NON_RETRYABLE });
    this.reason = options.reason;
    this.pages = options.pages;
  }
}

/** Options of `createPageWalk`. */
export interface PageWalkOptions {
  /** Connector name for messages and `error.provider`, e.g. `github`. */
  provider: string;
  /** What is being walked, for messages, e.g. `blocked_by dependencies of #12`. */
  what: string;
  /** Pages allowed (>= 1); the walk throws when the server offers one more. */
  maxPages: number;
  /** Name of the setting that raises the limit, for the message (default `maxPages`). */
  setting?: string;
}

/** Counts pages of one listing and stops a runaway walk (repeated cursor, too many pages). */
export interface PageWalk {
  /** Pages fetched so far. */
  readonly pages: number;
  /**
   * Call before fetching each page after the first with the cursor / link / token that asks for
   * it. Throws `PageWalkLimitError` when that cursor was already followed, or when fetching it
   * would exceed `maxPages`.
   */
  next(cursor: string): void;
}

/**
 * Starts a walk. The first page needs no cursor, so a new walk counts one page; each
 * `next(cursor)` adds one. Pass `first` when the first page has a cursor of its own (a caller's
 * cursor), so a server pointing back at it is caught too.
 */
export function createPageWalk(options: PageWalkOptions, first?: string | null): PageWalk {
  if (!Number.isInteger(options.maxPages) || options.maxPages < 1) {
    throw new RangeError(`maxPages must be an integer >= 1, got ${String(options.maxPages)}`);
  }
  const seen = new Set<string>(first ? [first] : []);
  const setting = options.setting ?? 'maxPages';
  let pages = 1;
  return {
    get pages() {
      return pages;
    },
    next(cursor: string) {
      if (seen.has(cursor)) {
        // The cursor itself is not quoted: links can be long, and carry whatever the server put in them.
        throw new PageWalkLimitError(
          `${options.provider}: stopped walking ${options.what} after ${pages} page(s): the server returned a next-page cursor it had already returned (a pagination loop). Report it to the server's operator; retrying will loop again.`,
          { provider: options.provider, reason: 'repeated_cursor', pages },
        );
      }
      if (pages >= options.maxPages) {
        throw new PageWalkLimitError(
          `${options.provider}: stopped walking ${options.what} after ${pages} page(s) (${setting} = ${options.maxPages}) while the server still offered another page. Raise ${setting} in the connector config if the listing really is that long.`,
          { provider: options.provider, reason: 'max_pages', pages },
        );
      }
      seen.add(cursor);
      pages += 1;
    },
  };
}
