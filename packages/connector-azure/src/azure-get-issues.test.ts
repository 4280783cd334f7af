import { draftIssue, useFakeServers } from '@spec-kitty/connector-testkit';
import { type CanonicalIssue, createLink, createRef, LinkType } from '@spec-kitty/core';
import { AzureDevOpsFake } from '@spec-kitty/fake-trackers/azure';
import { describe, expect, it } from 'vitest';
import { AZURE_BATCH_SIZE } from './azure-batch';
import { AzureDevOpsConnector } from './azure-connector';

const PAT = 'ado-pat-secret';
const BATCH = 'POST workitemsbatch';

const track = useFakeServers();

async function setup() {
  const fake = await track(new AzureDevOpsFake({ personalAccessToken: PAT }).start());
  fake.state.addProject('Web');
  fake.state.addProject('Mobile');
  const connector = new AzureDevOpsConnector({
    organization: 'fabrikam',
    project: 'Web',
    personalAccessToken: PAT,
    baseUrl: fake.url,
  });
  return { ado: fake, connector };
}

const ref = (id: number | string, workspace = 'fabrikam/Web') =>
  createRef({ system: 'azure_devops', workspace, id: String(id) });

const byId = (issues: readonly CanonicalIssue[]) =>
  [...issues].sort((a, b) => Number(a.ref.id) - Number(b.ref.id));

describe('AzureDevOpsConnector.getIssues', () => {
  it('answers each ref exactly as getIssue does (fields, relations, raw), moved items as getIssue does', async () => {
    const { ado, connector } = await setup();
    const parent = await connector.createIssue(draftIssue({ title: 'parent', labels: ['a', 'b'] }));
    const child = await connector.createIssue(
      draftIssue({ title: 'child', parent: parent.ref, body: '<p>body</p>', priority: 1 }),
    );
    const blocker = await connector.createIssue(
      draftIssue({ title: 'blocker', links: [createLink({ type: LinkType.BLOCKS, target: child.ref })] }),
    );
    const moved = ado.state.addWorkItem('Web', 'Bug', { 'System.Title': 'moved' });
    ado.state.moveWorkItem(moved.id, 'Mobile');
    const refs = [parent.ref, child.ref, blocker.ref, ref(moved.id)];

    const expected = await Promise.all(refs.map((r) => connector.getIssue(r)));
    ado.resetCalls();
    const got = await connector.getIssues(refs);

    expect(byId(got)).toEqual(byId(expected));
    expect(got.find((issue) => issue.ref.id === child.ref.id)?.parent?.id).toBe(parent.ref.id);
    expect(got.find((issue) => issue.ref.id === blocker.ref.id)?.links).toHaveLength(1);
    expect(ado.callCount(BATCH)).toBe(1);
    expect(ado.callCount()).toBe(1);
  });

  it('leaves out deleted, destroyed, unknown and non-numeric refs; answers duplicates once', async () => {
    const { ado, connector } = await setup();
    const [kept, binned, destroyed] = ['kept', 'binned', 'destroyed'].map((title) =>
      ado.state.addWorkItem('Web', 'Task', { 'System.Title': title }),
    );
    ado.state.deleteWorkItem(binned!.id);
    ado.state.deleteWorkItem(destroyed!.id, { destroy: true });
    ado.resetCalls();

    const got = await connector.getIssues([
      ref(kept!.id),
      ref(binned!.id),
      ref(destroyed!.id),
      ref(999_999),
      ref(kept!.id),
      ref('not-a-number'),
      ref(0),
    ]);

    expect(got).toEqual([await connector.getIssue(ref(kept!.id))]);
    expect(ado.callCount(BATCH)).toBe(1);
  });

  it('empty refs: [] without a request', async () => {
    const { ado, connector } = await setup();
    expect(await connector.getIssues([])).toEqual([]);
    expect(await connector.getIssues([ref('x')])).toEqual([]);
    expect(ado.callCount()).toBe(0);
  });

  it('sends ceil(n / 200) workitemsbatch requests of at most 200 ids', async () => {
    const { ado, connector } = await setup();
    const n = 2 * AZURE_BATCH_SIZE + 1;
    ado.state.addManyWorkItems('Web', n);
    ado.resetCalls();
    const got = await connector.getIssues(Array.from({ length: n }, (_, index) => ref(index + 1)));
    expect(got).toHaveLength(n);
    expect(ado.callCount(BATCH)).toBe(3);
    expect(ado.callCount()).toBe(3);
  });

  it('throws when a batch fails with a 5xx (never a partial answer)', async () => {
    const { ado, connector } = await setup();
    ado.state.addManyWorkItems('Web', AZURE_BATCH_SIZE + 1);
    ado.injectFault({
      endpoint: BATCH,
      times: Number.POSITIVE_INFINITY,
      // The second batch (one id) fails; the first succeeds.
      match: (request) => (request.body as { ids: number[] }).ids.length === 1,
      fault: { kind: 'status', status: 503 },
    });
    const refs = Array.from({ length: AZURE_BATCH_SIZE + 1 }, (_, index) => ref(index + 1));
    await expect(connector.getIssues(refs)).rejects.toThrow(/503/);
  });

  it('rejects on an aborted signal', async () => {
    const { ado, connector } = await setup();
    const item = ado.state.addWorkItem('Web', 'Task', { 'System.Title': 'one' });
    const controller = new AbortController();
    controller.abort();
    await expect(connector.getIssues([ref(item.id)], { signal: controller.signal })).rejects.toThrow();
  });
});
