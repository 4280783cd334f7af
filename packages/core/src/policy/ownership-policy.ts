import type { CoreIssueField } from '../model/issue';

/** Who is authoritative for issue fields. */
export const OwnershipMode = {
  /** The tracker owns every field. */
  EXTERNAL_AUTHORITATIVE: 'external_authoritative',
  /** Each field has its own owner (`splitFieldOwners`). */
  SPLIT_OWNERSHIP: 'split_ownership',
  /** spec-kitty owns every field. */
  SPEC_KITTY_AUTHORITATIVE: 'spec_kitty_authoritative',
} as const;
/** One of the `OwnershipMode` values. */
export type OwnershipMode = (typeof OwnershipMode)[keyof typeof OwnershipMode];

/** Who may write one field. */
export const FieldOwner = {
  /** Only the tracker writes the field. */
  EXTERNAL: 'external',
  /** Only spec-kitty writes the field. */
  LOCAL: 'local',
  /** Both write it; edits on both sides go to the conflict strategy. */
  SHARED: 'shared',
} as const;
/** One of the `FieldOwner` values. */
export type FieldOwner = (typeof FieldOwner)[keyof typeof FieldOwner];

/** Which side may write each field. Plain data; use `ownerFor` / `localCanWrite` / `externalCanWrite`. */
export interface OwnershipPolicy {
  /** The ownership mode. */
  readonly mode: OwnershipMode;
  /** Split mode: owner per canonical field name. */
  readonly splitFieldOwners: Readonly<Record<string, FieldOwner>>;
  /** Split mode: owner of fields not listed. */
  readonly defaultSplitOwner: FieldOwner;
}

// Hosts that persisted the original's snake_case field names keep working.
const SNAKE_TO_CAMEL: Readonly<Record<string, CoreIssueField>> = {
  issue_type: 'issueType',
  custom_fields: 'customFields',
};

function normaliseFieldName(fieldName: string): string {
  return SNAKE_TO_CAMEL[fieldName] ?? fieldName;
}

/** Who owns `fieldName` (snake_case names accepted) under the policy. */
export function ownerFor(policy: OwnershipPolicy, fieldName: string): FieldOwner {
  if (policy.mode === OwnershipMode.EXTERNAL_AUTHORITATIVE) return FieldOwner.EXTERNAL;
  if (policy.mode === OwnershipMode.SPEC_KITTY_AUTHORITATIVE) return FieldOwner.LOCAL;
  const name = normaliseFieldName(fieldName);
  return policy.splitFieldOwners[name] ?? policy.defaultSplitOwner;
}

/** Whether spec-kitty may write the field (local or shared). */
export function localCanWrite(policy: OwnershipPolicy, fieldName: string): boolean {
  const owner = ownerFor(policy, fieldName);
  return owner === FieldOwner.LOCAL || owner === FieldOwner.SHARED;
}

/** Whether the tracker side may write the field (external or shared). */
export function externalCanWrite(policy: OwnershipPolicy, fieldName: string): boolean {
  const owner = ownerFor(policy, fieldName);
  return owner === FieldOwner.EXTERNAL || owner === FieldOwner.SHARED;
}

/** A policy where the tracker owns every field. */
function externalAuthoritative(): OwnershipPolicy {
  return Object.freeze({
    mode: OwnershipMode.EXTERNAL_AUTHORITATIVE,
    splitFieldOwners: {},
    defaultSplitOwner: FieldOwner.SHARED,
  });
}

/** A policy where spec-kitty owns every field. */
function localAuthoritative(): OwnershipPolicy {
  return Object.freeze({
    mode: OwnershipMode.SPEC_KITTY_AUTHORITATIVE,
    splitFieldOwners: {},
    defaultSplitOwner: FieldOwner.SHARED,
  });
}

/** A split policy: per-field owners, `defaultOwner` (shared) for the rest. */
function split(options: {
  fieldOwners: Readonly<Record<string, FieldOwner>>;
  defaultOwner?: FieldOwner;
}): OwnershipPolicy {
  const fieldOwners: Record<string, FieldOwner> = {};
  for (const [field, owner] of Object.entries(options.fieldOwners))
    fieldOwners[normaliseFieldName(field)] = owner;
  return Object.freeze({
    mode: OwnershipMode.SPLIT_OWNERSHIP,
    splitFieldOwners: Object.freeze(fieldOwners),
    defaultSplitOwner: options.defaultOwner ?? FieldOwner.SHARED,
  });
}

/** Factories and queries, named as the original's class methods. */
export const OwnershipPolicy = Object.freeze({
  /** A policy where the tracker owns every field. */
  externalAuthoritative,
  /** A policy where spec-kitty owns every field. */
  localAuthoritative,
  /** A split policy: per-field owners, `defaultOwner` (shared) for the rest. */
  split,
  /** Who owns a field under a policy. */
  ownerFor,
  /** Whether spec-kitty may write a field. */
  localCanWrite,
  /** Whether the tracker side may write a field. */
  externalCanWrite,
});
