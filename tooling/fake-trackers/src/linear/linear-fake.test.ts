import { parse, validate } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LINEAR_ENDPOINT, LinearFake } from './linear-fake';
import { linearSchemaPath, loadLinearSchema } from './linear-schema';

// biome-ignore lint/suspicious/noExplicitAny: test helper returning arbitrary GraphQL JSON.
type Json = any;

async function gql(
  fake: LinearFake,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = { authorization: 'lin_api_test' },
): Promise<{ status: number; headers: Headers; body: Json }> {
  const response = await fetch(fake.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const LIST = `query ListIssues($first: Int!, $after: String, $filter: IssueFilter, $orderBy: PaginationOrderBy) {
  issues(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    nodes { id identifier title updatedAt state { name type } labels(first: 10) { nodes { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('Linear schema sources', () => {
  it('reconstructs a usable schema from @linear/sdk when shared/specs is absent', () => {
    const schema = loadLinearSchema('reconstructed');
    expect(validate(schema, parse(LIST))).toEqual([]);
    const bad = validate(schema, parse('{ issues { nodes { identifer } } }'));
    expect(bad.map((e) => e.message)).toEqual([
      'Cannot query field "identifer" on type "Issue". Did you mean "identifier"?',
    ]);
    expect(
      validate(schema, parse('mutation { issueCreate(input: { title: "x" }) { success } }'))[0]?.message,
    ).toContain('IssueCreateInput.teamId');
    // Parsing @linear/sdk's 3.9 MB typings takes seconds, more on a loaded 2-core machine.
  }, 120_000);

  it.skipIf(linearSchemaPath() === null)(
    'agrees with the published schema on the documents used here',
    () => {
      const published = loadLinearSchema('published');
      expect(validate(published, parse(LIST))).toEqual([]);
      expect(published.getType('IssueCreateInput')).toBeDefined();
    },
  );
});

describe('LinearFake', () => {
  let fake: LinearFake;
  beforeEach(async () => {
    fake = await new LinearFake().start();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('rejects invalid documents like Linear: HTTP 400 GRAPHQL_VALIDATION_FAILED, recorded as a violation', async () => {
    const result = await gql(fake, '{ issues { nodes { identifer } } }');
    expect(result.status).toBe(400);
    expect(result.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.body.errors[0].message).toContain('Did you mean "identifier"?');
    expect(fake.server.violations).toHaveLength(1);
    fake.server.violations.length = 0;
  });

  it('rejects an IssueCreateInput without teamId (variable coercion) with HTTP 400', async () => {
    const result = await gql(
      fake,
      'mutation CreateIssue($input: IssueCreateInput!) { issueCreate(input: $input) { success } }',
      { input: { title: 'x' } },
    );
    expect(result.status).toBe(400);
    expect(result.body.errors[0].message).toContain('teamId');
    fake.server.violations.length = 0;
  });

  it("rejects the original connector's labelNames field, which Linear's schema does not have", async () => {
    const result = await gql(
      fake,
      'mutation CreateIssue($input: IssueCreateInput!) { issueCreate(input: $input) { success } }',
      { input: { teamId: fake.state.defaultTeam.id, title: 'x', labelNames: ['bug'] } },
    );
    expect(result.status).toBe(400);
    expect(result.body.errors[0].message).toContain('labelNames');
    fake.server.violations.length = 0;
  });

  it('paginates newest-first by updatedAt with keyset cursors and counts calls per operation', async () => {
    const team = fake.state.defaultTeam;
    const ids = Array.from(
      { length: 5 },
      (_, i) => fake.state.addIssue({ teamId: team.id, title: `Issue ${i}` }).id,
    );
    fake.state.touchIssue(ids[0] as string, { title: 'Touched' });
    const first = await gql(fake, LIST, { first: 2, orderBy: 'updatedAt' });
    expect(first.status).toBe(200);
    expect(first.body.data.issues.nodes.map((n: { title: string }) => n.title)).toEqual([
      'Touched',
      'Issue 4',
    ]);
    expect(first.body.data.issues.pageInfo.hasNextPage).toBe(true);
    // An issue updated mid-scan jumps to the front and does not shift the following page.
    fake.state.touchIssue(ids[2] as string, { title: 'Moved' });
    const second = await gql(fake, LIST, {
      first: 2,
      orderBy: 'updatedAt',
      after: first.body.data.issues.pageInfo.endCursor,
    });
    expect(second.body.data.issues.nodes.map((n: { title: string }) => n.title)).toEqual([
      'Issue 3',
      'Issue 1',
    ]);
    expect(fake.operationCount('ListIssues')).toBe(2);
    expect(fake.server.callCount(LINEAR_ENDPOINT)).toBe(2);
    expect(first.headers.get('x-ratelimit-requests-remaining')).toBe('4999');
  });

  it('keeps updatedAt on a label-only change, records it in the history, and filters on activity', async () => {
    const team = fake.state.defaultTeam;
    const bug = fake.state.addLabel({ name: 'bug', teamId: team.id });
    const quiet = fake.state.addIssue({ teamId: team.id, title: 'Quiet' });
    const other = fake.state.addIssue({ teamId: team.id, title: 'Other' });
    const since = new Date(fake.state.tick().getTime() + 1).toISOString();
    const stamp = quiet.updatedAt.toISOString();
    const labelled = await gql(
      fake,
      `mutation L($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success issue { updatedAt labels { nodes { name } } } } }`,
      { id: quiet.id, input: { addedLabelIds: [bug.id] } },
    );
    expect(labelled.body.data.issueUpdate.issue).toEqual({
      updatedAt: stamp,
      labels: { nodes: [{ name: 'bug' }] },
    });
    fake.state.touchIssue(other.id, { title: 'Other, renamed' });
    expect(other.updatedAt.getTime()).toBeGreaterThan(Date.parse(since));

    const history = await gql(
      fake,
      `query H($id: String!) { issue(id: $id) { history(first: 10) { nodes { createdAt addedLabelIds removedLabelIds } } } }`,
      { id: quiet.id },
    );
    expect(history.body.data.issue.history.nodes).toEqual([
      { createdAt: expect.any(String), addedLabelIds: [bug.id], removedLabelIds: [] },
    ]);
    const ACTIVE = `query A($filter: IssueFilter) { issues(filter: $filter) { nodes { title } } }`;
    const titles = async (filter: unknown) =>
      ((await gql(fake, ACTIVE, { filter })).body.data.issues.nodes as { title: string }[])
        .map((node) => node.title)
        .sort();
    expect(await titles({ updatedAt: { gte: since } })).toEqual(['Other, renamed']);
    expect(await titles({ activity: { some: { createdAt: { gte: since } } } })).toEqual([
      'Other, renamed',
      'Quiet',
    ]);
    expect(await titles({ activity: { some: { createdAt: { lt: since } } } })).toEqual([]);
    expect(fake.server.violations).toEqual([]);
  });

  it('records a relation in both issues’ history, keeps updatedAt, and lists it from both ends', async () => {
    const team = fake.state.defaultTeam;
    const blocker = fake.state.addIssue({ teamId: team.id, title: 'Blocker' });
    const blocked = fake.state.addIssue({ teamId: team.id, title: 'Blocked' });
    fake.state.addIssue({ teamId: team.id, title: 'Bystander' });
    const since = new Date(fake.state.tick().getTime() + 1).toISOString();
    const stamp = blocked.updatedAt.toISOString();
    const created = await gql(
      fake,
      `mutation R($input: IssueRelationCreateInput!) { issueRelationCreate(input: $input) { success } }`,
      { input: { issueId: blocker.id, relatedIssueId: blocked.id, type: 'blocks' } },
    );
    expect(created.body.data.issueRelationCreate.success).toBe(true);
    const READ = `query Q($filter: IssueFilter) { issues(filter: $filter) { nodes { title updatedAt
      relations(first: 5) { nodes { type relatedIssue { title } } }
      inverseRelations(first: 5) { nodes { type issue { title } } } } } }`;
    const nodes = (await gql(fake, READ, { filter: { activity: { some: { createdAt: { gte: since } } } } }))
      .body.data.issues.nodes as Json[];
    const byTitle = new Map(nodes.map((node) => [node.title, node]));
    expect([...byTitle.keys()].sort()).toEqual(['Blocked', 'Blocker']);
    expect(byTitle.get('Blocked').updatedAt).toBe(stamp);
    expect(byTitle.get('Blocker').relations.nodes).toEqual([
      { type: 'blocks', relatedIssue: { title: 'Blocked' } },
    ]);
    expect(byTitle.get('Blocked').inverseRelations.nodes).toEqual([
      { type: 'blocks', issue: { title: 'Blocker' } },
    ]);
    expect(fake.server.violations).toEqual([]);
  });

  it('filters by team, updatedAt (gt/gte) and title', async () => {
    const team = fake.state.defaultTeam;
    const other = fake.state.addTeam({ key: 'OPS', name: 'Ops' });
    const a = fake.state.addIssue({ teamId: team.id, title: 'Alpha bug' });
    fake.state.addIssue({ teamId: other.id, title: 'Alpha ops' });
    const b = fake.state.addIssue({ teamId: team.id, title: 'Beta' });
    const teamFilter = { team: { id: { eq: team.id } } };
    const titles = async (filter: object) =>
      (await gql(fake, LIST, { first: 50, filter })).body.data.issues.nodes.map(
        (n: { title: string }) => n.title,
      );
    expect(await titles(teamFilter)).toEqual(['Beta', 'Alpha bug']);
    expect(await titles({ ...teamFilter, updatedAt: { gte: b.updatedAt.toISOString() } })).toEqual(['Beta']);
    expect(await titles({ ...teamFilter, updatedAt: { gt: b.updatedAt.toISOString() } })).toEqual([]);
    expect(await titles({ ...teamFilter, updatedAt: { gt: a.updatedAt.toISOString() } })).toEqual(['Beta']);
    expect(await titles({ ...teamFilter, title: { containsIgnoreCase: 'alpha' } })).toEqual(['Alpha bug']);
    expect(await titles({ title: { contains: 'Alpha' } })).toEqual(['Alpha ops', 'Alpha bug']);
  });

  it('caps first at 250 like Linear', async () => {
    const result = await gql(fake, 'query Light($first: Int) { issues(first: $first) { nodes { id } } }', {
      first: 251,
    });
    expect(result.status).toBe(200);
    expect(result.body.errors[0].extensions.code).toBe('INPUT_ERROR');
    expect(result.body.data).toBeNull();
  });

  it('answers an unknown issue with "Entity not found: Issue" and data null', async () => {
    const result = await gql(fake, 'query GetIssue($id: String!) { issue(id: $id) { id } }', {
      id: 'missing',
    });
    expect(result.status).toBe(200);
    expect(result.body.data).toBeNull();
    expect(result.body.errors[0]).toMatchObject({
      message: 'Entity not found: Issue',
      path: ['issue'],
      extensions: { code: 'INPUT_ERROR', userPresentableMessage: 'Could not find referenced Issue.' },
    });
  });

  it('looks an issue up by identifier and resolves state, labels, parent and relations', async () => {
    const team = fake.state.defaultTeam;
    const label = fake.state.addLabel({ name: 'bug', teamId: team.id });
    const parent = fake.state.addIssue({ teamId: team.id, title: 'Parent' });
    const child = fake.state.addIssue({
      teamId: team.id,
      title: 'Child',
      parentId: parent.id,
      labelIds: [label.id],
      stateId: fake.state.stateByName(team.id, 'In Review').id,
    });
    const blocker = await gql(
      fake,
      'mutation R($input: IssueRelationCreateInput!) { issueRelationCreate(input: $input) { success } }',
      { input: { issueId: parent.id, relatedIssueId: child.id, type: 'blocks' } },
    );
    expect(blocker.body.data.issueRelationCreate.success).toBe(true);
    const result = await gql(
      fake,
      `query GetIssue($id: String!) { issue(id: $id) { id identifier state { name type } labels { nodes { name } }
        parent { identifier } inverseRelations { nodes { type issue { id } } } } }`,
      { id: 'ENG-2' },
    );
    expect(result.body.data.issue).toEqual({
      id: child.id,
      identifier: 'ENG-2',
      state: { name: 'In Review', type: 'started' },
      labels: { nodes: [{ name: 'bug' }] },
      parent: { identifier: 'ENG-1' },
      inverseRelations: { nodes: [{ type: 'blocks', issue: { id: parent.id } }] },
    });
  });

  it('validates mutation input like Linear (team exists, title, priority, state of the team)', async () => {
    const create =
      'mutation C($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier priority state { name } } } }';
    const team = fake.state.defaultTeam;
    const other = fake.state.addTeam({ key: 'OPS', name: 'Ops' });
    expect((await gql(fake, create, { input: { teamId: 'nope', title: 'x' } })).body.errors[0].message).toBe(
      'Entity not found: Team',
    );
    expect(
      (await gql(fake, create, { input: { teamId: team.id, title: ' ' } })).body.errors[0].extensions.code,
    ).toBe('INPUT_ERROR');
    expect(
      (await gql(fake, create, { input: { teamId: team.id, title: 'x', priority: 7 } })).body.errors[0]
        .message,
    ).toContain('priority');
    const foreignState = fake.state.teamStates(other.id)[0]?.id;
    expect(
      (await gql(fake, create, { input: { teamId: team.id, title: 'x', stateId: foreignState } })).body
        .errors[0].message,
    ).toContain('stateId');
    const ok = await gql(fake, create, { input: { teamId: team.id, title: 'x', priority: 2 } });
    expect(ok.body.data.issueCreate).toMatchObject({
      success: true,
      issue: { identifier: 'ENG-1', priority: 2, state: { name: 'Todo' } },
    });
    const comment = await gql(
      fake,
      'mutation M($input: CommentCreateInput!) { commentCreate(input: $input) { success comment { body } } }',
      { input: { issueId: ok.body.data.issueCreate.issue.id, body: 'hello' } },
    );
    expect(comment.body.data.commentCreate.comment.body).toBe('hello');
    expect(fake.state.comments.size).toBe(1);
  });

  it('injects RATELIMITED as HTTP 400 with X-RateLimit-Requests-* headers (reset in epoch ms)', async () => {
    fake.rateLimit({ resetInMs: 5000 });
    const before = Date.now();
    const limited = await gql(fake, LIST, { first: 1 });
    expect(limited.status).toBe(400);
    expect(limited.body.errors[0].extensions.code).toBe('RATELIMITED');
    expect(limited.headers.get('x-ratelimit-requests-remaining')).toBe('0');
    const reset = Number(limited.headers.get('x-ratelimit-requests-reset'));
    expect(reset).toBeGreaterThanOrEqual(before + 5000);
    expect((await gql(fake, LIST, { first: 1 })).status).toBe(200);
  });

  it('estimates query complexity (X-Complexity) and refuses queries over the 10 000-point cap', async () => {
    const ok = await gql(fake, LIST, { first: 250 });
    expect(ok.status).toBe(200);
    expect(Number(ok.headers.get('x-complexity'))).toBeGreaterThan(250);
    const heavy = `query Heavy { issues(first: 250) { nodes { id labels(first: 100) { nodes { id name } } } } }`;
    const refused = await gql(fake, heavy);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(fake.server.violations).toHaveLength(1);
    fake.server.violations.length = 0;
  });

  it('requires an Authorization header', async () => {
    const result = await gql(fake, LIST, { first: 1 }, {});
    expect(result.body.errors[0].extensions.code).toBe('AUTHENTICATION_ERROR');
  });

  it('serves organization and teams for discovery', async () => {
    const result = await gql(fake, '{ organization { id name urlKey } teams { nodes { id key name } } }');
    expect(result.body.data.organization).toMatchObject({ name: 'Acme', urlKey: 'acme' });
    expect(result.body.data.teams.nodes).toEqual([
      { id: fake.state.defaultTeam.id, key: 'ENG', name: 'Engineering' },
    ]);
  });
});
