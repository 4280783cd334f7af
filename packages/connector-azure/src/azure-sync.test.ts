import {
  cloneIssue,
  createConnector,
  FieldOwner,
  InMemoryIssueStore,
  OwnershipPolicy,
  SyncEngine,
} from '@spec-kitty/core';
import { AzureDevOpsFake } from '@spec-kitty/fake-trackers/azure';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it } from 'vitest';
import './index';

let fake: AzureDevOpsFake | null = null;
const track = useFakes();

const PAT = 'ado-sync-pat';
const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

async function world(count: number) {
  fake = await track(
    new AzureDevOpsFake({
      personalAccessToken: PAT,
      startTime: new Date(Date.now() - 3600_000),
    }).start(),
  );
  fake.state.addProject('Web');
  fake.state.addManyWorkItems('Web', count);
  const connector = createConnector('azure_devops', {
    organization: 'fabrikam',
    project: 'Web',
    personalAccessToken: PAT,
    baseUrl: fake.url,
  });
  const store = new InMemoryIssueStore();
  const engine = new SyncEngine({ connector, store, policy: shared });
  return { ado: fake, connector, store, engine };
}

const writes = (ado: AzureDevOpsFake) =>
  ado.callCount('PATCH workitem') + ado.callCount('POST workitem') + ado.callCount('POST comment');

describe('Azure DevOps with the sync engine', () => {
  it('pulls everything, then a second sync writes nothing (no echo)', async () => {
    const { ado, engine, store } = await world(25);
    const first = await engine.sync({ limit: 10 });
    expect(first.failures).toEqual([]);
    expect(first.stats.pulledCreated).toBe(25);
    expect(writes(ado)).toBe(0);
    ado.resetCalls();
    const second = await engine.sync({ limit: 10 });
    expect(second.failures).toEqual([]);
    expect(writes(ado)).toBe(0);
    const local = (await store.listIssues({ system: 'azure_devops' })).find((issue) => issue.ref.id === '3')!;
    await store.upsertIssue(cloneIssue(local, { title: 'Edited locally' }));
    ado.resetCalls();
    const third = await engine.sync({ limit: 10 });
    expect(third.failures).toEqual([]);
    expect(ado.callCount('PATCH workitem')).toBe(1);
    expect(ado.state.workItems.get(3)?.fields['System.Title']).toBe('Edited locally');
    ado.resetCalls();
    await engine.sync({ limit: 10 });
    expect(writes(ado)).toBe(0);
  });

  it('resolves a remote edit seen before the push as a conflict (no overwrite)', async () => {
    const { ado, engine, store } = await world(3);
    await engine.pull({ limit: 10 });
    const local = (await store.listIssues({ system: 'azure_devops' })).find((issue) => issue.ref.id === '2')!;
    await store.upsertIssue(cloneIssue(local, { title: 'Mine' }));
    ado.state.touchWorkItem(2, { 'System.Title': 'Theirs' });
    const result = await engine.push({ limit: 10 });
    expect(ado.state.workItems.get(2)?.fields['System.Title']).toBe('Theirs');
    expect(result.conflicts.map((conflict) => conflict.fieldName)).toEqual(['title']);
    expect(ado.callCount('PATCH workitem')).toBe(0);
  });

  it('turns a remote edit racing the PATCH into a conflict via test /rev, never an overwrite', async () => {
    const { ado, engine, store } = await world(3);
    await engine.pull({ limit: 10 });
    const local = (await store.listIssues({ system: 'azure_devops' })).find((issue) => issue.ref.id === '2')!;
    await store.upsertIssue(cloneIssue(local, { title: 'Mine' }));
    // Someone else saves the work item just before our first PATCH reaches the service.
    let raced = false;
    ado.injectFault({
      endpoint: 'PATCH workitem',
      times: Number.POSITIVE_INFINITY,
      match: () => {
        if (!raced) ado.state.touchWorkItem(2, { 'System.Title': 'Theirs' });
        raced = true;
        return false;
      },
      fault: { kind: 'latency', ms: 0 },
    });
    const result = await engine.push({ limit: 10 });
    ado.clearFaults();
    // The refused write is merged again: both sides changed the title, the newer (theirs) wins.
    expect(result.failures).toEqual([]);
    expect(result.conflicts.map((conflict) => conflict.fieldName)).toEqual(['title']);
    expect(result.conflicts[0]).toMatchObject({
      localValue: 'Mine',
      externalValue: 'Theirs',
      resolvedValue: 'Theirs',
    });
    expect(ado.state.workItems.get(2)?.fields['System.Title']).toBe('Theirs');
    expect((await store.getIssue(local.ref))?.title).toBe('Theirs');
  });

  it('syncs assignees through System.AssignedTo without echo; extra ones become a failure record', async () => {
    const { ado, engine, store } = await world(2);
    ado.state.addIdentity('Alice Smith', 'alice@fabrikam.test');
    ado.state.addIdentity('Bob Jones', 'bob@fabrikam.test');
    ado.state.touchWorkItem(1, { 'System.AssignedTo': { ...ado.state.identities[1] } });
    await engine.sync({ limit: 10 });
    const pulled = (await store.listIssues({ system: 'azure_devops' })).find(
      (issue) => issue.ref.id === '1',
    )!;
    expect(pulled.assignees).toEqual(['alice@fabrikam.test']);

    await store.upsertIssue(cloneIssue(pulled, { assignees: ['bob@fabrikam.test', 'alice@fabrikam.test'] }));
    const other = (await store.listIssues({ system: 'azure_devops' })).find((issue) => issue.ref.id === '2')!;
    await store.upsertIssue(cloneIssue(other, { assignees: ['bob@fabrikam.test', 'alice@fabrikam.test'] }));
    ado.resetCalls();
    const pushed = await engine.sync({ limit: 10 });
    // Item 1 already holds the one Azure keeps (alice): nothing to write. Item 2 gets alice,
    // and bob is reported, never silently dropped.
    expect(ado.callCount('PATCH workitem')).toBe(1);
    expect(ado.state.workItems.get(2)?.fields['System.AssignedTo']).toMatchObject({
      uniqueName: 'alice@fabrikam.test',
    });
    expect(pushed.errors).toEqual([
      "patch_field_denied[azure_devops:fabrikam/Web:2]: assignees truncated: azure_devops holds one assignee; wrote 'alice@fabrikam.test', not 'bob@fabrikam.test'",
    ]);
    ado.resetCalls();
    const again = await engine.sync({ limit: 10 });
    expect(again.failures).toEqual([]);
    expect(writes(ado)).toBe(0);
    expect((await store.getIssue(other.ref))?.assignees).toEqual([
      'bob@fabrikam.test',
      'alice@fabrikam.test',
    ]);

    // A remote reassignment arrives, then a local unassign is written as a reset.
    ado.state.touchWorkItem(1, { 'System.AssignedTo': { ...ado.state.identities[2] } });
    await engine.sync({ limit: 10 });
    const reassigned = (await store.getIssue(pulled.ref))!;
    expect(reassigned.assignees).toEqual(['bob@fabrikam.test']);
    await store.upsertIssue(cloneIssue(reassigned, { assignees: [] }));
    const unassigned = await engine.sync({ limit: 10 });
    expect(unassigned.failures).toEqual([]);
    expect(ado.state.workItems.get(1)?.fields['System.AssignedTo']).toBeUndefined();
  });
});
