// Enhanced search serves at most 100 issues per page when fields are selected: the connector
// declares it as `capabilities.maxPageSize` and never asks for more.
import { FieldOwner, InMemoryIssueStore, OwnershipPolicy, SyncEngine } from '@spec-kitty/core';
import { JiraFake } from '@spec-kitty/fake-trackers/jira';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it } from 'vitest';
import { JiraConnector } from './jira-connector';

const EMAIL = 'dev@example.com';
const TOKEN = 'secret-api-token-page';
const SEARCH = 'POST /rest/api/3/search/jql';
const track = useFakes();
const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

async function world(count: number) {
  const fake = await track(await new JiraFake({ email: EMAIL, apiToken: TOKEN }).start());
  // One edit a minute (JQL filters on `updated` at minute precision), ending an hour ago.
  const start = Date.now() - (count + 60) * 60_000;
  for (let index = 1; index <= count; index += 1) {
    const at = start + index * 60_000;
    fake.state.seedIssue({ summary: `Issue ${index}`, created: at, updated: at });
  }
  const sent: unknown[] = [];
  const observing: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.url.includes('/search/jql')) sent.push(await request.clone().json());
    return fetch(request);
  };
  const jira = new JiraConnector(
    { baseUrl: fake.url, email: EMAIL, apiToken: TOKEN, projectKey: 'PROJ' },
    { fetch: observing },
  );
  return { fake, jira, sent };
}

describe('Jira page size', () => {
  it('declares maxPageSize 100 and caps maxResults at it', async () => {
    const { jira, sent } = await world(150);
    expect((await jira.getCapabilities()).maxPageSize).toBe(100);
    const page = await jira.listIssues({ updatedSince: null, cursor: null, limit: 500 });
    expect(page.items).toHaveLength(100);
    expect(sent).toEqual([expect.objectContaining({ maxResults: 100 })]);
  });

  it('a cold pull takes ceil(N/100) searches and a no-op sync at most 2 calls', async () => {
    const { fake, jira } = await world(250);
    const engine = new SyncEngine({ connector: jira, store: new InMemoryIssueStore(), policy });
    const pulled = await engine.pull();
    expect(pulled.stats.pulledCreated).toBe(250);
    expect(fake.callCount(SEARCH)).toBe(Math.ceil(250 / 100));

    fake.resetCalls();
    const again = await engine.sync();
    expect(again.failures).toEqual([]);
    expect(again.stats.pushedUpdated + again.stats.pushedCreated).toBe(0);
    expect(fake.callCount()).toBeLessThanOrEqual(2);
  });
});
