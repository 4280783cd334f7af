import type { TrackerCapabilities } from '../capabilities';
import type { CanonicalStatus } from '../model/enums';
import type { ExternalRef } from '../model/external-ref';
import type { CanonicalIssue, CoreIssueField } from '../model/issue';
import type { CanonicalLink } from '../model/link';
import type { Page, SyncCheckpoint, TrackerEvent } from '../model/page';
import type { IssueTombstone } from '../model/tombstone';

/** A partial update keyed by core field names (unknown keys are a PK-001 contract error). */
export type IssuePatch = { -readonly [Field in CoreIssueField]?: CanonicalIssue[Field] };

/** One page request of `listIssues`. */
export interface ListIssuesQuery {
  /** Only issues updated at or after this instant (null: all). */
  updatedSince: Date | null;
  /** The previous page's `nextCursor` (null: the first page). */
  cursor: string | null;
  /** Page size, not a total cap. */
  limit: number;
  /** Connector-specific filters. */
  filters?: Readonly<Record<string, unknown>>;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Options of a write (create, update). */
export interface WriteOptions {
  /** Stable key for the logical write (`sync:<identity>`); connectors that can use it should. */
  idempotencyKey?: string;
  /** Aborts the write. */
  signal?: AbortSignal;
}

/** One page request of `listEvents`. */
export interface ListEventsQuery {
  /** Where the previous page stopped (null: from the start). */
  cursor: SyncCheckpoint | null;
  /** Page size. */
  limit: number;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** One page of tracker events. */
export interface EventsPage {
  /** The events, oldest first. */
  events: TrackerEvent[];
  /** Where the next page starts (null: nothing more). */
  checkpoint: SyncCheckpoint | null;
}

/** The protocol every tracker connector implements (the original's `TaskTrackerConnector`). */
export interface TrackerConnector {
  /** The connector's system name; the `system` of every `ExternalRef` it returns. */
  readonly name: string;
  /** What the tracker supports. */
  getCapabilities(): Promise<TrackerCapabilities>;
  /** One page of issues, in a stable order. */
  listIssues(query: ListIssuesQuery): Promise<Page<CanonicalIssue>>;
  /** Throws `IssueNotFoundError` when missing. */
  getIssue(ref: ExternalRef, options?: { signal?: AbortSignal }): Promise<CanonicalIssue>;
  /**
   * Optional: the issues `refs` name that exist, read with the tracker's bulk read (as `getIssue`
   * would return them; any order; a ref asked twice may be answered once). A ref that names no
   * issue (deleted, never existed, moved away and answered under another identity) is left out,
   * never an error; any other failure (timeout, 5xx, 401/403, rate limit) throws. Accepts any
   * number of refs and splits them into the vendor's batches itself. Implement it only where the
   * tracker reads many issues per request: the sync engine then reads the push's remote copies in
   * `ceil(refs / page size)` calls, instead of one `getIssue` each or a listing of the whole tracker.
   */
  getIssues?(refs: readonly ExternalRef[], options?: { signal?: AbortSignal }): Promise<CanonicalIssue[]>;
  /** Create-if-absent: a retry with identical content must not create a second issue. */
  createIssue(issue: CanonicalIssue, options?: WriteOptions): Promise<CanonicalIssue>;
  /** Applies a partial update; unknown patch keys are a PK-001 contract error. */
  updateIssue(ref: ExternalRef, patch: IssuePatch, options?: WriteOptions): Promise<CanonicalIssue>;
  /** Moves the issue to `target` (a `CapabilityNotSupportedError` when the workflow refuses). */
  transitionIssue(ref: ExternalRef, target: CanonicalStatus): Promise<CanonicalIssue>;
  /** Adds the link unless it exists. */
  upsertLink(ref: ExternalRef, link: CanonicalLink): Promise<void>;
  /** Adds a comment. */
  addComment(ref: ExternalRef, body: string): Promise<void>;
  /** Connectors that cannot observe an event stream return `{ events: [], checkpoint: null }`. */
  listEvents(query: ListEventsQuery): Promise<EventsPage>;
  /**
   * Optional: find an issue this library may already have created for `issue` (by identity or a
   * marker the connector embeds), so an ambiguous create failure is never retried blindly.
   */
  findCreatedIssue?(issue: CanonicalIssue, options: WriteOptions): Promise<CanonicalIssue | null>;
  /**
   * Optional: how `issue` would read back from this tracker after being written: a pure,
   * idempotent map of every core field to the value the tracker can represent (GitHub: status
   * `in_progress` -> `todo`, priority -> null, ...). The sync engine compares projections, so a
   * difference the tracker cannot hold is neither pushed again nor taken as a remote change, and
   * the richer local value is kept. Absent means identity (the tracker represents everything).
   */
  projectIssue?(issue: CanonicalIssue): CanonicalIssue;
  /**
   * Optional (with `reportsDeletions`): a tombstone for each ref that is definitively gone
   * (deleted, archived/trashed, moved away); refs that exist are omitted. Any other failure
   * (timeout, 5xx, 401/403, rate limit, network) throws: it is never taken for a deletion. Uses
   * the vendor's bulk read where one exists (bounded batches), else bounded-concurrency reads.
   */
  checkGone?(refs: readonly ExternalRef[], options?: { signal?: AbortSignal }): Promise<IssueTombstone[]>;
  /** Releases sockets, subprocesses and caches. */
  close?(): Promise<void>;
}
