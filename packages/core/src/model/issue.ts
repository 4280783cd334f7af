import { ModelValidationError } from '../errors/errors';
import { deepEqual } from '../util/deep-equal';
import { frozenJsonCopy, type JsonValue, markDeepFrozen } from '../util/json-value';
import { isBlank } from '../util/python-text';
import {
  type CanonicalIssueType,
  type CanonicalStatus,
  isCanonicalIssueType,
  isCanonicalStatus,
} from './enums';
import { createRef, type ExternalRef, refsEqual } from './external-ref';
import { type CanonicalLink, createLink } from './link';

/**
 * The tracker-neutral issue. Plain, deeply frozen data (dates aside: never mutate them); build it
 * with `createIssue`, derive a changed one with `cloneIssue`. Safe to share by reference.
 */
export interface CanonicalIssue {
  /** Where the issue lives. */
  readonly ref: ExternalRef;
  /** Title. */
  readonly title: string;
  /** Body (Markdown), or null. */
  readonly body: string | null;
  /** Canonical status. */
  readonly status: CanonicalStatus;
  /** Canonical issue type. */
  readonly issueType: CanonicalIssueType;
  /** 0 = most urgent … 4 = lowest. */
  readonly priority: number | null;
  /** Assignee logins/ids. */
  readonly assignees: readonly string[];
  /** Labels. */
  readonly labels: readonly string[];
  /** Parent issue, or null. */
  readonly parent: ExternalRef | null;
  /** Links to other issues. */
  readonly links: readonly CanonicalLink[];
  /** Custom fields (JSON values). */
  readonly customFields: Readonly<Record<string, JsonValue>>;
  /** Creation time, when known. */
  readonly createdAt: Date | null;
  /** Last update time, when known. */
  readonly updatedAt: Date | null;
  /** The vendor payload the issue was mapped from; never holds credentials. */
  readonly raw: Readonly<Record<string, unknown>> | null;
}

/** What `createIssue` takes (optional fields default to null/empty). */
export interface CanonicalIssueInit {
  /** Where the issue lives. */
  ref: ExternalRef;
  /** Title. */
  title: string;
  /** Body (Markdown), or null. */
  body?: string | null;
  /** Canonical status. */
  status: CanonicalStatus;
  /** Canonical issue type. */
  issueType: CanonicalIssueType;
  /** 0 = most urgent … 4 = lowest, or null. */
  priority?: number | null;
  /** Assignee logins/ids. */
  assignees?: readonly string[];
  /** Labels. */
  labels?: readonly string[];
  /** Parent issue, or null. */
  parent?: ExternalRef | null;
  /** Links to other issues. */
  links?: readonly CanonicalLink[];
  /** Custom fields (JSON values). */
  customFields?: Readonly<Record<string, JsonValue>>;
  /** Creation time, when known. */
  createdAt?: Date | null;
  /** Last update time, when known. */
  updatedAt?: Date | null;
  /** The vendor payload the issue was mapped from; never holds credentials. */
  raw?: Readonly<Record<string, unknown>> | null;
}

/**
 * The content fields, in the original's order. This order drives merge iteration, patch key
 * order and conflict order. `ref`, `createdAt`, `updatedAt` and `raw` are not core fields.
 */
export const CORE_ISSUE_FIELDS = [
  'title',
  'body',
  'status',
  'issueType',
  'priority',
  'assignees',
  'labels',
  'parent',
  'links',
  'customFields',
] as const;
/** One of `CORE_ISSUE_FIELDS`. */
export type CoreIssueField = (typeof CORE_ISSUE_FIELDS)[number];

/** Marks issues `createIssue` built (validated, frozen), and their validated string and link lists. */
const VALID_ISSUE = Symbol.for('spec-kitty.valid-issue');
const VALID_STRINGS = Symbol.for('spec-kitty.valid-strings');
const VALID_LINKS = Symbol.for('spec-kitty.valid-links');

function seal<T extends object>(target: T, marker: symbol): T {
  Object.defineProperty(target, marker, { value: true });
  return Object.freeze(target);
}

const NO_STRINGS: readonly string[] = seal([], VALID_STRINGS);
const NO_LINKS: readonly CanonicalLink[] = seal([], VALID_LINKS);
const NO_FIELDS: Readonly<Record<string, JsonValue>> = markDeepFrozen({});

/** True when `value` is an issue `createIssue` built: validated, deeply immutable, safe to share. */
export function isValidIssue(value: unknown): value is CanonicalIssue {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, VALID_ISSUE);
}

function checkStringArray(field: string, value: unknown): readonly string[] {
  if (value === undefined || value === null) return NO_STRINGS;
  if (typeof value === 'object' && Object.hasOwn(value, VALID_STRINGS)) return value as readonly string[];
  if (!Array.isArray(value))
    throw new ModelValidationError(`CanonicalIssue.${field} must be an array of strings`);
  if (value.length === 0) return NO_STRINGS;
  const copy = new Array<string>(value.length);
  for (let index = 0; index < value.length; index++) {
    const item: unknown = value[index];
    if (typeof item !== 'string') {
      throw new ModelValidationError(
        `CanonicalIssue.${field}[${index}] must be a string, got ${typeof item}`,
      );
    }
    copy[index] = item;
  }
  return seal(copy, VALID_STRINGS);
}

function checkLinks(value: readonly CanonicalLink[] | undefined): readonly CanonicalLink[] {
  if (value === undefined || value === null || value.length === 0) return NO_LINKS;
  if (Object.hasOwn(value, VALID_LINKS)) return value;
  return seal(
    value.map((link) => createLink(link)),
    VALID_LINKS,
  );
}

function checkDate(field: string, value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new ModelValidationError(`CanonicalIssue.${field} must be a valid Date or null`);
  }
  return new Date(value.getTime());
}

/**
 * Validates like the original's constructor and returns a deeply immutable issue. Lists, maps
 * and dates it is given are copied, except parts of issues this function built (already
 * validated and frozen), which are shared; an issue it built is returned as is.
 */
export function createIssue(init: CanonicalIssueInit): CanonicalIssue {
  if (Object.hasOwn(init, VALID_ISSUE)) return init as CanonicalIssue;
  if (typeof init.title !== 'string' || isBlank(init.title)) {
    throw new ModelValidationError('CanonicalIssue.title must not be empty');
  }
  const priority = init.priority ?? null;
  if (priority !== null && !(Number.isInteger(priority) && priority >= 0 && priority <= 4)) {
    throw new ModelValidationError('CanonicalIssue.priority must be in range 0..4');
  }
  if (!isCanonicalStatus(init.status)) {
    throw new ModelValidationError(`CanonicalIssue.status is not a CanonicalStatus: ${String(init.status)}`);
  }
  if (!isCanonicalIssueType(init.issueType)) {
    throw new ModelValidationError(
      `CanonicalIssue.issueType is not a CanonicalIssueType: ${String(init.issueType)}`,
    );
  }
  const body = init.body ?? null;
  if (body !== null && typeof body !== 'string')
    throw new ModelValidationError('CanonicalIssue.body must be a string or null');
  const customFields = init.customFields ?? NO_FIELDS;
  if (typeof customFields !== 'object' || customFields === null || Array.isArray(customFields)) {
    throw new ModelValidationError('CanonicalIssue.customFields must be an object');
  }
  const raw = init.raw ?? null;
  if (raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new ModelValidationError('CanonicalIssue.raw must be an object or null');
  }
  const issue: CanonicalIssue = {
    ref: createRef(init.ref),
    title: init.title,
    body,
    status: init.status,
    issueType: init.issueType,
    priority,
    assignees: checkStringArray('assignees', init.assignees),
    labels: checkStringArray('labels', init.labels),
    parent: init.parent ? createRef(init.parent) : null,
    links: checkLinks(init.links),
    customFields: frozenJsonCopy(customFields),
    createdAt: checkDate('createdAt', init.createdAt),
    updatedAt: checkDate('updatedAt', init.updatedAt),
    raw: raw === null ? null : frozenJsonCopy(raw),
  };
  return seal(issue, VALID_ISSUE);
}

/**
 * Seals `issue` as one `createIssue` built, without validating or copying: for the engine's
 * merge, whose every field value it takes from issues `createIssue` built (already validated
 * and frozen), so the result needs no second validation when it is stored. Dates are shared,
 * which is safe because issues' dates are never mutated.
 */
export function adoptValidatedParts(issue: CanonicalIssue): CanonicalIssue {
  return seal(issue, VALID_ISSUE);
}

/**
 * The issue with some fields replaced (validated like `createIssue`). Issues are immutable, so
 * without changes an issue `createIssue` built is returned as is; anything else is validated
 * into one.
 */
export function cloneIssue(issue: CanonicalIssue, changes?: Partial<CanonicalIssueInit>): CanonicalIssue {
  if (changes === undefined) return createIssue(issue);
  return createIssue({ ...issue, ...changes });
}

function datesEqual(left: Date | null, right: Date | null): boolean {
  return left === null || right === null ? left === right : left.getTime() === right.getTime();
}

function linksEqual(left: readonly CanonicalLink[], right: readonly CanonicalLink[]): boolean {
  if (left.length !== right.length) return false;
  return left.every((link, index) => {
    const other = right[index];
    return other !== undefined && link.type === other.type && refsEqual(link.target, other.target);
  });
}

/** Whether one core field holds equal values on both issues. */
export function coreFieldEqual(field: CoreIssueField, left: CanonicalIssue, right: CanonicalIssue): boolean {
  if (left[field] === right[field]) return true;
  switch (field) {
    case 'parent':
      return refsEqual(left.parent, right.parent);
    case 'links':
      return linksEqual(left.links, right.links);
    default:
      return deepEqual(left[field], right[field]);
  }
}

/** All 14 fields equal, as the original's dataclass equality (timestamps and raw included). */
export function issuesEqual(left: CanonicalIssue, right: CanonicalIssue): boolean {
  if (left === right) return true;
  // Timestamps first: two copies of one issue most often differ in `updatedAt` alone.
  return (
    datesEqual(left.updatedAt, right.updatedAt) &&
    datesEqual(left.createdAt, right.createdAt) &&
    refsEqual(left.ref, right.ref) &&
    CORE_ISSUE_FIELDS.every((field) => coreFieldEqual(field, left, right)) &&
    deepEqual(left.raw, right.raw)
  );
}

/** Only the 10 content fields equal (used for create-if-absent idempotence). */
export function issueContentEqual(left: CanonicalIssue, right: CanonicalIssue): boolean {
  if (left === right) return true;
  return CORE_ISSUE_FIELDS.every((field) => coreFieldEqual(field, left, right));
}
