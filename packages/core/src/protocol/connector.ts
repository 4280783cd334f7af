import type { TrackerCapabilities } from '../capabilities';
import type { CanonicalStatus } from '../model/enums';
import type { ExternalRef } from '../model/external-ref';
import type { CanonicalIssue, CoreIssueField } from '../model/issue';
import type { CanonicalLink } from '../model/link';
import type { Page, SyncCheckpoint, TrackerEvent } from '../model/page';

/** A partial update keyed by core field names (unknown keys are a PK-001 contract error). */
export type IssuePatch = { -readonly [Field in CoreIssueField]?: CanonicalIssue[Field] };

export interface ListIssuesQuery {
  updatedSince: Date | null;
  cursor: string | null;
  /** Page size, not a total cap. */
  limit: number;
  filters?: Readonly<Record<string, unknown>>;
  signal?: AbortSignal;
}

export interface WriteOptions {
  /** Stable key for the logical write (`sync:<identity>`); connectors that can use it should. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface ListEventsQuery {
  cursor: SyncCheckpoint | null;
  limit: number;
  signal?: AbortSignal;
}

export interface EventsPage {
  events: TrackerEvent[];
  checkpoint: SyncCheckpoint | null;
}

/** The protocol every tracker connector implements (the original's `TaskTrackerConnector`). */
export interface TrackerConnector {
  readonly name: string;
  getCapabilities(): Promise<TrackerCapabilities>;
  listIssues(query: ListIssuesQuery): Promise<Page<CanonicalIssue>>;
  /** Throws `IssueNotFoundError` when missing. */
  getIssue(ref: ExternalRef, options?: { signal?: AbortSignal }): Promise<CanonicalIssue>;
  /** Create-if-absent: a retry with identical content must not create a second issue. */
  createIssue(issue: CanonicalIssue, options?: WriteOptions): Promise<CanonicalIssue>;
  updateIssue(ref: ExternalRef, patch: IssuePatch, options?: WriteOptions): Promise<CanonicalIssue>;
  transitionIssue(ref: ExternalRef, target: CanonicalStatus): Promise<CanonicalIssue>;
  upsertLink(ref: ExternalRef, link: CanonicalLink): Promise<void>;
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
  close?(): Promise<void>;
}
