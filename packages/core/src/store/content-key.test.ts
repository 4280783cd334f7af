import { describe, expect, it } from 'vitest';
import { CanonicalIssueType, CanonicalStatus } from '../model/enums';
import { createRef } from '../model/external-ref';
import { createIssue } from '../model/issue';
import { issueToJSON } from '../model/issue-json';
import { contentKey } from './content-key';

function json(overrides: Partial<Parameters<typeof createIssue>[0]> = {}) {
  return issueToJSON(
    createIssue({
      ref: createRef({ system: 'memory', workspace: 'w', id: '1', key: null, url: null }),
      title: 'Title',
      status: CanonicalStatus.TODO,
      issueType: CanonicalIssueType.TASK,
      priority: 2,
      body: 'x'.repeat(10_000),
      labels: ['a', 'b'],
      assignees: ['ada', 'bob'],
      ...overrides,
    }),
  );
}

describe('contentKey', () => {
  it('is a short digest whatever the body size', () => {
    expect(contentKey(json())).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('treats labels and assignees as sets and ignores fields outside the ten core ones', () => {
    expect(contentKey(json({ labels: ['b', 'a'], assignees: ['bob', 'ada'] }))).toBe(contentKey(json()));
    expect(contentKey(json({ updatedAt: new Date('2030-01-01T00:00:00Z') }))).toBe(contentKey(json()));
  });

  it('changes with any core field', () => {
    const base = contentKey(json());
    for (const changed of [
      json({ title: 'Other' }),
      json({ body: 'short' }),
      json({ labels: ['a'] }),
      json({ assignees: ['ada'] }),
      json({ priority: 1 }),
      json({ customFields: { points: 3 } }),
    ]) {
      expect(contentKey(changed)).not.toBe(base);
    }
  });
});
