import { DecisionReferenceContractError } from '../errors/errors';
import { LinkType } from '../model/enums';
import { refIdentity } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import { deepEqual } from '../util/deep-equal';
import { pyRepr } from '../util/python-text';
import { type DecisionReference, decisionReferenceToJSON } from './decision-reference';
import { MISSION_CUSTOM_FIELD } from './mission-payload';
import type { MissionUpdate } from './mission-update';
import { isPlainObject, pyStr } from './py-str';

function mismatch(message: string, fieldPath: string, reason: string): DecisionReferenceContractError {
  return new DecisionReferenceContractError(message, { provider: null, kind: 'mission', fieldPath, reason });
}

function publishedEntries(issue: CanonicalIssue): Map<string, Record<string, unknown>> {
  const published = new Map<string, Record<string, unknown>>();
  const payload = issue.customFields[MISSION_CUSTOM_FIELD];
  if (!isPlainObject(payload) || !Array.isArray(payload.decision_refs)) return published;
  for (const entry of payload.decision_refs) {
    if (!isPlainObject(entry) || entry.decision_id === null || entry.decision_id === undefined) continue;
    published.set(pyStr(entry.decision_id), entry);
  }
  return published;
}

function sameKeys(left: ReadonlySet<string>, right: ReadonlySet<string>): boolean {
  return left.size === right.size && [...left].every((key) => right.has(key));
}

/**
 * Where the issue disagrees with the mission's decision references (DR-003 set mismatch, DR-004
 * missing BLOCKED_BY link, DR-005 stale published entry). Pure: returns, never throws or mutates.
 */
export function decisionLinkMismatches(
  issue: CanonicalIssue,
  update: MissionUpdate,
): DecisionReferenceContractError[] {
  const errors: DecisionReferenceContractError[] = [];
  const published = publishedEntries(issue);
  const missionIds = new Set(update.decisionReferences.map((ref) => ref.decisionId));
  if (!sameKeys(new Set(published.keys()), missionIds)) {
    errors.push(
      mismatch(
        "Published decision_refs set does not match the mission's decision_references set",
        `${MISSION_CUSTOM_FIELD}.decision_refs`,
        'DR-003',
      ),
    );
  }
  const blockedBy = new Set(
    issue.links.filter((link) => link.type === LinkType.BLOCKED_BY).map((link) => refIdentity(link.target)),
  );
  for (const ref of update.decisionReferences) {
    if (ref.blocking && ref.externalRef !== null && !blockedBy.has(refIdentity(ref.externalRef))) {
      errors.push(
        mismatch(
          `Blocking decision reference ${pyRepr(ref.decisionId)} has no corresponding BLOCKED_BY link on the issue`,
          `decision_refs[${ref.decisionId}]`,
          'DR-004',
        ),
      );
    }
  }
  for (const ref of update.decisionReferences) {
    const entry = published.get(ref.decisionId);
    if (entry !== undefined && !deepEqual(entry, decisionReferenceToJSON(ref as DecisionReference))) {
      errors.push(
        mismatch(
          `Published decision reference ${pyRepr(ref.decisionId)} no longer matches the mission's entry`,
          `${MISSION_CUSTOM_FIELD}.decision_refs[${ref.decisionId}]`,
          'DR-005',
        ),
      );
    }
  }
  return errors;
}
