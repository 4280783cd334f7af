// projectJiraIssue is how an issue reads back after a write, and with it a value Jira cannot hold
// (issue type chore, created as the default type Task) costs no write on later syncs.
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
import { JiraFake } from '@spec-kitty/fake-trackers/jira';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it, vi } from 'vitest';
import { JiraConnector } from './jira-connector';
import { projectJiraIssue } from './jira-mapping';
import './index';

const EMAIL = 'dev@example.com';
const TOKEN = 'secret-api-token-123';
const context = { statusNameMap: {}, defaultIssueType: 'Task' };

const track = useFakes();
let fake: JiraFake | null = null;

function local(
  id: string,
  issueType: CanonicalIssueType,
  init: Partial<Parameters<typeof createIssue>[0]> = {},
) {
  return createIssue({
    ref: createRef({ system: 'jira', workspace: 'repo', id }),
    title: `Local ${id}`,
    body: 'Some **bold** text',
    status: CanonicalStatus.TODO,
    issueType,
    priority: 1,
    ...init,
  });
}

describe('projectJiraIssue', () => {
  it('maps what Jira cannot hold to what it reads back', () => {
    const projected = projectJiraIssue(
      local('a', CanonicalIssueType.CHORE, {
        body: '   ',
        assignees: ['u1', 'u2'],
        labels: ['x', 'spec-kitty-create-abc'],
        customFields: { other: 1, spec_kitty_mission: { id: 'm' } },
      }),
      context,
    );
    expect(projected).toMatchObject({
      issueType: CanonicalIssueType.TASK,
      body: null,
      assignees: ['u1'],
      labels: ['x'],
      customFields: { spec_kitty_mission: { id: 'm' } },
    });
    expect(
      projectJiraIssue(local('b', CanonicalIssueType.CHORE), { ...context, defaultIssueType: 'Chore' })
        .issueType,
    ).toBe(CanonicalIssueType.CHORE);
    expect(
      projectJiraIssue(local('c', CanonicalIssueType.STORY, { status: CanonicalStatus.IN_REVIEW }), context)
        .status,
    ).toBe(CanonicalStatus.IN_REVIEW);
  });

  it('is idempotent', () => {
    for (const issueType of Object.values(CanonicalIssueType)) {
      for (const status of Object.values(CanonicalStatus)) {
        const once = projectJiraIssue(
          local('d', issueType, { status, body: '# Title\n\n- a\n- b\n\n`code`' }),
          context,
        );
        expect(projectJiraIssue(once, context)).toEqual(once);
      }
    }
  });

  it('equals read(write(x)) on the fake, and syncs a chore without echo', async () => {
    fake = await track(new JiraFake({ email: EMAIL, apiToken: TOKEN }).start());
    const jira = new JiraConnector({
      baseUrl: fake.url,
      email: EMAIL,
      apiToken: TOKEN,
      projectKey: 'PROJ',
      defaultIssueType: 'Task',
      statusNameMap: {},
      specKittyMissionFieldId: null,
      specKittyMissionFieldName: null,
    });
    for (const draft of [
      local('e1', CanonicalIssueType.CHORE),
      local('e2', CanonicalIssueType.BUG, { priority: 3 }),
    ]) {
      const read = await jira.createIssue(draft);
      const projected = projectJiraIssue(draft, context);
      for (const field of CORE_ISSUE_FIELDS) expect(syncFieldEqual(field, projected, read), field).toBe(true);
    }

    const store = new InMemoryIssueStore();
    const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
    const engine = new SyncEngine({ connector: jira, store, policy });
    const chore = local('chore', CanonicalIssueType.CHORE);
    await store.upsertIssue(chore);
    expect((await engine.sync()).stats.pushedCreated).toBe(1);
    const writes = [
      vi.spyOn(jira, 'createIssue'),
      vi.spyOn(jira, 'updateIssue'),
      vi.spyOn(jira, 'transitionIssue'),
    ];
    for (let round = 0; round < 3; round++) expect((await engine.sync()).conflicts).toEqual([]);
    expect(writes.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBe(0);
    const mine = (await store.listIssues({ system: 'jira' })).find((issue) => issue.title === chore.title);
    expect(mine?.issueType).toBe(CanonicalIssueType.CHORE);
  });
});
