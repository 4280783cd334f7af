import {
  type CanonicalIssue,
  type CanonicalStatus,
  createIssue,
  createRef,
  type IssuePatch,
} from '@spec-kitty/core';
import type { AcmeIssue, AcmeIssueFields } from './acme-api.js';

const STATE_OF = {
  todo: 'open',
  in_progress: 'doing',
  in_review: 'review',
  blocked: 'blocked',
  done: 'closed',
  canceled: 'dropped',
} as const satisfies Record<CanonicalStatus, AcmeIssue['state']>;

const STATUS_OF = Object.fromEntries(
  Object.entries(STATE_OF).map(([status, state]) => [state, status]),
) as Record<AcmeIssue['state'], CanonicalStatus>;

/** Canonical status → Acme state. */
export function acmeState(status: CanonicalStatus): AcmeIssue['state'] {
  return STATE_OF[status];
}

/** An Acme issue as a canonical issue of `project`. */
export function fromAcmeIssue(issue: AcmeIssue, project: string): CanonicalIssue {
  return createIssue({
    ref: createRef({ system: 'acme', workspace: project, id: String(issue.number), url: issue.web_url }),
    title: issue.title,
    body: issue.description,
    status: STATUS_OF[issue.state],
    issueType: issue.kind,
    priority: issue.priority,
    labels: issue.labels,
    assignees: issue.assignees,
    createdAt: new Date(issue.created_at),
    updatedAt: new Date(issue.updated_at),
    raw: issue,
  });
}

/** The Acme fields of a patch (core field names in, Acme names out). */
export function toAcmeFields(patch: IssuePatch): AcmeIssueFields {
  const fields: AcmeIssueFields = {};
  if (patch.title !== undefined) fields.title = patch.title;
  if (patch.body !== undefined) fields.description = patch.body;
  if (patch.status !== undefined) fields.state = acmeState(patch.status);
  if (patch.issueType !== undefined) fields.kind = patch.issueType;
  if (patch.priority !== undefined) fields.priority = patch.priority;
  if (patch.labels !== undefined) fields.labels = [...patch.labels];
  if (patch.assignees !== undefined) fields.assignees = [...patch.assignees];
  return fields;
}

/** How `issue` reads back from Acme: it has no parents, links or custom fields. */
export function projectAcmeIssue(issue: CanonicalIssue): CanonicalIssue {
  return createIssue({ ...issue, parent: null, links: [], customFields: {} });
}
