import { describe, expect, it } from 'vitest';
import { createRef } from '../model/external-ref';
import { ConflictStrategy, resolveField } from './conflicts';
import {
  externalCanWrite,
  FieldOwner,
  localCanWrite,
  OwnershipMode,
  OwnershipPolicy,
  ownerFor,
} from './ownership-policy';

describe('OwnershipPolicy', () => {
  it('has the original enum values', () => {
    expect(Object.values(OwnershipMode)).toEqual([
      'external_authoritative',
      'split_ownership',
      'spec_kitty_authoritative',
    ]);
    expect(Object.values(FieldOwner)).toEqual(['external', 'local', 'shared']);
  });

  it('gives every field to one side in the authoritative modes, ignoring split owners', () => {
    const external = OwnershipPolicy.externalAuthoritative();
    expect(ownerFor(external, 'title')).toBe(FieldOwner.EXTERNAL);
    expect(ownerFor(external, 'anything')).toBe(FieldOwner.EXTERNAL);
    expect(localCanWrite(external, 'title')).toBe(false);
    expect(externalCanWrite(external, 'title')).toBe(true);
    const local = OwnershipPolicy.localAuthoritative();
    expect(local.mode).toBe(OwnershipMode.SPEC_KITTY_AUTHORITATIVE);
    expect(ownerFor(local, 'status')).toBe(FieldOwner.LOCAL);
    expect(externalCanWrite(local, 'status')).toBe(false);
  });

  it('looks split owners up with a default, accepting snake_case names', () => {
    const policy = OwnershipPolicy.split({
      fieldOwners: { status: FieldOwner.LOCAL, custom_fields: FieldOwner.EXTERNAL },
    });
    expect(ownerFor(policy, 'status')).toBe(FieldOwner.LOCAL);
    expect(ownerFor(policy, 'customFields')).toBe(FieldOwner.EXTERNAL);
    expect(ownerFor(policy, 'title')).toBe(FieldOwner.SHARED);
    expect(localCanWrite(policy, 'title') && externalCanWrite(policy, 'title')).toBe(true);
    const strict = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.EXTERNAL });
    expect(ownerFor(strict, 'labels')).toBe(FieldOwner.EXTERNAL);
  });

  it('copies the field owner mapping', () => {
    const owners: Record<string, FieldOwner> = { title: FieldOwner.LOCAL };
    const policy = OwnershipPolicy.split({ fieldOwners: owners });
    owners.title = FieldOwner.EXTERNAL;
    expect(ownerFor(policy, 'title')).toBe(FieldOwner.LOCAL);
  });
});

describe('resolveField', () => {
  const local = new Date('2026-01-01T00:00:00Z');
  const later = new Date('2026-01-02T00:00:00Z');
  const base = {
    fieldName: 'title',
    owner: FieldOwner.SHARED,
    localValue: 'L',
    externalValue: 'E',
    localUpdatedAt: local,
    externalUpdatedAt: later,
    strategy: ConflictStrategy.NEWER_TIMESTAMP,
  } as const;

  it('has the original strategy values', () => {
    expect(Object.values(ConflictStrategy)).toEqual([
      'external_wins',
      'local_wins',
      'newer_timestamp',
      'manual_review',
    ]);
  });

  it('returns local without conflict when values are deeply equal, whatever the owner', () => {
    expect(resolveField({ ...base, localValue: { a: [1] }, externalValue: { a: [1] } })).toEqual({
      value: { a: [1] },
      conflict: null,
    });
  });

  it('lets the owner win without a conflict', () => {
    expect(resolveField({ ...base, owner: FieldOwner.LOCAL })).toEqual({ value: 'L', conflict: null });
    expect(resolveField({ ...base, owner: FieldOwner.EXTERNAL })).toEqual({ value: 'E', conflict: null });
  });

  it('records a conflict for shared fields and applies the strategy', () => {
    const external = resolveField({ ...base, strategy: ConflictStrategy.EXTERNAL_WINS });
    expect(external.value).toBe('E');
    expect(external.conflict).toEqual({
      fieldName: 'title',
      localValue: 'L',
      externalValue: 'E',
      resolvedValue: 'E',
      strategy: 'external_wins',
      manualReviewRequired: false,
      issueRef: null,
      pending: false,
    });
    expect(resolveField({ ...base, strategy: ConflictStrategy.LOCAL_WINS }).value).toBe('L');
    const manual = resolveField({ ...base, strategy: ConflictStrategy.MANUAL_REVIEW });
    expect(manual.value).toBe('L');
    expect(manual.conflict?.manualReviewRequired).toBe(true);
  });

  it('prefers the newer timestamp with the original tie-breaks', () => {
    expect(resolveField(base).value).toBe('E');
    expect(resolveField({ ...base, localUpdatedAt: later, externalUpdatedAt: local }).value).toBe('L');
    expect(resolveField({ ...base, externalUpdatedAt: local }).value).toBe('E'); // tie → external
    expect(resolveField({ ...base, localUpdatedAt: null, externalUpdatedAt: null }).value).toBe('E');
    expect(resolveField({ ...base, localUpdatedAt: null }).value).toBe('E');
    expect(resolveField({ ...base, externalUpdatedAt: null }).value).toBe('L');
  });

  it('compares refs structurally', () => {
    const left = createRef({ system: 's', workspace: 'w', id: '1' });
    const right = createRef({ system: 's', workspace: 'w', id: '1' });
    expect(resolveField({ ...base, localValue: left, externalValue: right }).conflict).toBeNull();
  });
});
