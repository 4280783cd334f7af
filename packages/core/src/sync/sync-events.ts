import type { ConnectorRequestError } from '../errors/errors';
import type { ExternalRef } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import type { ConflictRecord } from '../policy/conflicts';
import type { IssuePatch } from '../protocol/connector';
import type { TombstoneRecord } from '../store/issue-store';
import type { SyncFailure } from './sync-result';

/** One write a run makes (or, from `plan()`, would make), in execution order. */
export type PlannedWrite =
  | {
      /** Written to the tracker. */
      readonly target: 'remote';
      /** Creates an issue. */
      readonly action: 'create';
      /** The issue. */
      readonly ref: ExternalRef;
      /** The issue to create. */
      readonly issue: CanonicalIssue;
      /** Stable key of the logical write. */
      readonly idempotencyKey: string;
    }
  | {
      /** Written to the tracker. */
      readonly target: 'remote';
      /** Updates an issue. */
      readonly action: 'update';
      /** The issue. */
      readonly ref: ExternalRef;
      /** The fields to change. */
      readonly patch: IssuePatch;
      /** Stable key of the logical write. */
      readonly idempotencyKey: string;
    }
  | {
      /** Local content after a remote write depends on the tracker's answer; a plan predicts it. */
      readonly target: 'local';
      /** What happens to the local copy. */
      readonly action: 'create' | 'update' | 'delete';
      /** The issue. */
      readonly ref: ExternalRef;
      /** The local content after the write (null when deleted or unknown). */
      readonly issue: CanonicalIssue | null;
    }
  | {
      /** A tombstone recorded in the store (the issue row stays). */
      readonly target: 'local';
      /** Records the issue as gone, or a local deletion as pushed. */
      readonly action: 'tombstone';
      /** The issue. */
      readonly ref: ExternalRef;
      /** Always null: the issue's local content does not change. */
      readonly issue: null;
      /** The record written. */
      readonly tombstone: TombstoneRecord;
    };

/** Progress of a run, for logs and progress bars. Handlers must not throw. */
export type SyncProgressEvent =
  | {
      /** A listing page was read. */
      readonly type: 'page';
      /** Which phase read it. */
      readonly phase: 'pull' | 'push';
      /** The page's cursor. */
      readonly cursor: string | null;
      /** The next page's cursor. */
      readonly nextCursor: string | null;
      /** Items on the page. */
      readonly items: number;
    }
  | {
      /** A write is about to happen. */
      readonly type: 'write';
      /** The write. */
      readonly write: PlannedWrite;
    }
  | {
      /** A field was edited on both sides. */
      readonly type: 'conflict';
      /** The conflict. */
      readonly conflict: ConflictRecord;
    }
  | {
      /** An operation failed. */
      readonly type: 'failure';
      /** The failure. */
      readonly failure: SyncFailure;
    }
  | {
      /** A failed request will be retried. */
      readonly type: 'retry';
      /** The operation being retried. */
      readonly operation: string;
      /** The attempt that failed (1 = first). */
      readonly attempt: number;
      /** The wait before the next attempt. */
      readonly delayMs: number;
      /** The failure. */
      readonly error: ConnectorRequestError;
    };

/** Receives a run's progress events; must not throw. */
export type SyncProgressHandler = (event: SyncProgressEvent) => void;
