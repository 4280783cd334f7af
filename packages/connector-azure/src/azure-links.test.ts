// Links are read back from work item relations in the listing's `workitemsbatch` itself
// (`$expand: relations`) and round-trip through sync without echo writes.
import {
  createConnector,
  createLink,
  createRef,
  InMemoryIssueStore,
  LinkType,
  SyncEngine,
} from '@spec-kitty/core';
import { AzureDevOpsFake } from '@spec-kitty/fake-trackers/azure';
import {
  addLocalLinks,
  expectQuietSyncs,
  linkPairs,
  sharedOwnership,
  storedIssue,
  useFakes,
} from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it } from 'vitest';
import './index';

let fake: AzureDevOpsFake | null = null;
const track = useFakes();

const PAT = 'ado-links-pat';
const ref = (id: number) => createRef({ system: 'azure_devops', workspace: 'fabrikam/Web', id: String(id) });
const writes = (ado: AzureDevOpsFake) => ado.callCount('PATCH workitem') + ado.callCount('POST workitem');

/** Relates work items directly in the fake, both ends, as the service does. */
function relate(ado: AzureDevOpsFake, from: number, rel: string, to: number, reverse: string) {
  const url = (id: number) => `${ado.organizationUrl}/_apis/wit/workItems/${id}`;
  ado.state.workItems.get(from)?.relations.push({ rel, url: url(to), attributes: { isLocked: false } });
  ado.state.workItems
    .get(to)
    ?.relations.push({ rel: reverse, url: url(from), attributes: { isLocked: false } });
}

async function world() {
  fake = await track(
    new AzureDevOpsFake({
      personalAccessToken: PAT,
      startTime: new Date(Date.now() - 3600_000),
    }).start(),
  );
  fake.state.addProject('Web');
  for (const title of ['Epic', 'Child', 'Blocked', 'Other'])
    fake.state.addWorkItem('Web', title === 'Epic' ? 'Epic' : 'Task', { 'System.Title': title });
  // Added out of canonical order: the read sorts by type, then id.
  relate(fake, 2, 'System.LinkTypes.Related', 4, 'System.LinkTypes.Related');
  relate(fake, 2, 'System.LinkTypes.Dependency-Forward', 3, 'System.LinkTypes.Dependency-Reverse');
  relate(fake, 2, 'System.LinkTypes.Hierarchy-Reverse', 1, 'System.LinkTypes.Hierarchy-Forward');
  const connector = createConnector('azure_devops', {
    organization: 'fabrikam',
    project: 'Web',
    personalAccessToken: PAT,
    baseUrl: fake.url,
  });
  const store = new InMemoryIssueStore();
  const policy = sharedOwnership();
  return { ado: fake, connector, store, engine: new SyncEngine({ connector, store, policy }) };
}

describe('Azure DevOps links read back', () => {
  it('fills parent and links from relations in the listing batch, with no extra request', async () => {
    const { ado, connector } = await world();
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 50 });
    const byId = new Map(page.items.map((issue) => [issue.ref.id, issue]));
    expect(linkPairs(byId.get('2')!)).toEqual([
      ['blocks', '3'],
      ['relates_to', '4'],
    ]);
    expect(byId.get('2')?.parent?.id).toBe('1');
    expect(linkPairs(byId.get('1')!)).toEqual([['parent_of', '2']]);
    expect(linkPairs(byId.get('3')!)).toEqual([['blocked_by', '2']]);
    expect(linkPairs(byId.get('4')!)).toEqual([['relates_to', '2']]);
    expect(ado.callsByEndpoint()).toEqual({ 'POST wiql': 1, 'POST workitemsbatch': 1 });
  });

  it('round-trips links through sync: a pull then syncs write nothing; a local link is added once', async () => {
    const { ado, engine, store } = await world();
    await engine.pull({ limit: 10 });
    ado.resetCalls();
    await expectQuietSyncs(engine, () => writes(ado));
    expect(ado.callCount('GET workitem')).toBe(0);

    // A link authored locally (its target ref without the service's URL) is added in one PATCH.
    const local = await storedIssue(store, 'azure_devops', (issue) => issue.ref.id === '4');
    await addLocalLinks(store, local, [createLink({ type: LinkType.BLOCKS, target: ref(1) })]);
    ado.resetCalls();
    expect((await engine.sync({ limit: 10 })).failures).toEqual([]);
    expect(ado.callCount('PATCH workitem')).toBe(1);
    expect(ado.state.workItems.get(4)?.relations.map((relation) => relation.rel)).toContain(
      'System.LinkTypes.Dependency-Forward',
    );
    expect(ado.state.workItems.get(1)?.relations.map((relation) => relation.rel)).toContain(
      'System.LinkTypes.Dependency-Reverse',
    );
    ado.resetCalls();
    await expectQuietSyncs(engine, () => writes(ado));
  });

  it('pulls a relation added on the service after the first pull', async () => {
    const { ado, engine, store } = await world();
    await engine.sync({ limit: 10 });
    relate(ado, 3, 'System.LinkTypes.Duplicate-Forward', 4, 'System.LinkTypes.Duplicate-Reverse');
    ado.state.touchWorkItem(3);
    ado.state.touchWorkItem(4);
    await engine.sync({ limit: 10 });
    const three = await storedIssue(store, 'azure_devops', (issue) => issue.ref.id === '3');
    expect(linkPairs(three)).toEqual([
      ['blocked_by', '2'],
      ['duplicates', '4'],
    ]);
    expect(writes(ado)).toBe(0);
  });

  it('creates a work item with its links in the create request', async () => {
    const { ado, connector } = await world();
    const draft = await connector.getIssue(ref(4));
    ado.resetCalls();
    const created = await connector.createIssue({
      ...draft,
      ref: createRef({ system: 'memory', workspace: 'local', id: 'n1' }),
      title: 'New',
      parent: null,
      links: [
        createLink({ type: LinkType.BLOCKED_BY, target: ref(3) }),
        createLink({
          type: LinkType.BLOCKS,
          target: createRef({ system: 'memory', workspace: 'l', id: 'x' }),
        }),
      ],
    });
    expect(linkPairs(created)).toEqual([['blocked_by', '3']]);
    expect(ado.callCount('POST workitem')).toBe(1);
  });
});
