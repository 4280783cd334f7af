// The original's text parsing of fp output: one issue per line `FP-abcd [todo] [high] Title`,
// tree-drawing prefixes stripped, non-matching lines ignored.
import {
  type CanonicalIssue,
  type CanonicalIssueType,
  CanonicalStatus,
  ConnectorRequestError,
  createIssue,
  createRef,
} from '@spec-kitty/core';

/** `ExternalRef.system` of every fp issue. */
export const FP_SYSTEM = 'fp';

/** Full-line pattern of an issue line (the original's regex). */
export const FP_LINE_PATTERN =
  /^(?<id>[A-Za-z0-9_-]+)\s+\[(?<status>[^\]]+)\](?:\s+\[(?<priority>[^\]]+)\])?\s+(?<title>.+)$/;

/** First id-like token in free text, e.g. `Created issue FP-ijkl` → `FP-ijkl`. */
export const FP_ID_PATTERN = /\b[A-Z][A-Z0-9]*-[A-Za-z0-9][A-Za-z0-9-]*\b/;

const TREE_PREFIX = /^[│├└─\s]+/;

export interface FpLine {
  id: string;
  status: string;
  priority: string | null;
  title: string;
  line: string;
}

/** Canonical status → fp status. */
export const STATUS_TO_FP: Readonly<Record<CanonicalStatus, string>> = Object.freeze({
  todo: 'todo',
  in_progress: 'in-progress',
  in_review: 'in-progress',
  blocked: 'in-progress',
  done: 'done',
  canceled: 'done',
});

/** fp status → canonical; unknown statuses read as todo (lenient, like the original). */
export function fpStatusToCanonical(value: string): CanonicalStatus {
  switch (value.trim().toLowerCase()) {
    case 'in-progress':
    case 'in_progress':
      return CanonicalStatus.IN_PROGRESS;
    case 'done':
      return CanonicalStatus.DONE;
    case 'blocked':
      return CanonicalStatus.BLOCKED;
    case 'in-review':
    case 'in_review':
      return CanonicalStatus.IN_REVIEW;
    case 'canceled':
    case 'cancelled':
      return CanonicalStatus.CANCELED;
    default:
      return CanonicalStatus.TODO;
  }
}

/** fp priority → canonical 0..4: high 1, medium 2, low 3, digits clamped, anything else (incl. critical) null. */
export function fpPriorityToCanonical(value: string | null): number | null {
  if (value === null) return null;
  const text = value.trim().toLowerCase();
  if (text === 'high') return 1;
  if (text === 'medium') return 2;
  if (text === 'low') return 3;
  if (/^\d+$/.test(text)) return Math.max(0, Math.min(4, Number.parseInt(text, 10)));
  return null;
}

/** Canonical priority → fp: ≤1 high, 2 medium, else low. */
export function canonicalPriorityToFp(priority: number): string {
  if (priority <= 1) return 'high';
  if (priority === 2) return 'medium';
  return 'low';
}

export function normalizeLine(line: string): string {
  return line.trim().replace(TREE_PREFIX, '').trim();
}

/** Every issue line in `text`, in order. */
export function parseFpLines(text: string): FpLine[] {
  const lines: FpLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = normalizeLine(raw);
    if (line === '') continue;
    const match = FP_LINE_PATTERN.exec(line);
    if (match?.groups === undefined) continue;
    const { id, status, priority, title } = match.groups;
    if (id === undefined || status === undefined || title === undefined) continue;
    lines.push({ id, status, priority: priority ?? null, title: title.trim(), line });
  }
  return lines;
}

/** The first id-like token, or a `ConnectorRequestError` (the original's message). */
export function extractFpId(text: string): string {
  const match = FP_ID_PATTERN.exec(text);
  if (match === null) throw new ConnectorRequestError('Unable to extract fp issue id from command output');
  return match[0];
}

/**
 * How `issue` reads back after the connector writes it (the sync engine's `projectIssue`): fp's
 * issue lines carry only id, status, priority and title, so status and priority go through the
 * same write and read tables (in_review / blocked -> in-progress -> in_progress, canceled -> done,
 * priority 0 -> high -> 1, 4 -> low -> 3), the issue type is the configured one, and the body
 * (absent from listings), assignees, labels, parent, links and custom fields read back empty.
 * Pure and idempotent.
 */
export function projectFpIssue(issue: CanonicalIssue, defaultIssueType: CanonicalIssueType): CanonicalIssue {
  return {
    ...issue,
    body: null,
    status: fpStatusToCanonical(STATUS_TO_FP[issue.status]),
    issueType: defaultIssueType,
    priority: issue.priority === null ? null : fpPriorityToCanonical(canonicalPriorityToFp(issue.priority)),
    assignees: [],
    labels: [],
    parent: null,
    links: [],
    customFields: {},
  };
}

export function fpLineToIssue(
  line: FpLine,
  workspace: string,
  issueType: CanonicalIssueType,
): CanonicalIssue {
  return createIssue({
    ref: createRef({ system: FP_SYSTEM, workspace, id: line.id, key: line.id }),
    title: line.title,
    body: null,
    status: fpStatusToCanonical(line.status),
    issueType,
    priority: fpPriorityToCanonical(line.priority),
    raw: { line: line.line },
  });
}
