import {
  CanonicalStatus,
  CapabilityNotSupportedError,
  ConnectorConfigError,
  type ConnectorRequestError,
  createConnector,
  createLink,
  createRef,
  IssueNotFoundError,
  IssuePayloadContractError,
  LinkType,
  RateLimitedError,
} from '@spec-kitty/core';
import { MalformedCursorError, PageWalkLimitError } from '@spec-kitty/core/http';
import {
  LINEAR_ENDPOINT,
  type LinearFake,
  linearSchemaPath,
  loadLinearSchema,
} from '@spec-kitty/fake-trackers/linear';
import { parse, validate } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LinearConnector } from './linear-connector';
import { ALL_DOCUMENTS } from './linear-queries';
import { API_KEY, connectorFor, localIssue, startFake } from './test-helpers';
import { VERSION } from './version';
import './index';

describe('Linear GraphQL documents', () => {
  it.skipIf(linearSchemaPath() === null)("every document is valid against Linear's published schema", () => {
    const schema = loadLinearSchema('published');
    for (const [name, document] of Object.entries(ALL_DOCUMENTS)) {
      expect(validate(schema, parse(document)).map((e) => `${name}: ${e.message}`)).toEqual([]);
    }
  });

  it('every document is valid against the schema reconstructed from @linear/sdk', () => {
    const schema = loadLinearSchema('reconstructed');
    for (const [name, document] of Object.entries(ALL_DOCUMENTS)) {
      expect(validate(schema, parse(document)).map((e) => `${name}: ${e.message}`)).toEqual([]);
    }
  });
});

describe('config', () => {
  it('keeps the original message for a missing api key or team id', () => {
    expect(() => connectorForConfig({ apiKey: ' ', teamId: 't' })).toThrow(
      'Linear api_key and team_id are required',
    );
    expect(() => connectorForConfig({ apiKey: 'k', teamId: '' })).toThrow(ConnectorConfigError);
    expect(() => createConnector('linear', { apiKey: 'k', teamId: ' ' })).toThrow(
      /Linear api_key and team_id are required/,
    );
  });

  it('types the config of createConnector("linear", …) through ConnectorTypes', () => {
    // @ts-expect-error teamId is required
    expect(() => createConnector('linear', { apiKey: 'k' })).toThrow(ConnectorConfigError);
    const badMapping = { closed: 's' };
    const withBadMapping = () =>
      // @ts-expect-error statusToStateId keys are canonical statuses
      createConnector('linear', { apiKey: 'k', teamId: 't', statusToStateId: badMapping });
    expect(withBadMapping).toThrow();
  });

  it('fills defaults and rejects unknown keys and bad status mappings', () => {
    const connector = createConnector('linear', { apiKey: 'k', teamId: 't' }) as LinearConnector;
    expect(connector.config).toMatchObject({
      workspace: 'linear',
      graphqlUrl: 'https://api.linear.app/graphql',
      statusToStateId: {},
      overlapMs: 1000,
    });
    expect(() => createConnector('linear', { apiKey: 'k', teamId: 't', team: 'x' } as never)).toThrow(
      ConnectorConfigError,
    );
    expect(() =>
      createConnector('linear', { apiKey: 'k', teamId: 't', statusToStateId: { finished: 's' } } as never),
    ).toThrow(/statusToStateId/);
  });

  it('the constructor takes the config input and validates it with the schema (defaults, unknown keys)', () => {
    expect(new LinearConnector({ apiKey: 'k', teamId: 't' }).config).toMatchObject({
      workspace: 'linear',
      graphqlUrl: 'https://api.linear.app/graphql',
      overlapMs: 1000,
    });
    expect(() => new LinearConnector({ apiKey: 'k', teamId: 't', team: 'x' } as never)).toThrow(
      /Invalid config for connector "linear"/,
    );
    expect(() => new LinearConnector({ apiKey: 'k', teamId: 't', graphqlUrl: 'not a url' })).toThrow(
      /graphqlUrl: graphqlUrl must be a URL/,
    );
  });

  function connectorForConfig(partial: { apiKey: string; teamId: string }) {
    return new LinearConnector({
      ...partial,
      workspace: 'linear',
      graphqlUrl: 'https://api.linear.app/graphql',
      statusToStateId: {},
      overlapMs: 0,
    });
  }
});

describe('LinearConnector against the Linear fake', () => {
  let fake: LinearFake;
  beforeEach(async () => {
    fake = await startFake();
  });
  afterEach(async () => {
    await fake.close();
    fake.server.assertNoViolations();
  });

  it('maps issues like the original and sends the raw API key (no Bearer)', async () => {
    const team = fake.state.defaultTeam;
    const label = fake.state.addLabel({ name: 'bug', teamId: team.id });
    const parent = fake.state.addIssue({ teamId: team.id, title: 'Parent' });
    fake.state.addIssue({
      teamId: team.id,
      title: 'Child',
      description: 'Body',
      priority: 1,
      labelIds: [label.id],
      parentId: parent.id,
      assigneeId: fake.state.viewerId,
      stateId: fake.state.stateByName(team.id, 'In Review').id,
    });
    const page = await connectorFor(fake).listIssues({ updatedSince: null, cursor: null, limit: 50 });
    expect(page.nextCursor).toBeNull();
    const child = page.items.find((issue) => issue.title === 'Child');
    expect(child).toMatchObject({
      ref: { system: 'linear', workspace: 'linear', key: 'ENG-2' },
      body: 'Body',
      status: 'in_review',
      issueType: 'task',
      priority: 0,
      labels: ['bug'],
      assignees: [fake.state.viewerId],
      parent: { id: parent.id, key: 'ENG-1' },
    });
    expect(child?.ref.url).toMatch(/^https:\/\/linear\.app\/acme\/issue\/ENG-2\//);
    expect(JSON.stringify(child?.raw)).not.toContain(API_KEY);
  });

  it("asks for Linear's maximum page size (250) when the caller asks for more", async () => {
    const team = fake.state.defaultTeam;
    for (let i = 0; i < 260; i += 1) fake.state.addIssue({ teamId: team.id, title: `Issue ${i}` });
    const connector = connectorFor(fake);
    const first = await connector.listIssues({ updatedSince: null, cursor: null, limit: 1000 });
    expect(first.items).toHaveLength(250);
    expect(fake.operations[0]?.variables.first).toBe(250);
    expect(fake.operations[0]?.complexity).toBeLessThan(10_000);
    const second = await connector.listIssues({ updatedSince: null, cursor: first.nextCursor, limit: 1000 });
    expect(second.items).toHaveLength(10);
    // Two pages were read: the catch-up pass (nothing changed meanwhile) ends the scan.
    const third = await connector.listIssues({ updatedSince: null, cursor: second.nextCursor, limit: 1000 });
    expect(third).toEqual({ items: [], nextCursor: null });
    expect(fake.operationCount('ListIssues')).toBe(3);
  });

  it('filters by team, updatedSince (with overlap), query_text and title_contains', async () => {
    const team = fake.state.defaultTeam;
    const other = fake.state.addTeam({ key: 'OPS', name: 'Ops' });
    fake.state.addIssue({ teamId: other.id, title: 'Other team' });
    const old = fake.state.addIssue({ teamId: team.id, title: 'Old Alpha' });
    const fresh = fake.state.addIssue({ teamId: team.id, title: 'Fresh alpha' });
    const connector = connectorFor(fake, { overlapMs: 0 });
    const titles = async (query: Partial<Parameters<LinearConnector['listIssues']>[0]>) =>
      (await connector.listIssues({ updatedSince: null, cursor: null, limit: 50, ...query })).items.map(
        (i) => i.title,
      );
    expect(await titles({})).toEqual(['Fresh alpha', 'Old Alpha']);
    expect(await titles({ updatedSince: fresh.updatedAt })).toEqual(['Fresh alpha']);
    expect(await titles({ filters: { query_text: 'ALPHA' } })).toEqual(['Fresh alpha', 'Old Alpha']);
    expect(await titles({ filters: { title_contains: 'Alpha' } })).toEqual(['Old Alpha']);
    const withOverlap = connectorFor(fake, {
      overlapMs: fresh.updatedAt.getTime() - old.updatedAt.getTime(),
    });
    expect(
      (await withOverlap.listIssues({ updatedSince: fresh.updatedAt, cursor: null, limit: 50 })).items,
    ).toHaveLength(2);
    const variables = fake.operations.at(-1)?.variables as { filter: Record<string, unknown> };
    const since = old.updatedAt.toISOString();
    expect(variables.filter).toEqual({
      team: { id: { eq: team.id } },
      or: [{ updatedAt: { gte: since } }, { activity: { some: { createdAt: { gte: since } } } }],
    });
  });

  it('query_key looks one issue up by identifier, scoped to the team', async () => {
    const other = fake.state.addTeam({ key: 'OPS', name: 'Ops' });
    fake.state.addIssue({ teamId: fake.state.defaultTeam.id, title: 'Mine' });
    fake.state.addIssue({ teamId: other.id, title: 'Theirs' });
    const connector = connectorFor(fake);
    const mine = await connector.listIssues({
      updatedSince: null,
      cursor: null,
      limit: 5,
      filters: { query_key: 'ENG-1' },
    });
    expect(mine.items.map((i) => i.title)).toEqual(['Mine']);
    const theirs = await connector.listIssues({
      updatedSince: null,
      cursor: null,
      limit: 5,
      filters: { query_key: 'OPS-1' },
    });
    expect(theirs.items).toEqual([]);
    const missing = await connector.listIssues({
      updatedSince: null,
      cursor: null,
      limit: 5,
      filters: { query_key: 'ENG-99' },
    });
    expect(missing).toEqual({ items: [], nextCursor: null });
  });

  it('never misses an issue updated during an incremental scan, and de-duplicates the boundary', async () => {
    const team = fake.state.defaultTeam;
    const issues = Array.from({ length: 7 }, (_, i) =>
      fake.state.addIssue({ teamId: team.id, title: `Issue ${i}` }),
    );
    const since = issues[0]?.updatedAt as Date;
    const connector = connectorFor(fake, { overlapMs: 0 });
    // After the first page has been served, someone updates an issue the scan has not reached yet.
    let served = 0;
    fake.beforeOperation = (op) => {
      if (op.operationName === 'ListIssues' && ++served === 2) {
        fake.state.touchIssue(issues[1]?.id as string, { title: 'Updated mid-scan' });
      }
    };
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await connector.listIssues({ updatedSince: since, cursor, limit: 3 });
      seen.push(...page.items.map((i) => i.title));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toContain('Updated mid-scan');
    // Every issue seen, the newest (boundary) issue exactly once.
    expect(seen.filter((title) => title === 'Issue 6')).toHaveLength(1);
    expect(new Set(seen)).toEqual(
      new Set(['Issue 0', 'Updated mid-scan', 'Issue 2', 'Issue 3', 'Issue 4', 'Issue 5', 'Issue 6']),
    );
    // Two pages of the main pass (the updated issue left the unread part) + one catch-up page.
    expect(fake.operationCount('ListIssues')).toBe(3);
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      connectorFor(fake).listIssues({
        updatedSince: null,
        cursor: null,
        limit: 5,
        signal: controller.signal,
      }),
    ).rejects.toThrow();
    expect(fake.server.callCount()).toBe(0);
  });

  it('names a parent that is not a Linear issue', async () => {
    const error = await connectorFor(fake)
      .createIssue(
        localIssue('p', { parent: createRef({ system: 'memory', workspace: 'local', id: 'parent-1' }) }),
      )
      .catch((e: unknown) => e);
    expect(IssueNotFoundError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('Linear parent issue not found: parent-1');
    expect(fake.state.issues.size).toBe(0);
  });

  it('a single-page incremental pull costs exactly one request', async () => {
    fake.state.addIssue({ teamId: fake.state.defaultTeam.id, title: 'One' });
    const page = await connectorFor(fake).listIssues({ updatedSince: new Date(0), cursor: null, limit: 100 });
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).toBeNull();
    expect(fake.server.callCount(LINEAR_ENDPOINT)).toBe(1);
  });

  it("accepts a bare Linear endCursor (the original's cursor format) and rejects a corrupted one", async () => {
    const team = fake.state.defaultTeam;
    for (let i = 0; i < 3; i += 1) fake.state.addIssue({ teamId: team.id, title: `Issue ${i}` });
    const connector = connectorFor(fake);
    const raw = await fetch(fake.graphqlUrl, {
      method: 'POST',
      headers: { authorization: API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ issues(first: 1, orderBy: updatedAt) { pageInfo { endCursor } } }' }),
    });
    const endCursor = ((await raw.json()) as { data: { issues: { pageInfo: { endCursor: string } } } }).data
      .issues.pageInfo.endCursor;
    const rest = await connector.listIssues({ updatedSince: null, cursor: endCursor, limit: 5 });
    expect(rest.items.map((i) => i.title)).toEqual(['Issue 1', 'Issue 0']);
    const malformed = await connector
      .listIssues({ updatedSince: null, cursor: 'lin1.!!!', limit: 2 })
      .catch((error: unknown) => error);
    // The one malformed-cursor error every connector raises.
    expect(MalformedCursorError.isInstance(malformed)).toBe(true);
    expect(String(malformed)).toMatch(/Linear: malformed listIssues cursor "lin1.!!!"/);
  });

  it("reports Linear's RATELIMITED answer as rate_limit with retryAfterSeconds from the reset header", async () => {
    fake.rateLimit({ resetInMs: 600_000 });
    const error = await connectorFor(fake)
      .listIssues({ updatedSince: null, cursor: null, limit: 5 })
      .catch((e: unknown) => e);
    // Ten minutes is longer than the client waits: a RateLimitedError (not retried) with resetAt.
    expect(RateLimitedError.isInstance(error)).toBe(true);
    const failure = error as RateLimitedError;
    expect(failure.failureClass).toBe('rate_limit');
    expect(failure.isRetryable).toBe(false);
    expect(failure.resetAt.getTime()).toBeGreaterThan(Date.now() + 590_000);
    expect(failure.retryAfterSeconds).toBeGreaterThan(590);
    expect(failure.retryAfterSeconds).toBeLessThanOrEqual(600);
    expect(failure.message).not.toContain(API_KEY);
  });

  it('also reads RATELIMITED delivered inside an HTTP 200 body', async () => {
    const reset = Date.now() + 700_000;
    fake.server.injectFault({
      endpoint: LINEAR_ENDPOINT,
      times: 5,
      fault: {
        kind: 'status',
        status: 200,
        headers: { 'x-ratelimit-requests-remaining': '0', 'x-ratelimit-requests-reset': String(reset) },
        body: {
          errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATELIMITED' } }],
          data: null,
        },
      },
    });
    const error = await connectorFor(fake)
      .getIssue(createRef({ system: 'linear', workspace: 'linear', id: 'ENG-1' }))
      .catch((e: unknown) => e);
    expect((error as ConnectorRequestError).failureClass).toBe('rate_limit');
    expect((error as ConnectorRequestError).retryAfterSeconds).toBeGreaterThan(690);
  });

  it('waits out a short rate limit on a query and succeeds', async () => {
    fake.rateLimit({ resetInMs: 300 });
    const page = await connectorFor(fake).listIssues({ updatedSince: null, cursor: null, limit: 5 });
    expect(page.items).toEqual([]);
    expect(fake.operationCount('ListIssues')).toBe(2);
  });

  it('reports a bad API key as an authentication failure without echoing the key', async () => {
    const error = await connectorFor(fake, { apiKey: 'lin_api_wrong_key' })
      .getIssue(createRef({ system: 'linear', workspace: 'linear', id: 'x' }))
      .catch((e: unknown) => e);
    expect((error as ConnectorRequestError).failureClass).toBe('authentication');
    expect(String(error)).not.toContain('lin_api_wrong_key');
  });

  it('getIssue of a missing issue throws IssueNotFoundError (the original threw ConnectorRequestError)', async () => {
    const error = await connectorFor(fake)
      .getIssue(
        createRef({ system: 'linear', workspace: 'linear', id: 'b3d5f2a4-0000-4000-8000-000000000000' }),
      )
      .catch((e: unknown) => e);
    expect(IssueNotFoundError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('Linear issue not found: b3d5f2a4-0000-4000-8000-000000000000');
  });

  it('also maps "Entity not found" answered with HTTP 400 to IssueNotFoundError', async () => {
    fake.server.injectFault({
      endpoint: LINEAR_ENDPOINT,
      fault: {
        kind: 'status',
        status: 400,
        body: { errors: [{ message: 'Entity not found: Issue', extensions: { code: 'INPUT_ERROR' } }] },
      },
    });
    const error = await connectorFor(fake)
      .getIssue(createRef({ system: 'linear', workspace: 'linear', id: 'ENG-77' }))
      .catch((e: unknown) => e);
    expect(IssueNotFoundError.isInstance(error)).toBe(true);
  });

  it('treats {"data":{"issue":null}} as not found: getIssue throws IssueNotFoundError, a key search is empty', async () => {
    const nullIssue = {
      kind: 'status' as const,
      status: 200,
      body: { data: { issue: null } },
    };
    fake.server.injectFault({ endpoint: LINEAR_ENDPOINT, fault: nullIssue });
    const error = await connectorFor(fake)
      .getIssue(createRef({ system: 'linear', workspace: 'linear', id: 'ENG-404' }))
      .catch((e: unknown) => e);
    expect(IssueNotFoundError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('Linear issue not found: ENG-404');
    fake.server.injectFault({ endpoint: LINEAR_ENDPOINT, fault: nullIssue });
    const page = await connectorFor(fake).listIssues({
      updatedSince: null,
      cursor: null,
      limit: 5,
      filters: { query_key: 'ENG-404' },
    });
    expect(page).toEqual({ items: [], nextCursor: null });
    fake.server.injectFault({ endpoint: LINEAR_ENDPOINT, fault: nullIssue });
    const link = createLink({
      type: LinkType.RELATES_TO,
      target: createRef({ system: 'linear', workspace: 'linear', id: 'ENG-2' }),
    });
    const linkError = await connectorFor(fake)
      .upsertLink(createRef({ system: 'linear', workspace: 'linear', id: 'ENG-404' }), link)
      .catch((e: unknown) => e);
    expect(IssueNotFoundError.isInstance(linkError)).toBe(true);
  });

  it('refuses to hand back the cursor a page was requested with (a pagination loop)', async () => {
    fake.server.injectFault({
      endpoint: LINEAR_ENDPOINT,
      fault: {
        kind: 'status',
        status: 200,
        body: { data: { issues: { nodes: [], pageInfo: { hasNextPage: true, endCursor: 'cur-7' } } } },
      },
    });
    const error = await connectorFor(fake)
      .listIssues({ updatedSince: null, cursor: 'cur-7', limit: 5 })
      .catch((e: unknown) => e);
    expect(PageWalkLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'repeated_cursor', provider: 'linear' });
  });

  it('stops the team-labels walk on a repeated cursor and after maxPages', async () => {
    const teamLabelsLoop = {
      endpoint: LINEAR_ENDPOINT,
      times: Number.POSITIVE_INFINITY,
      match: (request: { body?: unknown }) =>
        (request.body as { operationName?: unknown } | undefined)?.operationName === 'TeamLabels',
      fault: {
        kind: 'status' as const,
        status: 200,
        body: { data: { issueLabels: { nodes: [], pageInfo: { hasNextPage: true, endCursor: 'lab-1' } } } },
      },
    };
    fake.server.injectFault(teamLabelsLoop);
    const error = await connectorFor(fake)
      .createIssue(localIssue('L1', { labels: ['bug'] }))
      .catch((e: unknown) => e);
    expect(PageWalkLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'repeated_cursor', pages: 2 });
    const capped = await connectorFor(fake, { maxPages: 1 })
      .createIssue(localIssue('L2', { labels: ['bug'] }))
      .catch((e: unknown) => e);
    expect(capped).toMatchObject({ reason: 'max_pages', pages: 1 });
    expect(fake.operationCount('CreateIssue')).toBe(0);
    fake.server.clearFaults();
  });

  it('creates issues with labels by id (creating missing labels), state, priority and parent', async () => {
    const team = fake.state.defaultTeam;
    fake.state.addLabel({ name: 'bug', teamId: null });
    const parent = fake.state.addIssue({ teamId: team.id, title: 'Parent' });
    const connector = connectorFor(fake);
    const created = await connector.createIssue(
      localIssue('1', {
        body: 'Hello',
        priority: 1,
        labels: ['bug', 'feature'],
        status: 'done',
        parent: createRef({ system: 'linear', workspace: 'linear', id: parent.id }),
      }),
    );
    expect(created).toMatchObject({
      title: 'Local 1',
      body: 'Hello',
      priority: 1,
      status: 'done',
      parent: { id: parent.id },
      ref: { system: 'linear', key: 'ENG-2' },
    });
    expect([...created.labels].sort()).toEqual(['bug', 'feature']);
    const stored = fake.state.issues.get(created.ref.id);
    expect(stored?.description).toMatch(/^Hello\n\n<!-- spec-kitty:sk1-[0-9a-f]{24} -->$/);
    expect([...fake.state.labels.values()].map((l) => [l.name, l.teamId])).toEqual([
      ['bug', null],
      ['feature', team.id],
    ]);
    // One create mutation, no re-fetch (the issue comes back in the payload).
    expect(fake.operationCount('CreateIssue')).toBe(1);
    expect(fake.operationCount('GetIssue')).toBe(0);
  });

  it('a retried create with the same idempotency key returns the first issue instead of a duplicate', async () => {
    const connector = connectorFor(fake);
    const first = await connector.createIssue(localIssue('7'), { idempotencyKey: 'sync:memory:local:7' });
    const again = await connector.createIssue(localIssue('7'), { idempotencyKey: 'sync:memory:local:7' });
    expect(again.ref.id).toBe(first.ref.id);
    expect(fake.state.issues.size).toBe(1);
    fake.server.violations.length = 0;
  });

  it('an ambiguous create failure (connection dropped after the write) leaves exactly one issue', async () => {
    const connector = connectorFor(fake);
    fake.server.injectFault({
      endpoint: LINEAR_ENDPOINT,
      match: (r) => r.rawBody.includes('CreateIssue'),
      fault: { kind: 'crash-after-write' },
    });
    const created = await connector.createIssue(localIssue('9'), { idempotencyKey: 'sync:memory:local:9' });
    expect(created.title).toBe('Local 9');
    expect(fake.state.issues.size).toBe(1);
    expect(fake.operationCount('FindCreatedIssue')).toBe(1);
    // And findCreatedIssue finds it by marker / id; a different key finds nothing.
    expect(
      (await connector.findCreatedIssue(localIssue('9'), { idempotencyKey: 'sync:memory:local:9' }))?.ref.id,
    ).toBe(created.ref.id);
    expect(await connector.findCreatedIssue(localIssue('9'), { idempotencyKey: 'other' })).toBeNull();
  });

  it('updates fields, clears the parent, and never guesses a status', async () => {
    const team = fake.state.defaultTeam;
    const parent = fake.state.addIssue({ teamId: team.id, title: 'Parent' });
    const issue = fake.state.addIssue({ teamId: team.id, title: 'Task', parentId: parent.id });
    const connector = connectorFor(fake);
    const ref = createRef({ system: 'linear', workspace: 'linear', id: issue.id });
    const updated = await connector.updateIssue(ref, {
      title: 'Renamed',
      body: null,
      priority: 2,
      parent: null,
      status: 'in_progress',
    });
    expect(updated).toMatchObject({
      title: 'Renamed',
      body: null,
      priority: 2,
      parent: null,
      status: 'in_progress',
    });
    // "canceled" has two candidate states (Canceled, Duplicate) in Linear's default workflow.
    const error = await connector
      .updateIssue(ref, { status: 'canceled', title: 'Not written' })
      .catch((e: unknown) => e);
    expect(CapabilityNotSupportedError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('statusToStateId.canceled');
    expect((error as Error).message).toContain('Canceled, Duplicate');
    expect(fake.state.issues.get(issue.id)?.title).toBe('Renamed');
    // "done" has exactly one completed state: resolved by type; states are fetched once.
    expect((await connector.transitionIssue(ref, CanonicalStatus.DONE)).status).toBe('done');
    expect(fake.operationCount('TeamWorkflowStates')).toBe(1);
  });

  it('uses statusToStateId when given, without reading the workflow', async () => {
    const team = fake.state.defaultTeam;
    const duplicate = fake.state.stateByName(team.id, 'Duplicate');
    const issue = fake.state.addIssue({ teamId: team.id, title: 'Task' });
    const connector = connectorFor(fake, { statusToStateId: { canceled: duplicate.id } });
    const moved = await connector.transitionIssue(
      createRef({ system: 'linear', workspace: 'linear', id: issue.id }),
      'canceled',
    );
    expect(moved.status).toBe('canceled');
    expect(fake.state.issues.get(issue.id)?.stateId).toBe(duplicate.id);
    expect(fake.operationCount('TeamWorkflowStates')).toBe(0);
  });

  it('explains a stale statusToStateId or teamId as configuration errors', async () => {
    const issue = fake.state.addIssue({ teamId: fake.state.defaultTeam.id, title: 'Task' });
    const ref = createRef({ system: 'linear', workspace: 'linear', id: issue.id });
    const stale = connectorFor(fake, { statusToStateId: { done: '00000000-0000-4000-8000-000000000000' } });
    const error = await stale.transitionIssue(ref, 'done').catch((e: unknown) => e);
    expect(ConnectorConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('statusToStateId');
    const wrongTeam = connectorFor(fake, { teamId: 'no-such-team' });
    await expect(wrongTeam.createIssue(localIssue('t'))).rejects.toThrow(
      /Linear team not found: no-such-team/,
    );
  });

  it('uses a label someone else created after the labels were cached, instead of failing', async () => {
    const connector = connectorFor(fake);
    await connector.createIssue(localIssue('a', { labels: ['first'] }));
    fake.state.addLabel({ name: 'race', teamId: fake.state.defaultTeam.id });
    const created = await connector.createIssue(localIssue('b', { labels: ['race'] }));
    expect(created.labels).toEqual(['race']);
    expect([...fake.state.labels.values()].filter((l) => l.name === 'race')).toHaveLength(1);
  });

  it('rejects unknown patch keys before any write (PK-001)', async () => {
    const issue = fake.state.addIssue({ teamId: fake.state.defaultTeam.id, title: 'Task' });
    const ref = createRef({ system: 'linear', workspace: 'linear', id: issue.id });
    await expect(connectorFor(fake).updateIssue(ref, { bogus: 1 } as never)).rejects.toSatisfy((e) =>
      IssuePayloadContractError.isInstance(e),
    );
    expect(fake.server.callCount()).toBe(0);
  });

  it('upserts links once, in the right direction', async () => {
    const team = fake.state.defaultTeam;
    const a = fake.state.addIssue({ teamId: team.id, title: 'A' });
    const b = fake.state.addIssue({ teamId: team.id, title: 'B' });
    const c = fake.state.addIssue({ teamId: team.id, title: 'C' });
    const connector = connectorFor(fake);
    const ref = (id: string) => createRef({ system: 'linear', workspace: 'linear', id });
    await connector.upsertLink(ref(a.id), createLink({ type: LinkType.BLOCKED_BY, target: ref(b.id) }));
    await connector.upsertLink(ref(a.id), createLink({ type: LinkType.BLOCKED_BY, target: ref(b.id) }));
    // B blocks A: the relation's issue is the blocker.
    const relations = [...fake.state.relations.values()];
    expect(relations.map((r) => [r.issueId, r.relatedIssueId, r.type])).toEqual([[b.id, a.id, 'blocks']]);
    // The same fact stated from B's side is not written again.
    await connector.upsertLink(ref(b.id), createLink({ type: LinkType.BLOCKS, target: ref(a.id) }));
    await connector.upsertLink(ref(a.id), createLink({ type: LinkType.RELATES_TO, target: ref(c.id) }));
    await connector.upsertLink(ref(c.id), createLink({ type: LinkType.RELATES_TO, target: ref(a.id) }));
    await connector.upsertLink(ref(a.id), createLink({ type: LinkType.DUPLICATES, target: ref(c.id) }));
    expect([...fake.state.relations.values()].map((r) => r.type)).toEqual(['blocks', 'related', 'duplicate']);
    expect(fake.operationCount('CreateIssueRelation')).toBe(3);
    await connector.upsertLink(ref(a.id), createLink({ type: LinkType.CHILD_OF, target: ref(c.id) }));
    await connector.upsertLink(ref(c.id), createLink({ type: LinkType.PARENT_OF, target: ref(a.id) }));
    expect(fake.state.issues.get(a.id)?.parentId).toBe(c.id);
    expect(fake.operationCount('UpdateIssue')).toBe(1);
  });

  it('adds comments and reports a missing issue as IssueNotFoundError', async () => {
    const issue = fake.state.addIssue({ teamId: fake.state.defaultTeam.id, title: 'Task' });
    const connector = connectorFor(fake);
    await connector.addComment(
      createRef({ system: 'linear', workspace: 'linear', id: issue.id }),
      'Looks good',
    );
    expect([...fake.state.comments.values()].map((c) => c.body)).toEqual(['Looks good']);
    await expect(
      connector.addComment(createRef({ system: 'linear', workspace: 'linear', id: 'ENG-404' }), 'x'),
    ).rejects.toSatisfy((e) => IssueNotFoundError.isInstance(e));
  });

  it('fetches the remaining labels of an issue with more than the inline 10', async () => {
    const team = fake.state.defaultTeam;
    const labels = Array.from({ length: 23 }, (_, i) =>
      fake.state.addLabel({ name: `l${i}`, teamId: team.id }),
    );
    const issue = fake.state.addIssue({ teamId: team.id, title: 'Busy', labelIds: labels.map((l) => l.id) });
    const got = await connectorFor(fake).getIssue(
      createRef({ system: 'linear', workspace: 'linear', id: issue.id }),
    );
    expect(new Set(got.labels)).toEqual(new Set(labels.map((l) => l.name)));
    expect(fake.operationCount('IssueLabelsPage')).toBe(1);
  });

  it('API-call budget: 10 creates with labels and a status cost 10 mutations plus 2 one-time lookups', async () => {
    fake.state.addLabel({ name: 'bug', teamId: fake.state.defaultTeam.id });
    const connector = connectorFor(fake);
    for (let i = 0; i < 10; i += 1) {
      await connector.createIssue(
        localIssue(`b${i}`, { labels: ['bug'], status: 'in_progress', priority: 2 }),
      );
    }
    // The original needed 20 requests (issueCreate + a re-fetch each) and sent an invalid input.
    expect(fake.operationCounts).toEqual(
      new Map([
        ['TeamLabels', 1],
        ['TeamWorkflowStates', 1],
        ['CreateIssue', 10],
      ]),
    );
    expect(fake.state.issues.size).toBe(10);
  });

  it('reports its capabilities and has no event stream', async () => {
    const connector = connectorFor(fake);
    expect(await connector.getCapabilities()).toMatchObject({
      supportsWebhooks: true,
      supportsMultiAssignee: false,
      supportsSprintsOrCycles: true,
      supportsBulkRead: true,
      supportsAssignment: false,
      supportsTerminalTransition: false,
    });
    expect(await connector.listEvents({ cursor: null, limit: 10 })).toEqual({ events: [], checkpoint: null });
  });
});

describe('Linear User-Agent', () => {
  it('names the package and version on every request', async () => {
    const fake = await startFake();
    try {
      const agents: (string | null)[] = [];
      const recording: typeof fetch = (input, init) => {
        const headers = new Headers(input instanceof Request ? input.headers : undefined);
        new Headers(init?.headers).forEach((value, name) => {
          headers.set(name, value);
        });
        agents.push(headers.get('user-agent'));
        return fetch(input, init);
      };
      const base = connectorFor(fake);
      const connector = new LinearConnector(base.config, { fetch: recording });
      const created = await connector.createIssue(localIssue('ua'), { idempotencyKey: 'ua' });
      await connector.getIssue(created.ref);
      await connector.listIssues({ updatedSince: null, cursor: null, limit: 10 });
      await connector.addComment(created.ref, 'hi');
      expect(agents.length).toBeGreaterThanOrEqual(4);
      expect(new Set(agents)).toEqual(
        new Set([`spec-kitty-tracker/@spec-kitty/connector-linear@${VERSION}`]),
      );
    } finally {
      await fake.close();
    }
  });
});
