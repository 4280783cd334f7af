import { CanonicalIssueType, CanonicalStatus, refIdentity } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { draftIssue } from './draft-issue';

describe('draftIssue', () => {
  it('builds a valid todo task with a local ref named after its title', () => {
    const issue = draftIssue({ title: 'Crash on start' });
    expect(issue).toMatchObject({
      title: 'Crash on start',
      status: CanonicalStatus.TODO,
      issueType: CanonicalIssueType.TASK,
      body: null,
      labels: [],
    });
    expect(refIdentity(issue.ref)).toBe(refIdentity(draftIssue({ title: 'Crash on start' }).ref));
    expect(issue.ref).toMatchObject({ system: 'local', workspace: 'drafts', id: 'Crash on start' });
  });

  it('takes any field and a plain ref', () => {
    const issue = draftIssue({
      ref: { system: 'acme', workspace: 'demo', id: '7' },
      status: CanonicalStatus.DONE,
      labels: ['bug'],
      priority: 2,
    });
    expect(issue).toMatchObject({
      title: 'Draft issue',
      status: CanonicalStatus.DONE,
      labels: ['bug'],
      priority: 2,
    });
    expect(issue.ref).toMatchObject({ system: 'acme', workspace: 'demo', id: '7' });
  });

  it('validates like createIssue', () => {
    expect(() => draftIssue({ title: '  ' })).toThrow(/title must not be empty/);
    expect(() => draftIssue({ priority: 9 })).toThrow(/priority must be in range/);
  });
});
