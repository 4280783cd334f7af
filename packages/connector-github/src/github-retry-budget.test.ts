// Retry ownership and rate limits end to end (issue 12, items 4 and 5): SyncEngine → the GitHub
// connector → core's HTTP client → the GitHub fake with injected faults. Requests are counted at
// the fake; the engine's sleep is recorded so no test waits.
import { draftIssue } from '@spec-kitty/connector-testkit';
import { FieldOwner, InMemoryIssueStore, OwnershipPolicy, SyncEngine } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { type GitHubTestEnv, useGitHubEnvs } from './testing/github-test-env';

const LIST = 'GET /repos/{owner}/{repo}/issues';
const CREATE = 'POST /repos/{owner}/{repo}/issues';

let env: GitHubTestEnv | undefined;
const startEnv = useGitHubEnvs();

const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

function engine(store = new InMemoryIssueStore(), maxRetryAttempts?: number) {
  const sleeps: number[] = [];
  if (!env) throw new Error('start the env first');
  const syncEngine = new SyncEngine({
    connector: env.connector,
    store,
    policy,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0,
    ...(maxRetryAttempts !== undefined ? { maxRetryAttempts } : {}),
  });
  return { syncEngine, sleeps, store };
}

const draft = (id: string) =>
  draftIssue({ ref: { system: 'github', workspace: 'octocat/hello-world', id }, title: `Draft ${id}` });

describe('SyncEngine + GitHubConnector: one retry budget per page', () => {
  it.each([0, 1, 2])(
    'maxRetryAttempts %i: a page failing with 502 costs exactly 1 + n requests',
    async (n) => {
      env = await startEnv();
      env.fake.server.injectFault({
        endpoint: LIST,
        fault: { kind: 'status', status: 502 },
        times: Infinity,
      });
      const { syncEngine, sleeps } = engine(undefined, n);
      const result = await syncEngine.pull();
      expect(env.fake.server.callCount(LIST)).toBe(n + 1);
      expect(sleeps).toHaveLength(n);
      expect(result.failures).toHaveLength(1);
      expect(result.failures[0]).toMatchObject({ operation: 'pull_page', failureClass: 'transient' });
    },
  );
});

describe('SyncEngine + GitHubConnector: a hung server', () => {
  it('fails the page at the operation deadline and stops the run: a few requests, no push', async () => {
    env = await startEnv();
    env.fake.server.injectFault({ endpoint: LIST, fault: { kind: 'timeout' }, times: Infinity });
    const store = new InMemoryIssueStore();
    await store.upsertIssue(draft('draft-1'));
    const syncEngine = new SyncEngine({
      connector: env.connector,
      store,
      policy,
      maxRetryAttempts: 10,
      retryBaseDelayMs: 10,
      requestTimeoutMs: 100,
      operationDeadlineMs: 350,
    });
    const started = Date.now();
    const result = await syncEngine.sync();
    expect(Date.now() - started).toBeLessThan(10_000);
    // At least the first try; on a loaded machine a try can use up most of the deadline. Never
    // the 11 tries maxRetryAttempts allows: the deadline ends the page.
    expect(env.fake.server.callCount(LIST)).toBeGreaterThanOrEqual(1);
    expect(env.fake.server.callCount(LIST)).toBeLessThanOrEqual(4);
    expect(env.fake.server.callCount(CREATE)).toBe(0);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ operation: 'pull_page', failureClass: 'transient' });
    expect(result.failures[0]?.message).toMatch(/^pull_page did not finish within its 350 ms deadline/);
  });
});

describe('SyncEngine + GitHubConnector: rate limits', () => {
  it('Retry-After: 3600 stops the run at once with resetAt, without sleeping or pushing', async () => {
    env = await startEnv();
    env.fake.server.injectFault({
      endpoint: LIST,
      fault: { kind: 'status', status: 429, headers: { 'retry-after': '3600' } },
      times: Infinity,
    });
    const { syncEngine, sleeps, store } = engine();
    await store.upsertIssue(draft('draft-1'));
    const expected = Date.now() + 3600_000;
    const result = await syncEngine.sync();
    expect(sleeps).toEqual([]);
    expect(env.fake.server.callCount(LIST)).toBe(1);
    expect(env.fake.server.callCount(CREATE)).toBe(0);
    expect(result.failures).toHaveLength(1);
    const [failure] = result.failures;
    expect(failure).toMatchObject({ operation: 'pull_page', failureClass: 'rate_limit', retryable: false });
    expect(Math.abs((failure?.resetAt?.getTime() ?? 0) - expected)).toBeLessThan(5_000);
    expect(failure?.message).toMatch(/^Rate limited by github until /);
  });

  it('an exhausted primary quota (403, x-ratelimit-reset in an hour) does the same', async () => {
    env = await startEnv();
    const reset = Math.floor(Date.now() / 1000) + 3600;
    env.fake.server.injectFault({
      endpoint: LIST,
      fault: {
        kind: 'status',
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
        body: { message: 'API rate limit exceeded for user ID 1.' },
      },
      times: Infinity,
    });
    const { syncEngine, sleeps } = engine();
    const result = await syncEngine.pull();
    expect(sleeps).toEqual([]);
    expect(env.fake.server.callCount(LIST)).toBe(1);
    expect(result.failures[0]).toMatchObject({ failureClass: 'rate_limit' });
    expect(Math.abs((result.failures[0]?.resetAt?.getTime() ?? 0) - reset * 1000)).toBeLessThan(2_000);
  });
});
