// The push skips its second merge when the tracker's answer holds exactly what was sent
// (`answerHoldsSent`, issue 16). The shortcut must never change the outcome: wherever it says
// yes, the merge it replaces gives the answer back (by value), with nothing to report.
import { describe, expect, it } from 'vitest';
import { CanonicalIssueType, CanonicalStatus } from '../model/enums';
import { type CanonicalIssue, type CanonicalIssueInit, createIssue, issuesEqual } from '../model/issue';
import { ConflictStrategy } from '../policy/conflicts';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { answerHoldsSent, mergeIssues } from './sync-merge';
import { at, issue, ref } from './test-support/fixtures';

const sent = (init: Partial<CanonicalIssueInit> = {}) =>
  issue('S-1', {
    body: 'body',
    labels: ['a', 'b'],
    assignees: ['ann'],
    priority: 2,
    customFields: { points: 3 },
    createdAt: at('2026-01-01T00:00:00Z'),
    updatedAt: at('2026-01-02T00:00:00Z'),
    ...init,
  });

const later = at('2026-01-03T00:00:00Z');

describe('answerHoldsSent', () => {
  it('is true for the usual answer: the same content, a later updatedAt, the tracker raw', () => {
    const local = sent();
    // Another object with equal values, as a connector parses its response.
    const answer = createIssue({ ...local, labels: ['a', 'b'], updatedAt: later, raw: { id: 1 } });
    expect(answerHoldsSent(local, answer)).toBe(true);
  });

  it.each<[string, (local: CanonicalIssue) => CanonicalIssueInit]>([
    ['another title', (local) => ({ ...local, title: 'Other', updatedAt: later })],
    ['labels in another order', (local) => ({ ...local, labels: ['b', 'a'], updatedAt: later })],
    ['another custom field value', (local) => ({ ...local, customFields: { points: 5 }, updatedAt: later })],
    ['an older updatedAt', (local) => ({ ...local, updatedAt: at('2026-01-01T12:00:00Z') })],
    ['no updatedAt', (local) => ({ ...local, updatedAt: null })],
    ['another createdAt', (local) => ({ ...local, createdAt: later, updatedAt: later })],
    ['no raw where the sent issue had one', (local) => ({ ...local, raw: null, updatedAt: later })],
    [
      'another ref (a key filled in)',
      (local) => ({ ...local, ref: { ...local.ref, key: 'K-1' }, updatedAt: later }),
    ],
  ])('is false for an answer with %s', (_, answerOf) => {
    const local = sent({ raw: { id: 1 } });
    expect(answerHoldsSent(local, createIssue(answerOf(local)))).toBe(false);
  });

  it('is false for an answer that is not a validated issue', () => {
    const local = sent();
    expect(answerHoldsSent(local, { ...local, updatedAt: later })).toBe(false);
  });

  it('agrees with the merge it replaces, over varied sends, answers, bases and policies', () => {
    // Small value pools, so equal and unequal values both come up often.
    const titles = ['A', 'B'];
    const labelSets = [['x'], ['x', 'y'], ['y', 'x']];
    const dates = [null, at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z')];
    const raws = [null, { id: 1 }];
    const statuses = [CanonicalStatus.TODO, CanonicalStatus.DONE];
    let seed = 7;
    const pick = <T>(values: readonly T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return values[seed % values.length] as T;
    };
    const make = (): CanonicalIssue =>
      createIssue({
        ref: ref('S-1'),
        title: pick(titles),
        status: pick(statuses),
        issueType: CanonicalIssueType.TASK,
        labels: pick(labelSets),
        createdAt: pick(dates),
        updatedAt: pick(dates),
        raw: pick(raws),
      });
    const policies = [
      OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED }),
      OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.EXTERNAL }),
    ];
    let shortcuts = 0;
    for (let round = 0; round < 4000; round++) {
      const local = make();
      // Half the answers copy the sent content, as trackers usually do.
      const answer =
        round % 2 === 0 ? createIssue({ ...local, updatedAt: pick(dates), raw: pick(raws) }) : make();
      const base = pick([null, make()]);
      if (!answerHoldsSent(local, answer)) continue;
      shortcuts += 1;
      const merged = mergeIssues({
        local,
        external: answer,
        base,
        policy: pick(policies),
        strategy: pick([ConflictStrategy.LOCAL_WINS, ConflictStrategy.EXTERNAL_WINS]),
      });
      expect(issuesEqual(merged.merged, answer)).toBe(true);
      expect(merged.conflicts).toEqual([]);
      expect(merged.discarded).toEqual([]);
      expect(merged.pending).toEqual([]);
    }
    // The property was exercised, not vacuously true.
    expect(shortcuts).toBeGreaterThan(200);
  });
});
