import { type CanonicalIssue, type CanonicalIssueJSON, issueFromJSON, refToJSON } from '@spec-kitty/core';
import { contentKey } from '@spec-kitty/core/store';

/** The wire JSON of an issue without `raw`, which is stored in a column of its own. */
export type IssuePayloadJSON = Omit<CanonicalIssueJSON, 'raw'>;

/** What one issue row holds: the payload text, the raw vendor JSON text, and the content key. */
export interface SerializedIssue {
  readonly payload: string;
  readonly raw: string | null;
  readonly contentKey: string;
  readonly updatedAt: string | null;
}

/**
 * Serialises an issue for a row. Issues are immutable, so the JSON shares the issue's lists and
 * maps instead of copying them (`issueToJSON` copies, for callers that edit the result).
 */
export function serializeIssue(issue: CanonicalIssue): SerializedIssue {
  const json: IssuePayloadJSON = {
    ref: refToJSON(issue.ref),
    title: issue.title,
    body: issue.body,
    status: issue.status,
    issue_type: issue.issueType,
    priority: issue.priority,
    assignees: issue.assignees as string[],
    labels: issue.labels as string[],
    parent: issue.parent ? refToJSON(issue.parent) : null,
    links: issue.links.map((link) => ({ type: link.type, target: refToJSON(link.target) })),
    custom_fields: issue.customFields as CanonicalIssueJSON['custom_fields'],
    created_at: issue.createdAt ? issue.createdAt.toISOString() : null,
    updated_at: issue.updatedAt ? issue.updatedAt.toISOString() : null,
  };
  return {
    payload: JSON.stringify(json),
    raw: issue.raw === null ? null : JSON.stringify(issue.raw),
    contentKey: contentKey(json),
    updatedAt: json.updated_at,
  };
}

/** Reads a row back; the parsed JSON is adopted (frozen in place), never copied again. */
export function deserializeIssue(payload: string, raw: string | null): CanonicalIssue {
  const json = JSON.parse(payload) as Record<string, unknown>;
  json.raw = raw === null ? null : JSON.parse(raw);
  return issueFromJSON(json, { adopt: true });
}
