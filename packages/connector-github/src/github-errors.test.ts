import { ConnectorRequestError, createRef, IssueNotFoundError } from '@spec-kitty/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubConnector } from './github-connector';
import { type GitHubTestEnv, startGitHubEnv, TOKEN } from './testing/github-test-env';

const LIST = 'GET /repos/{owner}/{repo}/issues';
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

const ref = (id: string) => createRef({ system: 'github', workspace: 'octocat/hello-world', id });

describe('GitHubConnector error handling', () => {
  it('classifies a secondary rate limit (403 + Retry-After) as rate_limit and does not sleep through long waits', async () => {
    env.fake.server.injectFault({
      endpoint: LIST,
      fault: {
        kind: 'status',
        status: 403,
        headers: { 'retry-after': '120', 'x-ratelimit-remaining': '0' },
        body: { message: 'You have exceeded a secondary rate limit.' },
      },
    });
    const error = await env.connector
      .listIssues({ updatedSince: null, cursor: null, limit: 10 })
      .catch((caught: unknown) => caught);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect((error as ConnectorRequestError).failureClass).toBe('rate_limit');
    expect((error as ConnectorRequestError).retryAfterSeconds).toBe(120);
    expect(env.fake.server.callCount(LIST)).toBe(1);
  });

  it('retries an idempotent read after a transient 502', async () => {
    env.fake.seedIssue({ title: 'x' });
    env.fake.server.injectFault({ endpoint: LIST, fault: { kind: 'status', status: 502 } });
    const page = await env.connector.listIssues({ updatedSince: null, cursor: null, limit: 10 });
    expect(page.items.map((issue) => issue.title)).toEqual(['x']);
    expect(env.fake.server.callCount(LIST)).toBe(2);
  });

  it('turns a 404 on update into IssueNotFoundError, and rejects non-numeric ids before any call', async () => {
    const missing = await env.connector
      .updateIssue(ref('41'), { title: 't' })
      .catch((caught: unknown) => caught);
    expect(IssueNotFoundError.isInstance(missing)).toBe(true);
    const calls = env.fake.server.callCount();
    const bad = await env.connector.getIssue(ref('WP01')).catch((caught: unknown) => caught);
    expect(IssueNotFoundError.isInstance(bad)).toBe(true);
    expect(String(bad)).toMatch(/must be an issue number/);
    expect(env.fake.server.callCount()).toBe(calls);
  });

  it('reports a malformed GitHub payload as an IssuePayloadContractError with a field path', async () => {
    env.fake.server.injectFault({
      endpoint: LIST,
      fault: { kind: 'status', status: 200, body: [{ id: 1, number: 'one', title: 'x' }] },
    });
    const error = await env.connector
      .listIssues({ updatedSince: null, cursor: null, limit: 10 })
      .catch((caught: unknown) => caught);
    expect(String(error)).toMatch(/IssuePayloadContractError/);
    expect((error as { fieldPath?: string }).fieldPath).toBe('issues[0].number');
  });

  it('stops a read when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('caller gave up'));
    await expect(
      env.connector.listIssues({ updatedSince: null, cursor: null, limit: 10, signal: controller.signal }),
    ).rejects.toThrow(/caller gave up/);
    expect(env.fake.server.callCount(LIST)).toBe(0);
  });

  it('spaces writes by writeIntervalMs', async () => {
    const paced = new GitHubConnector({
      owner: 'octocat',
      repo: 'hello-world',
      token: TOKEN,
      baseUrl: env.fake.url,
      writeIntervalMs: 150,
    });
    env.fake.seedIssue({ title: 'x' });
    const started = Date.now();
    await paced.addComment(ref('1'), 'one');
    await paced.addComment(ref('1'), 'two');
    await paced.addComment(ref('1'), 'three');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(env.fake.issue(1)?.comments).toHaveLength(3);
  });
});
