// The merge hands back issues it can share instead of copies (issue 16): a side that holds every
// merged value is returned itself, and a merge of two validated issues is validated already, so
// the in-memory store keeps it without validating and copying it again.
import { describe, expect, it } from 'vitest';
import { CanonicalIssueType, CanonicalStatus, LinkType } from '../model/enums';
import {
  type CanonicalIssue,
  type CanonicalIssueInit,
  CORE_ISSUE_FIELDS,
  createIssue,
  isValidIssue,
} from '../model/issue';
import { ConflictStrategy } from '../policy/conflicts';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { mergeIssues } from './sync-merge';
import { at, issue, ref } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
const merge = (local: CanonicalIssue, external: CanonicalIssue, base: CanonicalIssue | null) =>
  mergeIssues({ local, external, base, policy: shared, strategy: ConflictStrategy.LOCAL_WINS });

const full = (init: Partial<CanonicalIssueInit> = {}) =>
  issue('S-1', {
    body: 'body',
    labels: ['a', 'b'],
    assignees: ['ann'],
    priority: 2,
    parent: ref('P-1'),
    customFields: { points: 3 },
    updatedAt: at('2026-01-01T00:00:00Z'),
    ...init,
  });

describe('mergeIssues shares what it can', () => {
  it('returns the local issue itself when the tracker holds the same values (a pull of an unchanged issue)', () => {
    const local = full();
    // Another object with the same values, as a fresh listing delivers it.
    const external = createIssue({ ...local });
    expect(external).not.toBe(local);
    const { merged } = merge(local, external, local);
    expect(merged).toBe(local);
  });

  it("returns the tracker's issue itself when it holds every merged value (the answer to a push)", () => {
    const base = full();
    const local = createIssue({ ...base, title: 'edited locally' });
    const answer = createIssue({ ...local, updatedAt: at('2026-02-01T00:00:00Z'), raw: { id: 1 } });
    const { merged } = merge(local, answer, base);
    expect(merged).toBe(answer);
  });

  it('a merge of values from both validated sides is a validated issue the store keeps as is', async () => {
    const base = full();
    const local = createIssue({ ...base, title: 'local title' });
    const external = createIssue({ ...base, body: 'remote body', updatedAt: at('2026-03-01T00:00:00Z') });
    const { merged } = merge(local, external, base);
    expect(merged).not.toBe(local);
    expect(merged).not.toBe(external);
    expect({ title: merged.title, body: merged.body }).toEqual({ title: 'local title', body: 'remote body' });
    expect(isValidIssue(merged)).toBe(true);
    expect(Object.isFrozen(merged)).toBe(true);
    const store = new InMemoryIssueStore();
    await store.upsertIssue(merged);
    expect(await store.getIssue(merged.ref)).toBe(merged);
  });

  it('a host-resolved value is not trusted: that merge is left for the store to validate', () => {
    const local = full();
    const external = createIssue({ ...local, title: 'remote title' });
    const { merged } = mergeIssues({
      local,
      external,
      base: local,
      policy: shared,
      strategy: ConflictStrategy.LOCAL_WINS,
      resolved: new Map([['status', CanonicalStatus.DONE]]),
    });
    expect(merged.status).toBe(CanonicalStatus.DONE);
    expect(merged.title).toBe('remote title');
    expect(isValidIssue(merged)).toBe(false);
  });

  it('every field is merged three-way on its own (a difference in one field is never taken for another)', () => {
    const base = full();
    const remoteValues: Partial<CanonicalIssueInit> = {
      title: 'remote title',
      body: 'remote body',
      status: CanonicalStatus.IN_PROGRESS,
      issueType: CanonicalIssueType.BUG,
      priority: 0,
      assignees: ['bob'],
      labels: ['c'],
      parent: ref('P-2'),
      links: [{ type: LinkType.BLOCKS, target: ref('L-1') }],
      customFields: { points: 5 },
    };
    for (const field of CORE_ISSUE_FIELDS) {
      const changed = createIssue({ ...base, [field]: remoteValues[field] });
      // Changed on the tracker only: the tracker's value; changed locally only: the local value.
      expect(merge(base, changed, base).merged[field]).toEqual(changed[field]);
      expect(merge(changed, base, base).merged[field]).toEqual(changed[field]);
      for (const other of CORE_ISSUE_FIELDS) {
        if (other !== field) expect(merge(base, changed, base).merged[other]).toEqual(base[other]);
      }
    }
  });
});
