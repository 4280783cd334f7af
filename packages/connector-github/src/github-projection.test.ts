// projectGitHubIssue is how an issue reads back after a write: pure, idempotent, and equal to
// read(write(x)) through the connector's own mapping and the GitHub fake.
import {
  type CanonicalIssue,
  CanonicalIssueType,
  CanonicalStatus,
  CORE_ISSUE_FIELDS,
  createIssue,
  createRef,
} from '@spec-kitty/core';
import { syncFieldEqual } from '@spec-kitty/core/internal';
import { afterEach, describe, expect, it } from 'vitest';
import { projectGitHubIssue } from './github-mapping';
import { type GitHubTestEnv, startGitHubEnv } from './testing/github-test-env';

let env: GitHubTestEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

function local(status: CanonicalStatus, init: { labels?: string[]; issueType?: CanonicalIssueType } = {}) {
  return createIssue({
    ref: createRef({ system: 'github', workspace: 'octocat/hello-world', id: 'draft' }),
    title: `A ${status} issue`,
    body: 'Body',
    status,
    issueType: init.issueType ?? CanonicalIssueType.STORY,
    priority: 1,
    labels: init.labels ?? [],
  });
}

const contentOf = (issue: CanonicalIssue) =>
  Object.fromEntries(CORE_ISSUE_FIELDS.map((field) => [field, issue[field]]));

describe('projectGitHubIssue', () => {
  it('maps what GitHub cannot hold to what it reads back', () => {
    expect(projectGitHubIssue(local(CanonicalStatus.IN_PROGRESS))).toMatchObject({
      status: CanonicalStatus.TODO,
      issueType: CanonicalIssueType.TASK,
      priority: null,
    });
    expect(projectGitHubIssue(local(CanonicalStatus.CANCELED)).status).toBe(CanonicalStatus.CANCELED);
    expect(projectGitHubIssue(local(CanonicalStatus.DONE)).status).toBe(CanonicalStatus.DONE);
    expect(projectGitHubIssue(local(CanonicalStatus.TODO, { labels: ['Bug'] })).issueType).toBe(
      CanonicalIssueType.BUG,
    );
  });

  it('is idempotent', () => {
    for (const status of Object.values(CanonicalStatus)) {
      const once = projectGitHubIssue(local(status, { labels: ['bug', 'x'] }));
      expect(projectGitHubIssue(once)).toEqual(once);
    }
  });

  it('equals read(write(x)) through the connector and the fake', async () => {
    env = await startGitHubEnv();
    for (const status of Object.values(CanonicalStatus)) {
      for (const labels of [[], ['bug']]) {
        const draft = local(status, { labels });
        const created = await env.connector.createIssue(draft);
        // A create opens the issue; the status then goes through the same write path as a sync.
        const written = await env.connector.updateIssue(created.ref, { status });
        const read = await env.connector.getIssue(written.ref);
        const projected = projectGitHubIssue(draft);
        for (const field of CORE_ISSUE_FIELDS) {
          if (field === 'body') continue; // the create marker is stripped on read
          expect(syncFieldEqual(field, projected, read), `${status} ${labels.join()} ${field}`).toBe(true);
        }
        expect(contentOf(read).status).toBe(projected.status);
      }
    }
  });
});
