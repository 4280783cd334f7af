import { ConnectorRequestError, createRef, type ExternalRef } from '@spec-kitty/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubConnector } from './github-connector';
import { parseIssueLocation } from './github-gone';
import { type GitHubTestEnv, startGitHubEnv, TOKEN } from './testing/github-test-env';

const GET_ISSUE = 'GET /repos/{owner}/{repo}/issues/{issue_number}';

let env: GitHubTestEnv;

beforeEach(async () => {
  env = await startGitHubEnv({ repos: [{ owner: 'octocat', name: 'elsewhere' }] });
});

afterEach(async () => {
  try {
    env.fake.assertNoViolations();
  } finally {
    await env.fake.close();
  }
});

function ref(number: number, workspace = 'octocat/hello-world'): ExternalRef {
  return createRef({ system: 'github', workspace, id: String(number) });
}

describe('GitHubConnector.checkGone', () => {
  it('declares reportsDeletions', async () => {
    expect((await env.connector.getCapabilities()).reportsDeletions).toBe(true);
  });

  it('omits existing issues and reports a deleted one (410) and a transferred one (moved, with movedTo)', async () => {
    env.fake.seedIssue({ title: 'stays' });
    env.fake.seedIssue({ title: 'deleted' });
    env.fake.seedIssue({ title: 'transferred' });
    env.fake.seedIssue({ title: 'elsewhere', owner: 'octocat', repo: 'elsewhere' });
    env.fake.deleteIssue(2);
    env.fake.transferIssue(3, { owner: 'octocat', repo: 'elsewhere' });
    const tombstones = await env.connector.checkGone([ref(1), ref(2), ref(3)]);
    expect(tombstones.map(({ ref: { id }, reason }) => [id, reason])).toEqual([
      ['2', 'deleted'],
      ['3', 'moved'],
    ]);
    expect(tombstones[1]?.movedTo).toMatchObject({
      system: 'github',
      workspace: 'octocat/elsewhere',
      id: '2',
    });
    expect(tombstones[0]?.movedTo).toBeNull();
    expect(Number.isNaN(Date.parse(tombstones[0]?.observedAt ?? ''))).toBe(false);
    // The transferred issue is gone from the source listing too.
    const page = await env.connector.listIssues({ updatedSince: null, cursor: null, limit: 50 });
    expect(page.items.map((issue) => issue.title)).toEqual(['stays']);
  });

  it('takes a 404 for a deletion only while the repository still answers', async () => {
    env.fake.seedIssue({ title: 'one' });
    expect(await env.connector.checkGone([ref(1), ref(99)])).toMatchObject([
      { ref: { id: '99' }, reason: 'deleted' },
    ]);
    const error = await env.connector.checkGone([ref(5, 'octocat/no-such-repo')]).catch((e: unknown) => e);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect(String(error)).toMatch(/cannot be told deleted from an unreadable repository/);
  });

  it.each([
    ['401', { kind: 'status', status: 401 }],
    ['403', { kind: 'status', status: 403 }],
    ['500', { kind: 'status', status: 500 }],
    ['rate limit', { kind: 'status', status: 429, retryAfter: 3600 }],
    ['reset connection', { kind: 'reset' }],
  ] as const)('throws on %s instead of reporting a deletion', async (_label, fault) => {
    env.fake.seedIssue({ title: 'one' });
    env.fake.server.injectFault({ endpoint: GET_ISSUE, times: Number.POSITIVE_INFINITY, fault });
    await expect(env.connector.checkGone([ref(1)])).rejects.toThrow();
  });

  it('throws on a timeout instead of reporting a deletion', async () => {
    env.fake.seedIssue({ title: 'one' });
    env.fake.server.injectFault({
      endpoint: GET_ISSUE,
      times: Number.POSITIVE_INFINITY,
      fault: { kind: 'timeout' },
    });
    const connector = new GitHubConnector({
      owner: env.fake.owner,
      repo: env.fake.repo,
      token: TOKEN,
      baseUrl: env.fake.url,
      timeoutMs: 200,
    });
    await expect(connector.checkGone([ref(1)])).rejects.toThrow();
  });

  it('reads each ref once, at most four at a time', async () => {
    for (let index = 0; index < 10; index += 1) env.fake.seedIssue({ title: `issue ${index}` });
    const refs = Array.from({ length: 10 }, (_, index) => ref(index + 1));
    expect(await env.connector.checkGone(refs)).toEqual([]);
    expect(env.fake.server.calls.filter((call) => call.endpoint === GET_ISSUE)).toHaveLength(10);
  });
});

describe('parseIssueLocation', () => {
  it('reads owner/repo and number of an issue URL', () => {
    expect(parseIssueLocation('https://api.github.com/repos/o/r/issues/12')).toEqual({
      workspace: 'o/r',
      number: 12,
    });
    expect(parseIssueLocation('https://api.github.com/repositories/1/issues/12')).toBeNull();
  });
});
