// projectFpIssue is how an issue reads back after a write, and with it values fp cannot hold
// (in_review, priority 0, labels, a body) cost no fp write on later syncs.
import {
  CanonicalIssueType,
  CanonicalStatus,
  createIssue,
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  OwnershipPolicy,
  SyncEngine,
} from '@spec-kitty/core';
import { SubprocessCommandRunner } from '@spec-kitty/core/process';
import { createFakeCliBinDir, createFpWorkspace, fakeCliEnv } from '@spec-kitty/fake-trackers/cli';
import { describe, expect, it } from 'vitest';
import { FPConnector } from './fp-connector';
import { projectFpIssue } from './fp-mapping';

const env = fakeCliEnv(createFakeCliBinDir());

function local(status: CanonicalStatus, priority: number | null) {
  return createIssue({
    ref: createRef({ system: 'fp', workspace: 'repo', id: 'draft' }),
    title: `A ${status} issue`,
    body: 'Details',
    status,
    issueType: CanonicalIssueType.STORY,
    priority,
    labels: ['x'],
  });
}

describe('projectFpIssue', () => {
  it('maps what fp cannot hold to what it reads back', () => {
    expect(projectFpIssue(local(CanonicalStatus.IN_REVIEW, 0), CanonicalIssueType.TASK)).toMatchObject({
      status: CanonicalStatus.IN_PROGRESS,
      priority: 1,
      issueType: CanonicalIssueType.TASK,
      body: null,
      labels: [],
    });
    expect(projectFpIssue(local(CanonicalStatus.CANCELED, 4), CanonicalIssueType.TASK)).toMatchObject({
      status: CanonicalStatus.DONE,
      priority: 3,
    });
  });

  it('is idempotent', () => {
    for (const status of Object.values(CanonicalStatus)) {
      for (const priority of [null, 0, 1, 2, 3, 4]) {
        const once = projectFpIssue(local(status, priority), CanonicalIssueType.CHORE);
        expect(projectFpIssue(once, CanonicalIssueType.CHORE)).toEqual(once);
      }
    }
  });

  it('syncs an in_review issue once, then makes no fp writes and keeps the local values', async () => {
    const ws = createFpWorkspace();
    const runner = new SubprocessCommandRunner({ env, timeoutMs: 30_000, provider: 'fp' });
    const connector = new FPConnector({ cwd: ws.dir, workspace: 'repo' }, { runner });
    const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
    const store = new InMemoryIssueStore();
    const engine = new SyncEngine({ connector, store, policy });
    const draft = local(CanonicalStatus.IN_REVIEW, 0);
    await store.upsertIssue(draft);
    const first = await engine.sync();
    expect(first.failures).toEqual([]);
    expect(first.stats.pushedCreated).toBe(1);
    const [created] = await store.listIssues({ system: 'fp' });
    expect(projectFpIssue(draft, CanonicalIssueType.TASK).status).toBe(
      (await connector.getIssue(created?.ref ?? draft.ref)).status,
    );
    ws.clearCalls();
    for (let round = 0; round < 3; round++) {
      const result = await engine.sync();
      expect(result.conflicts).toEqual([]);
      expect(result.failures).toEqual([]);
    }
    const writes = ws.calls().filter((call) => !['list', 'show'].includes(call.argv[1] ?? ''));
    expect(writes).toEqual([]);
    expect(await store.getIssue(created?.ref ?? draft.ref)).toMatchObject({
      status: CanonicalStatus.IN_REVIEW,
      priority: 0,
      labels: ['x'],
      issueType: CanonicalIssueType.STORY,
    });
  });
});
