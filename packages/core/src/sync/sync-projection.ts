import { type CanonicalIssue, type CanonicalIssueInit, CORE_ISSUE_FIELDS } from '../model/issue';
import type { TrackerConnector } from '../protocol/connector';
import { identityProjection, syncFieldEqual } from './sync-merge';

/** Maps an issue to how it would read back from the tracker; identity when the tracker is lossless. */
export type IssueProjection = (issue: CanonicalIssue) => CanonicalIssue;

/** The connector's `projectIssue`, or identity when it has none (memory and other lossless trackers). */
export function projectionOf(connector: TrackerConnector): IssueProjection {
  const project = connector.projectIssue;
  return project ? (issue) => project.call(connector, issue) : identityProjection;
}

/**
 * The tracker's copy of an issue, except that each field whose local value the tracker merely
 * could not represent (both projections equal) keeps the richer local value.
 * Used after a create, where the original stores the tracker's copy as is: that would replace a
 * local `in_progress` by the `todo` GitHub reads back and lose the user's status.
 */
export function keepRicherLocal(
  local: CanonicalIssue,
  remote: CanonicalIssue,
  project: IssueProjection,
): CanonicalIssue {
  const projected = project(local);
  const projectedRemote = project(remote);
  const kept: Record<string, unknown> = {};
  for (const field of CORE_ISSUE_FIELDS) {
    if (syncFieldEqual(field, projected, projectedRemote)) kept[field] = local[field];
  }
  return { ...remote, ...(kept as Partial<CanonicalIssueInit>) };
}
