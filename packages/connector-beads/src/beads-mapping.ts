import { createHash } from 'node:crypto';
import {
  type CanonicalIssue,
  CanonicalIssueType,
  type CanonicalLink,
  CanonicalStatus,
  createIssue,
  createLink,
  createRef,
  IssuePayloadContractError,
  type JsonValue,
  LinkType,
} from '@spec-kitty/core';

/** `ExternalRef.system` of every Beads issue. */
export const BEADS_SYSTEM = 'beads';

/** Canonical status → the `--status` value bd accepts. */
export const STATUS_TO_BEADS: Readonly<Record<CanonicalStatus, string>> = Object.freeze({
  todo: 'open',
  in_progress: 'in_progress',
  in_review: 'in_progress',
  blocked: 'blocked',
  done: 'closed',
  canceled: 'closed',
});

/**
 * bd status → canonical: every built-in status of bd 1.x (`bd list --status` names them) plus the
 * older `tombstone`. Anything else, e.g. a custom status from bd's `status.custom` config, is BD-003.
 * - `deferred` (postponed, not being worked on) and `open` are todo.
 * - `pinned` stays in_progress, as in the original (a standing item bd keeps open indefinitely).
 * - `hooked` (work claimed by a worker; bd counts it as work in progress, like in_progress and
 *   blocked) is in_progress.
 * - `tombstone` (a deleted issue in older bd) is canceled.
 */
const BEADS_TO_STATUS: Readonly<Record<string, CanonicalStatus>> = Object.freeze({
  open: CanonicalStatus.TODO,
  in_progress: CanonicalStatus.IN_PROGRESS,
  blocked: CanonicalStatus.BLOCKED,
  deferred: CanonicalStatus.TODO,
  closed: CanonicalStatus.DONE,
  pinned: CanonicalStatus.IN_PROGRESS,
  hooked: CanonicalStatus.IN_PROGRESS,
  tombstone: CanonicalStatus.CANCELED,
});

/** The statuses `BEADS_TO_STATUS` maps, for BD-003's message. */
export const KNOWN_BEADS_STATUSES: readonly string[] = Object.freeze(Object.keys(BEADS_TO_STATUS));

/**
 * Hidden create marker: `spec-kitty:<idempotency key>` in bd's `external_ref` (a field bd keeps
 * for a link to the issue's counterpart elsewhere, and `bd list --external-ref` finds by exact
 * value), so `findCreatedIssue` can prove a create already happened after a crash. A key too long
 * for the column is replaced by its SHA-256. It never reaches `ref.url`.
 */
const MARKER_PREFIX = 'spec-kitty:';
const MAX_MARKER_LENGTH = 200;

export function createMarker(idempotencyKey: string): string {
  const plain = `${MARKER_PREFIX}${idempotencyKey}`;
  if (plain.length <= MAX_MARKER_LENGTH) return plain;
  return `${MARKER_PREFIX}sha256:${createHash('sha256').update(idempotencyKey).digest('hex')}`;
}

export function isCreateMarker(externalRef: unknown): boolean {
  return typeof externalRef === 'string' && externalRef.startsWith(MARKER_PREFIX);
}

/** Canonical issue type → the `--type` value bd accepts. */
export const TYPE_TO_BEADS: Readonly<Record<CanonicalIssueType, string>> = Object.freeze({
  epic: 'epic',
  story: 'feature',
  task: 'task',
  bug: 'bug',
  chore: 'chore',
  subtask: 'task',
});

/** bd issue type → canonical (anything else is BD-004). */
const BEADS_TO_TYPE: Readonly<Record<string, CanonicalIssueType>> = Object.freeze({
  epic: CanonicalIssueType.EPIC,
  feature: CanonicalIssueType.STORY,
  task: CanonicalIssueType.TASK,
  bug: CanonicalIssueType.BUG,
  chore: CanonicalIssueType.CHORE,
  decision: CanonicalIssueType.CHORE,
});

/** bd dependency type → canonical link type (anything else is BD-005). */
const DEPENDENCY_TO_LINK: Readonly<Record<string, LinkType>> = Object.freeze({
  blocks: LinkType.BLOCKED_BY,
  related: LinkType.RELATES_TO,
  relates_to: LinkType.RELATES_TO,
  relates: LinkType.RELATES_TO,
  duplicates: LinkType.DUPLICATES,
  'parent-child': LinkType.CHILD_OF,
  'discovered-from': LinkType.RELATES_TO,
});

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Python repr of a scalar for the original's messages (`'weird'`, `None`, `3`). */
function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') {
    const useDouble = value.includes("'") && !value.includes('"');
    const body = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
    return useDouble ? `"${body}"` : `'${body.replace(/'/g, "\\'")}'`;
  }
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function contractError(message: string, fieldPath: string | null, reason: string): IssuePayloadContractError {
  return new IssuePayloadContractError(message, { kind: 'issue', fieldPath, reason });
}

/**
 * `_parse_json`: empty output → `{}`; invalid JSON → BD-000. **Better than the original**: bd's
 * envelope mode (`BD_JSON_ENVELOPE=1` → `{"schema_version":1,"data":…}`) is unwrapped instead of
 * being read as an empty list.
 */
export function parseBeadsJson(stdout: string): unknown {
  const text = stdout.trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new IssuePayloadContractError(`Invalid JSON from bd: ${(error as Error).message}`, {
      kind: 'issue',
      reason: 'BD-000',
      cause: error,
    });
  }
  if (
    isRecord(parsed) &&
    'data' in parsed &&
    'schema_version' in parsed &&
    Object.keys(parsed).length === 2
  ) {
    return parsed.data;
  }
  return parsed;
}

/** A list payload, or an object's `items` (default `[]`); non-object entries dropped. */
export function issueRecords(payload: unknown): JsonRecord[] {
  const items = Array.isArray(payload) ? payload : isRecord(payload) ? (payload.items ?? []) : [];
  return Array.isArray(items) ? items.filter(isRecord) : [];
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isRecord(value)) return Object.keys(value).length > 0;
  return true;
}

/** Python `int(value)` for bd priorities; null when it would raise. */
function pyInt(value: unknown): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value === 'string' && /^\s*[+-]?\d(?:_?\d)*\s*$/.test(value)) {
    return Number.parseInt(value.trim().replace(/_/g, ''), 10);
  }
  return null;
}

function parseTimestamp(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function linksFrom(dependencies: unknown, workspace: string): CanonicalLink[] {
  const links: CanonicalLink[] = [];
  if (!Array.isArray(dependencies)) return links;
  for (const dep of dependencies) {
    if (!isRecord(dep)) continue;
    const target = [dep.id, dep.depends_on_id, dep.dependsOnId].find(pyTruthy);
    if (target === undefined) continue;
    const rawType = [dep.dependency_type, dep.type].find(pyTruthy) ?? 'blocks';
    const depType = String(rawType).toLowerCase();
    const linkType = DEPENDENCY_TO_LINK[depType];
    if (linkType === undefined) {
      throw new IssuePayloadContractError(`Unknown Beads dependency_type: ${pyRepr(depType)}`, {
        kind: 'issue',
        fieldPath: 'dependencies[].dependency_type',
        reason: 'BD-005',
      });
    }
    links.push(
      createLink({
        type: linkType,
        target: createRef({ system: BEADS_SYSTEM, workspace, id: String(target) }),
      }),
    );
  }
  return links;
}

/** bd priority → canonical: an integer clamped to 0..4, null when bd's value is not an integer. */
function priorityFromBeads(value: unknown): number | null {
  const priorityInt = pyInt(value);
  return priorityInt === null ? null : Math.max(0, Math.min(4, priorityInt));
}

/** A canonical status as bd stores it and reads it back (write table, then read table). */
function statusThroughBeads(status: CanonicalStatus): CanonicalStatus {
  return BEADS_TO_STATUS[STATUS_TO_BEADS[status]] ?? status;
}

/** A canonical issue type as bd stores it and reads it back (write table, then read table). */
function typeThroughBeads(issueType: CanonicalIssueType): CanonicalIssueType {
  return BEADS_TO_TYPE[TYPE_TO_BEADS[issueType]] ?? issueType;
}

/**
 * How `issue` reads back after the connector writes it (the sync engine's `projectIssue`),
 * through the same tables as `createArgv` / `updateFlags` and `beadsToCanonical`: in_review reads
 * back in_progress, canceled reads back done, subtask reads back task, a null priority is
 * created as 2 and priorities clamp to 0..4, an empty body reads back null. Assignees, custom
 * fields and links are never written (host-owned / read-only), so they pass through. Pure and
 * idempotent.
 */
export function projectBeadsIssue(issue: CanonicalIssue): CanonicalIssue {
  return {
    ...issue,
    status: statusThroughBeads(issue.status),
    issueType: typeThroughBeads(issue.issueType),
    priority: priorityFromBeads(issue.priority ?? 2),
    body: issue.body ? issue.body : null,
  };
}

/**
 * The original's strict `_to_canonical(item, details)`: links first (BD-005), then id (BD-001),
 * title (BD-002), status (BD-003), type (BD-004); no defaults that would invent data.
 */
export function beadsToCanonical(
  item: JsonRecord,
  workspace: string,
  details: JsonRecord | null = null,
): CanonicalIssue {
  const labels = Array.isArray(item.labels) ? item.labels.map(String) : [];
  const assignees = typeof item.assignee === 'string' ? [item.assignee] : [];
  const parentId = nonEmptyString(item.parent);
  const parent = parentId === null ? null : createRef({ system: BEADS_SYSTEM, workspace, id: parentId });

  const dependencies =
    details !== null && details.dependencies !== null && details.dependencies !== undefined
      ? details.dependencies
      : item.dependencies;
  const links = linksFrom(dependencies, workspace);

  const customFields: Record<string, JsonValue> = {};
  if (item.metadata !== null && item.metadata !== undefined)
    customFields.metadata = item.metadata as JsonValue;
  if (details !== null && details.comments !== null && details.comments !== undefined) {
    customFields.comments = details.comments as JsonValue;
  }
  const raw: Record<string, unknown> = { ...item };
  if (details !== null) raw.details = details;

  const id = nonEmptyString(item.id);
  if (id === null) throw contractError('Beads issue payload missing a non-empty id', 'id', 'BD-001');
  const title = nonEmptyString(item.title);
  if (title === null) throw contractError('Beads issue payload missing a non-empty title', 'title', 'BD-002');

  const statusRaw = pyTruthy(item.status) ? String(item.status) : 'open';
  const status = BEADS_TO_STATUS[statusRaw.toLowerCase()];
  if (status === undefined)
    throw contractError(
      `Unknown Beads status: ${pyRepr(statusRaw)} (known: ${KNOWN_BEADS_STATUSES.join(', ')}; a custom ` +
        "status from bd's status.custom config has no canonical meaning: move the issue to a known status)",
      'status',
      'BD-003',
    );
  const typeRaw = pyTruthy(item.issue_type) ? String(item.issue_type) : 'task';
  const issueType = BEADS_TO_TYPE[typeRaw.toLowerCase()];
  if (issueType === undefined) {
    throw contractError(`Unknown Beads issue_type: ${pyRepr(typeRaw)}`, 'issue_type', 'BD-004');
  }
  const priority = priorityFromBeads(item.priority);

  return createIssue({
    ref: createRef({
      system: BEADS_SYSTEM,
      workspace,
      id,
      key: id,
      url: isCreateMarker(item.external_ref) ? null : nonEmptyString(item.external_ref),
    }),
    title,
    body: pyTruthy(item.description) ? String(item.description) : null,
    status,
    issueType,
    priority,
    assignees,
    labels,
    parent,
    links,
    customFields,
    createdAt: parseTimestamp(item.created_at),
    updatedAt: parseTimestamp(item.updated_at),
    raw,
  });
}
