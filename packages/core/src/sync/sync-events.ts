import type { ConnectorRequestError } from '../errors/errors';
import type { ExternalRef } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import type { ConflictRecord } from '../policy/conflicts';
import type { IssuePatch } from '../protocol/connector';
import type { SyncFailure } from './sync-result';

/** One write a run makes (or, from `plan()`, would make), in execution order. */
export type PlannedWrite =
  | {
      readonly target: 'remote';
      readonly action: 'create';
      readonly ref: ExternalRef;
      readonly issue: CanonicalIssue;
      readonly idempotencyKey: string;
    }
  | {
      readonly target: 'remote';
      readonly action: 'update';
      readonly ref: ExternalRef;
      readonly patch: IssuePatch;
      readonly idempotencyKey: string;
    }
  | {
      /** Local content after a remote write depends on the tracker's answer; a plan predicts it. */
      readonly target: 'local';
      readonly action: 'create' | 'update' | 'delete';
      readonly ref: ExternalRef;
      readonly issue: CanonicalIssue | null;
    };

/** Progress of a run, for logs and progress bars. Handlers must not throw. */
export type SyncProgressEvent =
  | {
      readonly type: 'page';
      readonly phase: 'pull' | 'push';
      readonly cursor: string | null;
      readonly nextCursor: string | null;
      readonly items: number;
    }
  | { readonly type: 'write'; readonly write: PlannedWrite }
  | { readonly type: 'conflict'; readonly conflict: ConflictRecord }
  | { readonly type: 'failure'; readonly failure: SyncFailure }
  | {
      readonly type: 'retry';
      readonly operation: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly error: ConnectorRequestError;
    };

export type SyncProgressHandler = (event: SyncProgressEvent) => void;
