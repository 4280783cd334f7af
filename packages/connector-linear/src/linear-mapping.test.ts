import { describe, expect, it } from 'vitest';
import {
  canonicalPriorityToLinear,
  deterministicIssueId,
  linearPriorityToCanonical,
  markerLine,
  markerToken,
  stateToStatus,
  stripMarker,
  toCanonical,
  withMarker,
} from './linear-mapping';

describe('priority mapping (the original tables)', () => {
  it('maps Linear → canonical', () => {
    expect([null, 0, 1, 2, 3, 4, 9].map((p) => linearPriorityToCanonical(p))).toEqual([
      null,
      4,
      0,
      1,
      2,
      3,
      4,
    ]);
  });
  it('maps canonical → Linear', () => {
    expect([null, 0, 1, 2, 3, 4, 7].map((p) => canonicalPriorityToLinear(p))).toEqual([0, 1, 2, 3, 4, 0, 0]);
  });
});

describe('stateToStatus', () => {
  it.each([
    [null, 'todo'],
    [{ type: 'completed', name: 'Done' }, 'done'],
    [{ type: 'canceled', name: 'Duplicate' }, 'canceled'],
    [{ type: 'started', name: 'In Review' }, 'in_review'],
    [{ type: 'started', name: 'Blocked' }, 'blocked'],
    [{ type: 'started', name: 'On hold' }, 'blocked'],
    [{ type: 'started', name: 'Doing' }, 'in_progress'],
    [{ type: 'backlog', name: 'Review backlog' }, 'todo'],
    [{ type: 'unstarted', name: 'Todo' }, 'todo'],
    [{ type: 'triage', name: 'Triage' }, 'todo'],
    [{ type: 'triage', name: 'Needs review' }, 'in_review'],
    [{ type: 'STARTED', name: 'x' }, 'in_progress'],
  ] as const)('%j → %s', (state, status) => {
    expect(stateToStatus(state)).toBe(status);
  });
});

describe('idempotency marker', () => {
  it('is a stable, key-specific token hidden in an HTML comment', () => {
    expect(markerToken('k')).toBe(markerToken('k'));
    expect(markerToken('k')).not.toBe(markerToken('k2'));
    expect(markerLine('k')).toMatch(/^<!-- spec-kitty:sk1-[0-9a-f]{24} -->$/);
  });
  it('round-trips bodies exactly', () => {
    for (const body of ['Hello', 'Multi\n\nline\n', ''])
      expect(stripMarker(withMarker(body, 'k'))).toBe(body === '' ? null : body);
    expect(stripMarker(withMarker(null, 'k'))).toBeNull();
    expect(stripMarker('no marker')).toBe('no marker');
    expect(stripMarker(null)).toBeNull();
    // The escaped form a Markdown round trip may produce is stripped too.
    expect(stripMarker(`Body\n\n\\<!-- spec-kitty:${markerToken('k')} --\\>`)).toBe('Body');
  });
  it('derives a UUID v4-shaped id from the key', () => {
    const id = deterministicIssueId('sync:memory:local:1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicIssueId('sync:memory:local:1')).toBe(id);
    expect(deterministicIssueId('sync:memory:local:2')).not.toBe(id);
  });
});

describe('toCanonical', () => {
  it('follows the original (Untitled, task, single assignee, empty strings → null refs)', () => {
    const issue = toCanonical(
      {
        id: 'u1',
        identifier: '',
        title: '',
        description: '',
        priority: null,
        createdAt: 'not a date',
        updatedAt: '2026-01-02T03:04:05.678Z',
        url: '',
        state: null,
        labels: null,
        assignee: { id: null },
        parent: null,
        relations: null,
        inverseRelations: null,
      },
      'ws',
    );
    expect(issue).toMatchObject({
      ref: { system: 'linear', workspace: 'ws', id: 'u1', key: null, url: null },
      title: 'Untitled',
      body: '',
      status: 'todo',
      issueType: 'task',
      priority: null,
      assignees: [],
      labels: [],
      parent: null,
      createdAt: null,
      links: [],
      customFields: {},
    });
    expect(issue.updatedAt?.toISOString()).toBe('2026-01-02T03:04:05.678Z');
  });
});
