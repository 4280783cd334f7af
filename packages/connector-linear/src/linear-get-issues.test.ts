import { useFakeServers } from '@spec-kitty/connector-testkit';
import { type CanonicalIssue, createRef, type ExternalRef } from '@spec-kitty/core';
import type { FakeRequest } from '@spec-kitty/fake-trackers';
import type { LinearFake } from '@spec-kitty/fake-trackers/linear';
import { beforeEach, describe, expect, it } from 'vitest';
import { GET_ISSUES_BATCH } from './linear-queries';
import { connectorFor, startFake } from './test-helpers';

const ENDPOINT = 'POST /graphql';
let fake: LinearFake;
const track = useFakeServers();

beforeEach(async () => {
  fake = await startFake();
  await track(fake.server);
});

function refOf(id: string): ExternalRef {
  return createRef({ system: 'linear', workspace: 'linear', id });
}

const byId = (issues: readonly CanonicalIssue[]) =>
  [...issues].sort((a, b) => a.ref.id.localeCompare(b.ref.id));

function operationOf(request: FakeRequest): string | undefined {
  return (request.body as { operationName?: string } | null)?.operationName;
}

describe('LinearConnector.getIssues', () => {
  it('answers each ref exactly as getIssue does, archived, trashed and other teams included', async () => {
    const teamId = fake.state.defaultTeam.id;
    const other = fake.state.addTeam({ key: 'OPS', name: 'Operations' });
    const labels = Array.from({ length: 12 }, (_, index) =>
      fake.state.addLabel({ name: `l${index}`, teamId }),
    );
    const parent = fake.state.addIssue({ teamId, title: 'parent' });
    const labelled = fake.state.addIssue({
      teamId,
      title: 'many labels',
      parentId: parent.id,
      labelIds: labels.map((label) => label.id),
    });
    const linked = fake.state.addIssue({ teamId, title: 'linked', description: 'body', priority: 2 });
    fake.state.addRelation(linked.id, parent.id, 'blocks');
    fake.state.addRelation(labelled.id, linked.id, 'related');
    const archived = fake.state.addIssue({ teamId, title: 'archived' });
    fake.state.archiveIssue(archived.id);
    const trashed = fake.state.addIssue({ teamId, title: 'trashed' });
    fake.state.archiveIssue(trashed.id, { trash: true });
    const elsewhere = fake.state.addIssue({ teamId: other.id, title: 'other team' });
    const refs = [parent, labelled, linked, archived, trashed, elsewhere].map((issue) => refOf(issue.id));
    const connector = connectorFor(fake);

    const expected = await Promise.all(refs.map((ref) => connector.getIssue(ref)));
    const got = await connector.getIssues(refs);

    expect(byId(got)).toEqual(byId(expected));
    expect(got.find((issue) => issue.ref.id === labelled.id)?.labels).toHaveLength(12);
    expect(got.find((issue) => issue.ref.id === linked.id)?.links).toHaveLength(2);
  });

  it('leaves out purged and unknown refs, answers duplicates once, reads an identifier as getIssue does', async () => {
    const teamId = fake.state.defaultTeam.id;
    const [kept, purged, byKey] = ['kept', 'purged', 'by key'].map((title) =>
      fake.state.addIssue({ teamId, title }),
    );
    fake.state.purgeIssue(purged!.id);
    const connector = connectorFor(fake);
    const identifier = fake.state.identifier(byKey!);
    fake.resetCounts();

    const got = await connector.getIssues([
      refOf(kept!.id),
      refOf(purged!.id),
      refOf('00000000-0000-4000-8000-000000000000'),
      refOf(kept!.id),
      refOf(identifier),
      refOf('ENG-999'),
    ]);

    expect(byId(got)).toEqual(
      byId([await connector.getIssue(refOf(kept!.id)), await connector.getIssue(refOf(identifier))]),
    );
    expect(fake.operationCount('GetIssues')).toBe(1);
  });

  it('empty refs: [] without a request', async () => {
    fake.resetCounts();
    expect(await connectorFor(fake).getIssues([])).toEqual([]);
    expect(fake.server.callCount(ENDPOINT)).toBe(0);
  });

  it('reads ceil(n / 250) GetIssues queries, under the complexity cap, relations that overflow in one batched query', async () => {
    const teamId = fake.state.defaultTeam.id;
    const issues = Array.from({ length: GET_ISSUES_BATCH + 10 }, (_, index) =>
      fake.state.addIssue({ teamId, title: `i${index}` }),
    );
    const hub = issues[0]!;
    for (const target of issues.slice(1, 4)) fake.state.addRelation(hub.id, target.id, 'blocks');
    const connector = connectorFor(fake);
    fake.resetCounts();

    const got = await connector.getIssues(issues.map((issue) => refOf(issue.id)));

    expect(got).toHaveLength(issues.length);
    expect(fake.operationCount('GetIssues')).toBe(2);
    // A 250-issue query inlines one relation per direction; the hub's other two come from one follow-up.
    expect(fake.operationCount('IssueRelationsBatch')).toBe(1);
    expect(fake.server.callCount(ENDPOINT)).toBe(3);
    expect(Math.max(...fake.operations.map((operation) => operation.complexity))).toBeLessThanOrEqual(10_000);
    expect(got.find((issue) => issue.ref.id === hub.id)).toEqual(await connector.getIssue(refOf(hub.id)));
  });

  it('throws when a batch fails with a 5xx (never a partial answer)', async () => {
    const teamId = fake.state.defaultTeam.id;
    const issues = Array.from({ length: GET_ISSUES_BATCH + 2 }, (_, index) =>
      fake.state.addIssue({ teamId, title: `i${index}` }),
    );
    fake.server.injectFault({
      endpoint: ENDPOINT,
      times: Number.POSITIVE_INFINITY,
      // The second batch (2 ids) fails; the first succeeds.
      match: (request) =>
        operationOf(request) === 'GetIssues' &&
        (request.body as { variables: { first: number } }).variables.first === 2,
      fault: { kind: 'status', status: 503 },
    });
    await expect(connectorFor(fake).getIssues(issues.map((issue) => refOf(issue.id)))).rejects.toThrow();
  });

  it('rejects on an aborted signal', async () => {
    const issue = fake.state.addIssue({ teamId: fake.state.defaultTeam.id, title: 'one' });
    const controller = new AbortController();
    controller.abort();
    await expect(
      connectorFor(fake).getIssues([refOf(issue.id)], { signal: controller.signal }),
    ).rejects.toThrow();
  });
});
