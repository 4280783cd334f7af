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
import type { LinearIncomingRelations, LinearIssueNode, LinearOutgoingRelations } from './linear-api-schemas';

export const LINEAR_SYSTEM = 'linear';

const LINEAR_TO_CANONICAL_PRIORITY: Readonly<Record<number, number>> = { 0: 4, 1: 0, 2: 1, 3: 2, 4: 3 };
const CANONICAL_TO_LINEAR_PRIORITY: Readonly<Record<number, number>> = { 4: 0, 0: 1, 1: 2, 2: 3, 3: 4 };

/** The original's `linear_priority_to_canonical`: null → null; 0 (none) → 4; 1 (urgent) → 0 …; other → 4. */
export function linearPriorityToCanonical(priority: number | null): number | null {
  if (priority === null) return null;
  return LINEAR_TO_CANONICAL_PRIORITY[priority] ?? 4;
}

/** The original's `canonical_to_linear_priority`: null → 0 (no priority); 0 → 1 (urgent) …; other → 0. */
export function canonicalPriorityToLinear(priority: number | null): number {
  if (priority === null) return 0;
  return CANONICAL_TO_LINEAR_PRIORITY[priority] ?? 0;
}

/**
 * The original's state mapping: `completed` → done, `canceled` → canceled, `started` → in_review
 * / blocked / in_progress by name, `backlog`/`unstarted` → todo, anything else (triage) → by name
 * or todo. `state` null → todo.
 */
export function stateToStatus(state: { name: string; type: string } | null): CanonicalStatus {
  if (state === null) return CanonicalStatus.TODO;
  const type = state.type.toLowerCase();
  const name = state.name.toLowerCase();
  if (type === 'completed') return CanonicalStatus.DONE;
  if (type === 'canceled') return CanonicalStatus.CANCELED;
  const byName = (fallback: CanonicalStatus): CanonicalStatus => {
    if (name.includes('review')) return CanonicalStatus.IN_REVIEW;
    if (name.includes('block') || name.includes('hold')) return CanonicalStatus.BLOCKED;
    return fallback;
  };
  if (type === 'started') return byName(CanonicalStatus.IN_PROGRESS);
  if (type === 'backlog' || type === 'unstarted') return CanonicalStatus.TODO;
  return byName(CanonicalStatus.TODO);
}

// ---------------------------------------------------------------------------------------------
// Idempotent creates. Linear's issueCreate has no idempotency key, but it accepts a client
// chosen UUID v4 `id`, and descriptions are searchable. A create carries both: a UUID derived
// from the idempotency key (a retry with the same key cannot make a second issue: Linear refuses
// the duplicate id) and a marker line in the description (found by `description.contains`).
// ---------------------------------------------------------------------------------------------

/** `sk1-` + 24 hex chars of sha256(key): the searchable marker token. */
export function markerToken(idempotencyKey: string): string {
  return `sk1-${createHash('sha256').update(`spec-kitty:${idempotencyKey}`).digest('hex').slice(0, 24)}`;
}

/** The line appended to the description (an HTML comment: Markdown renderers hide it). */
export function markerLine(idempotencyKey: string): string {
  return `<!-- spec-kitty:${markerToken(idempotencyKey)} -->`;
}

/** A deterministic RFC 4122 version-4-shaped UUID for the key (Linear accepts client ids in UUID v4 format). */
export function deterministicIssueId(idempotencyKey: string): string {
  const bytes = createHash('sha256').update(`spec-kitty-issue-id:${idempotencyKey}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Also matches the escaped forms a Markdown round trip may produce (`\<!-- … --\>`).
const MARKER_PATTERN = /(?:\n\n)?\\?<!-- spec-kitty:sk1-[0-9a-f]{24} --\\?>[ \t]*\n?$/;

/** The description to send: the body with the marker line appended. */
export function withMarker(body: string | null, idempotencyKey: string): string {
  const line = markerLine(idempotencyKey);
  return body === null || body === '' ? line : `${body}\n\n${line}`;
}

/** The canonical body of a description: the marker line removed (a marker-only description → null). */
export function stripMarker(description: string | null): string | null {
  if (description === null) return null;
  if (!MARKER_PATTERN.test(description)) return description;
  const stripped = description.replace(MARKER_PATTERN, '');
  return stripped === '' ? null : stripped;
}

// ---------------------------------------------------------------------------------------------

function parseDate(value: string | null): Date | null {
  if (value === null || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

export function linearRef(
  workspace: string,
  id: string,
  identifier: string | null,
  url: string | null,
): ExternalRef {
  return createRef({
    system: LINEAR_SYSTEM,
    workspace,
    id,
    key: identifier === '' ? null : identifier,
    url: url === '' ? null : url,
  });
}

/** Link types Linear keeps as relations (hierarchy is the `parent` field instead). */
const RELATION_LINK_TYPES: ReadonlySet<string> = new Set([
  LinkType.BLOCKS,
  LinkType.BLOCKED_BY,
  LinkType.RELATES_TO,
  LinkType.DUPLICATES,
]);

/** Whether Linear can hold `link` as a relation: a relation type, to a Linear issue. */
export function isRelationLink(link: CanonicalLink): boolean {
  return RELATION_LINK_TYPES.has(link.type) && link.target.system === LINEAR_SYSTEM;
}

/**
 * Links in canonical order, each (type, target id) once: by type, then target id. Linear lists
 * relations newest first, so a read order would change when a relation is added; a sorted list
 * compares equal however the links were made.
 */
export function canonicalLinkOrder(links: readonly CanonicalLink[]): CanonicalLink[] {
  return uniqueSortedLinks(links);
}

/**
 * Linear relations → canonical links, in `canonicalLinkOrder`: outgoing `blocks` → blocks,
 * `duplicate` → duplicates, `related` → relates_to; incoming `blocks` → blocked_by, `related` →
 * relates_to (related is symmetric). Incoming `duplicate` (no canonical type) and other types
 * (`similar`) are not links.
 */
export function relationsToLinks(
  workspace: string,
  outgoing: LinearOutgoingRelations['nodes'],
  incoming: LinearIncomingRelations['nodes'],
): CanonicalLink[] {
  const links: CanonicalLink[] = [];
  const add = (type: LinkType, target: { id: string; identifier: string | null; url: string | null }) => {
    links.push(createLink({ type, target: linearRef(workspace, target.id, target.identifier, target.url) }));
  };
  const OUTGOING: Readonly<Record<string, LinkType>> = {
    blocks: LinkType.BLOCKS,
    duplicate: LinkType.DUPLICATES,
    related: LinkType.RELATES_TO,
  };
  const INCOMING: Readonly<Record<string, LinkType>> = {
    blocks: LinkType.BLOCKED_BY,
    related: LinkType.RELATES_TO,
  };
  for (const relation of outgoing) {
    const type = OUTGOING[relation.type];
    if (type) add(type, relation.relatedIssue);
  }
  for (const relation of incoming) {
    const type = INCOMING[relation.type];
    if (type) add(type, relation.issue);
  }
  return canonicalLinkOrder(links);
}

/**
 * How `issue` reads back after the connector writes it (the sync engine's `projectIssue`): the
 * issue type is always task, the priority goes through the same write and read tables (a null
 * priority is written as 0, "no priority", which reads back as 4), Linear holds one assignee, and
 * custom fields are not kept. Links to Linear issues read back as relations, except
 * `parent_of`/`child_of`, which Linear holds as the `parent` field, in `canonicalLinkOrder`, with
 * targets compared by id (a link authored without the identifier or URL is the same link). Statuses are written to a state that reads back as the
 * same status (or the write fails), so they pass through. Pure and idempotent.
 */
export function projectLinearIssue(issue: CanonicalIssue): CanonicalIssue {
  return {
    ...issue,
    issueType: CanonicalIssueType.TASK,
    priority: linearPriorityToCanonical(canonicalPriorityToLinear(issue.priority)),
    assignees: issue.assignees.slice(0, 1),
    links: canonicalLinkOrder(issue.links.filter(isRelationLink)).map((link) =>
      createLink({ type: link.type, target: linearRef(link.target.workspace, link.target.id, null, null) }),
    ),
    customFields: {},
  };
}

/**
 * Linear issue → canonical issue, as the original's `_to_canonical` (title "Untitled" when empty,
 * issue type always task, single assignee, labels by name, parent ref, no custom fields), except
 * that the idempotency marker is removed from the body and links are read from the relations
 * (`relationsToLinks`; `relations` overrides the node's inline, possibly cut-short, ones).
 */
export function toCanonical(
  node: LinearIssueNode,
  workspace: string,
  labels?: readonly string[],
  relations?: { outgoing: LinearOutgoingRelations['nodes']; incoming: LinearIncomingRelations['nodes'] },
): CanonicalIssue {
  const parent = node.parent && node.parent.id !== '' ? node.parent : null;
  return createIssue({
    ref: linearRef(workspace, node.id, node.identifier, node.url),
    title: node.title === null || node.title === '' ? 'Untitled' : node.title,
    body: stripMarker(node.description),
    status: stateToStatus(node.state),
    issueType: CanonicalIssueType.TASK,
    priority: linearPriorityToCanonical(node.priority),
    assignees: node.assignee?.id ? [node.assignee.id] : [],
    labels: labels ?? (node.labels?.nodes ?? []).map((label) => label.name),
    parent: parent ? linearRef(workspace, parent.id, parent.identifier, parent.url) : null,
    links: relationsToLinks(
      workspace,
      relations?.outgoing ?? node.relations?.nodes ?? [],
      relations?.incoming ?? node.inverseRelations?.nodes ?? [],
    ),
    createdAt: parseDate(node.createdAt),
    updatedAt: parseDate(node.updatedAt),
    raw: { ...node },
  });
}
