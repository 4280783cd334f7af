import type { FailureClass } from '../errors/failure-class';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import type { IssueTombstone } from '../model/tombstone';
import type { ConflictRecord } from '../policy/conflicts';

/** Counters of one pull/push/sync run (the original's `SyncStats`). */
export interface SyncStats {
  /** Issues created locally by the pull. */
  pulledCreated: number;
  /** Issues updated locally by the pull. */
  pulledUpdated: number;
  /** Issues created in the tracker. */
  pushedCreated: number;
  /** Issues updated in the tracker. */
  pushedUpdated: number;
  /** Issues that needed no write. */
  skipped: number;
  /** Remote tombstones (gone issues) newly recorded: `SyncResult.tombstones.length`. */
  tombstoned: number;
  /** Local deletions pushed as `canceled`: `SyncResult.closedRemote.length`. */
  closedRemote: number;
}

/** What failed; the values are the original's strings (`link` and `comment` are reserved, never produced). */
export const SyncOperation = {
  /** Reading a listing page. */
  PULL_PAGE: 'pull_page',
  /** Creating an issue in the tracker. */
  CREATE: 'create',
  /** Updating an issue in the tracker. */
  UPDATE: 'update',
  /** Writing a link. */
  LINK: 'link',
  /** Adding a comment. */
  COMMENT: 'comment',
  /** A field the tracker did not take (e.g. extra assignees), or a local deletion it cannot close. */
  PATCH_FIELD_DENIED: 'patch_field_denied',
  /** Asking the tracker which stored issues are gone (`checkGone`); never taken for a deletion. */
  CHECK_GONE: 'check_gone',
  /** Reading one issue (`getIssue`) for a webhook event (`syncEvents`); never taken for a deletion. */
  GET_ISSUE: 'get_issue',
} as const;
export type SyncOperation = (typeof SyncOperation)[keyof typeof SyncOperation];

/** One captured, non-aborting failure. `String(failure)` is `operation[identity]: message`. */
export interface SyncFailure {
  /** The issue, when the failure concerns one. */
  readonly issueRef: ExternalRef | null;
  /** What failed. */
  readonly operation: SyncOperation;
  /** Its failure class, when known. */
  readonly failureClass: FailureClass | null;
  /** What happened (no secrets). */
  readonly message: string;
  /** Whether a later run may succeed. */
  readonly retryable: boolean;
  /** When the tracker accepts requests again; set when the failure was a `RateLimitedError`. */
  readonly resetAt: Date | null;
}

/** A local change that a policy or conflict strategy did not let through. Never silent. */
export interface DiscardedLocalChange {
  /** The issue. */
  readonly issueRef: ExternalRef;
  /** Canonical (camelCase) field name, e.g. `title`, `labels`. */
  readonly fieldName: string;
  /** What the local side had. */
  readonly localValue: unknown;
  /** What both sides hold after the run. */
  readonly keptValue: unknown;
  /** `ownership`: the tracker owns the field; `conflict_strategy`: the strategy chose the tracker's value. */
  readonly reason: 'ownership' | 'conflict_strategy';
}

/** A failure as the engine records it; `resetAt` defaults to null. */
export type SyncFailureInit = Omit<SyncFailure, 'resetAt'> & {
  /** When the tracker allows requests again (rate limits). */
  readonly resetAt?: Date | null;
};

/** The outcome of a run. `errors` mirrors `failures` as strings, as in the original. */
export interface SyncResult {
  /** Counts of reads and writes. */
  stats: SyncStats;
  /** Fields edited on both sides. */
  conflicts: ConflictRecord[];
  /** Failure messages (one per failure). */
  errors: string[];
  /** Structured failures. */
  failures: SyncFailure[];
  /** Every local change the run dropped (ownership or conflict strategy); [] when none. */
  discarded: DiscardedLocalChange[];
  /** Ids of the `resolutions` run option that both sides now hold. */
  appliedResolutions: string[];
  /** Remote tombstones newly recorded this run (issues deleted, archived or moved away). */
  tombstones: IssueTombstone[];
  /** Local deletions pushed this run: each remote issue was closed as `canceled`. */
  closedRemote: ExternalRef[];
  /** What a `syncEvents` run did with its events; absent from every other run. */
  events?: SyncEventsSummary;
}

/**
 * Why a `syncEvents` run also ran the ordinary incremental sync: the host knows deliveries may
 * have been missed (`restart`, `missed_deliveries`), or the engine found the scope without a
 * checkpoint (`no_checkpoint`) or with one older than `maxCheckpointAgeMs` (`stale_checkpoint`).
 */
export type SyncEventsGap = 'restart' | 'missed_deliveries' | 'no_checkpoint' | 'stale_checkpoint';

/** The events side of a `syncEvents` result (`SyncResult.events`). */
export interface SyncEventsSummary {
  /** Events passed in. */
  readonly received: number;
  /** Events dropped as duplicates (same event seen earlier in the call or in a recent call). */
  readonly duplicates: number;
  /** Events that could not carry news, so their issue was not read (see `syncEvents`). */
  readonly skipped: number;
  /** Distinct issues read (or checked for deletion) from the tracker. */
  readonly issues: number;
  /** The gap that made the run also sync incrementally, or null when it did not. */
  readonly gapSync: SyncEventsGap | null;
}

/** Stats with every count 0 unless given. */
export function createSyncStats(init?: Partial<SyncStats>): SyncStats {
  // Named fields, not a spread of `init`: a spread costs microseconds here, paid on every run.
  return {
    pulledCreated: init?.pulledCreated ?? 0,
    pulledUpdated: init?.pulledUpdated ?? 0,
    pushedCreated: init?.pushedCreated ?? 0,
    pushedUpdated: init?.pushedUpdated ?? 0,
    skipped: init?.skipped ?? 0,
    tombstoned: init?.tombstoned ?? 0,
    closedRemote: init?.closedRemote ?? 0,
  };
}

/** The original's `str(failure)`: `update[jira:demo:SP-2]: validation failed`, `pull_page[<none>]: …`. */
export function formatSyncFailure(failure: SyncFailure): string {
  const identity = failure.issueRef ? refIdentity(failure.issueRef) : '<none>';
  return `${failure.operation}[${identity}]: ${failure.message}`;
}

/** A frozen `SyncFailure` (`resetAt` defaults to null). */
export function createSyncFailure(init: SyncFailureInit): SyncFailure {
  const failure = {
    issueRef: init.issueRef,
    operation: init.operation,
    failureClass: init.failureClass,
    message: init.message,
    retryable: init.retryable,
    resetAt: init.resetAt ?? null,
  };
  // Non-enumerable, so structural comparisons and JSON output see only the data fields.
  Object.defineProperty(failure, 'toString', {
    value: function formatted(this: SyncFailure): string {
      return formatSyncFailure(this);
    },
    enumerable: false,
  });
  return Object.freeze(failure);
}

/** An empty result, or one with the given parts. */
export function createSyncResult(init?: Partial<SyncResult>): SyncResult {
  const failures = [...(init?.failures ?? [])];
  return {
    stats: createSyncStats(init?.stats),
    conflicts: [...(init?.conflicts ?? [])],
    errors: failures.map(formatSyncFailure),
    failures,
    discarded: [...(init?.discarded ?? [])],
    appliedResolutions: [...(init?.appliedResolutions ?? [])],
    tombstones: [...(init?.tombstones ?? [])],
    closedRemote: [...(init?.closedRemote ?? [])],
  };
}
