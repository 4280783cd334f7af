import type { CoreIssueField } from '../model/issue';

export const OwnershipMode = {
  EXTERNAL_AUTHORITATIVE: 'external_authoritative',
  SPLIT_OWNERSHIP: 'split_ownership',
  SPEC_KITTY_AUTHORITATIVE: 'spec_kitty_authoritative',
} as const;
export type OwnershipMode = (typeof OwnershipMode)[keyof typeof OwnershipMode];

export const FieldOwner = { EXTERNAL: 'external', LOCAL: 'local', SHARED: 'shared' } as const;
export type FieldOwner = (typeof FieldOwner)[keyof typeof FieldOwner];

/** Which side may write each field. Plain data; use `ownerFor` / `localCanWrite` / `externalCanWrite`. */
export interface OwnershipPolicy {
  readonly mode: OwnershipMode;
  readonly splitFieldOwners: Readonly<Record<string, FieldOwner>>;
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

export function ownerFor(policy: OwnershipPolicy, fieldName: string): FieldOwner {
  if (policy.mode === OwnershipMode.EXTERNAL_AUTHORITATIVE) return FieldOwner.EXTERNAL;
  if (policy.mode === OwnershipMode.SPEC_KITTY_AUTHORITATIVE) return FieldOwner.LOCAL;
  const name = normaliseFieldName(fieldName);
  return policy.splitFieldOwners[name] ?? policy.defaultSplitOwner;
}

export function localCanWrite(policy: OwnershipPolicy, fieldName: string): boolean {
  const owner = ownerFor(policy, fieldName);
  return owner === FieldOwner.LOCAL || owner === FieldOwner.SHARED;
}

export function externalCanWrite(policy: OwnershipPolicy, fieldName: string): boolean {
  const owner = ownerFor(policy, fieldName);
  return owner === FieldOwner.EXTERNAL || owner === FieldOwner.SHARED;
}

function externalAuthoritative(): OwnershipPolicy {
  return Object.freeze({
    mode: OwnershipMode.EXTERNAL_AUTHORITATIVE,
    splitFieldOwners: {},
    defaultSplitOwner: FieldOwner.SHARED,
  });
}

function localAuthoritative(): OwnershipPolicy {
  return Object.freeze({
    mode: OwnershipMode.SPEC_KITTY_AUTHORITATIVE,
    splitFieldOwners: {},
    defaultSplitOwner: FieldOwner.SHARED,
  });
}

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
  externalAuthoritative,
  localAuthoritative,
  split,
  ownerFor,
  localCanWrite,
  externalCanWrite,
});
