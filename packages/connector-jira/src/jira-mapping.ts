// Jira issue payload <-> canonical model. Names and fallbacks follow the original; where it
// lost information (status by raw name only, links never read, mission field never read) we
// read more, as documented on each function.
import {
  type CanonicalIssue,
  CanonicalIssueType,
  type CanonicalLink,
  CanonicalStatus,
  createIssue,
  createLink,
  createRef,
  type ExternalRef,
  type JsonValue,
  LinkType,
} from '@spec-kitty/core';
import { uniqueSortedLinks } from '@spec-kitty/core/http';
import { adfToMarkdown, markdownToAdf } from './jira-adf';
import type { JiraIssueBean } from './jira-api-schemas';
import { parseMissionFieldValue } from './jira-fields';

export const JIRA_SYSTEM = 'jira';

/** The original's `_ISSUE_FIELDS`, plus `issuelinks` (links are read back). */
export const ISSUE_FIELDS = [
  'summary',
  'description',
  'status',
  'priority',
  'assignee',
  'labels',
  'issuetype',
  'parent',
  'updated',
  'created',
  'issuelinks',
] as const;

/** Labels with this prefix are create markers (see `createIssue`); they never reach canonical labels. */
export const CREATE_MARKER_PREFIX = 'spec-kitty-create-';

export const DEFAULT_STATUS_NAMES: Readonly<Record<CanonicalStatus, string>> = {
  todo: 'To Do',
  in_progress: 'In Progress',
  in_review: 'In Review',
  blocked: 'Blocked',
  done: 'Done',
  canceled: 'Canceled',
};

const STATUS_BY_NAME: Readonly<Record<string, CanonicalStatus>> = {
  done: CanonicalStatus.DONE,
  closed: CanonicalStatus.DONE,
  resolved: CanonicalStatus.DONE,
  'in progress': CanonicalStatus.IN_PROGRESS,
  doing: CanonicalStatus.IN_PROGRESS,
  started: CanonicalStatus.IN_PROGRESS,
  'in review': CanonicalStatus.IN_REVIEW,
  review: CanonicalStatus.IN_REVIEW,
  blocked: CanonicalStatus.BLOCKED,
  'on hold': CanonicalStatus.BLOCKED,
  canceled: CanonicalStatus.CANCELED,
  cancelled: CanonicalStatus.CANCELED,
};

const STATUS_BY_CATEGORY: Readonly<Record<string, CanonicalStatus>> = {
  new: CanonicalStatus.TODO,
  indeterminate: CanonicalStatus.IN_PROGRESS,
  done: CanonicalStatus.DONE,
};

export type StatusNameMap = Readonly<Partial<Record<CanonicalStatus, string>>>;

/**
 * Jira status → canonical: the configured `statusNameMap` first (reverse lookup), then the
 * original's name table, then — better than the original's blanket `todo` — the status category
 * (`new` → todo, `indeterminate` → in_progress, `done` → done).
 */
export function statusFromJira(
  name: string,
  categoryKey: string | null,
  statusNameMap: StatusNameMap,
): CanonicalStatus {
  return (
    statusFromJiraName(name, statusNameMap) ??
    (categoryKey !== null ? STATUS_BY_CATEGORY[categoryKey] : undefined) ??
    CanonicalStatus.TODO
  );
}

/**
 * The canonical status a Jira status *name* stands for (`statusNameMap` reverse lookup, then the
 * name table), or null when only the category or the blanket `todo` fallback would map it.
 */
export function statusFromJiraName(name: string, statusNameMap: StatusNameMap): CanonicalStatus | null {
  const lower = name.toLowerCase();
  for (const [status, mapped] of Object.entries(statusNameMap)) {
    if (typeof mapped === 'string' && mapped.toLowerCase() === lower && lower.length > 0)
      return status as CanonicalStatus;
  }
  return STATUS_BY_NAME[lower] ?? null;
}

export function issueTypeFromJira(name: string): CanonicalIssueType {
  switch (name.toLowerCase()) {
    case 'epic':
    case 'initiative':
      return CanonicalIssueType.EPIC;
    case 'story':
      return CanonicalIssueType.STORY;
    case 'bug':
    case 'defect':
      return CanonicalIssueType.BUG;
    case 'sub-task':
    case 'subtask':
      return CanonicalIssueType.SUBTASK;
    case 'chore':
    case 'maintenance':
      return CanonicalIssueType.CHORE;
    default:
      return CanonicalIssueType.TASK;
  }
}

/** Canonical type → Jira type name; `task` and `chore` use the configured `defaultIssueType`. */
export function issueTypeToJira(type: CanonicalIssueType, defaultIssueType: string): string {
  switch (type) {
    case CanonicalIssueType.EPIC:
      return 'Epic';
    case CanonicalIssueType.STORY:
      return 'Story';
    case CanonicalIssueType.BUG:
      return 'Bug';
    case CanonicalIssueType.SUBTASK:
      return 'Sub-task';
    default:
      return defaultIssueType;
  }
}

const PRIORITY_NAMES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'] as const;

export function priorityFromJira(name: string | null): number | null {
  if (name === null) return null;
  const index = PRIORITY_NAMES.findIndex((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return index === -1 ? null : index;
}

export function priorityToJira(priority: number): string {
  return PRIORITY_NAMES[priority] ?? 'Medium';
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

export function browseUrl(baseUrl: string, key: string | null): string | null {
  return key === null ? null : `${baseUrl}/browse/${key}`;
}

export function jiraRef(baseUrl: string, id: string, key: string | null): ExternalRef {
  return createRef({ system: JIRA_SYSTEM, workspace: baseUrl, id, key, url: browseUrl(baseUrl, key) });
}

/**
 * `issuelinks` → canonical links, in `jiraLinkOrder` (the original never read links). From the
 * issue's side: an outward `Blocks` is blocks, an inward one blocked_by; an outward `Duplicate`
 * is duplicates; everything else (inward duplicates, relates, clones, …) reads as relates_to.
 */
export function linksFromJira(value: unknown, baseUrl: string): CanonicalLink[] {
  if (!Array.isArray(value)) return [];
  const links: CanonicalLink[] = [];
  for (const entry of value) {
    const link = record(entry);
    if (link === null) continue;
    const typeName = (text(record(link.type)?.name) ?? '').toLowerCase();
    const outward = record(link.outwardIssue);
    const inward = record(link.inwardIssue);
    const other = outward ?? inward;
    const id = text(other?.id);
    if (other === null || id === null || id.length === 0) continue;
    let type: LinkType;
    if (typeName === 'blocks') type = outward ? LinkType.BLOCKS : LinkType.BLOCKED_BY;
    else if (typeName === 'duplicate' && outward) type = LinkType.DUPLICATES;
    else type = LinkType.RELATES_TO;
    links.push(createLink({ type, target: jiraRef(baseUrl, id, text(other.key)) }));
  }
  return jiraLinkOrder(links);
}

/** The canonical type a link reads back as after `upsertLink` writes it (hierarchy → `Relates`). */
export function jiraLinkType(type: LinkType): LinkType {
  return type === LinkType.PARENT_OF || type === LinkType.CHILD_OF ? LinkType.RELATES_TO : type;
}

/**
 * Links in canonical order, each (type, target id) once: by type, then numeric target id. A
 * sorted list compares equal however (and in whatever order) the links were made.
 */
export function jiraLinkOrder(links: readonly CanonicalLink[]): CanonicalLink[] {
  return uniqueSortedLinks(links, { numericIds: true });
}

/**
 * How `links` read back from Jira: links to Jira issues only, hierarchy types as relates_to (how
 * `upsertLink` writes them), in `jiraLinkOrder`, each target reduced to its id so a link authored
 * locally (no key or URL) compares equal to the one read from `issuelinks`.
 */
export function projectJiraLinks(links: readonly CanonicalLink[], baseUrl: string): CanonicalLink[] {
  return jiraLinkOrder(
    links
      .filter((link) => link.target.system === JIRA_SYSTEM)
      .map((link) =>
        createLink({
          type: jiraLinkType(link.type),
          target: createRef({ system: JIRA_SYSTEM, workspace: baseUrl, id: link.target.id }),
        }),
      ),
  );
}

/** The custom field the connector writes (the mission payload); no other custom field is kept. */
const MISSION_KEY = 'spec_kitty_mission';

export interface JiraProjectionContext {
  statusNameMap: StatusNameMap;
  defaultIssueType: string;
  /** The connector's base URL: the workspace projected link targets carry (default empty). */
  baseUrl?: string;
}

/**
 * How `issue` reads back after the connector writes it (the sync engine's `projectIssue`), through
 * the same functions the connector writes and reads with: the issue type through
 * `issueTypeToJira` / `issueTypeFromJira` (chore is created as the default type, `Task`, and reads
 * back task), the status name through the status tables, the body through Markdown -> ADF ->
 * Markdown (a blank body reads back null), one assignee, no create-marker labels, only the
 * mission custom field, and links as `projectJiraLinks`. Pure and idempotent.
 */
export function projectJiraIssue(issue: CanonicalIssue, context: JiraProjectionContext): CanonicalIssue {
  const statusName = context.statusNameMap[issue.status] ?? DEFAULT_STATUS_NAMES[issue.status];
  const customFields: Record<string, JsonValue> = {};
  const mission = issue.customFields[MISSION_KEY];
  if (mission !== undefined) customFields[MISSION_KEY] = mission;
  return {
    ...issue,
    body:
      issue.body === null || issue.body.trim().length === 0 ? null : adfToMarkdown(markdownToAdf(issue.body)),
    status: statusFromJira(statusName, null, context.statusNameMap),
    issueType: issueTypeFromJira(issueTypeToJira(issue.issueType, context.defaultIssueType)),
    priority: issue.priority === null ? null : priorityFromJira(priorityToJira(issue.priority)),
    assignees: issue.assignees.slice(0, 1),
    labels: issue.labels.filter((label) => !label.startsWith(CREATE_MARKER_PREFIX)),
    links: projectJiraLinks(issue.links, context.baseUrl ?? ''),
    customFields,
  };
}

export interface MappingContext {
  baseUrl: string;
  statusNameMap: StatusNameMap;
  missionFieldId: string | null;
}

/** A Jira issue payload (`IssueBean`) → CanonicalIssue. */
export function toCanonicalIssue(issue: JiraIssueBean, context: MappingContext): CanonicalIssue {
  const { baseUrl } = context;
  const fields = issue.fields ?? {};
  const key = issue.key && issue.key.length > 0 ? issue.key : null;
  const status = record(fields.status);
  const statusName = text(status?.name) ?? '';
  const category = text(record(status?.statusCategory)?.key);
  const parentRecord = record(fields.parent);
  const parentId = text(parentRecord?.id);
  const assignee = text(record(fields.assignee)?.accountId);
  const labels = Array.isArray(fields.labels)
    ? fields.labels.filter(
        (label): label is string => typeof label === 'string' && !label.startsWith(CREATE_MARKER_PREFIX),
      )
    : [];
  const customFields: Record<string, JsonValue> = {};
  if (context.missionFieldId !== null) {
    const mission = parseMissionFieldValue(fields[context.missionFieldId]);
    if (mission !== undefined) customFields.spec_kitty_mission = mission;
  }
  const summary = text(fields.summary);
  return createIssue({
    ref: jiraRef(baseUrl, issue.id, key),
    title: summary !== null && summary.trim().length > 0 ? summary : 'Untitled',
    body: adfToMarkdown(fields.description),
    status: statusFromJira(statusName, category, context.statusNameMap),
    issueType: issueTypeFromJira(text(record(fields.issuetype)?.name) ?? ''),
    priority: priorityFromJira(text(record(fields.priority)?.name)),
    assignees: assignee === null ? [] : [assignee],
    labels,
    parent:
      parentId !== null && parentId.length > 0 ? jiraRef(baseUrl, parentId, text(parentRecord?.key)) : null,
    links: linksFromJira(fields.issuelinks, baseUrl),
    customFields,
    createdAt: parseJiraDate(fields.created),
    updatedAt: parseJiraDate(fields.updated),
    raw: { ...issue },
  });
}

/** Jira timestamps (`2026-03-01T10:00:00.000+0000`, any offset) → Date; null when absent or invalid. */
export function parseJiraDate(value: unknown): Date | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  const normalised = value.replace(/Z$/, '+00:00').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Python `json.dumps` (default separators, ensure_ascii) — the original's wire format for the mission blob. */
export function pythonJsonDumps(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    return String(value);
  }
  if (typeof value === 'string') {
    let out = '"';
    for (let index = 0; index < value.length; index += 1) {
      const char = value[index] as string;
      const code = value.charCodeAt(index);
      if (char === '"') out += '\\"';
      else if (char === '\\') out += '\\\\';
      else if (char === '\n') out += '\\n';
      else if (char === '\r') out += '\\r';
      else if (char === '\t') out += '\\t';
      else if (char === '\b') out += '\\b';
      else if (char === '\f') out += '\\f';
      else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += char;
    }
    return `${out}"`;
  }
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${pythonJsonDumps(key)}: ${pythonJsonDumps(item as JsonValue)}`)
    .join(', ')}}`;
}
