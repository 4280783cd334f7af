import { ModelValidationError } from '../errors/errors';
import { type CanonicalStatus, isCanonicalStatus } from '../model/enums';
import {
  createDecisionReference,
  type DecisionReference,
  type DecisionReferenceInit,
} from './decision-reference';

/** A mission's progress to publish back to its source issue. */
export interface MissionUpdate {
  /** The mission id. */
  readonly missionId: string;
  /** The mission's state, e.g. `in_progress`. */
  readonly missionState: string;
  /** The status to move the issue to, when any. */
  readonly targetStatus: CanonicalStatus | null;
  /** A summary to comment, when any. */
  readonly summary: string | null;
  /** Link to the mission, when any. */
  readonly missionUrl: string | null;
  /** Decisions the update references. */
  readonly decisionReferences: readonly DecisionReference[];
}

/** What `createMissionUpdate` takes (optional fields default to null/empty). */
export interface MissionUpdateInit {
  /** The mission id. */
  missionId: string;
  /** The mission's state, e.g. `in_progress`. */
  missionState: string;
  /** The status to move the issue to, when any. */
  targetStatus?: CanonicalStatus | null;
  /** A summary to comment, when any. */
  summary?: string | null;
  /** Link to the mission, when any. */
  missionUrl?: string | null;
  /** Decisions the update references. */
  decisionReferences?: readonly (DecisionReference | DecisionReferenceInit)[];
}

/** Validates and freezes a `MissionUpdate` (the original's messages). */
export function createMissionUpdate(init: MissionUpdateInit): MissionUpdate {
  if (typeof init.missionId !== 'string')
    throw new ModelValidationError('MissionUpdate.missionId must be a string');
  if (typeof init.missionState !== 'string')
    throw new ModelValidationError('MissionUpdate.missionState must be a string');
  const targetStatus = init.targetStatus ?? null;
  if (targetStatus !== null && !isCanonicalStatus(targetStatus)) {
    throw new ModelValidationError(
      `MissionUpdate.targetStatus is not a CanonicalStatus: ${String(targetStatus)}`,
    );
  }
  return Object.freeze({
    missionId: init.missionId,
    missionState: init.missionState,
    targetStatus,
    summary: init.summary ?? null,
    missionUrl: init.missionUrl ?? null,
    decisionReferences: Object.freeze(
      (init.decisionReferences ?? []).map((ref) => createDecisionReference(ref)),
    ),
  });
}
