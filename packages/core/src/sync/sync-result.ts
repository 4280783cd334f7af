import type { FailureClass } from '../errors/failure-class';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import type { ConflictRecord } from '../policy/conflicts';

/** Counters of one pull/push/sync run (the original's `SyncStats`). */
export interface SyncStats {
  pulledCreated: number;
  pulledUpdated: number;
  pushedCreated: number;
  pushedUpdated: number;
  skipped: number;
}

/** What failed; the values are the original's strings (`link` and `comment` are reserved, never produced). */
export const SyncOperation = {
  PULL_PAGE: 'pull_page',
  CREATE: 'create',
  UPDATE: 'update',
  LINK: 'link',
  COMMENT: 'comment',
  PATCH_FIELD_DENIED: 'patch_field_denied',
} as const;
export type SyncOperation = (typeof SyncOperation)[keyof typeof SyncOperation];

/** One captured, non-aborting failure. `String(failure)` is `operation[identity]: message`. */
export interface SyncFailure {
  readonly issueRef: ExternalRef | null;
  readonly operation: SyncOperation;
  readonly failureClass: FailureClass | null;
  readonly message: string;
  readonly retryable: boolean;
  /** When the tracker accepts requests again; set when the failure was a `RateLimitedError`. */
  readonly resetAt: Date | null;
}

/** A local change that a policy or conflict strategy did not let through. Never silent. */
export interface DiscardedLocalChange {
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
export type SyncFailureInit = Omit<SyncFailure, 'resetAt'> & { readonly resetAt?: Date | null };

/** The outcome of a run. `errors` mirrors `failures` as strings, as in the original. */
export interface SyncResult {
  stats: SyncStats;
  conflicts: ConflictRecord[];
  errors: string[];
  failures: SyncFailure[];
  /** Every local change the run dropped (ownership or conflict strategy); [] when none. */
  discarded: DiscardedLocalChange[];
  /** Ids of the `resolutions` run option that both sides now hold. */
  appliedResolutions: string[];
}

export function createSyncStats(init?: Partial<SyncStats>): SyncStats {
  return { pulledCreated: 0, pulledUpdated: 0, pushedCreated: 0, pushedUpdated: 0, skipped: 0, ...init };
}

/** The original's `str(failure)`: `update[jira:demo:SP-2]: validation failed`, `pull_page[<none>]: …`. */
export function formatSyncFailure(failure: SyncFailure): string {
  const identity = failure.issueRef ? refIdentity(failure.issueRef) : '<none>';
  return `${failure.operation}[${identity}]: ${failure.message}`;
}

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

export function createSyncResult(init?: Partial<SyncResult>): SyncResult {
  const failures = [...(init?.failures ?? [])];
  return {
    stats: createSyncStats(init?.stats),
    conflicts: [...(init?.conflicts ?? [])],
    errors: failures.map(formatSyncFailure),
    failures,
    discarded: [...(init?.discarded ?? [])],
    appliedResolutions: [...(init?.appliedResolutions ?? [])],
  };
}
