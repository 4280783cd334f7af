import { createHash } from 'node:crypto';
import {
  type CanonicalIssue,
  CanonicalIssueType,
  type CanonicalLink,
  CanonicalStatus,
  createIssue,
  createLink,
  createRef,
  type ExternalRef,
  LinkType,
} from '@spec-kitty/core';
import { uniqueSortedLinks } from '@spec-kitty/core/http';
import type { AzureWorkItemPayload } from './azure-api-schemas';

export const AZURE_SYSTEM = 'azure_devops';

/** Partial map canonical status → ADO state name (the config's `statusMap`). */
export type AzureStatusMap = Readonly<Partial<Record<CanonicalStatus, string>>>;

/**
 * Default write states (Agile process). `in_review` → `Resolved` (User Story, Bug, Epic, Feature
 * have it), and `Resolved` reads back as `in_review`, so in_review round-trips — the original
 * wrote `Resolved` but read it as `done`. Tasks have no `Resolved` state in Agile: map
 * `in_review` explicitly (`statusMap`) when your process has a review state.
 */
export const DEFAULT_STATUS_STATES: Readonly<Record<CanonicalStatus, string>> = {
  todo: 'New',
  in_progress: 'Active',
  in_review: 'Resolved',
  blocked: 'Active',
  done: 'Closed',
  canceled: 'Removed',
};

export function statusToAzureState(status: CanonicalStatus, statusMap: AzureStatusMap): string {
  return statusMap[status] ?? DEFAULT_STATUS_STATES[status];
}

/** ADO state → canonical: configured `statusMap` entries first, then the name rules. */
export function azureStateToStatus(state: unknown, statusMap: AzureStatusMap): CanonicalStatus {
  const name = typeof state === 'string' ? state.trim().toLowerCase() : '';
  for (const [status, mapped] of Object.entries(statusMap)) {
    if (mapped && mapped.trim().toLowerCase() === name) return status as CanonicalStatus;
  }
  if (name === 'done' || name === 'closed') return CanonicalStatus.DONE;
  if (name === 'resolved' || name.includes('review')) return CanonicalStatus.IN_REVIEW;
  if (name === 'in progress' || name === 'active' || name === 'committed' || name === 'doing')
    return CanonicalStatus.IN_PROGRESS;
  if (name === 'blocked' || name === 'on hold') return CanonicalStatus.BLOCKED;
  if (name === 'removed' || name === 'canceled' || name === 'cancelled') return CanonicalStatus.CANCELED;
  return CanonicalStatus.TODO;
}

export function azureTypeToCanonical(type: unknown): CanonicalIssueType {
  const name = typeof type === 'string' ? type.trim().toLowerCase() : '';
  if (name === 'epic' || name === 'feature' || name === 'initiative') return CanonicalIssueType.EPIC;
  if (name === 'user story' || name === 'story' || name === 'product backlog item')
    return CanonicalIssueType.STORY;
  if (name === 'bug' || name === 'defect') return CanonicalIssueType.BUG;
  if (name === 'task') return CanonicalIssueType.TASK;
  return CanonicalIssueType.CHORE;
}

export function canonicalTypeToAzure(type: CanonicalIssueType): string {
  switch (type) {
    case CanonicalIssueType.EPIC:
      return 'Epic';
    case CanonicalIssueType.STORY:
      return 'User Story';
    case CanonicalIssueType.BUG:
      return 'Bug';
    default:
      return 'Task';
  }
}

/** ADO priority (1..4) → canonical: the raw value clamped to 0..4, as the original. */
export function azurePriorityToCanonical(value: unknown): number | null {
  let parsed: number;
  if (typeof value === 'number' && Number.isInteger(value)) parsed = value;
  else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) parsed = Number.parseInt(value, 10);
  else return null;
  return Math.min(4, Math.max(0, parsed));
}

/** The priority ADO gives a work item created without one (the connector writes no null priority). */
export const AZURE_DEFAULT_PRIORITY = 2;

/** Canonical 0..4 → ADO 1..4 (ADO rejects 0; the original sent it raw). */
export function canonicalPriorityToAzure(priority: number): number {
  return Math.min(4, Math.max(1, Math.trunc(priority)));
}

export const LINK_REL: Readonly<Record<LinkType, string>> = {
  blocks: 'System.LinkTypes.Dependency-Forward',
  blocked_by: 'System.LinkTypes.Dependency-Reverse',
  parent_of: 'System.LinkTypes.Hierarchy-Forward',
  child_of: 'System.LinkTypes.Hierarchy-Reverse',
  relates_to: 'System.LinkTypes.Related',
  duplicates: 'System.LinkTypes.Duplicate-Forward',
};

const REL_LINK: Readonly<Record<string, LinkType>> = {
  'System.LinkTypes.Dependency-Forward': LinkType.BLOCKS,
  'System.LinkTypes.Dependency-Reverse': LinkType.BLOCKED_BY,
  'System.LinkTypes.Hierarchy-Forward': LinkType.PARENT_OF,
  'System.LinkTypes.Related': LinkType.RELATES_TO,
  'System.LinkTypes.Duplicate-Forward': LinkType.DUPLICATES,
};

export const PARENT_REL = 'System.LinkTypes.Hierarchy-Reverse';

/**
 * Whether a work item holds `link` as a relation that reads back as the same link: a link to an
 * Azure DevOps work item, of any type but `child_of` (its `Hierarchy-Reverse` relation reads
 * back as `parent`).
 */
export function isAzureRelationLink(link: CanonicalLink): boolean {
  return link.type !== LinkType.CHILD_OF && link.target.system === AZURE_SYSTEM && link.type in LINK_REL;
}

/**
 * Links in canonical order, each (type, target id) once: by type, then numeric target id. A
 * sorted list compares equal however (and in whatever order) the relations were added.
 */
export function azureLinkOrder(links: readonly CanonicalLink[]): CanonicalLink[] {
  return uniqueSortedLinks(links, { numericIds: true });
}

/**
 * Crash-safe create marker: a `Hyperlink` relation added in the same create request, whose URL
 * carries a hash of the idempotency key (never the key itself). It shows in the work item's Links
 * tab as `spec-kitty.invalid/create/k…`; `findCreatedIssue` looks for it.
 */
export function createMarkerUrl(idempotencyKey: string): string {
  return `https://spec-kitty.invalid/create/k${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 40)}`;
}

/** The work item id at the end of a relation URL (`…/_apis/wit/workItems/42`), or null. */
export function relationTargetId(url: string): string | null {
  const last = url.replace(/\/+$/, '').split('/').pop() ?? '';
  return /^\d+$/.test(last) ? last : null;
}

export function tagsToLabels(tags: unknown): string[] {
  if (typeof tags !== 'string') return [];
  return tags
    .split(';')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/**
 * `System.AssignedTo` → canonical assignees: the identity's unique name (sign-in email or UPN;
 * `DOMAIN\\user` on Server), the value the connector writes back, so assignees round-trip. The
 * display name only when an identity has no unique name (it is not unique, so not preferred).
 */
export function assigneesOf(value: unknown): string[] {
  if (value && typeof value === 'object') {
    const { uniqueName, displayName } = value as { uniqueName?: unknown; displayName?: unknown };
    if (typeof uniqueName === 'string' && uniqueName !== '') return [uniqueName];
    return typeof displayName === 'string' && displayName !== '' ? [displayName] : [];
  }
  return typeof value === 'string' && value !== '' ? [value] : [];
}

/**
 * The one assignee a work item can hold: the first in code-unit order. The sync engine compares
 * assignees as a set, so the pick must not depend on their order; the others are not written
 * (the sync engine records them as a `patch_field_denied` failure).
 */
export function azureAssignee(assignees: readonly string[]): string | null {
  return [...assignees].sort()[0] ?? null;
}

function date(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/**
 * How `issue` reads back after the connector writes it (the sync engine's `projectIssue`): status,
 * type, priority and tags go through the same write and read functions the connector uses, so
 * with the default states blocked reads back in_progress (map it in `statusMap` to keep it),
 * chore/subtask read back task, priority 0 reads back 1 and no priority reads back ADO's default, 2. ADO keeps no custom fields in this
 * mapping and an empty description reads back null. A work item holds one assignee:
 * `azureAssignee` picks it. Links keep those a relation holds (`isAzureRelationLink`), in
 * `azureLinkOrder`, with targets reduced to system, workspace and id (the service answers relation
 * URLs in its own form, with the project GUID). Pure and idempotent.
 */
export function projectAzureIssue(issue: CanonicalIssue, statusMap: AzureStatusMap = {}): CanonicalIssue {
  return {
    ...issue,
    body: issue.body === '' ? null : issue.body,
    status: azureStateToStatus(statusToAzureState(issue.status, statusMap), statusMap),
    issueType: azureTypeToCanonical(canonicalTypeToAzure(issue.issueType)),
    priority: azurePriorityToCanonical(canonicalPriorityToAzure(issue.priority ?? AZURE_DEFAULT_PRIORITY)),
    labels: tagsToLabels(issue.labels.join('; ')),
    assignees: assigneesOf(azureAssignee(issue.assignees)),
    links: azureLinkOrder(issue.links.filter(isAzureRelationLink)).map((link) =>
      createLink({
        type: link.type,
        target: createRef({
          system: AZURE_SYSTEM,
          workspace: link.target.workspace,
          id: link.target.id,
          key: link.target.id,
          url: null,
        }),
      }),
    ),
    customFields: {},
  };
}

/** A work item → canonical issue (§5 of the original, plus links read from relations). */
export function azureWorkItemToCanonical(
  item: AzureWorkItemPayload,
  workspace: string,
  statusMap: AzureStatusMap,
): CanonicalIssue {
  const fields = item.fields ?? {};
  const id = String(fields['System.Id'] ?? item.id);
  let parent: ExternalRef | null = null;
  const links: CanonicalLink[] = [];
  for (const relation of item.relations ?? []) {
    const targetId = relationTargetId(relation.url);
    if (targetId === null) continue; // hyperlinks, artifacts, attachments
    const target = createRef({
      system: AZURE_SYSTEM,
      workspace,
      id: targetId,
      key: targetId,
      url: relation.url,
    });
    if (relation.rel === PARENT_REL) {
      parent ??= target;
      continue;
    }
    const type = REL_LINK[relation.rel];
    if (type) links.push(createLink({ type, target }));
  }
  const description = fields['System.Description'];
  return createIssue({
    ref: createRef({ system: AZURE_SYSTEM, workspace, id, key: id, url: item.url ?? '' }),
    title:
      typeof fields['System.Title'] === 'string' && fields['System.Title'] !== ''
        ? fields['System.Title']
        : 'Untitled',
    body:
      description === null || description === undefined || description === '' ? null : String(description),
    status: azureStateToStatus(fields['System.State'], statusMap),
    issueType: azureTypeToCanonical(fields['System.WorkItemType']),
    priority: azurePriorityToCanonical(fields['Microsoft.VSTS.Common.Priority']),
    assignees: assigneesOf(fields['System.AssignedTo']),
    labels: tagsToLabels(fields['System.Tags']),
    parent,
    links: azureLinkOrder(links),
    customFields: {},
    createdAt: date(fields['System.CreatedDate']),
    updatedAt: date(fields['System.ChangedDate']),
    raw: item as Record<string, unknown>,
  });
}
