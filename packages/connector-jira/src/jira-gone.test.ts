import { ConnectorRequestError, createRef, type ExternalRef } from '@spec-kitty/core';
import type { JiraFake } from '@spec-kitty/fake-trackers/jira';
import { afterEach, describe, expect, it } from 'vitest';
import { JiraConnector } from './jira-connector';
import {
  BULK_FETCH as BULK,
  TEST_EMAIL as EMAIL,
  failBulkFetchWithIssueErrors,
  TEST_TOKEN as TOKEN,
  twoProjectFake,
} from './test-helpers';

let fake: JiraFake | null = null;
afterEach(async () => {
  try {
    fake?.assertNoViolations();
  } finally {
    await fake?.close();
    fake = null;
  }
});

async function setup(projectKey = 'PROJ', timeoutMs?: number) {
  fake = await twoProjectFake().start();
  const jira = new JiraConnector({
    baseUrl: fake.url,
    email: EMAIL,
    apiToken: TOKEN,
    projectKey,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  return { fake, jira };
}

function refOf(jira: JiraConnector, id: string, key: string): ExternalRef {
  return createRef({ system: 'jira', workspace: jira.workspace, id, key });
}

describe('JiraConnector deletions and moves', () => {
  it('declares reportsDeletions', async () => {
    const { jira } = await setup();
    expect((await jira.getCapabilities()).reportsDeletions).toBe(true);
  });

  it('checkGone: one bulkfetch; deleted and moved refs, live ones omitted', async () => {
    const { fake, jira } = await setup();
    const [live, deleted, moved] = ['live', 'deleted', 'moved'].map((summary) =>
      fake.state.seedIssue({ summary }),
    );
    const refs = [live, deleted, moved].map((issue) => refOf(jira, issue?.id ?? '', issue?.key ?? ''));
    fake.state.deleteIssue('PROJ-2');
    fake.state.moveIssue('PROJ-3', 'OTHER');
    const before = fake.callCount(BULK);
    const tombstones = await jira.checkGone(refs);
    expect(tombstones.map((t) => [t.ref.key, t.reason, t.movedTo?.key ?? null])).toEqual([
      ['PROJ-2', 'deleted', null],
      ['PROJ-3', 'moved', 'OTHER-1'],
    ]);
    expect(tombstones[1]?.movedTo?.id).toBe(moved?.id);
    expect(fake.callCount(BULK) - before).toBe(1);
  });

  it('checkGone asks for 100 issues per bulkfetch', async () => {
    const { fake, jira } = await setup();
    const refs = Array.from({ length: 130 }, (_, index) => {
      const issue = fake.state.seedIssue({ summary: `issue ${index}` });
      return refOf(jira, issue.id, issue.key);
    });
    expect(await jira.checkGone(refs)).toEqual([]);
    expect(fake.callCount(BULK)).toBe(2);
  });

  it('does not take a missing issue for a deletion when the project is not visible', async () => {
    const { jira } = await setup('GONE');
    const error = await jira.checkGone([refOf(jira, '10001', 'GONE-1')]).catch((e: unknown) => e);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect(String(error)).toMatch(/cannot be told deleted from hidden/);
  });

  it('throws when bulkfetch reports issueErrors (Jira could not read them now)', async () => {
    const { fake, jira } = await setup();
    const issue = fake.state.seedIssue({ summary: 'one' });
    failBulkFetchWithIssueErrors(fake, issue.id);
    await expect(jira.checkGone([refOf(jira, issue.id, issue.key)])).rejects.toThrow(/could not read issue/);
  });

  it.each([
    ['401', { kind: 'status', status: 401 }],
    ['403', { kind: 'status', status: 403 }],
    ['500', { kind: 'status', status: 500 }],
    ['rate limit', { kind: 'status', status: 429, retryAfter: 3600 }],
    ['reset connection', { kind: 'reset' }],
  ] as const)('throws on %s instead of reporting a deletion', async (_label, fault) => {
    const { fake, jira } = await setup();
    const issue = fake.state.seedIssue({ summary: 'one' });
    fake.injectFault({ endpoint: BULK, times: Number.POSITIVE_INFINITY, fault });
    await expect(jira.checkGone([refOf(jira, issue.id, issue.key)])).rejects.toThrow();
  });

  it('throws on a timeout instead of reporting a deletion', async () => {
    const { fake, jira } = await setup('PROJ', 200);
    const issue = fake.state.seedIssue({ summary: 'one' });
    fake.injectFault({ endpoint: BULK, times: Number.POSITIVE_INFINITY, fault: { kind: 'timeout' } });
    await expect(jira.checkGone([refOf(jira, issue.id, issue.key)])).rejects.toThrow();
  });
});
