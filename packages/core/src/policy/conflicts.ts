import type { ExternalRef } from '../model/external-ref';
import { deepEqual } from '../util/deep-equal';
import { FieldOwner } from './ownership-policy';

/** How a shared field edited on both sides is resolved. */
export const ConflictStrategy = {
  /** The tracker's value wins. */
  EXTERNAL_WINS: 'external_wins',
  /** The local value wins. */
  LOCAL_WINS: 'local_wins',
  /** The side updated last wins (the tracker on a tie). */
  NEWER_TIMESTAMP: 'newer_timestamp',
  /** Neither is written until a host decides (`conflicts resolve`). */
  MANUAL_REVIEW: 'manual_review',
} as const;
/** One of the `ConflictStrategy` values. */
export type ConflictStrategy = (typeof ConflictStrategy)[keyof typeof ConflictStrategy];

/** A field edited on both sides, and how it was resolved. */
export interface ConflictRecord {
  /** Canonical field name. */
  readonly fieldName: string;
  /** The local value. */
  readonly localValue: unknown;
  /** The tracker's value. */
  readonly externalValue: unknown;
  /** The value the strategy chose (the current one under manual review). */
  readonly resolvedValue: unknown;
  /** The strategy that applied. */
  readonly strategy: ConflictStrategy;
  /** True when a host must decide. */
  readonly manualReviewRequired: boolean;
  /** The issue, when known. */
  readonly issueRef: ExternalRef | null;
  /**
   * True when the field was written to neither side: a `manual_review` conflict found while the
   * engine keeps sync bases. `resolvedValue` is then the kept (base) value, and every run reports
   * the conflict again until a `ConflictResolution` settles it.
   */
  readonly pending: boolean;
}

/** A host's decision for a manual-review conflict; the next run writes `value` to both sides. */
export interface ConflictResolution {
  /** Host-chosen id, echoed in `SyncResult.appliedResolutions` once both sides hold `value`. */
  readonly id: string;
  /** The issue. */
  readonly issueRef: ExternalRef;
  /** Canonical (camelCase) field name, e.g. `title`, `labels`. */
  readonly fieldName: string;
  /** The decided value. */
  readonly value: unknown;
}

/** What `resolveField` decided. */
export interface FieldResolution {
  /** The value to keep. */
  readonly value: unknown;
  /** The conflict record, when both sides changed a shared field. */
  readonly conflict: ConflictRecord | null;
}

/** What `resolveField` takes. */
export interface ResolveFieldInput {
  /** Canonical field name. */
  fieldName: string;
  /** Who owns the field under the policy. */
  owner: FieldOwner;
  /** The local value. */
  localValue: unknown;
  /** The tracker's value. */
  externalValue: unknown;
  /** When the local side changed, when known. */
  localUpdatedAt: Date | null;
  /** When the tracker side changed, when known. */
  externalUpdatedAt: Date | null;
  /** The strategy for shared fields. */
  strategy: ConflictStrategy;
}

function preferNewer(input: ResolveFieldInput): unknown {
  const { localUpdatedAt, externalUpdatedAt } = input;
  if (localUpdatedAt === null) return input.externalValue;
  if (externalUpdatedAt === null) return input.localValue;
  // Ties go to external, as in the original.
  return externalUpdatedAt.getTime() >= localUpdatedAt.getTime() ? input.externalValue : input.localValue;
}

/** Resolves one field between the local and external values (the original's `resolve_field`). */
export function resolveField(input: ResolveFieldInput): FieldResolution {
  if (deepEqual(input.localValue, input.externalValue)) return { value: input.localValue, conflict: null };
  if (input.owner === FieldOwner.LOCAL) return { value: input.localValue, conflict: null };
  if (input.owner === FieldOwner.EXTERNAL) return { value: input.externalValue, conflict: null };
  let value: unknown;
  let manualReviewRequired = false;
  switch (input.strategy) {
    case ConflictStrategy.EXTERNAL_WINS:
      value = input.externalValue;
      break;
    case ConflictStrategy.LOCAL_WINS:
      value = input.localValue;
      break;
    case ConflictStrategy.NEWER_TIMESTAMP:
      value = preferNewer(input);
      break;
    default:
      value = input.localValue;
      manualReviewRequired = true;
  }
  return {
    value,
    conflict: {
      fieldName: input.fieldName,
      localValue: input.localValue,
      externalValue: input.externalValue,
      resolvedValue: value,
      strategy: input.strategy,
      manualReviewRequired,
      issueRef: null,
      pending: false,
    },
  };
}
