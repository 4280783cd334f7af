// projectBeadsIssue is how an issue reads back after a write: pure, idempotent, and equal to
// read(write(x)) through the connector and the fake bd CLI.
import {
  CanonicalIssueType,
  CanonicalStatus,
  CORE_ISSUE_FIELDS,
  createIssue,
  createRef,
} from '@spec-kitty/core';
import { syncFieldEqual } from '@spec-kitty/core/internal';
import { SubprocessCommandRunner } from '@spec-kitty/core/process';
import { createBeadsWorkspace, createFakeCliBinDir, fakeCliEnv } from '@spec-kitty/fake-trackers/cli';
import { describe, expect, it } from 'vitest';
import { BeadsConnector } from './beads-connector';
import { projectBeadsIssue } from './beads-mapping';

const env = fakeCliEnv(createFakeCliBinDir());

function local(status: CanonicalStatus, issueType: CanonicalIssueType, priority: number | null = 1) {
  return createIssue({
    ref: createRef({ system: 'beads', workspace: 'repo', id: 'draft' }),
    title: `A ${status} ${issueType}`,
    body: '',
    status,
    issueType,
    priority,
    labels: ['x'],
  });
}

describe('projectBeadsIssue', () => {
  it('maps what bd cannot hold to what it reads back', () => {
    expect(
      projectBeadsIssue(local(CanonicalStatus.IN_REVIEW, CanonicalIssueType.SUBTASK, null)),
    ).toMatchObject({
      status: CanonicalStatus.IN_PROGRESS,
      issueType: CanonicalIssueType.TASK,
      priority: 2,
      body: null,
    });
    expect(projectBeadsIssue(local(CanonicalStatus.CANCELED, CanonicalIssueType.STORY, 4))).toMatchObject({
      status: CanonicalStatus.DONE,
      issueType: CanonicalIssueType.STORY,
      priority: 4,
    });
    expect(projectBeadsIssue(local(CanonicalStatus.BLOCKED, CanonicalIssueType.CHORE)).status).toBe(
      CanonicalStatus.BLOCKED,
    );
  });

  it('is idempotent', () => {
    for (const status of Object.values(CanonicalStatus)) {
      for (const issueType of Object.values(CanonicalIssueType)) {
        const once = projectBeadsIssue(local(status, issueType, null));
        expect(projectBeadsIssue(once)).toEqual(once);
      }
    }
  });

  it('equals read(write(x)) through the connector and the fake bd', async () => {
    const ws = createBeadsWorkspace();
    const runner = new SubprocessCommandRunner({ env, timeoutMs: 30_000, provider: 'beads' });
    const connector = new BeadsConnector({ cwd: ws.dir, workspace: 'repo' }, { runner });
    const cases: [CanonicalStatus, CanonicalIssueType, number | null][] = [
      [CanonicalStatus.IN_REVIEW, CanonicalIssueType.SUBTASK, null],
      [CanonicalStatus.BLOCKED, CanonicalIssueType.STORY, 0],
      [CanonicalStatus.TODO, CanonicalIssueType.CHORE, 3],
    ];
    for (const [status, issueType, priority] of cases) {
      const draft = local(status, issueType, priority);
      const read = await connector.createIssue(draft);
      const projected = projectBeadsIssue(draft);
      for (const field of CORE_ISSUE_FIELDS) {
        expect(syncFieldEqual(field, projected, read), `${status} ${issueType} ${field}`).toBe(true);
      }
    }
  });
});
