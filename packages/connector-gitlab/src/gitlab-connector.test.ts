import { draftIssue } from '@spec-kitty/connector-testkit';
import {
  CanonicalStatus,
  ConnectorConfigError,
  ConnectorRequestError,
  createConnector,
  createLink,
  createRef,
  getConnectorDefinition,
  IssueNotFoundError,
  LinkType,
} from '@spec-kitty/core';
import { MalformedCursorError, PageWalkLimitError } from '@spec-kitty/core/http';
import { GitLabFake, type GitLabFakeOptions } from '@spec-kitty/fake-trackers/gitlab';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it } from 'vitest';
import { GitLabConnector } from './gitlab-connector';
import './index';
import { VERSION } from './version';

const track = useFakes();

const TOKEN = 'glpat-secret-token';

async function setup(options: GitLabFakeOptions = {}, projectId?: string) {
  const fake = await track(new GitLabFake({ token: TOKEN, ...options }).start());
  const group = fake.state.addGroup({ id: 5, path: 'acme' });
  const project = fake.state.addProject({ id: 42, path: 'web', groupId: group.id });
  const urls: string[] = [];
  const agents: (string | null)[] = [];
  const recordingFetch: typeof fetch = (input, init) => {
    urls.push(input instanceof Request ? input.url : String(input));
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init?.headers).forEach((value, name) => {
      headers.set(name, value);
    });
    agents.push(headers.get('user-agent'));
    return fetch(input, init);
  };
  const connector = createConnector(
    'gitlab',
    {
      projectId: projectId ?? String(project.id),
      token: TOKEN,
      baseUrl: fake.apiUrl,
      // The REST contract alone: relation reads (GraphQL) are tested in gitlab-links.test.ts.
      readLinks: false,
    },
    { fetch: recordingFetch },
  ) as GitLabConnector;
  return { gl: fake, project, connector, urls, agents };
}

const ref = (id: string, workspace = '42') => createRef({ system: 'gitlab', workspace, id });

async function drain(
  connector: GitLabConnector,
  limit: number,
  updatedSince: Date | null = null,
  between?: (page: number) => void,
) {
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await connector.listIssues({ updatedSince, cursor, limit });
    pages += 1;
    seen.push(...page.items.map((issue) => issue.ref.id));
    cursor = page.nextCursor;
    between?.(pages);
  } while (cursor !== null && pages < 1000);
  return { seen, pages };
}

describe('GitLab definition', () => {
  it('registers on import with the original config message and hosted params', () => {
    const definition = getConnectorDefinition('gitlab');
    expect(definition.packageName).toBe('@spec-kitty/connector-gitlab');
    expect(definition.mode).toBe('hosted');
    expect(() => createConnector('gitlab', { projectId: ' ', token: 'x' })).toThrow(
      /GitLab project_id and token are required/,
    );
    expect(() => createConnector('gitlab', { projectId: '1', token: '' })).toThrow(ConnectorConfigError);
    expect(
      () => new GitLabConnector({ projectId: '', token: 't', baseUrl: 'https://gitlab.com/api/v4' }),
    ).toThrow('GitLab project_id and token are required');
    expect(definition.hosted?.paramsFromConnectorParams({ project_id: 7 })).toEqual({
      projectId: '7',
      baseUrl: 'https://gitlab.com/api/v4',
    });
    expect(() => definition.hosted?.paramsFromConnectorParams({ base_url: 'x' })).toThrow(
      "Missing required connector_params keys: ['project_id']",
    );
    expect(definition.hosted?.toConfig({ projectId: '7', baseUrl: 'https://gitlab.example/api/v4' })).toEqual(
      {
        projectId: '7',
        token: 'nango-managed',
        baseUrl: 'https://gitlab.example/api/v4',
      },
    );
  });

  it('reports assignment and terminal transitions truthfully', async () => {
    const { connector } = await setup();
    const caps = await connector.getCapabilities();
    expect(caps.supportsAssignment).toBe(true);
    expect(caps.supportsTerminalTransition).toBe(true);
    expect(caps.supportsComments).toBe(true);
    expect(caps.supportsCustomFields).toBe(false);
  });
});

describe('GitLabConnector against the fake', () => {
  it('creates, reads, updates and maps issues; assignees round-trip through the users API (cached)', async () => {
    const { gl, connector } = await setup();
    gl.state.addUser({ id: 7, username: 'alice' });
    const created = await connector.createIssue(
      draftIssue({ title: 'Login fails', body: 'Steps', labels: ['bug', 'ui'], assignees: ['alice'] }),
    );
    expect(created.ref).toMatchObject({ system: 'gitlab', workspace: '42', id: '1', key: '1' });
    expect(created).toMatchObject({
      title: 'Login fails',
      body: 'Steps',
      issueType: 'bug',
      status: 'todo',
      assignees: ['alice'],
      labels: ['bug', 'ui'],
    });
    expect(gl.state.getIssue(42, 1)?.assignee_ids).toEqual([7]);
    await connector.createIssue(draftIssue({ title: 'Second', assignees: ['alice'] }));
    expect(gl.callCount('GET /users')).toBe(1);

    const updated = await connector.updateIssue(created.ref, {
      title: 'Login fails on Safari',
      body: null,
      labels: ['ui'],
    });
    expect(updated).toMatchObject({
      title: 'Login fails on Safari',
      body: null,
      issueType: 'task',
      labels: ['ui'],
    });
    const fetched = await connector.getIssue(created.ref);
    expect(fetched.title).toBe('Login fails on Safari');
    expect(fetched.updatedAt).toBeInstanceOf(Date);
    await expect(connector.updateIssue(created.ref, { assignees: ['nobody'] })).rejects.toThrow(
      /GitLab user "nobody" not found/,
    );
  });

  it('sends state_event only when the state really changes', async () => {
    const { gl, connector } = await setup();
    gl.state.addIssue(42, { title: 'Open one' });
    const target = ref('1');
    const still = await connector.transitionIssue(target, CanonicalStatus.IN_PROGRESS);
    expect(still.status).toBe('todo');
    expect(gl.callCount('PUT /projects/{id}/issues/{iid}')).toBe(0);
    const closed = await connector.transitionIssue(target, CanonicalStatus.DONE);
    expect(closed.status).toBe('done');
    expect(gl.callCount('PUT /projects/{id}/issues/{iid}')).toBe(1);
    await connector.transitionIssue(target, CanonicalStatus.CANCELED);
    expect(gl.callCount('PUT /projects/{id}/issues/{iid}')).toBe(1);
    // Title + status in one patch: one PUT for the fields, one for the state change.
    const reopened = await connector.updateIssue(target, { title: 'Back', status: CanonicalStatus.TODO });
    expect(reopened).toMatchObject({ title: 'Back', status: 'todo' });
    expect(gl.callCount('PUT /projects/{id}/issues/{iid}')).toBe(3);
    await connector.updateIssue(target, { title: 'Again', status: CanonicalStatus.IN_PROGRESS });
    expect(gl.callCount('PUT /projects/{id}/issues/{iid}')).toBe(4);
    // Creating an issue that is already done closes it right away.
    const done = await connector.createIssue(draftIssue({ title: 'Was done', status: CanonicalStatus.DONE }));
    expect(done.status).toBe('done');
  });

  it('round-trips non-terminal statuses through optional status labels, hidden from labels', async () => {
    const gl = await track(new GitLabFake({ token: TOKEN }).start());
    gl.state.addProject({ id: 42, path: 'web' });
    const connector = createConnector('gitlab', {
      projectId: '42',
      token: TOKEN,
      baseUrl: gl.apiUrl,
      statusLabels: {
        in_progress: 'workflow::doing',
        in_review: 'workflow::review',
        blocked: 'workflow::blocked',
        canceled: 'workflow::canceled',
      },
    });
    const created = await connector.createIssue(
      draftIssue({ title: 'Labelled', labels: ['ui'], status: CanonicalStatus.IN_PROGRESS }),
    );
    expect(created).toMatchObject({ status: 'in_progress', labels: ['ui'] });
    expect(gl.state.getIssue(42, 1)?.labels).toEqual(['ui', 'workflow::doing']);
    const review = await connector.transitionIssue(created.ref, CanonicalStatus.IN_REVIEW);
    expect(review).toMatchObject({ status: 'in_review', labels: ['ui'] });
    expect(gl.state.getIssue(42, 1)?.labels).toEqual(['ui', 'workflow::review']);
    gl.resetCalls();
    await connector.transitionIssue(created.ref, CanonicalStatus.IN_REVIEW);
    expect(gl.callsByEndpoint()).toEqual({ 'GET /projects/{id}/issues/{iid}': 1 });
    const canceled = await connector.transitionIssue(created.ref, CanonicalStatus.CANCELED);
    expect(canceled.status).toBe('canceled');
    expect(gl.state.getIssue(42, 1)).toMatchObject({ state: 'closed', labels: ['ui', 'workflow::canceled'] });
    expect(gl.callCount('PUT /projects/{id}/issues/{iid}')).toBe(1);
    // A labels-only patch keeps the current status label.
    const relabelled = await connector.updateIssue(created.ref, { labels: ['api'] });
    expect(relabelled).toMatchObject({ status: 'canceled', labels: ['api'] });
    const reopened = await connector.transitionIssue(created.ref, CanonicalStatus.TODO);
    expect(reopened).toMatchObject({ status: 'todo', labels: ['api'] });
    expect(gl.state.getIssue(42, 1)).toMatchObject({ state: 'opened', labels: ['api'] });
    expect(() =>
      createConnector('gitlab', { projectId: '1', token: 't', statusLabels: { doing: 'x' } as never }),
    ).toThrow(ConnectorConfigError);
  });

  it('URL-encodes project paths', async () => {
    const { gl, connector, urls } = await setup({}, 'acme/web');
    gl.state.addIssue(42, { title: 'By path' });
    const issue = await connector.getIssue(ref('1', 'acme/web'));
    expect(issue.ref.workspace).toBe('acme/web');
    expect(urls[0]).toContain('/projects/acme%2Fweb/issues/1');
  });

  it('maps 404 to IssueNotFoundError and keeps the token out of errors', async () => {
    const { connector, gl } = await setup();
    const error = await connector.getIssue(ref('99')).catch((caught: unknown) => caught);
    expect(IssueNotFoundError.isInstance(error)).toBe(true);
    expect(String(error)).toContain('GitLab issue #99 not found in project 42');
    const bad = new GitLabConnector({ projectId: '42', token: 'wrong-token', baseUrl: gl.apiUrl });
    const denied = await bad.getIssue(ref('1')).catch((caught: unknown) => caught);
    expect(ConnectorRequestError.isInstance(denied)).toBe(true);
    expect((denied as ConnectorRequestError).failureClass).toBe('authentication');
    expect(String(denied)).not.toContain('wrong-token');
  });

  it('pages through issues sharing one updated_at, excluding those already returned', async () => {
    const { gl, connector } = await setup();
    for (const title of ['A', 'B', 'C'])
      gl.state.addIssue(42, { title, updated_at: '2026-01-01T00:00:00.000Z' });
    gl.resetCalls();
    const titles: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await connector.listIssues({ updatedSince: null, cursor, limit: 2 });
      titles.push(...page.items.map((issue) => issue.title));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(titles.sort()).toEqual(['A', 'B', 'C']);
    // The second call excludes A and B (`not[iids][]`), so C alone fills it: no third call.
    expect(gl.callCount('GET /projects/{id}/issues')).toBe(2);
  });

  it('pages by offset inside one updated_at shared by many issues, at most maxPages pages', async () => {
    const { gl, connector } = await setup();
    for (let index = 0; index < 25; index += 1)
      gl.state.addIssue(42, { title: `T${index}`, updated_at: '2026-01-01T00:00:00.000Z' });
    const titles: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await connector.listIssues({ updatedSince: null, cursor, limit: 21 });
      titles.push(...page.items.map((issue) => issue.title));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(new Set(titles).size).toBe(25);
    const capped = new GitLabConnector({ projectId: '42', token: TOKEN, baseUrl: gl.apiUrl, maxPages: 1 });
    const first = await capped.listIssues({ updatedSince: null, cursor: null, limit: 21 });
    const error = await capped
      .listIssues({ updatedSince: null, cursor: first.nextCursor, limit: 21 })
      .catch((e: unknown) => e);
    expect(PageWalkLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'max_pages', pages: 1, provider: 'gitlab' });
  });

  it("sends labels as arrays and link ids as strings, the forms GitLab's OpenAPI description declares", async () => {
    const { gl } = await setup();
    gl.state.addIssue(42, { title: 'Target' });
    const bodies: Record<string, unknown>[] = [];
    const recording = new GitLabConnector(
      { projectId: '42', token: TOKEN, baseUrl: gl.apiUrl },
      {
        fetch: async (input, init) => {
          const request = new Request(input, init);
          if (request.method !== 'GET')
            bodies.push((await request.clone().json()) as Record<string, unknown>);
          return fetch(request);
        },
      },
    );
    const created = await recording.createIssue(draftIssue({ title: 'Labelled', labels: ['bug', 'ui'] }));
    await recording.updateIssue(created.ref, { labels: ['ui'] });
    await recording.upsertLink(created.ref, createLink({ type: LinkType.RELATES_TO, target: ref('1') }));
    expect(bodies[0]).toMatchObject({ labels: ['bug', 'ui'] });
    expect(bodies[1]).toMatchObject({ labels: ['ui'] });
    expect(bodies[2]).toMatchObject({ target_project_id: '42', target_issue_iid: '1' });
    expect(gl.state.getIssue(42, Number(created.ref.id))?.labels).toEqual(['ui']);
  });

  it('upserts links idempotently through the links API and adds notes', async () => {
    const { gl, connector } = await setup();
    gl.state.addIssue(42, { title: 'A' });
    gl.state.addIssue(42, { title: 'B' });
    const link = createLink({ type: LinkType.BLOCKED_BY, target: ref('2') });
    await connector.upsertLink(ref('1'), link);
    await connector.upsertLink(ref('1'), link);
    expect(gl.state.links).toHaveLength(1);
    expect(gl.state.links[0]).toMatchObject({ source_iid: 1, target_iid: 2, link_type: 'is_blocked_by' });
    await connector.addComment(ref('1'), 'Looks good');
    expect(gl.state.notes.get('42#1')?.map((note) => note.body)).toEqual(['Looks good']);
    await expect(connector.addComment(ref('77'), 'x')).rejects.toSatisfy((error) =>
      IssueNotFoundError.isInstance(error),
    );
  });

  it('strips the create marker from bodies even when text was typed after it', async () => {
    const { gl, connector } = await setup();
    gl.state.addIssue(42, {
      title: 'T',
      description: 'Intro\n\n<!-- spec-kitty-create:sync:x -->\nAdded later',
    });
    gl.state.addIssue(42, { title: 'U', description: '<!-- spec-kitty-create:sync:y -->' });
    expect((await connector.getIssue(ref('1'))).body).toBe('Intro\n\n\nAdded later');
    expect((await connector.getIssue(ref('2'))).body).toBeNull();
  });

  it('finds an issue whose create crashed after the write, by its hidden marker', async () => {
    const { gl, connector } = await setup();
    gl.state.addIssue(42, { title: 'Crash me', description: 'someone else' });
    gl.injectFault({ endpoint: 'POST /projects/{id}/issues', fault: { kind: 'crash-after-write' } });
    const issue = draftIssue({ title: 'Crash me', body: 'Body text' });
    await expect(
      connector.createIssue(issue, { idempotencyKey: 'sync:local:here:Crash me' }),
    ).rejects.toThrow();
    expect(gl.state.projectIssues(42)).toHaveLength(2);
    const found = await connector.findCreatedIssue(issue, { idempotencyKey: 'sync:local:here:Crash me' });
    expect(found?.ref.id).toBe('2');
    expect(found?.body).toBe('Body text');
    expect(gl.state.getIssue(42, 2)?.description).toContain(
      '<!-- spec-kitty:idempotency-key=sync%3Alocal%3Ahere%3ACrash%20me -->',
    );
    expect(await connector.findCreatedIssue(issue, { idempotencyKey: 'sync:other' })).toBeNull();
    expect(await connector.findCreatedIssue(issue, {})).toBeNull();
  });
});

describe('GitLab User-Agent', () => {
  it('names the package and version on every request', async () => {
    const { connector, agents } = await setup();
    const created = await connector.createIssue(draftIssue({ title: 'UA' }), { idempotencyKey: 'ua' });
    await connector.getIssue(created.ref);
    await connector.listIssues({ updatedSince: null, cursor: null, limit: 10 });
    await connector.addComment(created.ref, 'hi');
    expect(agents.length).toBeGreaterThanOrEqual(4);
    expect(new Set(agents)).toEqual(new Set([`spec-kitty-tracker/@spec-kitty/connector-gitlab@${VERSION}`]));
  });
});

describe('GitLab create markers written by earlier versions', () => {
  it('finds an issue created with the old spec-kitty-create marker and reads its body without it', async () => {
    const { gl, connector } = await setup();
    const key = 'sync:local:wp--01:Old create';
    gl.state.addIssue(42, {
      title: 'Old create',
      description: 'Body\n\n<!-- spec-kitty-create:sync:local:wp-01:Old create -->',
    });
    gl.state.addIssue(42, {
      title: 'Old create',
      description: 'Other\n\n<!-- spec-kitty-create:sync:other -->',
    });
    const found = await connector.findCreatedIssue(draftIssue({ title: 'Old create' }), {
      idempotencyKey: key,
    });
    expect(found?.ref.id).toBe('1');
    expect(found?.body).toBe('Body');
    expect(
      await connector.findCreatedIssue(draftIssue({ title: 'Old create' }), {
        idempotencyKey: 'sync:missing',
      }),
    ).toBeNull();
  });

  it('writes the shared marker format on create and strips it on read', async () => {
    const { gl, connector } = await setup();
    const created = await connector.createIssue(draftIssue({ title: 'New', body: 'Text' }), {
      idempotencyKey: 'k --> 1',
    });
    expect(gl.state.getIssue(42, Number(created.ref.id))?.description).toBe(
      'Text\n\n<!-- spec-kitty:idempotency-key=k%20--%3E%201 -->',
    );
    expect(created.body).toBe('Text');
    expect(
      (await connector.findCreatedIssue(draftIssue({ title: 'New' }), { idempotencyKey: 'k --> 1' }))?.ref.id,
    ).toBe(created.ref.id);
  });
});

describe('GitLab listIssues pagination', () => {
  it('pages by keyset over updated_at ascending and stops on X-Next-Page', async () => {
    const { gl, connector, urls } = await setup();
    gl.state.addManyIssues(42, 250);
    const { seen, pages } = await drain(connector, 100);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(250);
    expect(seen).toHaveLength(250);
    const first = new URL(urls[0] ?? '');
    expect(first.searchParams.get('order_by')).toBe('updated_at');
    expect(first.searchParams.get('sort')).toBe('asc');
    expect(first.searchParams.get('state')).toBe('all');
    expect(first.searchParams.get('per_page')).toBe('100');
    expect(new URL(urls[1] ?? '').searchParams.get('updated_after')).toBe(
      gl.state.getIssue(42, 100)?.updated_at,
    );
  });

  it('is correct when totals are omitted (above the totals limit) and when headers are stripped', async () => {
    const { gl, connector } = await setup({ totalsLimit: 50 });
    gl.state.addManyIssues(42, 120);
    const withLinks = await drain(connector, 50);
    expect(new Set(withLinks.seen).size).toBe(120);
    expect(withLinks.pages).toBe(3);
    gl.setPaginationHeaders(false);
    const stripped = await drain(connector, 50);
    expect(new Set(stripped.seen).size).toBe(120);
    expect(stripped.seen).toHaveLength(120);
    // Short-page stop: 50 + 50 + 20, no extra empty request.
    expect(stripped.pages).toBe(3);
    gl.resetCalls();
    const exact = await drain(connector, 40);
    // 120 = 3 full pages; without headers one more (empty) request proves the end.
    expect(exact.pages).toBe(4);
    expect(new Set(exact.seen).size).toBe(120);
  });

  it('never misses an issue updated mid-scan (offset pages would skip one)', async () => {
    const { gl, connector } = await setup();
    gl.state.addManyIssues(42, 9);
    const { seen } = await drain(connector, 3, null, (page) => {
      if (page === 1) gl.state.touchIssue(42, 1, { title: 'edited' });
    });
    expect(new Set(seen)).toEqual(new Set(['1', '2', '3', '4', '5', '6', '7', '8', '9']));
  });

  it('pages inside one timestamp when more than a page of issues share it, without duplicates', async () => {
    const { gl, connector } = await setup();
    const stamp = '2026-02-01T00:00:00.000Z';
    for (let index = 0; index < 7; index += 1)
      gl.state.addIssue(42, { title: `same ${index}`, created_at: stamp, updated_at: stamp });
    gl.state.addIssue(42, {
      title: 'later',
      created_at: '2026-02-02T00:00:00.000Z',
      updated_at: '2026-02-02T00:00:00.000Z',
    });
    const { seen } = await drain(connector, 3);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
  });

  it('falls back to offset paging when the server ignores order_by=updated_at', async () => {
    const { gl, connector } = await setup({ ignoreOrderBy: true });
    gl.state.addManyIssues(42, 11);
    const { seen } = await drain(connector, 3, null, (page) => {
      if (page === 1) gl.state.touchIssue(42, 5, { title: 'edited' });
    });
    expect(seen).toHaveLength(11);
    expect(new Set(seen).size).toBe(11);
  });

  it('pulls incrementally with updated_after minus the overlap window', async () => {
    const { gl, connector, urls } = await setup();
    gl.state.addManyIssues(42, 5);
    const since = new Date(gl.state.getIssue(42, 4)?.updated_at ?? '');
    const page = await connector.listIssues({ updatedSince: since, cursor: null, limit: 50 });
    expect(new URL(urls[0] ?? '').searchParams.get('updated_after')).toBe(
      new Date(since.getTime() - 1000).toISOString(),
    );
    // Issue 3 is inside the 1 s overlap (fake clock ticks 1 s per write), so it is returned again.
    expect(page.items.map((issue) => issue.ref.id)).toEqual(['3', '4', '5']);
    expect(page.nextCursor).toBeNull();
  });

  it('accepts the original bare page-number cursor and rejects garbage', async () => {
    const { gl, connector } = await setup();
    gl.state.addManyIssues(42, 5);
    const page = await connector.listIssues({ updatedSince: null, cursor: '2', limit: 2 });
    expect(page.items.map((issue) => issue.ref.id)).toEqual(['3', '4']);
    expect(page.nextCursor).toBe('3');
    await expect(
      connector.listIssues({ updatedSince: null, cursor: 'gl1.nonsense', limit: 2 }),
    ).rejects.toThrow(/malformed listIssues cursor/);
    await expect(
      connector.listIssues({ updatedSince: null, cursor: 'gl1.nonsense', limit: 2 }),
    ).rejects.toSatisfy((error) => MalformedCursorError.isInstance(error));
  });

  it('passes the search filter through', async () => {
    const { gl, connector } = await setup();
    gl.state.addIssue(42, { title: 'alpha' });
    gl.state.addIssue(42, { title: 'beta' });
    const page = await connector.listIssues({
      updatedSince: null,
      cursor: null,
      limit: 10,
      filters: { search: 'bet' },
    });
    expect(page.items.map((issue) => issue.title)).toEqual(['beta']);
  });
});
