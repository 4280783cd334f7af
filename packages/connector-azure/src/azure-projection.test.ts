// projectAzureIssue is how an issue reads back after a write (with and without statusMap), and
// with it a value ADO cannot hold (blocked with the default states) costs no write on later syncs.
import {
  CanonicalIssueType,
  CanonicalStatus,
  CORE_ISSUE_FIELDS,
  createConnector,
  createIssue,
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  OwnershipPolicy,
  SyncEngine,
} from '@spec-kitty/core';
import { syncFieldEqual } from '@spec-kitty/core/internal';
import { AzureDevOpsFake } from '@spec-kitty/fake-trackers/azure';
import { afterEach, describe, expect, it } from 'vitest';
import type { AzureDevOpsConnector } from './azure-connector';
import { projectAzureIssue } from './azure-mapping';
import './index';

let fake: AzureDevOpsFake | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const PAT = 'ado-pat-projection';

function local(status: CanonicalStatus, issueType: CanonicalIssueType, priority: number | null = 2) {
  return createIssue({
    ref: createRef({ system: 'azure_devops', workspace: 'fabrikam/Web', id: `draft-${status}-${issueType}` }),
    title: `A ${status} ${issueType}`,
    status,
    issueType,
    priority,
    labels: ['one', 'two'],
  });
}

describe('projectAzureIssue', () => {
  it('maps what ADO cannot hold to what it reads back, honouring statusMap', () => {
    expect(projectAzureIssue(local(CanonicalStatus.BLOCKED, CanonicalIssueType.CHORE, 0))).toMatchObject({
      status: CanonicalStatus.IN_PROGRESS,
      issueType: CanonicalIssueType.TASK,
      priority: 1,
    });
    expect(
      projectAzureIssue(local(CanonicalStatus.BLOCKED, CanonicalIssueType.STORY), { blocked: 'On Hold' })
        .status,
    ).toBe(CanonicalStatus.BLOCKED);
    expect(projectAzureIssue(local(CanonicalStatus.IN_REVIEW, CanonicalIssueType.BUG)).status).toBe(
      CanonicalStatus.IN_REVIEW,
    );
  });

  it('projects no priority as the default ADO assigns on create', () => {
    expect(projectAzureIssue(local(CanonicalStatus.TODO, CanonicalIssueType.BUG, null)).priority).toBe(2);
  });

  it('is idempotent', () => {
    for (const status of Object.values(CanonicalStatus)) {
      for (const issueType of Object.values(CanonicalIssueType)) {
        const once = projectAzureIssue(local(status, issueType, 0));
        expect(projectAzureIssue(once)).toEqual(once);
      }
    }
  });

  it('equals read(write(x)) on the fake, and syncs blocked without echo', async () => {
    fake = await new AzureDevOpsFake({ personalAccessToken: PAT }).start();
    fake.state.addProject('Web');
    const ado = fake;
    const connector = createConnector('azure_devops', {
      organization: 'fabrikam',
      project: 'Web',
      personalAccessToken: PAT,
      baseUrl: ado.url,
    }) as AzureDevOpsConnector;
    for (const draft of [
      local(CanonicalStatus.IN_PROGRESS, CanonicalIssueType.CHORE, 0),
      local(CanonicalStatus.TODO, CanonicalIssueType.STORY, 3),
      local(CanonicalStatus.IN_REVIEW, CanonicalIssueType.BUG, null),
    ]) {
      const read = await connector.createIssue(draft);
      const projected = projectAzureIssue(draft);
      for (const field of CORE_ISSUE_FIELDS) {
        expect(syncFieldEqual(field, projected, read), field).toBe(true);
      }
    }

    const store = new InMemoryIssueStore();
    const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
    const engine = new SyncEngine({ connector, store, policy });
    const blocked = local(CanonicalStatus.BLOCKED, CanonicalIssueType.STORY);
    await store.upsertIssue(blocked);
    expect((await engine.sync()).stats.pushedCreated).toBe(1);
    ado.resetCalls();
    for (let round = 0; round < 3; round++) expect((await engine.sync()).conflicts).toEqual([]);
    expect(ado.callCount('PATCH workitem') + ado.callCount('POST workitem')).toBe(0);
    const mine = (await store.listIssues({ system: 'azure_devops' })).find(
      (issue) => issue.title === blocked.title,
    );
    expect(mine?.status).toBe(CanonicalStatus.BLOCKED);
  });
});
