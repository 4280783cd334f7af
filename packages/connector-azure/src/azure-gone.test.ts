import { ConnectorRequestError, createRef, TrackerContractError } from '@spec-kitty/core';
import { createHttpClient } from '@spec-kitty/core/http';
import { AzureDevOpsFake } from '@spec-kitty/fake-trackers/azure';
import { afterEach, describe, expect, it } from 'vitest';
import { AzureDevOpsConnector } from './azure-connector';

const PAT = 'ado-pat-secret';
const BATCH = 'POST workitemsbatch';
const BIN = 'GET recyclebin';

let fake: AzureDevOpsFake | null = null;
afterEach(async () => {
  if (fake) {
    const violations = [...fake.violations];
    await fake.close();
    fake = null;
    expect(violations).toEqual([]);
  }
});

async function setup(timeoutMs?: number) {
  fake = await new AzureDevOpsFake({ personalAccessToken: PAT }).start();
  fake.state.addProject('Web');
  fake.state.addProject('Mobile');
  const http =
    timeoutMs === undefined
      ? undefined
      : createHttpClient({
          baseUrl: `${fake.url}/fabrikam`,
          headers: { Authorization: `Basic ${Buffer.from(`:${PAT}`, 'utf8').toString('base64')}` },
          provider: 'azure_devops',
          timeoutMs,
        });
  const connector = new AzureDevOpsConnector(
    { organization: 'fabrikam', project: 'Web', personalAccessToken: PAT, baseUrl: fake.url },
    http ? { http } : {},
  );
  return { ado: fake, connector };
}

const ref = (id: number | string, workspace = 'fabrikam/Web') =>
  createRef({ system: 'azure_devops', workspace, id: String(id) });

describe('AzureDevOpsConnector deletions and moves', () => {
  it('declares reportsDeletions', async () => {
    const { connector } = await setup();
    expect((await connector.getCapabilities()).reportsDeletions).toBe(true);
  });

  it('checkGone: recycle bin and destroyed items are deleted, moved items moved, live ones omitted', async () => {
    const { ado, connector } = await setup();
    const [live, binned, destroyed, moved] = ['live', 'binned', 'destroyed', 'moved'].map((title) =>
      ado.state.addWorkItem('Web', 'Task', { 'System.Title': title }),
    );
    ado.state.deleteWorkItem(binned?.id ?? 0);
    ado.state.deleteWorkItem(destroyed?.id ?? 0, { destroy: true });
    ado.state.moveWorkItem(moved?.id ?? 0, 'Mobile');
    const tombstones = await connector.checkGone(
      [live, binned, destroyed, moved].map((item) => ref(item?.id ?? 0)),
    );
    expect(tombstones.map((t) => [t.ref.id, t.reason, t.movedTo?.workspace ?? null])).toEqual([
      [String(binned?.id), 'deleted', null],
      [String(destroyed?.id), 'deleted', null],
      [String(moved?.id), 'moved', 'fabrikam/Mobile'],
    ]);
    expect(ado.callCount(BATCH)).toBe(1);
    expect(ado.callCount(BIN)).toBe(1);
    // Only the item in neither the batch nor the bin costs a single GET.
    expect(ado.callCount('GET workitem')).toBe(1);
  });

  it('checkGone sends 200 ids per workitemsbatch and skips the recycle bin when nothing is missing', async () => {
    const { ado, connector } = await setup();
    ado.state.addManyWorkItems('Web', 250);
    const refs = Array.from({ length: 250 }, (_, index) => ref(index + 1));
    expect(await connector.checkGone(refs)).toEqual([]);
    expect(ado.callCount(BATCH)).toBe(2);
    expect(ado.callCount(BIN)).toBe(0);
  });

  it('rejects refs of another project instead of guessing', async () => {
    const { connector } = await setup();
    const error = await connector.checkGone([ref(1, 'fabrikam/Mobile')]).catch((e: unknown) => e);
    expect(TrackerContractError.isInstance(error)).toBe(true);
  });

  it.each([
    [BATCH, '401', { kind: 'status', status: 401 }],
    [BATCH, '403', { kind: 'status', status: 403 }],
    [BATCH, '500', { kind: 'status', status: 500 }],
    [BATCH, 'rate limit', { kind: 'status', status: 429, retryAfter: 3600 }],
    [BIN, '403 on the recycle bin', { kind: 'status', status: 403 }],
    [BIN, '503 on the recycle bin', { kind: 'status', status: 503 }],
    ['GET workitem', '500 on the single read', { kind: 'status', status: 500 }],
  ] as const)('%s: throws on %s instead of reporting a deletion', async (endpoint, _label, fault) => {
    const { ado, connector } = await setup();
    const item = ado.state.addWorkItem('Web', 'Task', { 'System.Title': 'one' });
    ado.state.deleteWorkItem(item.id, { destroy: true });
    ado.injectFault({ endpoint, times: Number.POSITIVE_INFINITY, fault });
    const error = await connector.checkGone([ref(item.id)]).catch((e: unknown) => e);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
  });

  it('throws on a timeout instead of reporting a deletion', async () => {
    const { ado, connector } = await setup(200);
    const item = ado.state.addWorkItem('Web', 'Task', { 'System.Title': 'one' });
    ado.injectFault({ endpoint: BATCH, times: Number.POSITIVE_INFINITY, fault: { kind: 'timeout' } });
    await expect(connector.checkGone([ref(item.id)])).rejects.toThrow();
  });
});
