import { describe, expect, it } from 'vitest';
import { ModelValidationError } from '../errors/errors';
import { CanonicalIssueType, CanonicalStatus, LinkType, TrackerEventType } from './enums';
import { createRef, refIdentity, refsEqual } from './external-ref';
import {
  type CanonicalIssue,
  CORE_ISSUE_FIELDS,
  cloneIssue,
  createIssue,
  issueContentEqual,
  issuesEqual,
} from './issue';
import { issueFromJSON, issueToJSON } from './issue-json';
import { createLink } from './link';
import { createCheckpoint } from './page';

const ref = createRef({ system: 'jira', workspace: 'https://test.atlassian.net', id: '10001' });

function issue(overrides: Partial<Parameters<typeof createIssue>[0]> = {}) {
  return createIssue({
    ref,
    title: 'T',
    body: null,
    status: CanonicalStatus.TODO,
    issueType: CanonicalIssueType.TASK,
    ...overrides,
  });
}

describe('enums', () => {
  it('keep the original string values', () => {
    expect(Object.values(CanonicalStatus)).toEqual([
      'todo',
      'in_progress',
      'in_review',
      'blocked',
      'done',
      'canceled',
    ]);
    expect(Object.values(CanonicalIssueType)).toEqual(['epic', 'story', 'task', 'bug', 'chore', 'subtask']);
    expect(Object.values(LinkType)).toEqual([
      'blocks',
      'blocked_by',
      'relates_to',
      'duplicates',
      'parent_of',
      'child_of',
    ]);
    expect(Object.values(TrackerEventType)).toEqual([
      'created',
      'updated',
      'transitioned',
      'comment_added',
      'link_upserted',
      'deleted',
    ]);
  });
});

describe('ExternalRef', () => {
  it('validates system, workspace, id in that order with the original messages', () => {
    expect(() => createRef({ system: ' ', workspace: '', id: '' })).toThrow(
      'ExternalRef.system must not be empty',
    );
    expect(() => createRef({ system: 's', workspace: '\t', id: '' })).toThrow(
      'ExternalRef.workspace must not be empty',
    );
    expect(() => createRef({ system: 's', workspace: 'w', id: '\u3000' })).toThrow(
      'ExternalRef.id must not be empty',
    );
    expect(() => createRef({ system: 's', workspace: 'w', id: '\x1c' })).toThrow(ModelValidationError);
  });

  it('stores values unstripped, defaults key/url to null and is frozen', () => {
    const value = createRef({ system: ' s ', workspace: 'w', id: 'i' });
    expect(value.system).toBe(' s ');
    expect(value.key).toBeNull();
    expect(value.url).toBeNull();
    expect(Object.isFrozen(value)).toBe(true);
  });

  it('has the raw identity and compares all five fields', () => {
    expect(refIdentity(ref)).toBe('jira:https://test.atlassian.net:10001');
    const withKey = createRef({ ...ref, key: 'SP-1' });
    expect(refIdentity(withKey)).toBe(refIdentity(ref));
    expect(refsEqual(withKey, ref)).toBe(false);
    expect(refsEqual(createRef({ ...ref }), ref)).toBe(true);
  });
});

describe('CanonicalIssue', () => {
  it('rejects blank titles and out-of-range priorities with the original messages', () => {
    expect(() => issue({ title: '  ' })).toThrow('CanonicalIssue.title must not be empty');
    expect(() => issue({ priority: 5 })).toThrow('CanonicalIssue.priority must be in range 0..4');
    expect(() => issue({ priority: -1 })).toThrow('CanonicalIssue.priority must be in range 0..4');
    expect(() => issue({ priority: 1.5 })).toThrow('CanonicalIssue.priority must be in range 0..4');
    expect(issue({ priority: 0 }).priority).toBe(0);
    expect(issue({ priority: 4 }).priority).toBe(4);
  });

  it('rejects values outside the enums, naming the field', () => {
    expect(() => issue({ status: 'closed' as never })).toThrow(
      'CanonicalIssue.status is not a CanonicalStatus: closed',
    );
    expect(() => issue({ issueType: 'feature' as never })).toThrow(/issueType/);
  });

  it('fills defaults with empty, frozen collections', () => {
    const first = issue();
    expect(first.assignees).toEqual([]);
    expect(first.customFields).toEqual({});
    expect(Object.isFrozen(first.assignees) && Object.isFrozen(first.customFields)).toBe(true);
    expect(first.priority).toBeNull();
    expect(first.raw).toBeNull();
  });

  it('builds deeply frozen issues, so they can be shared instead of copied', () => {
    const created = issue({
      labels: ['a'],
      customFields: { nested: { list: [1, { deep: true }] } },
      raw: { user: { login: 'ada' }, tags: ['x'] },
      links: [{ type: LinkType.BLOCKS, target: createRef({ system: 's', workspace: 'w', id: '2' }) }],
    });
    expect(Object.isFrozen(created)).toBe(true);
    expect(Object.isFrozen(created.labels)).toBe(true);
    expect(Object.isFrozen(created.links) && Object.isFrozen(created.links[0])).toBe(true);
    const nested = (created.customFields.nested as { list: [number, { deep: boolean }] }).list;
    expect(Object.isFrozen(nested) && Object.isFrozen(nested[1])).toBe(true);
    const raw = created.raw as { user: { login: string }; tags: string[] };
    expect(Object.isFrozen(raw.user) && Object.isFrozen(raw.tags)).toBe(true);
    expect(() => {
      (created.labels as string[]).push('b');
    }).toThrow(TypeError);
    expect(() => {
      raw.user.login = 'eve';
    }).toThrow(TypeError);
    // The freeze markers are invisible to JSON and key listings.
    expect(JSON.stringify(created.raw)).toBe('{"user":{"login":"ada"},"tags":["x"]}');
    expect(Object.keys(created)).toHaveLength(14);
  });

  it('copies inputs so later mutation of the caller objects cannot leak in', () => {
    const labels = ['a'];
    const customFields = { nested: { n: 1 } };
    const created = issue({ labels, customFields });
    labels.push('b');
    customFields.nested.n = 2;
    expect(created.labels).toEqual(['a']);
    expect(created.customFields).toEqual({ nested: { n: 1 } });
  });

  it('clones with optional changes; without changes a built issue is itself, and unchanged parts are shared', () => {
    const original = issue({ labels: ['x'], raw: { a: { b: 1 } } });
    expect(cloneIssue(original)).toBe(original);
    expect(createIssue(original)).toBe(original);
    const changed = cloneIssue(original, { title: 'U' });
    expect(changed.title).toBe('U');
    expect(changed.labels).toBe(original.labels);
    expect(changed.raw).toBe(original.raw);
    expect(changed.ref).toBe(original.ref);
    expect(() => cloneIssue(original, { title: '' })).toThrow('CanonicalIssue.title must not be empty');
    // A look-alike that createIssue did not build is validated into a new issue.
    const lookalike = { ...original, labels: ['x', 3] } as unknown as CanonicalIssue;
    expect(() => cloneIssue(lookalike)).toThrow('CanonicalIssue.labels[1] must be a string, got number');
    const copy = cloneIssue({ ...original });
    expect(copy).not.toBe(original);
    expect(issuesEqual(copy, original)).toBe(true);
  });

  it('compares all 14 fields: updatedAt and raw differences make issues unequal', () => {
    const base = issue({ updatedAt: new Date('2026-01-01T00:00:00Z'), raw: { a: 1 } });
    expect(issuesEqual(base, cloneIssue(base, { updatedAt: new Date('2026-01-01T00:00:01Z') }))).toBe(false);
    expect(issuesEqual(base, cloneIssue(base, { raw: { a: 2 } }))).toBe(false);
    expect(issuesEqual(base, cloneIssue(base, { raw: { a: 1 } }))).toBe(true);
    expect(issueContentEqual(base, cloneIssue(base, { raw: { a: 2 } }))).toBe(true);
  });

  it('compares custom fields regardless of key order, lists in order', () => {
    const left = issue({ customFields: { a: 1, b: [1, 2] } });
    expect(issuesEqual(left, issue({ customFields: { b: [1, 2], a: 1 } }))).toBe(true);
    expect(issuesEqual(left, issue({ customFields: { a: 1, b: [2, 1] } }))).toBe(false);
  });

  it('keeps the core field order of the original', () => {
    expect(CORE_ISSUE_FIELDS).toEqual([
      'title',
      'body',
      'status',
      'issueType',
      'priority',
      'assignees',
      'labels',
      'parent',
      'links',
      'customFields',
    ]);
  });
});

describe('issue JSON wire format', () => {
  const full = issue({
    body: 'Body',
    status: CanonicalStatus.IN_REVIEW,
    issueType: CanonicalIssueType.BUG,
    priority: 2,
    assignees: ['u1'],
    labels: ['l1', 'l2'],
    parent: createRef({ system: 'jira', workspace: 'w', id: 'P', key: 'SP-0', url: 'https://x/SP-0' }),
    links: [
      createLink({
        type: LinkType.BLOCKED_BY,
        target: createRef({ system: 'jira', workspace: 'w', id: 'B' }),
      }),
    ],
    customFields: { spec_kitty_mission: { mission_id: 'm', decision_refs: [] } },
    createdAt: new Date('2026-03-01T10:00:00.123Z'),
    updatedAt: new Date('2026-03-02T10:00:00.456Z'),
    raw: { fields: { summary: 'T' } },
  });

  it('uses the original snake_case keys', () => {
    const json = issueToJSON(full);
    expect(Object.keys(json)).toEqual([
      'ref',
      'title',
      'body',
      'status',
      'issue_type',
      'priority',
      'assignees',
      'labels',
      'parent',
      'links',
      'custom_fields',
      'created_at',
      'updated_at',
      'raw',
    ]);
    expect(json.issue_type).toBe('bug');
    expect(json.links).toEqual([
      { type: 'blocked_by', target: { system: 'jira', workspace: 'w', id: 'B', key: null, url: null } },
    ]);
    expect(json.created_at).toBe('2026-03-01T10:00:00.123Z');
  });

  it('round-trips through JSON text', () => {
    const parsed = issueFromJSON(JSON.parse(JSON.stringify(issueToJSON(full))));
    expect(issuesEqual(parsed, full)).toBe(true);
  });

  it('reads Python isoformat timestamps with microseconds and +00:00', () => {
    const parsed = issueFromJSON({ ...issueToJSON(full), updated_at: '2026-11-23T21:49:44.458846+00:00' });
    expect(parsed.updatedAt?.toISOString()).toBe('2026-11-23T21:49:44.458Z');
  });

  it('names the exact path of a malformed value', () => {
    expect(() => issueFromJSON({ ...issueToJSON(full), labels: ['ok', 3] })).toThrow(
      'Invalid issue JSON at labels[1]: expected a string, got number',
    );
    expect(() =>
      issueFromJSON({ ...issueToJSON(full), links: [{ type: 'blocks', target: { system: 'x' } }] }),
    ).toThrow('Invalid issue JSON at links[0].target.workspace: expected a string, got undefined');
    expect(() => issueFromJSON({ ...issueToJSON(full), updated_at: 'yesterday' })).toThrow(/updated_at/);
    expect(() => issueFromJSON([])).toThrow('Invalid issue JSON at <root>: expected an object, got an array');
  });
});

describe('SyncCheckpoint', () => {
  it('defaults both fields to null', () => {
    expect(createCheckpoint()).toEqual({ cursor: null, updatedSince: null });
  });
});

describe('issueFromJSON adopt option', () => {
  it('freezes and keeps the given raw and custom fields instead of copying them', () => {
    const json = JSON.parse(
      JSON.stringify(
        issueToJSON(
          createIssue({
            ref,
            title: 'T',
            status: CanonicalStatus.TODO,
            issueType: CanonicalIssueType.TASK,
            customFields: { points: [1, 2] },
            raw: { user: { login: 'ada' } },
          }),
        ),
      ),
    );
    const adopted = issueFromJSON(json, { adopt: true });
    expect(adopted.raw).toBe(json.raw);
    expect(adopted.customFields).toBe(json.custom_fields);
    expect(Object.isFrozen(json.raw.user)).toBe(true);
    const copied = issueFromJSON(JSON.parse(JSON.stringify(json)));
    expect(copied.raw).toEqual(json.raw);
    expect(issuesEqual(adopted, copied)).toBe(true);
  });
});
