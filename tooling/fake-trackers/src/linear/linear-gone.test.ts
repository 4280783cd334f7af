import { afterEach, describe, expect, it } from 'vitest';
import { LinearFake } from './linear-fake';

let fake: LinearFake | null = null;
afterEach(async () => {
  try {
    fake?.server.assertNoViolations();
  } finally {
    await fake?.close();
    fake = null;
  }
});

async function gql(server: LinearFake, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'lin_api_test' },
    body: JSON.stringify({ query, variables }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL JSON in a test.
  return (await response.json()) as any;
}

const QUERY = `query Q($ids: [ID!], $includeArchived: Boolean) {
  issues(first: 10, filter: { id: { in: $ids } }, includeArchived: $includeArchived) {
    nodes { id identifier archivedAt trashed team { key } }
  }
}`;

describe('LinearFake archive, trash, purge and team moves', () => {
  it('hides archived and trashed issues unless includeArchived, drops purged ones, moves keep the id', async () => {
    const started = await new LinearFake().start();
    fake = started;
    const teamId = started.state.defaultTeam.id;
    const other = started.state.addTeam({ key: 'OPS', name: 'Ops' });
    const [archived, trashed, purged, moved] = ['a', 't', 'p', 'm'].map((title) =>
      started.state.addIssue({ teamId, title }),
    );
    const before = archived?.updatedAt.getTime() ?? 0;
    started.state.archiveIssue(archived?.id ?? '');
    expect(archived?.updatedAt.getTime()).toBeGreaterThan(before);
    started.state.archiveIssue(trashed?.id ?? '', { trash: true });
    started.state.purgeIssue(purged?.id ?? '');
    started.state.moveIssue(moved?.id ?? '', other.id);
    const ids = [archived, trashed, purged, moved].map((issue) => issue?.id);
    const hidden = await gql(started, QUERY, { ids });
    expect(hidden.data.issues.nodes.map((node: { identifier: string }) => node.identifier)).toEqual([
      'OPS-1',
    ]);
    const all = await gql(started, QUERY, { ids, includeArchived: true });
    const rows = all.data.issues.nodes.map(
      (node: { identifier: string; trashed: boolean | null; archivedAt: string | null }) => [
        node.identifier,
        node.trashed,
        node.archivedAt !== null,
      ],
    );
    expect(rows.sort()).toEqual([
      ['ENG-1', null, true],
      ['ENG-2', true, true],
      ['OPS-1', null, false],
    ]);
  });
});
