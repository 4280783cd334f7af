// String values are identical to the original so stored payloads interoperate.

export const CanonicalStatus = {
  TODO: 'todo',
  IN_PROGRESS: 'in_progress',
  IN_REVIEW: 'in_review',
  BLOCKED: 'blocked',
  DONE: 'done',
  CANCELED: 'canceled',
} as const;
export type CanonicalStatus = (typeof CanonicalStatus)[keyof typeof CanonicalStatus];

export const CanonicalIssueType = {
  EPIC: 'epic',
  STORY: 'story',
  TASK: 'task',
  BUG: 'bug',
  CHORE: 'chore',
  SUBTASK: 'subtask',
} as const;
export type CanonicalIssueType = (typeof CanonicalIssueType)[keyof typeof CanonicalIssueType];

export const LinkType = {
  BLOCKS: 'blocks',
  BLOCKED_BY: 'blocked_by',
  RELATES_TO: 'relates_to',
  DUPLICATES: 'duplicates',
  PARENT_OF: 'parent_of',
  CHILD_OF: 'child_of',
} as const;
export type LinkType = (typeof LinkType)[keyof typeof LinkType];

export const TrackerEventType = {
  CREATED: 'created',
  UPDATED: 'updated',
  TRANSITIONED: 'transitioned',
  COMMENT_ADDED: 'comment_added',
  LINK_UPSERTED: 'link_upserted',
} as const;
export type TrackerEventType = (typeof TrackerEventType)[keyof typeof TrackerEventType];

const STATUS_VALUES = new Set<string>(Object.values(CanonicalStatus));
const ISSUE_TYPE_VALUES = new Set<string>(Object.values(CanonicalIssueType));
const LINK_TYPE_VALUES = new Set<string>(Object.values(LinkType));
const EVENT_TYPE_VALUES = new Set<string>(Object.values(TrackerEventType));

export function isCanonicalStatus(value: unknown): value is CanonicalStatus {
  return typeof value === 'string' && STATUS_VALUES.has(value);
}
export function isCanonicalIssueType(value: unknown): value is CanonicalIssueType {
  return typeof value === 'string' && ISSUE_TYPE_VALUES.has(value);
}
export function isLinkType(value: unknown): value is LinkType {
  return typeof value === 'string' && LINK_TYPE_VALUES.has(value);
}
export function isTrackerEventType(value: unknown): value is TrackerEventType {
  return typeof value === 'string' && EVENT_TYPE_VALUES.has(value);
}

/** Statuses that close an issue; connectors without `supportsTerminalTransition` never receive them. */
export const TERMINAL_STATUSES: ReadonlySet<CanonicalStatus> = new Set([
  CanonicalStatus.DONE,
  CanonicalStatus.CANCELED,
]);
