// Azure DevOps declares its workitemsbatch maximum (200) as maxPageSize, so a SyncEngine run with
// no limit pulls with the fewest requests the API allows: one WIQL query for the ids, then one
// workitemsbatch request per 200 work items. A no-op incremental sync is one WIQL query.
import {
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

const PAT = 'ado-page-size-pat';
const track = useFakes();

async function world(count: number) {
  const ado = await track(
    new AzureDevOpsFake({ personalAccessToken: PAT, startTime: new Date(Date.now() - 3600_000) }).start(),
  );
  ado.state.addProject('Web');
  ado.state.addManyWorkItems('Web', count);
  const connector = createConnector('azure_devops', {
    organization: 'fabrikam',
    project: 'Web',
    personalAccessToken: PAT,
    baseUrl: ado.url,
  });
  const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
  const engine = new SyncEngine({ connector, store: new InMemoryIssueStore(), policy });
  return { ado, connector, engine };
}

describe('Azure DevOps page size', () => {
  it('declares maxPageSize 200, the workitemsbatch maximum', async () => {
    const { connector } = await world(0);
    expect((await connector.getCapabilities()).maxPageSize).toBe(200);
  });

  it('a cold pull with no limit makes one WIQL query and one batch per 200 work items', async () => {
    const count = 1000;
    const { ado, engine } = await world(count);
    const result = await engine.pull();
    expect(result.failures).toEqual([]);
    expect(result.stats.pulledCreated).toBe(count);
    expect(ado.callsByEndpoint()).toEqual({ 'POST wiql': 1, 'POST workitemsbatch': count / 200 });
  });

  it('a no-op incremental sync after it makes at most 2 requests', async () => {
    const { ado, engine } = await world(450);
    expect((await engine.sync()).failures).toEqual([]);
    ado.resetCalls();
    const idle = await engine.sync();
    expect(idle.failures).toEqual([]);
    expect(idle.stats).toMatchObject({ pulledCreated: 0, pulledUpdated: 0 });
    expect(ado.callCount()).toBeLessThanOrEqual(2);
  });
});
