// projectGitLabIssue is how an issue reads back after a write (with and without statusLabels),
// and with it a status GitLab cannot hold costs no write on later syncs.
import {
  CanonicalIssueType,
  CanonicalStatus,
  createConnector,
  createIssue,
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  OwnershipPolicy,
  SyncEngine,
} from '@spec-kitty/core';
import { GitLabFake } from '@spec-kitty/fake-trackers/gitlab';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it } from 'vitest';
import { projectGitLabIssue } from './gitlab-mapping';
import './index';

const track = useFakes();

const TOKEN = 'glpat-projection';
const labels = { in_progress: 'workflow::doing', canceled: 'workflow::dropped' };

function local(status: CanonicalStatus, extraLabels: string[] = []) {
  return createIssue({
    ref: createRef({ system: 'gitlab', workspace: '42', id: 'draft' }),
    title: `A ${status} issue`,
    body: '',
    status,
    issueType: CanonicalIssueType.STORY,
    priority: 3,
    labels: extraLabels,
  });
}

describe('projectGitLabIssue', () => {
  it('without statusLabels: open statuses read back todo, canceled done', () => {
    expect(projectGitLabIssue(local(CanonicalStatus.IN_REVIEW))).toMatchObject({
      status: CanonicalStatus.TODO,
      issueType: CanonicalIssueType.TASK,
      priority: null,
      body: null,
    });
    expect(projectGitLabIssue(local(CanonicalStatus.CANCELED)).status).toBe(CanonicalStatus.DONE);
    expect(projectGitLabIssue(local(CanonicalStatus.TODO, ['Bug'])).issueType).toBe(CanonicalIssueType.BUG);
  });

  it('with statusLabels: configured statuses survive, the labels stay hidden', () => {
    expect(projectGitLabIssue(local(CanonicalStatus.IN_PROGRESS), labels).status).toBe(
      CanonicalStatus.IN_PROGRESS,
    );
    expect(projectGitLabIssue(local(CanonicalStatus.CANCELED), labels).status).toBe(CanonicalStatus.CANCELED);
    expect(projectGitLabIssue(local(CanonicalStatus.BLOCKED), labels).status).toBe(CanonicalStatus.TODO);
    expect(projectGitLabIssue(local(CanonicalStatus.TODO, ['workflow::doing', 'x']), labels)).toMatchObject({
      status: CanonicalStatus.TODO,
      labels: ['x'],
    });
  });

  it('is idempotent', () => {
    for (const config of [{}, labels]) {
      for (const status of Object.values(CanonicalStatus)) {
        const once = projectGitLabIssue(local(status, ['bug', 'workflow::doing']), config);
        expect(projectGitLabIssue(once, config)).toEqual(once);
      }
    }
  });

  it('equals read(write(x)) on the fake, and syncs in_review without echo', async () => {
    const gl = await track(
      new GitLabFake({ token: TOKEN, startTime: new Date(Date.now() - 3600_000) }).start(),
    );
    gl.state.addProject({ id: 42, path: 'web' });
    const connector = createConnector('gitlab', { projectId: '42', token: TOKEN, baseUrl: gl.apiUrl });
    const draft = local(CanonicalStatus.IN_REVIEW, ['bug']);
    const read = await connector.createIssue(draft);
    const projected = projectGitLabIssue(draft);
    for (const field of ['title', 'body', 'status', 'issueType', 'priority', 'labels', 'parent'] as const) {
      expect(read[field], field).toEqual(projected[field]);
    }

    const store = new InMemoryIssueStore();
    const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
    const engine = new SyncEngine({ connector, store, policy });
    await store.upsertIssue(local(CanonicalStatus.IN_REVIEW));
    await engine.sync();
    gl.resetCalls();
    for (let round = 0; round < 3; round++) expect((await engine.sync()).conflicts).toEqual([]);
    expect(gl.callCount('PUT /projects/{id}/issues/{iid}') + gl.callCount('POST /projects/{id}/issues')).toBe(
      0,
    );
    const mine = (await store.listIssues({ system: 'gitlab' })).find(
      (issue) => issue.title === draft.title && issue.labels.length === 0,
    );
    expect(mine?.status).toBe(CanonicalStatus.IN_REVIEW);
  });
});
