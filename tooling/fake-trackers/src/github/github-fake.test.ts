import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { useFakes } from '../testing/use-fakes';
import { GitHubFake } from './github-fake';
import { githubOpenApiValidator } from './github-openapi';

const HEADERS = {
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
  authorization: 'Bearer test-token',
};

let fake: GitHubFake;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: {
      ...HEADERS,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

const repoPath = '/repos/octocat/hello-world';

const track = useFakes();

beforeEach(async () => {
  fake = await track(
    new GitHubFake({
      token: 'test-token',
      orgs: [{ login: 'acme', description: 'Acme Inc.' }],
      repos: [
        { owner: 'acme', name: 'rockets' },
        { owner: 'acme', name: 'anvils', private: true },
      ],
    }).start(),
  );
});

describe('GitHub fake: issues', () => {
  it('creates, reads and lists issues with pull requests mixed in, all valid per the OpenAPI document', async () => {
    const created = await call('POST', `${repoPath}/issues`, {
      title: 'First',
      body: 'text',
      labels: ['bug'],
      assignees: ['hubot'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      number: 1,
      title: 'First',
      state: 'open',
      labels: [{ name: 'bug' }],
    });
    expect(created.body.assignees.map((user: { login: string }) => user.login)).toEqual(['hubot']);
    fake.seedIssue({ title: 'A PR', pullRequest: true });
    const got = await call('GET', `${repoPath}/issues/1`);
    expect(got.body.title).toBe('First');
    const listed = await call('GET', `${repoPath}/issues?state=all`);
    expect(listed.body.map((issue: { number: number }) => issue.number)).toEqual([2, 1]);
    expect(listed.body[0].pull_request).toBeDefined();
    fake.assertNoViolations();
  });

  it('records a violation and answers 422 when a request breaks the spec', async () => {
    const bad = await call('POST', `${repoPath}/issues`, { title: 'x', labels: 'bug' });
    expect(bad.status).toBe(422);
    const nullBody = await call('POST', `${repoPath}/issues`, { title: 'x', body: null });
    expect(nullBody.status).toBe(422);
    const badQuery = await call('GET', `${repoPath}/issues?state=bogus&per_page=abc`);
    expect(badQuery.status).toBe(422);
    const unknown = await call('GET', `${repoPath}/issues?updated_after=2020-01-01T00:00:00Z`);
    expect(unknown.status).toBe(422);
    const badPath = await call('GET', `${repoPath}/issues/abc`);
    expect(badPath.status).toBe(422);
    expect(fake.server.violations.join('\n')).toMatch(/labels.*must be array/);
    expect(fake.server.violations.join('\n')).toMatch(/body.*must be string/);
    expect(fake.server.violations.join('\n')).toMatch(/state must be equal to one of the allowed values/);
    expect(fake.server.violations.join('\n')).toMatch(/updated_after is not defined/);
    expect(fake.server.violations.join('\n')).toMatch(/issue_number must be integer/);
    expect(() => fake.assertNoViolations()).toThrow(/spec violations/);
  });

  it('paginates with Link headers, per_page capped at 100', async () => {
    for (let index = 0; index < 105; index += 1) fake.seedIssue({ title: `Issue ${index}` });
    const first = await call('GET', `${repoPath}/issues?per_page=250&state=all`);
    expect(first.body).toHaveLength(100);
    const link = first.headers.get('link') ?? '';
    expect(link).toContain('rel="next"');
    expect(link).toContain('rel="last"');
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? '';
    const second = await call('GET', new URL(next).pathname + new URL(next).search);
    expect(second.body).toHaveLength(5);
    expect(second.headers.get('link')).not.toContain('rel="next"');
    fake.assertNoViolations();
  });

  it('filters by since and sorts by updated ascending', async () => {
    fake.seedIssue({ title: 'old' });
    const middle = fake.seedIssue({ title: 'middle' });
    fake.seedIssue({ title: 'new' });
    fake.editIssue(1, (issue) => {
      issue.title = 'old, edited';
    });
    const since = middle.updatedAt;
    const listed = await call(
      'GET',
      `${repoPath}/issues?state=all&sort=updated&direction=asc&since=${since}`,
    );
    expect(listed.body.map((issue: { title: string }) => issue.title)).toEqual([
      'middle',
      'new',
      'old, edited',
    ]);
    fake.assertNoViolations();
  });

  it('answers 304 to If-None-Match with the current ETag, and 200 once the data changed', async () => {
    fake.seedIssue({ title: 'one' });
    const first = await call('GET', `${repoPath}/issues?state=all`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    const remaining = Number(first.headers.get('x-ratelimit-remaining'));
    const again = await call('GET', `${repoPath}/issues?state=all`, undefined, {
      'if-none-match': etag ?? '',
    });
    expect(again.status).toBe(304);
    expect(again.body).toBeNull();
    expect(Number(again.headers.get('x-ratelimit-remaining'))).toBe(remaining);
    fake.editIssue(1, (issue) => {
      issue.title = 'changed';
    });
    const changed = await call('GET', `${repoPath}/issues?state=all`, undefined, {
      'if-none-match': etag ?? '',
    });
    expect(changed.status).toBe(200);
    expect(fake.notModifiedCount).toBe(1);
    fake.assertNoViolations();
  });

  it('closes with state_reason, reopens, and logs issue events', async () => {
    fake.seedIssue({ title: 'work' });
    const closed = await call('PATCH', `${repoPath}/issues/1`, {
      state: 'closed',
      state_reason: 'not_planned',
    });
    expect(closed.body).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(closed.body.closed_at).not.toBeNull();
    const reopened = await call('PATCH', `${repoPath}/issues/1`, { state: 'open' });
    expect(reopened.body).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null });
    const mismatch = await call('PATCH', `${repoPath}/issues/1`, {
      state: 'open',
      state_reason: 'completed',
    });
    expect(mismatch.status).toBe(422);
    const events = await call('GET', `${repoPath}/issues/events?per_page=10`);
    expect(events.body.map((event: { event: string }) => event.event)).toEqual(['reopened', 'closed']);
    fake.assertNoViolations();
  });

  it('rejects unknown assignees like GitHub (422 Validation Failed)', async () => {
    const response = await call('POST', `${repoPath}/issues`, { title: 'x', assignees: ['nobody'] });
    expect(response.status).toBe(422);
    expect(response.body.errors[0]).toMatchObject({ field: 'assignees', code: 'invalid', value: 'nobody' });
    expect(fake.issues()).toHaveLength(0);
    fake.assertNoViolations();
  });

  it('adds comments and bumps updated_at', async () => {
    const issue = fake.seedIssue({ title: 'talk' });
    const before = issue.updatedAt;
    const comment = await call('POST', `${repoPath}/issues/1/comments`, { body: 'hello' });
    expect(comment.status).toBe(201);
    expect(fake.issue(1)?.updatedAt).not.toBe(before);
    const comments = await call('GET', `${repoPath}/issues/1/comments`);
    expect(comments.body.map((item: { body: string }) => item.body)).toEqual(['hello']);
    fake.assertNoViolations();
  });

  it('links sub-issues by issue id and serves the parent', async () => {
    const parent = fake.seedIssue({ title: 'epic' });
    const child = fake.seedIssue({ title: 'task' });
    const added = await call('POST', `${repoPath}/issues/1/sub_issues`, { sub_issue_id: child.id });
    expect(added.status).toBe(201);
    expect(added.body.sub_issues_summary.total).toBe(1);
    const again = await call('POST', `${repoPath}/issues/1/sub_issues`, { sub_issue_id: child.id });
    expect(again.status).toBe(422);
    const subIssues = await call('GET', `${repoPath}/issues/1/sub_issues`);
    expect(subIssues.body.map((item: { number: number }) => item.number)).toEqual([2]);
    const parentOf = await call('GET', `${repoPath}/issues/2/parent`);
    expect(parentOf.body.id).toBe(parent.id);
    const got = await call('GET', `${repoPath}/issues/2`);
    expect(got.body.parent_issue_url).toMatch(/\/issues\/1$/);
    const removed = await call('DELETE', `${repoPath}/issues/1/sub_issue`, { sub_issue_id: child.id });
    expect(removed.status).toBe(200);
    expect((await call('GET', `${repoPath}/issues/2/parent`)).status).toBe(404);
    fake.assertNoViolations();
  });

  it('records issue dependencies (blocked_by/blocking) by issue id, with 404 and 422 like GitHub', async () => {
    const blocked = fake.seedIssue({ title: 'blocked' });
    const blocker = fake.seedIssue({ title: 'blocker' });
    const added = await call('POST', `${repoPath}/issues/1/dependencies/blocked_by`, {
      issue_id: blocker.id,
    });
    expect(added.status).toBe(201);
    expect(added.body.number).toBe(2);
    expect(fake.issue(1)?.blockedBy).toEqual([2]);
    const again = await call('POST', `${repoPath}/issues/1/dependencies/blocked_by`, {
      issue_id: blocker.id,
    });
    expect(again.status).toBe(422);
    const self = await call('POST', `${repoPath}/issues/1/dependencies/blocked_by`, { issue_id: blocked.id });
    expect(self.status).toBe(422);
    const unknownTarget = await call('POST', `${repoPath}/issues/1/dependencies/blocked_by`, {
      issue_id: 999999,
    });
    expect(unknownTarget.status).toBe(404);
    const unknownIssue = await call('POST', `${repoPath}/issues/99/dependencies/blocked_by`, {
      issue_id: blocker.id,
    });
    expect(unknownIssue.status).toBe(404);
    const blockedBy = await call('GET', `${repoPath}/issues/1/dependencies/blocked_by`);
    expect(blockedBy.body.map((item: { number: number }) => item.number)).toEqual([2]);
    const blocking = await call('GET', `${repoPath}/issues/2/dependencies/blocking`);
    expect(blocking.body.map((item: { number: number }) => item.number)).toEqual([1]);
    const removed = await call('DELETE', `${repoPath}/issues/1/dependencies/blocked_by/${blocker.id}`);
    expect(removed.status).toBe(200);
    expect(fake.issue(1)?.blockedBy).toEqual([]);
    expect((await call('DELETE', `${repoPath}/issues/1/dependencies/blocked_by/${blocker.id}`)).status).toBe(
      404,
    );
    fake.assertNoViolations();
  });

  it('rejects an unsupported X-GitHub-Api-Version with 400 and a violation', async () => {
    const response = await call('GET', `${repoPath}/issues`, undefined, {
      'x-github-api-version': '2020-01-01',
    });
    expect(response.status).toBe(400);
    expect(() => fake.assertNoViolations()).toThrow(/unsupported X-GitHub-Api-Version/);
  });

  it('requires the configured token', async () => {
    const response = await call('GET', `${repoPath}/issues`, undefined, { authorization: 'Bearer wrong' });
    expect(response.status).toBe(401);
    expect(response.body.message).toBe('Bad credentials');
  });

  it('applies a write and drops the connection on crash-after-write', async () => {
    fake.server.injectFault({
      endpoint: 'POST /repos/{owner}/{repo}/issues',
      fault: { kind: 'crash-after-write' },
    });
    await expect(call('POST', `${repoPath}/issues`, { title: 'ghost' })).rejects.toThrow();
    expect(fake.issues().map((issue) => issue.title)).toEqual(['ghost']);
    expect(fake.server.callCount('POST /repos/{owner}/{repo}/issues')).toBe(1);
  });
});

describe('GitHub fake: discovery', () => {
  it('serves the viewer, its orgs and repositories with Link pagination', async () => {
    const user = await call('GET', '/user');
    expect(user.body.login).toBe('octocat');
    const orgs = await call('GET', '/user/orgs');
    expect(orgs.body.map((org: { login: string }) => org.login)).toEqual(['acme']);
    const orgRepos = await call('GET', '/orgs/acme/repos?sort=full_name&per_page=1');
    expect(orgRepos.body.map((repo: { full_name: string }) => repo.full_name)).toEqual(['acme/anvils']);
    expect(orgRepos.headers.get('link')).toContain('rel="next"');
    const userRepos = await call('GET', '/user/repos?affiliation=owner&sort=full_name&per_page=100');
    expect(userRepos.body.map((repo: { full_name: string }) => repo.full_name)).toEqual([
      'octocat/hello-world',
    ]);
    expect((await call('GET', '/orgs/nope/repos')).status).toBe(404);
    fake.assertNoViolations();
  });
});

describe('GitHub OpenAPI subset', () => {
  it('covers every route of the fake, and nothing else', () => {
    const keys = githubOpenApiValidator().operationKeys();
    expect([...fake.endpoints].sort()).toEqual([...keys].sort());
    expect(githubOpenApiValidator().source).toBe('@octokit/openapi@23.0.2');
  });

  it('holds no OpenAPI-only nullable keywords (the sanitizer rewrote them all)', () => {
    const text = readFileSync(new URL('./github-openapi.subset.generated.json', import.meta.url), 'utf8');
    expect(text).not.toContain('"nullable"');
    expect(text).not.toContain('"$ref"');
  });

  it('flags a response that lacks a required property', () => {
    const problems = githubOpenApiValidator().validateResponse(
      'GET /repos/{owner}/{repo}/issues/{issue_number}',
      {
        status: 200,
        body: { id: 1, title: 'x' },
      },
    );
    expect(problems.join('\n')).toMatch(/must have required property 'number'/);
  });
});
