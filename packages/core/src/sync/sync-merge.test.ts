import { describe, expect, it } from 'vitest';
import { ConflictStrategy } from '../policy/conflicts';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { contentEqual, mergeIssues } from './sync-merge';
import { at, issue } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

describe('mergeIssues', () => {
  it('keeps the local ref, takes the max updatedAt, external raw, and the first createdAt', () => {
    const local = issue('M-1', {
      createdAt: null,
      updatedAt: at('2026-01-02T00:00:00Z'),
      raw: { side: 'local' },
    });
    const external = issue('M-1', {
      createdAt: at('2025-01-01T00:00:00Z'),
      updatedAt: at('2026-01-01T00:00:00Z'),
      raw: { side: 'external' },
    });
    const { merged } = mergeIssues({
      local,
      external,
      base: null,
      policy: shared,
      strategy: ConflictStrategy.LOCAL_WINS,
    });
    expect(merged.ref).toBe(local.ref);
    expect(merged.updatedAt).toEqual(at('2026-01-02T00:00:00Z'));
    expect(merged.createdAt).toEqual(at('2025-01-01T00:00:00Z'));
    expect(merged.raw).toEqual({ side: 'external' });
  });

  it('reports conflicts in CORE_ISSUE_FIELDS order, MANUAL_REVIEW keeps local and flags review', () => {
    const local = issue('M-1', { title: 'a', labels: ['x'], priority: 1 });
    const external = issue('M-1', { title: 'b', labels: ['y'], priority: 2 });
    const { merged, conflicts } = mergeIssues({
      local,
      external,
      base: null,
      policy: shared,
      strategy: ConflictStrategy.MANUAL_REVIEW,
    });
    expect(conflicts.map((conflict) => conflict.fieldName)).toEqual(['title', 'priority', 'labels']);
    expect(conflicts.every((conflict) => conflict.manualReviewRequired)).toBe(true);
    expect(contentEqual(merged, local)).toBe(true);
  });

  it('with a base, one-sided changes are taken without conflicts, two-sided ones conflict', () => {
    const base = issue('M-1', { title: 'base', body: 'base', priority: 1 });
    const local = issue('M-1', {
      title: 'local',
      body: 'base',
      priority: 3,
      updatedAt: at('2027-01-01T00:00:00Z'),
    });
    const external = issue('M-1', { title: 'base', body: 'remote', priority: 2 });
    const { merged, conflicts } = mergeIssues({
      local,
      external,
      base,
      policy: shared,
      strategy: ConflictStrategy.EXTERNAL_WINS,
    });
    expect(merged).toMatchObject({ title: 'local', body: 'remote', priority: 2 });
    expect(conflicts.map((conflict) => conflict.fieldName)).toEqual(['priority']);
  });
});
