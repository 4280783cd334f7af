import { describe, expect, it } from 'vitest';
import { CanonicalIssueType, CanonicalStatus } from '../model/enums';
import { createRef } from '../model/external-ref';
import { createIssue } from '../model/issue';
import { issueToJSON } from '../model/issue-json';
import { contentKey, contentKeyText, stableContentKeyText } from './content-key';

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

  it('builds the same canonical text as the recursive key-sorted pass, so stored keys stay valid', () => {
    const parent = createRef({ system: 'memory', workspace: 'w', id: 'P', key: 'P-1', url: 'https://x/P' });
    const variants = [
      json(),
      json({ body: null, priority: null, labels: [], assignees: [] }),
      json({ labels: ['only'], assignees: ['z', 'a', 'm'], title: 'Quotes " and \\ and ünïcode \u2028' }),
      json({ parent, links: [{ type: 'blocks', target: parent }] }),
      json({ customFields: { z: 1, a: { y: [1, { b: 2, a: null }], x: 'v' }, m: [] } }),
    ];
    for (const variant of variants) {
      expect(contentKeyText(variant)).toBe(stableContentKeyText(variant));
      expect(JSON.parse(contentKeyText(variant))).toHaveLength(10);
    }
  });
});
