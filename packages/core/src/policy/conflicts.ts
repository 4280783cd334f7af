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
    },
  };
}
