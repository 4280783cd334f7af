// projectLinearIssue is how an issue reads back after a write, and with it values Linear cannot
// hold (issue type story, a null priority, two assignees) cost no write on later syncs.
import {
  CanonicalIssueType,
  CanonicalStatus,
  CORE_ISSUE_FIELDS,
  createIssue,
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  OwnershipPolicy,
  SyncEngine,
} from '@spec-kitty/core';
import { syncFieldEqual } from '@spec-kitty/core/internal';
import type { LinearFake } from '@spec-kitty/fake-trackers/linear';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { projectLinearIssue } from './linear-mapping';
import { connectorFor, startFake } from './test-helpers';

let fake: LinearFake | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

function local(id: string, issueType: CanonicalIssueType, priority: number | null) {
  return createIssue({
    ref: createRef({ system: 'linear', workspace: 'linear', id }),
    title: `Local ${id}`,
    body: 'Body',
    status: CanonicalStatus.TODO,
    issueType,
    priority,
    labels: [],
  });
}

describe('projectLinearIssue', () => {
  it('maps what Linear cannot hold to what it reads back', () => {
    const projected = projectLinearIssue({
      ...local('a', CanonicalIssueType.STORY, null),
      assignees: ['u1', 'u2'],
    });
    expect(projected).toMatchObject({ issueType: CanonicalIssueType.TASK, priority: 4, assignees: ['u1'] });
    expect(projectLinearIssue(local('b', CanonicalIssueType.BUG, 0)).priority).toBe(0);
  });

  it('is idempotent', () => {
    for (const priority of [null, 0, 1, 2, 3, 4]) {
      const once = projectLinearIssue(local('c', CanonicalIssueType.EPIC, priority));
      expect(projectLinearIssue(once)).toEqual(once);
    }
  });

  it('equals read(write(x)) on the fake, and syncs a story without echo', async () => {
    fake = await startFake();
    const connector = connectorFor(fake);
    for (const draft of [
      local('d1', CanonicalIssueType.STORY, null),
      local('d2', CanonicalIssueType.CHORE, 1),
    ]) {
      const read = await connector.createIssue(draft, { idempotencyKey: `k-${draft.ref.id}` });
      const projected = projectLinearIssue(draft);
      for (const field of CORE_ISSUE_FIELDS) expect(syncFieldEqual(field, projected, read), field).toBe(true);
    }

    const store = new InMemoryIssueStore();
    const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
    const engine = new SyncEngine({ connector, store, policy });
    const story = local('s', CanonicalIssueType.STORY, null);
    await store.upsertIssue(story);
    expect((await engine.sync()).stats.pushedCreated).toBe(1);
    const create = vi.spyOn(connector, 'createIssue');
    const update = vi.spyOn(connector, 'updateIssue');
    for (let round = 0; round < 3; round++) expect((await engine.sync()).conflicts).toEqual([]);
    expect(create.mock.calls.length + update.mock.calls.length).toBe(0);
    const mine = (await store.listIssues({ system: 'linear' })).find((issue) => issue.title === story.title);
    expect(mine).toMatchObject({ issueType: CanonicalIssueType.STORY, priority: null });
  });
});
