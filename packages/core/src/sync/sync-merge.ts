import { refIdentity, refsEqual } from '../model/external-ref';
import {
  adoptValidatedParts,
  type CanonicalIssue,
  CORE_ISSUE_FIELDS,
  type CoreIssueField,
  coreFieldEqual,
  issueContentEqual,
  isValidIssue,
} from '../model/issue';
import { type ConflictRecord, type ConflictStrategy, resolveField } from '../policy/conflicts';
import { FieldOwner, type OwnershipPolicy, ownerFor } from '../policy/ownership-policy';
import type { IssueProjection } from './sync-projection';
import type { DiscardedLocalChange } from './sync-result';
import { mergeMembers } from './sync-set-merge';

/** What `mergeIssues` takes. */
export interface MergeInput {
  /** The local issue. */
  local: CanonicalIssue;
  /** The tracker's issue. */
  external: CanonicalIssue;
  /** Last state both sides agreed on; null gives the original's two-way merge. */
  base: CanonicalIssue | null;
  /** Who owns which field. */
  policy: OwnershipPolicy;
  /** Conflict strategy for shared fields. */
  strategy: ConflictStrategy;
  /**
   * How the tracker reads back a written issue (`connector.projectIssue`); absent = identity.
   * Local-side values are compared through it, so a difference the tracker cannot represent is
   * no change on either side and the richer local value is kept.
   */
  project?: IssueProjection;
  /**
   * Hold `manual_review` conflicts: the field keeps its local value locally, is left out of the
   * tracker write (`pending` lists it), and the conflict is reported with `pending: true`. The
   * engine sets it when it keeps sync bases; false is the original (local value written, then flagged).
   */
  holdManualReview?: boolean;
  /** Host-decided values by field name: taken as the merged value, whatever the sides hold. */
  resolved?: ReadonlyMap<string, unknown>;
}

/** What `mergeIssues` returns. */
export interface MergeOutput {
  /** The merged issue. */
  merged: CanonicalIssue;
  /** Fields edited on both sides. */
  conflicts: readonly ConflictRecord[];
  /** Local changes the merge did not keep (ownership or conflict strategy), in field order. */
  discarded: readonly DiscardedLocalChange[];
  /** Fields held by `holdManualReview`: not to be written to the tracker, base kept as it was. */
  pending: readonly CoreIssueField[];
}

// Most merges find nothing to report: they share one empty list rather than allocating three.
const NOTHING: readonly never[] = Object.freeze([]);
// Trackers such as Linear and GitHub do not keep the order of labels or assignees; comparing
// them as ordered lists would re-push (or re-report) the same set forever.
const UNORDERED_FIELDS: ReadonlySet<CoreIssueField> = new Set(['labels', 'assignees']);

function sameMembers(left: readonly string[], right: readonly string[]): boolean {
  if (left === right) return true;
  if (left.length !== right.length) return false;
  // Most lists are equal in the same order (or hold one member): no copies, no sorting.
  let index = 0;
  while (index < left.length && left[index] === right[index]) index++;
  if (index === left.length) return true;
  if (left.length === 1) return false;
  const sortedLeft = [...left].sort();
  const sortedRight = [...right].sort();
  return sortedLeft.every((value, index) => value === sortedRight[index]);
}

/**
 * Field equality as a sync sees it: the model's equality, except that labels and assignees are
 * compared as sets of members (order-insensitive), so order-only differences are no change.
 */
export function syncFieldEqual(field: CoreIssueField, left: CanonicalIssue, right: CanonicalIssue): boolean {
  // Most fields of two copies of one issue hold the same value or the same shared (frozen) list.
  if (left[field] === right[field]) return true;
  if (UNORDERED_FIELDS.has(field))
    return sameMembers(left[field] as readonly string[], right[field] as readonly string[]);
  return coreFieldEqual(field, left, right);
}

function maxDate(left: Date | null, right: Date | null): Date | null {
  if (left === null) return right;
  if (right === null) return left;
  return right.getTime() > left.getTime() ? right : left;
}

/**
 * Whether the local side changed `field`. With a base: local differs from it (as the tracker reads
 * both). Without one the sides cannot be told apart, so the test `newer_timestamp` uses decides:
 * a local copy strictly newer than the tracker's holds the change.
 */
function localChanged(
  field: CoreIssueField,
  projectedLocal: CanonicalIssue,
  projectedBase: CanonicalIssue | null,
  local: CanonicalIssue,
  external: CanonicalIssue,
): boolean {
  if (projectedBase !== null) return !syncFieldEqual(field, projectedLocal, projectedBase);
  if (local.updatedAt === null) return false;
  return external.updatedAt === null || local.updatedAt.getTime() > external.updatedAt.getTime();
}

/**
 * The original's `_merge_issues`, field by field in CORE_ISSUE_FIELDS order, plus a three-way
 * step: with a base, a SHARED field changed on one side only is taken from that side without a
 * conflict, and labels and assignees changed on both sides merge element-wise (`mergeMembers`);
 * only another field changed on both sides goes through `resolveField` and the strategy.
 * Owned fields always follow their owner, base or not. A local change the result drops is
 * listed in `discarded`; a host-decided value (`resolved`) overrides everything.
 */
export function mergeIssues(input: MergeInput): MergeOutput {
  const { local, external, base, policy, strategy } = input;
  // Without a projection every comparison below is the original's (the projections are identity).
  const project = input.project ?? identityProjection;
  // Fields holding the very same value on both sides merge to it at once, unless host-resolved:
  // as the tracker reads them (a projection may look at other fields) only when it is identity.
  const same = project === identityProjection && !input.resolved?.size ? identicalFields(local, external) : 0;
  const projectedLocal = project(local);
  const projectedExternal = project(external);
  const projectedBase = base === null ? null : project(base);
  // Merged values by position in CORE_ISSUE_FIELDS (an array, not a record keyed by field name).
  const values: unknown[] = new Array(FIELD_COUNT);
  // Whether every value is one of the sides' own (validated) values, so the merged issue needs
  // no second validation; host-resolved values and element-wise list merges are not.
  let ownValues = true;
  let conflicts: ConflictRecord[] | null = null;
  let discarded: DiscardedLocalChange[] | null = null;
  let pending: CoreIssueField[] | null = null;
  for (let position = 0; position < FIELD_COUNT; position++) {
    const field = CORE_ISSUE_FIELDS[position] as CoreIssueField;
    if ((same & (1 << position)) !== 0) {
      values[position] = local[field];
      continue;
    }
    if (input.resolved?.has(field)) {
      values[position] = input.resolved.get(field);
      ownValues = false;
      continue;
    }
    // Both sides projected: a remote read is its own projection for an exact projectIssue, and
    // for one that normalises further (e.g. Markdown round trips) both sides normalise alike.
    if (syncFieldEqual(field, projectedLocal, projectedExternal)) {
      values[position] = local[field];
      continue;
    }
    const owner = ownerFor(policy, field);
    if (base !== null && projectedBase !== null && owner === FieldOwner.SHARED) {
      if (syncFieldEqual(field, projectedLocal, projectedBase)) {
        values[position] = external[field];
        continue;
      }
      if (syncFieldEqual(field, projectedExternal, projectedBase)) {
        values[position] = local[field];
        continue;
      }
      if (UNORDERED_FIELDS.has(field)) {
        const members = (issue: CanonicalIssue) => issue[field] as readonly string[];
        values[position] = mergeMembers(members(local), members(external), members(base));
        ownValues = false;
        continue;
      }
    }
    const resolution = resolveField({
      fieldName: field,
      owner,
      localValue: local[field],
      externalValue: external[field],
      localUpdatedAt: local.updatedAt,
      externalUpdatedAt: external.updatedAt,
      strategy,
    });
    const conflict = resolution.conflict && { ...resolution.conflict, issueRef: local.ref };
    if (conflict?.manualReviewRequired && input.holdManualReview) {
      // Neither side is written: the local copy keeps its value, the tracker is not patched.
      values[position] = local[field];
      pending ??= [];
      pending.push(field);
      conflicts ??= [];
      conflicts.push({
        ...conflict,
        resolvedValue: base === null ? null : base[field],
        pending: true,
      });
      continue;
    }
    values[position] = resolution.value;
    if (conflict) {
      conflicts ??= [];
      conflicts.push(conflict);
    }
    // resolveField returns one of the two values as is, so identity tells which side it kept;
    // the sides differ as the tracker reads them (checked above).
    if (
      resolution.value !== local[field] &&
      localChanged(field, projectedLocal, projectedBase, local, external)
    ) {
      discarded ??= [];
      discarded.push({
        issueRef: local.ref,
        fieldName: field,
        localValue: local[field],
        keptValue: resolution.value,
        reason: owner === FieldOwner.EXTERNAL ? 'ownership' : 'conflict_strategy',
      });
    }
  }
  const createdAt = local.createdAt ?? external.createdAt ?? null;
  const updatedAt = maxDate(local.updatedAt, external.updatedAt);
  const raw = external.raw ?? local.raw;
  return {
    merged: mergedIssue(local, external, values, ownValues, createdAt, updatedAt, raw),
    conflicts: conflicts ?? NOTHING,
    discarded: discarded ?? NOTHING,
    pending: pending ?? NOTHING,
  };
}

const FIELD_COUNT = CORE_ISSUE_FIELDS.length;

/** The projection of a lossless tracker (no `projectIssue`): the issue itself. */
export const identityProjection: IssueProjection = (issue) => issue;

/**
 * Bit `i` set when CORE_ISSUE_FIELDS[i] holds the same value (the same string, number or shared
 * list) on both issues. Named property reads, so each stays monomorphic: most merges compare
 * two copies of one issue that share nearly every field.
 */
export function identicalFields(left: CanonicalIssue, right: CanonicalIssue): number {
  return (
    (left.title === right.title ? 1 : 0) |
    (left.body === right.body ? 2 : 0) |
    (left.status === right.status ? 4 : 0) |
    (left.issueType === right.issueType ? 8 : 0) |
    (left.priority === right.priority ? 16 : 0) |
    (left.assignees === right.assignees ? 32 : 0) |
    (left.labels === right.labels ? 64 : 0) |
    (left.parent === right.parent ? 128 : 0) |
    (left.links === right.links ? 256 : 0) |
    (left.customFields === right.customFields ? 512 : 0)
  );
}

/** Whether `issue` holds exactly these values (the same objects), timestamps and raw included. */
function holdsValues(
  issue: CanonicalIssue,
  values: readonly unknown[],
  createdAt: Date | null,
  updatedAt: Date | null,
  raw: CanonicalIssue['raw'],
): boolean {
  if (issue.createdAt !== createdAt || issue.updatedAt !== updatedAt || issue.raw !== raw) return false;
  for (let position = 0; position < FIELD_COUNT; position++) {
    if (issue[CORE_ISSUE_FIELDS[position] as CoreIssueField] !== values[position]) return false;
  }
  return true;
}

/**
 * The merged issue. Most merges keep one side whole (a pull of an issue nobody edited locally, a
 * push whose remote copy is unchanged, the tracker's answer to a push): that side is returned
 * itself. Otherwise, when every value is one of the (validated, frozen) sides' own, the new
 * issue is sealed without a second validation; anything else is left to the store to validate.
 */
function mergedIssue(
  local: CanonicalIssue,
  external: CanonicalIssue,
  values: readonly unknown[],
  ownValues: boolean,
  createdAt: Date | null,
  updatedAt: Date | null,
  raw: CanonicalIssue['raw'],
): CanonicalIssue {
  const validSides = ownValues && isValidIssue(local) && isValidIssue(external);
  if (validSides) {
    if (holdsValues(local, values, createdAt, updatedAt, raw)) return local;
    if (refsEqual(local.ref, external.ref) && holdsValues(external, values, createdAt, updatedAt, raw))
      return external;
  }
  // One literal in the model's field order (the shape of every issue), not spreads of a record.
  const merged = {
    ref: local.ref,
    title: values[0],
    body: values[1],
    status: values[2],
    issueType: values[3],
    priority: values[4],
    assignees: values[5],
    labels: values[6],
    parent: values[7],
    links: values[8],
    customFields: values[9],
    createdAt,
    updatedAt,
    raw,
  } as CanonicalIssue;
  return validSides ? adoptValidatedParts(merged) : merged;
}

/**
 * Whether `mergeIssues` of `sent` (local) and the tracker's `answer` to it (external), with no
 * projection and no host-resolved values, would merge to `answer` itself, whatever the base: the
 * same ref, exactly the same content (so every field merges to the sent value without a conflict),
 * and the timestamps and raw the merge would take. It spares the push a second merge per update:
 * a tracker usually answers with what it was sent.
 */
export function answerHoldsSent(sent: CanonicalIssue, answer: CanonicalIssue): boolean {
  if (!isValidIssue(answer) || !refsEqual(sent.ref, answer.ref)) return false;
  // The merge's createdAt (sent's, else the answer's), updatedAt (the later) and raw (the answer's, else sent's).
  if (
    sent.createdAt !== null &&
    (answer.createdAt === null || answer.createdAt.getTime() !== sent.createdAt.getTime())
  )
    return false;
  if (
    sent.updatedAt !== null &&
    (answer.updatedAt === null || answer.updatedAt.getTime() < sent.updatedAt.getTime())
  )
    return false;
  if (answer.raw === null && sent.raw !== null) return false;
  return issueContentEqual(sent, answer);
}

/** Whether the ten content fields are equal (what a sync compares; timestamps and raw are not content). */
export function contentEqual(left: CanonicalIssue, right: CanonicalIssue): boolean {
  if (left === right) return true;
  const same = identicalFields(left, right);
  for (let position = 0; position < FIELD_COUNT; position++) {
    if ((same & (1 << position)) !== 0) continue;
    if (!syncFieldEqual(CORE_ISSUE_FIELDS[position] as CoreIssueField, left, right)) return false;
  }
  return true;
}

/**
 * Per-page de-duplication (N9): one item per identity, at the first occurrence's position; a later
 * duplicate replaces it iff its `updatedAt` is set and not older (ties go to the later item).
 */
export function dedupePage(items: readonly CanonicalIssue[]): CanonicalIssue[] {
  // An empty or one-item page (every page of a no-op incremental sync) has nothing to compare.
  if (items.length < 2) return [...items];
  const kept: CanonicalIssue[] = [];
  const positions = new Map<string, number>();
  for (const item of items) {
    const identity = refIdentity(item.ref);
    const position = positions.get(identity);
    if (position === undefined) {
      positions.set(identity, kept.length);
      kept.push(item);
      continue;
    }
    const current = kept[position];
    if (
      item.updatedAt !== null &&
      (current?.updatedAt == null || item.updatedAt.getTime() >= current.updatedAt.getTime())
    ) {
      kept[position] = item;
    }
  }
  return kept;
}
