import { type DraftIssueInit, draftIssue } from '@spec-kitty/connector-testkit';
import {
  CanonicalIssueType,
  CanonicalStatus,
  CapabilityNotSupportedError,
  ConnectorRequestError,
  createLink,
  createRef,
  IssueNotFoundError,
  IssuePayloadContractError,
  LinkType,
} from '@spec-kitty/core';
import { PageWalkLimitError } from '@spec-kitty/core/http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubConnector } from './github-connector';
import { type GitHubTestEnv, startGitHubEnv, TOKEN } from './testing/github-test-env';
import { VERSION } from './version';

const CREATE = 'POST /repos/{owner}/{repo}/issues';
const PATCH = 'PATCH /repos/{owner}/{repo}/issues/{issue_number}';
const GET_ISSUE = 'GET /repos/{owner}/{repo}/issues/{issue_number}';
const ADD_SUB = 'POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues';
const ADD_BLOCKED_BY = 'POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by';

let env: GitHubTestEnv;

beforeEach(async () => {
  env = await startGitHubEnv();
});

afterEach(async () => {
  try {
    env.fake.assertNoViolations();
  } finally {
    await env.fake.close();
  }
});

function ref(number: number) {
  return createRef({ system: 'github', workspace: 'octocat/hello-world', id: String(number) });
}

// The issue most tests create; any field can be overridden.
const draft = (init: DraftIssueInit = {}) =>
  draftIssue({
    ref: { system: 'local', workspace: 'mission', id: 'WP01' },
    title: 'Write the spec',
    body: null,
    ...init,
  });

describe('GitHubConnector: reads and mapping', () => {
  it('reports capabilities truthfully (assignment and terminal transitions are supported)', async () => {
    const caps = await env.connector.getCapabilities();
    expect(caps).toMatchObject({
      supportsAssignment: true,
      supportsTerminalTransition: true,
      supportsHierarchy: true,
      supportsDependencies: true,
      supportsCustomFields: false,
      supportsComments: true,
      supportsMultiAssignee: true,
    });
  });

  it('maps an issue like the original, plus state_reason and parent', async () => {
    env.fake.seedIssue({ title: 'Parent' });
    const issue = env.fake.seedIssue({
      title: 'Crash on start',
      body: 'Steps',
      labels: ['Bug', 'ui'],
      assignees: ['hubot'],
      state: 'closed',
      stateReason: 'not_planned',
    });
    env.fake.editIssue(issue.number, (record) => {
      record.parent = 1;
    });
    env.fake.issue(1)?.children.push(issue.number);
    const mapped = await env.connector.getIssue(ref(issue.number));
    expect(mapped).toMatchObject({
      title: 'Crash on start',
      body: 'Steps',
      status: CanonicalStatus.CANCELED,
      issueType: CanonicalIssueType.BUG,
      priority: null,
      assignees: ['hubot'],
      labels: ['Bug', 'ui'],
    });
    expect(mapped.ref).toEqual({
      system: 'github',
      workspace: 'octocat/hello-world',
      id: '2',
      key: '#2',
      url: 'https://github.com/octocat/hello-world/issues/2',
    });
    expect(mapped.parent).toMatchObject({
      system: 'github',
      workspace: 'octocat/hello-world',
      id: '1',
      key: '#1',
    });
    expect(mapped.createdAt).toBeInstanceOf(Date);
    expect(mapped.raw?.number).toBe(2);
  });

  it('throws IssueNotFoundError for a missing issue, naming it', async () => {
    const error = await env.connector.getIssue(ref(99)).catch((caught: unknown) => caught);
    expect(IssueNotFoundError.isInstance(error)).toBe(true);
    expect(String(error)).toContain('github:octocat/hello-world:99');
  });

  it('never puts the token in errors or raw payloads', async () => {
    const wrong = new GitHubConnector({
      owner: 'octocat',
      repo: 'hello-world',
      token: 'ghp_wrong_secret_value',
      baseUrl: env.fake.url,
    });
    const error = await wrong.getIssue(ref(1)).catch((caught: unknown) => caught);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect((error as ConnectorRequestError).statusCode).toBe(401);
    expect(String(error)).not.toContain('ghp_wrong_secret_value');
    env.fake.seedIssue({ title: 'x' });
    const issue = await env.connector.getIssue(ref(1));
    expect(JSON.stringify(issue.raw)).not.toContain(TOKEN);
    expect(JSON.stringify(env.connector.config)).not.toContain(TOKEN);
  });
});

describe('GitHubConnector: writes', () => {
  it('creates an issue without sending body: null (the spec rejects it)', async () => {
    const created = await env.connector.createIssue(draft({ labels: ['docs'], assignees: ['monalisa'] }));
    expect(created).toMatchObject({
      title: 'Write the spec',
      body: null,
      status: CanonicalStatus.TODO,
      labels: ['docs'],
      assignees: ['monalisa'],
    });
    expect(created.ref.id).toBe('1');
    expect(env.fake.issue(1)?.body).toBeNull();
    expect(env.fake.server.callCount(CREATE)).toBe(1);
  });

  it('creates a done issue closed as completed, and a canceled one closed as not planned', async () => {
    const done = await env.connector.createIssue(draft({ status: CanonicalStatus.DONE }));
    const canceled = await env.connector.createIssue(
      draft({ title: 'Dropped', status: CanonicalStatus.CANCELED }),
    );
    expect(done.status).toBe(CanonicalStatus.DONE);
    expect(canceled.status).toBe(CanonicalStatus.CANCELED);
    expect(env.fake.issue(1)).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(env.fake.issue(2)).toMatchObject({ state: 'closed', stateReason: 'not_planned' });
  });

  it('maps GitHub validation failures to a validation ConnectorRequestError', async () => {
    const error = await env.connector
      .createIssue(draft({ assignees: ['nobody'] }))
      .catch((caught: unknown) => caught);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect((error as ConnectorRequestError).failureClass).toBe('validation');
    expect(env.fake.issues()).toHaveLength(0);
  });

  it('updates fields and transitions with state_reason both ways', async () => {
    env.fake.seedIssue({ title: 'Old' });
    const updated = await env.connector.updateIssue(ref(1), {
      title: 'New',
      labels: ['bug'],
      assignees: ['hubot'],
    });
    expect(updated).toMatchObject({
      title: 'New',
      labels: ['bug'],
      issueType: CanonicalIssueType.BUG,
      assignees: ['hubot'],
    });
    const canceled = await env.connector.transitionIssue(ref(1), CanonicalStatus.CANCELED);
    expect(canceled.status).toBe(CanonicalStatus.CANCELED);
    expect(env.fake.issue(1)).toMatchObject({ state: 'closed', stateReason: 'not_planned' });
    const done = await env.connector.transitionIssue(ref(1), CanonicalStatus.DONE);
    expect(done.status).toBe(CanonicalStatus.DONE);
    expect(env.fake.issue(1)?.stateReason).toBe('completed');
    const reopened = await env.connector.transitionIssue(ref(1), CanonicalStatus.IN_PROGRESS);
    expect(reopened.status).toBe(CanonicalStatus.TODO);
    expect(env.fake.issue(1)).toMatchObject({ state: 'open', stateReason: 'reopened' });
  });

  it('rejects unknown patch keys (PK-001) and reads back on an empty patch', async () => {
    env.fake.seedIssue({ title: 'x' });
    const error = await env.connector
      .updateIssue(ref(1), { nonsense: 1 } as unknown as Parameters<typeof env.connector.updateIssue>[1])
      .catch((caught: unknown) => caught);
    expect(IssuePayloadContractError.isInstance(error)).toBe(true);
    expect((error as IssuePayloadContractError).reason).toBe('PK-001');
    const same = await env.connector.updateIssue(ref(1), {});
    expect(same.title).toBe('x');
    expect(env.fake.server.callCount(PATCH)).toBe(0);
  });

  it('adds comments', async () => {
    env.fake.seedIssue({ title: 'x' });
    await env.connector.addComment(ref(1), 'Looks good');
    expect(env.fake.issue(1)?.comments.map((comment) => comment.body)).toEqual(['Looks good']);
  });
});

describe('GitHubConnector: sub-issues', () => {
  it('upserts parent_of and child_of as sub-issues, idempotently', async () => {
    env.fake.seedIssue({ title: 'Epic' });
    env.fake.seedIssue({ title: 'Task A' });
    env.fake.seedIssue({ title: 'Task B' });
    await env.connector.upsertLink(ref(1), createLink({ type: LinkType.PARENT_OF, target: ref(2) }));
    await env.connector.upsertLink(ref(3), createLink({ type: LinkType.CHILD_OF, target: ref(1) }));
    expect(env.fake.issue(1)?.children).toEqual([2, 3]);
    expect(env.fake.server.callCount(ADD_SUB)).toBe(2);
    await env.connector.upsertLink(ref(1), createLink({ type: LinkType.PARENT_OF, target: ref(2) }));
    expect(env.fake.server.callCount(ADD_SUB)).toBe(2);
    expect((await env.connector.getIssue(ref(3))).parent?.id).toBe('1');
  });

  it('moves a child to a new parent and detaches it through updateIssue({ parent })', async () => {
    env.fake.seedIssue({ title: 'Epic 1' });
    env.fake.seedIssue({ title: 'Epic 2' });
    env.fake.seedIssue({ title: 'Task' });
    await env.connector.updateIssue(ref(3), { parent: ref(1) });
    const moved = await env.connector.updateIssue(ref(3), { parent: ref(2) });
    expect(moved.parent?.id).toBe('2');
    expect(env.fake.issue(1)?.children).toEqual([]);
    const detached = await env.connector.updateIssue(ref(3), { parent: null });
    expect(detached.parent).toBeNull();
    expect(env.fake.issue(2)?.children).toEqual([]);
  });

  it('creates an issue under a parent', async () => {
    env.fake.seedIssue({ title: 'Epic' });
    const created = await env.connector.createIssue(draft({ parent: ref(1) }));
    expect(created.parent?.id).toBe('1');
    expect(env.fake.issue(1)?.children).toEqual([2]);
  });
});

describe('GitHubConnector: bounded listing', () => {
  it('pages through issues sharing one updated_at, at most maxPages pages', async () => {
    await env.fake.close();
    env = await startGitHubEnv({ tickMs: 0 });
    for (const title of ['a', 'b', 'c', 'd', 'e', 'f']) env.fake.seedIssue({ title });
    const titles: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await env.connector.listIssues({ updatedSince: null, cursor, limit: 2 });
      titles.push(...page.items.map((issue) => issue.title));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(titles.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const capped = new GitHubConnector({
      owner: env.fake.owner,
      repo: env.fake.repo,
      token: TOKEN,
      baseUrl: env.fake.url,
      maxPages: 1,
    });
    const first = await capped.listIssues({ updatedSince: null, cursor: null, limit: 2 });
    const error = await capped
      .listIssues({ updatedSince: null, cursor: first.nextCursor, limit: 2 })
      .catch((e: unknown) => e);
    expect(PageWalkLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'max_pages', pages: 1, provider: 'github' });
  });
});

describe('GitHubConnector: issue dependencies', () => {
  it('upserts blocked_by as "ref is blocked by target" (POST on ref with the target\'s issue id)', async () => {
    env.fake.seedIssue({ title: 'a' });
    env.fake.seedIssue({ title: 'b' });
    await env.connector.upsertLink(ref(1), createLink({ type: LinkType.BLOCKED_BY, target: ref(2) }));
    expect(env.fake.issue(1)?.blockedBy).toEqual([2]);
    expect(env.fake.issue(2)?.blockedBy).toEqual([]);
    expect(env.fake.server.callCount(ADD_BLOCKED_BY)).toBe(1);
  });

  it('stops a blockers walk whose server keeps answering with the same next link, and after maxPages', async () => {
    env.fake.seedIssue({ title: 'a' });
    env.fake.seedIssue({ title: 'b' });
    const looping = {
      endpoint: 'GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by',
      times: Number.POSITIVE_INFINITY,
      fault: {
        kind: 'status' as const,
        status: 200,
        headers: {
          link: `<${env.fake.url}/repos/${env.fake.owner}/${env.fake.repo}/issues/1/dependencies/blocked_by?per_page=100&page=2>; rel="next"`,
        },
        body: [],
      },
    };
    env.fake.server.injectFault(looping);
    const link = createLink({ type: LinkType.BLOCKED_BY, target: ref(2) });
    const error = await env.connector.upsertLink(ref(1), link).catch((e: unknown) => e);
    expect(PageWalkLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'repeated_cursor', pages: 2, provider: 'github' });
    expect(env.fake.server.callCount(looping.endpoint)).toBe(2);
    expect(env.fake.server.callCount(ADD_BLOCKED_BY)).toBe(0);

    const capped = new GitHubConnector({
      owner: env.fake.owner,
      repo: env.fake.repo,
      token: TOKEN,
      baseUrl: env.fake.url,
      maxPages: 1,
    });
    env.fake.server.resetCalls();
    const cappedError = await capped.upsertLink(ref(1), link).catch((e: unknown) => e);
    expect(cappedError).toMatchObject({ reason: 'max_pages', pages: 1 });
    expect((cappedError as Error).message).toMatch(/maxPages = 1/);
    expect(env.fake.server.callCount(looping.endpoint)).toBe(1);
    env.fake.server.clearFaults();
  });

  it('upserts blocks as "ref blocks target" (POST on target with ref\'s issue id)', async () => {
    env.fake.seedIssue({ title: 'a' });
    env.fake.seedIssue({ title: 'b' });
    await env.connector.upsertLink(ref(1), createLink({ type: LinkType.BLOCKS, target: ref(2) }));
    expect(env.fake.issue(2)?.blockedBy).toEqual([1]);
    expect(env.fake.issue(1)?.blockedBy).toEqual([]);
    expect(env.fake.server.callCount(ADD_BLOCKED_BY)).toBe(1);
  });

  it('makes no second POST when the dependency already exists', async () => {
    env.fake.seedIssue({ title: 'a' });
    env.fake.seedIssue({ title: 'b' });
    await env.connector.upsertLink(ref(1), createLink({ type: LinkType.BLOCKED_BY, target: ref(2) }));
    await env.connector.upsertLink(ref(1), createLink({ type: LinkType.BLOCKED_BY, target: ref(2) }));
    // The same relation seen from the other side is the same dependency.
    await env.connector.upsertLink(ref(2), createLink({ type: LinkType.BLOCKS, target: ref(1) }));
    expect(env.fake.server.callCount(ADD_BLOCKED_BY)).toBe(1);
    expect(env.fake.issue(1)?.blockedBy).toEqual([2]);
  });

  it('raises IssueNotFoundError for an unknown issue', async () => {
    env.fake.seedIssue({ title: 'a' });
    const error = await env.connector
      .upsertLink(ref(1), createLink({ type: LinkType.BLOCKED_BY, target: ref(99) }))
      .catch((caught: unknown) => caught);
    expect(IssueNotFoundError.isInstance(error)).toBe(true);
    expect(env.fake.server.callCount(ADD_BLOCKED_BY)).toBe(0);
  });

  it.each([LinkType.RELATES_TO, LinkType.DUPLICATES])(
    'refuses %s with a CapabilityNotSupportedError naming the supported types',
    async (type) => {
      env.fake.seedIssue({ title: 'a' });
      env.fake.seedIssue({ title: 'b' });
      const error = await env.connector
        .upsertLink(ref(1), createLink({ type, target: ref(2) }))
        .catch((caught: unknown) => caught);
      expect(CapabilityNotSupportedError.isInstance(error)).toBe(true);
      expect(String(error)).toContain(`"${type}"`);
      expect(String(error)).toMatch(/only parent_of, child_of, blocks, blocked_by are supported/);
      expect((error as CapabilityNotSupportedError).capability).toBe('links');
      expect(env.fake.server.callCount(ADD_BLOCKED_BY)).toBe(0);
    },
  );
});

describe('GitHubConnector: idempotent creates', () => {
  it('leaves zero duplicates after an ambiguous create failure (crash after write)', async () => {
    env.fake.server.injectFault({ endpoint: CREATE, fault: { kind: 'crash-after-write' } });
    const issue = draft({ body: 'Details' });
    const options = { idempotencyKey: 'sync:local:mission:WP01' };
    const error = await env.connector.createIssue(issue, options).catch((caught: unknown) => caught);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect(env.fake.issues()).toHaveLength(1);

    const found = await env.connector.findCreatedIssue(issue, options);
    expect(found?.ref.id).toBe('1');
    expect(found?.body).toBe('Details');

    const retried = await env.connector.createIssue(issue, options);
    expect(retried.ref.id).toBe('1');
    expect(retried.body).toBe('Details');
    expect(env.fake.issues()).toHaveLength(1);
    expect(env.fake.server.callCount(CREATE)).toBe(1);
  });

  it('finds the created issue from a fresh connector (another process) by its hidden marker', async () => {
    env.fake.server.injectFault({ endpoint: CREATE, fault: { kind: 'crash-after-write' } });
    const issue = draft();
    await env.connector.createIssue(issue, { idempotencyKey: 'k-1' }).catch(() => {});
    env.fake.seedIssue({ title: 'Someone else' });
    const other = env.connect();
    expect(await other.findCreatedIssue(issue, { idempotencyKey: 'k-2' })).toBeNull();
    const found = await other.findCreatedIssue(issue, { idempotencyKey: 'k-1' });
    expect(found).toMatchObject({ title: 'Write the spec', body: null });
    expect(env.fake.issue(1)?.body).toContain('<!-- spec-kitty:idempotency-key=k-1 -->');
  });

  it('finishes a create whose follow-up (closing) failed, on retry, without a second issue', async () => {
    env.fake.server.injectFault({ endpoint: PATCH, fault: { kind: 'status', status: 500 } });
    const issue = draft({ status: CanonicalStatus.CANCELED });
    const options = { idempotencyKey: 'k-follow-up' };
    await expect(env.connector.createIssue(issue, options)).rejects.toThrow(/500/);
    expect(env.fake.issue(1)?.state).toBe('open');
    const retried = await env.connector.createIssue(issue, options);
    expect(retried).toMatchObject({ status: CanonicalStatus.CANCELED, ref: { id: '1' } });
    expect(env.fake.issues()).toHaveLength(1);
    expect(env.fake.server.callCount(CREATE)).toBe(1);
  });

  it('costs one scan, not one per issue, when the engine checks before every create', async () => {
    env.fake.seedIssue({
      title: 'Existing, created by a crashed run',
      body: 'x\n\n<!-- spec-kitty:idempotency-key=sync%3Aold -->',
    });
    const LIST = 'GET /repos/{owner}/{repo}/issues';
    for (let seq = 1; seq <= 5; seq += 1) {
      const issue = draft({ title: `Draft ${seq}` });
      const options = { idempotencyKey: `sync:new-${seq}` };
      expect(await env.connector.findCreatedIssue(issue, options)).toBeNull();
      await env.connector.createIssue(issue, options);
    }
    expect(env.fake.server.callCount(LIST)).toBe(1);
    expect(env.fake.server.callCount(CREATE)).toBe(5);
    // Keys found by the scan and keys created here are answered from the index.
    expect((await env.connector.findCreatedIssue(draft(), { idempotencyKey: 'sync:old' }))?.ref.id).toBe('1');
    expect((await env.connector.findCreatedIssue(draft(), { idempotencyKey: 'sync:new-3' }))?.title).toBe(
      'Draft 3',
    );
    expect(env.fake.server.callCount(LIST)).toBe(1);
  });

  it('rescans every time with markerIndexTtlSeconds: 0', async () => {
    const strict = new GitHubConnector({
      owner: 'octocat',
      repo: 'hello-world',
      token: TOKEN,
      baseUrl: env.fake.url,
      markerIndexTtlSeconds: 0,
    });
    await strict.findCreatedIssue(draft(), { idempotencyKey: 'a' });
    await strict.findCreatedIssue(draft(), { idempotencyKey: 'b' });
    expect(env.fake.server.callCount('GET /repos/{owner}/{repo}/issues')).toBe(2);
  });

  it('returns null without a key, and still creates when nothing was created', async () => {
    expect(await env.connector.findCreatedIssue(draft(), {})).toBeNull();
    env.fake.server.injectFault({ endpoint: CREATE, fault: { kind: 'status', status: 502 } });
    await expect(env.connector.createIssue(draft(), { idempotencyKey: 'k' })).rejects.toThrow(/502/);
    const created = await env.connector.createIssue(draft(), { idempotencyKey: 'k' });
    expect(created.ref.id).toBe('1');
    expect(env.fake.issues()).toHaveLength(1);
  });
});

describe('GitHubConnector: events', () => {
  it('lists issue events with a page checkpoint', async () => {
    env.fake.seedIssue({ title: 'x' });
    await env.connector.transitionIssue(ref(1), CanonicalStatus.DONE);
    await env.connector.transitionIssue(ref(1), CanonicalStatus.TODO);
    const first = await env.connector.listEvents({ cursor: null, limit: 1 });
    expect(first.events).toHaveLength(1);
    expect(first.events[0]).toMatchObject({ eventType: 'updated', issueRef: { id: '1', key: '#1' } });
    expect(first.events[0]?.payload.event).toBe('reopened');
    expect(first.checkpoint?.cursor).toBe('2');
    const second = await env.connector.listEvents({ cursor: first.checkpoint, limit: 1 });
    expect(second.events[0]?.payload.event).toBe('closed');
    expect(second.checkpoint).toEqual({ cursor: null, updatedSince: null });
  });
});

it('does not re-request an unchanged issue body: getIssue uses the ETag', async () => {
  env.fake.seedIssue({ title: 'x' });
  await env.connector.getIssue(ref(1));
  await env.connector.getIssue(ref(1));
  expect(env.fake.server.callCount(GET_ISSUE)).toBe(2);
  expect(env.fake.notModifiedCount).toBe(1);
});

describe('User-Agent', () => {
  it('names the package and version on every request', async () => {
    const agents: (string | null)[] = [];
    const recording: typeof fetch = (input, init) => {
      const headers = new Headers(input instanceof Request ? input.headers : undefined);
      new Headers(init?.headers).forEach((value, name) => {
        headers.set(name, value);
      });
      agents.push(headers.get('user-agent'));
      return fetch(input, init);
    };
    const connector = env.connect({ fetch: recording });
    const created = await connector.createIssue(draft(), { idempotencyKey: 'ua-1' });
    await connector.getIssue(created.ref);
    await connector.listIssues({ updatedSince: null, cursor: null, limit: 10 });
    await connector.addComment(created.ref, 'hi');
    expect(agents.length).toBeGreaterThanOrEqual(4);
    expect(new Set(agents)).toEqual(new Set([`spec-kitty-tracker/@spec-kitty/connector-github@${VERSION}`]));
  });
});
