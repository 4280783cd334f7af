import type { ExternalRef } from '../model/external-ref';
import { deepEqual } from '../util/deep-equal';
import { FieldOwner } from './ownership-policy';

export const ConflictStrategy = {
  EXTERNAL_WINS: 'external_wins',
  LOCAL_WINS: 'local_wins',
  NEWER_TIMESTAMP: 'newer_timestamp',
  MANUAL_REVIEW: 'manual_review',
} as const;
export type ConflictStrategy = (typeof ConflictStrategy)[keyof typeof ConflictStrategy];

export interface ConflictRecord {
  readonly fieldName: string;
  readonly localValue: unknown;
  readonly externalValue: unknown;
  readonly resolvedValue: unknown;
  readonly strategy: ConflictStrategy;
  readonly manualReviewRequired: boolean;
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
  readonly issueRef: ExternalRef;
  /** Canonical (camelCase) field name, e.g. `title`, `labels`. */
  readonly fieldName: string;
  readonly value: unknown;
}

export interface FieldResolution {
  readonly value: unknown;
  readonly conflict: ConflictRecord | null;
}

export interface ResolveFieldInput {
  fieldName: string;
  owner: FieldOwner;
  localValue: unknown;
  externalValue: unknown;
  localUpdatedAt: Date | null;
  externalUpdatedAt: Date | null;
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
