import { useFakeServers } from '@spec-kitty/connector-testkit';
import { ConnectorRequestError, createRef, type ExternalRef } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { JiraConnector } from './jira-connector';
import {
  BULK_FETCH as BULK,
  TEST_EMAIL as EMAIL,
  failBulkFetchWithIssueErrors,
  TEST_TOKEN as TOKEN,
  twoProjectFake,
} from './test-helpers';

const track = useFakeServers();

async function setup(extra: { timeoutMs?: number } = {}) {
  const fake = await track(
    twoProjectFake({ customFields: [{ name: 'Spec Kitty Mission', type: 'textfield' }] }).start(),
  );
  const missionFieldId = fake.state.customFields[0]?.id ?? '';
  const jira = new JiraConnector({
    baseUrl: fake.url,
    email: EMAIL,
    apiToken: TOKEN,
    projectKey: 'PROJ',
    specKittyMissionFieldId: missionFieldId,
    ...extra,
  });
  return { fake, jira, missionFieldId };
}

function refOf(jira: JiraConnector, issue: { id: string; key: string }): ExternalRef {
  return createRef({ system: 'jira', workspace: jira.workspace, id: issue.id, key: issue.key });
}

const paragraph = (text: string) => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

describe('JiraConnector.getIssues (bulkfetch)', () => {
  it('answers each issue exactly as getIssue does (fields, links, parent, custom field, raw), in one bulkfetch', async () => {
    const { fake, jira, missionFieldId } = await setup();
    const epic = fake.state.seedIssue({ summary: 'epic', issuetype: 'Epic' });
    const child = fake.state.seedIssue({
      summary: 'child',
      description: paragraph('Some **body**'),
      labels: ['backend', 'spec-kitty-create-0123456789abcdef'],
      assignee: 'acc-1',
      priority: 'High',
      parentId: epic.id,
      custom: { [missionFieldId]: '{"mission": "m-1"}' },
    });
    const blocked = fake.state.seedIssue({ summary: 'blocked', status: 'In Progress' });
    fake.state.addLink(
      { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
      child,
      blocked,
    );
    const refs = [epic, child, blocked].map((issue) => refOf(jira, issue));

    const before = fake.callCount();
    const bulk = await jira.getIssues(refs);
    expect(fake.callCount() - before).toBe(1);
    expect(fake.callCount(BULK)).toBe(1);

    const single = await Promise.all(refs.map((ref) => jira.getIssue(ref)));
    const byId = new Map(bulk.map((issue) => [issue.ref.id, issue]));
    expect(bulk).toHaveLength(3);
    for (const issue of single) expect(byId.get(issue.ref.id)).toEqual(issue);
    // The comparison covers what the mapping reads, not just empty defaults.
    const read = byId.get(child.id);
    expect(read?.links.map((link) => [link.type, link.target.id])).toEqual([['blocks', blocked.id]]);
    expect(read?.parent?.id).toBe(epic.id);
    expect(read?.customFields).toEqual({ spec_kitty_mission: { mission: 'm-1' } });
    expect(read?.assignees).toEqual(['acc-1']);
  });

  it('leaves out deleted, unknown and moved issues; answers duplicates once', async () => {
    const { fake, jira } = await setup();
    const [live, deleted, moved] = ['live', 'deleted', 'moved'].map((summary) =>
      fake.state.seedIssue({ summary }),
    );
    const refs = [live, deleted, moved].map((issue) => refOf(jira, issue as { id: string; key: string }));
    fake.state.deleteIssue(deleted?.key ?? '');
    fake.state.moveIssue(moved?.key ?? '', 'OTHER');
    const unknown = createRef({ system: 'jira', workspace: jira.workspace, id: '99999', key: 'PROJ-99' });

    const issues = await jira.getIssues([...refs, unknown, refs[0] as ExternalRef]);
    expect(issues.map((issue) => issue.ref.key)).toEqual([live?.key]);
    expect(fake.callCount(BULK)).toBe(1);
    // checkGone is what reports the move.
    const tombstones = await jira.checkGone(refs);
    expect(tombstones.map((t) => [t.ref.id, t.reason])).toEqual([
      [deleted?.id, 'deleted'],
      [moved?.id, 'moved'],
    ]);
  });

  it('sends no request for no refs', async () => {
    const { fake, jira } = await setup();
    expect(await jira.getIssues([])).toEqual([]);
    expect(fake.callCount()).toBe(0);
  });

  it('splits 150 refs into ceil(150 / 100) = 2 bulkfetch calls of at most 100 ids', async () => {
    const { fake, jira } = await setup();
    const refs = Array.from({ length: 150 }, (_, index) =>
      refOf(jira, fake.state.seedIssue({ summary: `issue ${index}` })),
    );
    const sizes: number[] = [];
    // A rule that never matches, to see each bulkfetch body.
    fake.injectFault({
      endpoint: BULK,
      times: Number.POSITIVE_INFINITY,
      match: (request) => {
        sizes.push((request.body as { issueIdsOrKeys: string[] }).issueIdsOrKeys.length);
        return false;
      },
      fault: { kind: 'reset' },
    });
    const before = fake.callCount();
    const issues = await jira.getIssues(refs);
    expect(fake.callCount() - before).toBe(2);
    expect(fake.callCount(BULK)).toBe(2);
    expect(sizes).toEqual([100, 50]);
    expect(new Set(issues.map((issue) => issue.ref.id))).toEqual(new Set(refs.map((ref) => ref.id)));
  });

  it('throws on a 5xx of any batch, never answering part of the refs', async () => {
    const { fake, jira } = await setup();
    const refs = Array.from({ length: 101 }, (_, index) =>
      refOf(jira, fake.state.seedIssue({ summary: `issue ${index}` })),
    );
    // The first batch answers; the second (the 101st issue) fails, retries included.
    const last = refs[100]?.id;
    fake.injectFault({
      endpoint: BULK,
      times: Number.POSITIVE_INFINITY,
      match: (request) => (request.body as { issueIdsOrKeys: string[] }).issueIdsOrKeys.includes(last ?? ''),
      fault: { kind: 'status', status: 503 },
    });
    const error = await jira.getIssues(refs).catch((caught: unknown) => caught);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect(fake.calls.filter((call) => call.endpoint === BULK && call.status === 200)).toHaveLength(1);
  });

  it('throws the transient error checkGone throws when bulkfetch lists issueErrors', async () => {
    const { fake, jira } = await setup();
    const issue = fake.state.seedIssue({ summary: 'one' });
    failBulkFetchWithIssueErrors(fake, issue.id);
    const error = await jira.getIssues([refOf(jira, issue)]).catch((caught: unknown) => caught);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect((error as ConnectorRequestError).failureClass).toBe('transient');
    expect(String(error)).toMatch(/could not read issue/);
  });

  it('passes the signal to the request: an abort rejects a bulkfetch in flight', async () => {
    const { fake, jira } = await setup();
    const issue = fake.state.seedIssue({ summary: 'one' });
    fake.injectFault({ endpoint: BULK, fault: { kind: 'latency', ms: 10_000 } });
    const controller = new AbortController();
    const pending = jira.getIssues([refOf(jira, issue)], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow();
    const aborted = AbortSignal.abort();
    await expect(jira.getIssues([refOf(jira, issue)], { signal: aborted })).rejects.toThrow();
  });
});
