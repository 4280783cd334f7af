import { ModelValidationError } from '../errors/errors';
import { type CanonicalStatus, isCanonicalStatus } from '../model/enums';
import {
  createDecisionReference,
  type DecisionReference,
  type DecisionReferenceInit,
} from './decision-reference';

/** A mission's progress to publish back to its source issue. */
export interface MissionUpdate {
  readonly missionId: string;
  readonly missionState: string;
  readonly targetStatus: CanonicalStatus | null;
  readonly summary: string | null;
  readonly missionUrl: string | null;
  readonly decisionReferences: readonly DecisionReference[];
}

export interface MissionUpdateInit {
  missionId: string;
  missionState: string;
  targetStatus?: CanonicalStatus | null;
  summary?: string | null;
  missionUrl?: string | null;
  decisionReferences?: readonly (DecisionReference | DecisionReferenceInit)[];
}

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
