// String values are identical to the original so stored payloads interoperate.

/** Tracker-neutral issue statuses. */
export const CanonicalStatus = {
  /** Not started. */
  TODO: 'todo',
  /** Being worked on. */
  IN_PROGRESS: 'in_progress',
  /** Awaiting review. */
  IN_REVIEW: 'in_review',
  /** Waiting on something else. */
  BLOCKED: 'blocked',
  /** Finished. */
  DONE: 'done',
  /** Closed without finishing. */
  CANCELED: 'canceled',
} as const;
/** One of the `CanonicalStatus` values. */
export type CanonicalStatus = (typeof CanonicalStatus)[keyof typeof CanonicalStatus];

/** Tracker-neutral issue types. */
export const CanonicalIssueType = {
  /** A large body of work. */
  EPIC: 'epic',
  /** A user-facing piece of work. */
  STORY: 'story',
  /** A unit of work. */
  TASK: 'task',
  /** A defect. */
  BUG: 'bug',
  /** Maintenance. */
  CHORE: 'chore',
  /** Part of another issue. */
  SUBTASK: 'subtask',
} as const;
/** One of the `CanonicalIssueType` values. */
export type CanonicalIssueType = (typeof CanonicalIssueType)[keyof typeof CanonicalIssueType];

/** Typed links between issues. */
export const LinkType = {
  /** This issue blocks the target. */
  BLOCKS: 'blocks',
  /** The target blocks this issue. */
  BLOCKED_BY: 'blocked_by',
  /** Related. */
  RELATES_TO: 'relates_to',
  /** This issue duplicates the target. */
  DUPLICATES: 'duplicates',
  /** The target is a child. */
  PARENT_OF: 'parent_of',
  /** The target is the parent. */
  CHILD_OF: 'child_of',
} as const;
/** One of the `LinkType` values. */
export type LinkType = (typeof LinkType)[keyof typeof LinkType];

/** Kinds of tracker change events. */
export const TrackerEventType = {
  /** An issue was created. */
  CREATED: 'created',
  /** An issue was updated. */
  UPDATED: 'updated',
  /** An issue changed status. */
  TRANSITIONED: 'transitioned',
  /** A comment was added. */
  COMMENT_ADDED: 'comment_added',
  /** A link was added or changed. */
  LINK_UPSERTED: 'link_upserted',
  /** An issue was deleted, archived/trashed or moved away (re-reading it finds it gone). */
  DELETED: 'deleted',
} as const;
/** One of the `TrackerEventType` values. */
export type TrackerEventType = (typeof TrackerEventType)[keyof typeof TrackerEventType];

const STATUS_VALUES = new Set<string>(Object.values(CanonicalStatus));
const ISSUE_TYPE_VALUES = new Set<string>(Object.values(CanonicalIssueType));
const LINK_TYPE_VALUES = new Set<string>(Object.values(LinkType));
const EVENT_TYPE_VALUES = new Set<string>(Object.values(TrackerEventType));

/** Whether `value` is a `CanonicalStatus` string. */
export function isCanonicalStatus(value: unknown): value is CanonicalStatus {
  return typeof value === 'string' && STATUS_VALUES.has(value);
}
/** Whether `value` is a `CanonicalIssueType` string. */
export function isCanonicalIssueType(value: unknown): value is CanonicalIssueType {
  return typeof value === 'string' && ISSUE_TYPE_VALUES.has(value);
}
/** Whether `value` is a `LinkType` string. */
export function isLinkType(value: unknown): value is LinkType {
  return typeof value === 'string' && LINK_TYPE_VALUES.has(value);
}
/** Whether `value` is a `TrackerEventType` string. */
export function isTrackerEventType(value: unknown): value is TrackerEventType {
  return typeof value === 'string' && EVENT_TYPE_VALUES.has(value);
}

/** Statuses that close an issue; connectors without `supportsTerminalTransition` never receive them. */
export const TERMINAL_STATUSES: ReadonlySet<CanonicalStatus> = new Set([
  CanonicalStatus.DONE,
  CanonicalStatus.CANCELED,
]);
