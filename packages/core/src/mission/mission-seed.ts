import { ModelValidationError } from '../errors/errors';
import { type CanonicalStatus, isCanonicalStatus } from '../model/enums';
import { createRef, type ExternalRef, type ExternalRefInit, refIdentity } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import {
  createDecisionReference,
  type DecisionReference,
  type DecisionReferenceInit,
  parseDecisionRefs,
} from './decision-reference';

/** What a mission starts from: the source issue's content. No TeamSpace legacy keys exist on it. */
export interface MissionSeed {
  readonly missionId: string;
  readonly sourceIssueRef: ExternalRef;
  readonly title: string;
  readonly body: string | null;
  readonly status: CanonicalStatus;
  readonly priority: number | null;
  readonly assignees: readonly string[];
  readonly labels: readonly string[];
  readonly decisionReferences: readonly DecisionReference[];
}

export interface MissionSeedInit {
  missionId: string;
  sourceIssueRef: ExternalRefInit;
  title: string;
  body?: string | null;
  status: CanonicalStatus;
  priority?: number | null;
  assignees?: readonly string[];
  labels?: readonly string[];
  decisionReferences?: readonly (DecisionReference | DecisionReferenceInit)[];
}

export function createMissionSeed(init: MissionSeedInit): MissionSeed {
  if (typeof init.missionId !== 'string')
    throw new ModelValidationError('MissionSeed.missionId must be a string');
  if (!isCanonicalStatus(init.status)) {
    throw new ModelValidationError(`MissionSeed.status is not a CanonicalStatus: ${String(init.status)}`);
  }
  return Object.freeze({
    missionId: init.missionId,
    sourceIssueRef: createRef(init.sourceIssueRef),
    title: init.title,
    body: init.body ?? null,
    status: init.status,
    priority: init.priority ?? null,
    assignees: Object.freeze([...(init.assignees ?? [])]),
    labels: Object.freeze([...(init.labels ?? [])]),
    decisionReferences: Object.freeze(
      (init.decisionReferences ?? []).map((ref) => createDecisionReference(ref)),
    ),
  });
}

/**
 * The original's `mission_seed_from_issue`: `missionId` defaults to `mission:<identity>`, and the
 * upstream `customFields.decision_refs` are parsed strictly (DR-001/DR-002 errors).
 */
export function missionSeedFromIssue(
  issue: CanonicalIssue,
  options?: { missionId?: string | null },
): MissionSeed {
  const missionId = options?.missionId ? options.missionId : `mission:${refIdentity(issue.ref)}`;
  return Object.freeze({
    missionId,
    sourceIssueRef: issue.ref,
    title: issue.title,
    body: issue.body,
    status: issue.status,
    priority: issue.priority,
    assignees: Object.freeze([...issue.assignees]),
    labels: Object.freeze([...issue.labels]),
    decisionReferences: Object.freeze(parseDecisionRefs(issue.customFields.decision_refs)),
  });
}
