// fp's statuses and priorities mapped to and from canonical values, and issue lines to issues.
import {
  type CanonicalIssue,
  type CanonicalIssueType,
  CanonicalStatus,
  createIssue,
  createRef,
} from '@spec-kitty/core';
import type { FpLine } from './fp-line-parser';

/** `ExternalRef.system` of every fp issue. */
export const FP_SYSTEM = 'fp';

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

/** An issue line as a canonical issue (`raw.line` keeps the line). */
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
