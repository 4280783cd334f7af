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
  /** The mission id. */
  readonly missionId: string;
  /** The issue the mission came from. */
  readonly sourceIssueRef: ExternalRef;
  /** Mission title. */
  readonly title: string;
  /** Mission body, when any. */
  readonly body: string | null;
  /** Canonical status. */
  readonly status: CanonicalStatus;
  /** Priority 0–4, when set. */
  readonly priority: number | null;
  /** Assignees. */
  readonly assignees: readonly string[];
  /** Labels. */
  readonly labels: readonly string[];
  /** Decisions the mission references. */
  readonly decisionReferences: readonly DecisionReference[];
}

/** What `createMissionSeed` takes (optional fields default to null/empty). */
export interface MissionSeedInit {
  /** The mission id. */
  missionId: string;
  /** The issue the mission came from. */
  sourceIssueRef: ExternalRefInit;
  /** Mission title. */
  title: string;
  /** Mission body, when any. */
  body?: string | null;
  /** Canonical status. */
  status: CanonicalStatus;
  /** Priority 0–4, when set. */
  priority?: number | null;
  /** Assignees. */
  assignees?: readonly string[];
  /** Labels. */
  labels?: readonly string[];
  /** Decisions the mission references. */
  decisionReferences?: readonly (DecisionReference | DecisionReferenceInit)[];
}

/** Validates and freezes a `MissionSeed` (the original's messages). */
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
