// One retry budget per operation, deadlines and rate limits through the whole stack (issue 12,
// items 4 and 5): SyncEngine → connector → the real HTTP client → a loopback server. Counts
// requests and sleeps; wall-clock bounds are only generous sanity limits.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectorRequestError, ConnectorTimeoutError, RateLimitedError } from '../errors/errors';
import { createHttpClient } from '../http/http-client';
import { HttpGatedTracker } from '../http/testing/http-gated-tracker';
import {
  type LoopbackHandler,
  type LoopbackServer,
  sendJson,
  startLoopback,
} from '../http/testing/loopback-server';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine, type SyncEngineOptions } from './sync-engine';
import { withRetry } from './sync-retry';
import { FakeTracker } from './test-support/fake-tracker';
import { issue } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  vi.useRealTimers();
});

type Route = (method: string, path: string) => { status: number; headers?: Record<string, string> } | 'hang';

/** A server whose answer per request is decided by `route`; 200 `{}` when it returns a 2xx. */
async function serve(route: Route): Promise<LoopbackServer> {
  const handler: LoopbackHandler = (request, response) => {
    const path = request.url.replace(/\?.*$/, '');
    const decision = route(request.method, path);
    if (decision === 'hang') return new Promise<void>(() => {});
    sendJson(response, decision.status, { message: `status ${decision.status}` }, decision.headers ?? {});
  };
  server = await startLoopback(handler);
  return server;
}

const count = (fake: LoopbackServer, method: string, prefix = '/issues'): number =>
  fake.requests.filter((request) => request.method === method && request.url.startsWith(prefix)).length;

function setup(fake: LoopbackServer, options: Partial<SyncEngineOptions> = {}, timeoutMs?: number) {
  // The client's own policy would retry twice more per request; the engine must switch it off.
  const http = createHttpClient({
    baseUrl: fake.url,
    provider: 'gated',
    retry: { sleep: async () => {}, random: () => 0 },
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  const tracker = new HttpGatedTracker(http, { name: 'memory' });
  const store = new InMemoryIssueStore();
  const sleeps: number[] = [];
  const engine = new SyncEngine({
    connector: tracker,
    store,
    policy: shared,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0,
    ...options,
  });
  return { tracker, store, engine, sleeps };
}

describe('one retry budget per operation: maxRetryAttempts means 1 + n requests', () => {
  it.each([0, 1, 2])('a page that fails with 503 every time costs %i + 1 requests', async (attempts) => {
    const fake = await serve(() => ({ status: 503 }));
    const { engine, sleeps } = setup(fake, { maxRetryAttempts: attempts });
    const result = await engine.pull();
    expect(count(fake, 'GET')).toBe(attempts + 1);
    expect(sleeps).toHaveLength(attempts);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({
      operation: 'pull_page',
      failureClass: 'transient',
      resetAt: null,
    });
  });

  it('an update (PUT, idempotent for the client) that fails with 503 costs 1 + n requests', async () => {
    const fake = await serve((method) => (method === 'PUT' ? { status: 503 } : { status: 200 }));
    const { tracker, store, engine } = setup(fake, { maxRetryAttempts: 1 });
    tracker.seed(issue('U-1', { title: 'remote' }));
    await engine.pull();
    const local = await store.getIssue(issue('U-1').ref);
    if (local === null) throw new Error('pull did not store U-1');
    await store.upsertIssue({ ...local, title: 'edited locally' });
    const result = await engine.push();
    expect(count(fake, 'PUT')).toBe(2);
    expect(result.failures[0]).toMatchObject({ operation: 'update', failureClass: 'transient' });
  });

  it('the engine, not the client, sleeps through a short Retry-After', async () => {
    let seen = 0;
    const fake = await serve(() => {
      seen += 1;
      return seen === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 };
    });
    const { engine, sleeps } = setup(fake);
    const result = await engine.pull();
    expect(result.failures).toEqual([]);
    expect(sleeps).toEqual([2000]);
    expect(count(fake, 'GET')).toBe(2);
  });
});

describe('deadlines: a hung tracker fails the run quickly', () => {
  it('a hung server ends the page at the operation deadline and the run stops (no push)', async () => {
    const fake = await serve((method) => (method === 'GET' ? 'hang' : { status: 200 }));
    const { store, engine } = setup(fake, {
      maxRetryAttempts: 10,
      retryBaseDelayMs: 10,
      requestTimeoutMs: 100,
      operationDeadlineMs: 350,
      sleep: undefined, // real, abortable sleeps
    });
    await store.upsertIssue(issue('L-1'));
    const started = Date.now();
    const result = await engine.sync();
    expect(Date.now() - started).toBeLessThan(10_000);
    // 100 ms per attempt within 350 ms: a handful of requests, never 11 (or 33).
    expect(count(fake, 'GET')).toBeGreaterThanOrEqual(2);
    expect(count(fake, 'GET')).toBeLessThanOrEqual(4);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({
      operation: 'pull_page',
      failureClass: 'transient',
      retryable: true,
    });
    expect(result.failures[0]?.message).toMatch(/^pull_page did not finish within its 350 ms deadline/);
    expect(count(fake, 'POST')).toBe(0);
  });

  it('with no retries, one timed-out request ends the run', async () => {
    const fake = await serve((method) => (method === 'GET' ? 'hang' : { status: 200 }));
    const { store, engine } = setup(fake, { maxRetryAttempts: 0 }, 100);
    await store.upsertIssue(issue('L-1'));
    const result = await engine.sync();
    expect(count(fake, 'GET')).toBe(1);
    expect(result.failures[0]?.message).toMatch(/^Request timed out after 100 ms/);
    expect(count(fake, 'POST')).toBe(0);
  });

  it('by default an operation that never settles fails within 60 s, even if the connector ignores the signal', async () => {
    vi.useFakeTimers();
    const pending = withRetry(() => new Promise<never>(() => {}), {
      maxRetryAttempts: 2,
      sleep: async () => {},
      random: () => 0,
      operation: 'pull_page',
    });
    const settled = pending.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await settled;
    expect(ConnectorTimeoutError.isInstance(error)).toBe(true);
    expect((error as ConnectorTimeoutError).scope).toBe('operation');
  });
});

describe('rate limits beyond the accepted wait stop the run', () => {
  const inAnHour = (): number => Date.now() + 3600_000;

  it('Retry-After: 3600 on a page: one request, no sleep, a rate_limit failure with resetAt, no push', async () => {
    const fake = await serve((method) =>
      method === 'GET' ? { status: 429, headers: { 'retry-after': '3600' } } : { status: 200 },
    );
    const { store, engine, sleeps } = setup(fake);
    await store.upsertIssue(issue('L-1'));
    const expected = inAnHour();
    const result = await engine.sync();
    expect(sleeps).toEqual([]);
    expect(count(fake, 'GET')).toBe(1);
    expect(count(fake, 'POST')).toBe(0);
    expect(result.failures).toHaveLength(1);
    const [failure] = result.failures;
    expect(failure).toMatchObject({ operation: 'pull_page', failureClass: 'rate_limit', retryable: false });
    expect(Math.abs((failure?.resetAt?.getTime() ?? 0) - expected)).toBeLessThan(5_000);
  });

  it('an exhausted quota (403, x-ratelimit-reset) does the same, with the reset the server named', async () => {
    const reset = Math.floor(Date.now() / 1000) + 7200;
    const fake = await serve(() => ({
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
    }));
    const { engine, sleeps } = setup(fake);
    const result = await engine.pull();
    expect(sleeps).toEqual([]);
    expect(count(fake, 'GET')).toBe(1);
    expect(result.failures[0]).toMatchObject({ failureClass: 'rate_limit', retryable: false });
    expect(Math.abs((result.failures[0]?.resetAt?.getTime() ?? 0) - reset * 1000)).toBeLessThan(2_000);
  });

  it('a rate-limited create stops the push: the next issue is not attempted', async () => {
    const fake = await serve((method) =>
      method === 'POST' ? { status: 429, headers: { 'retry-after': '3600' } } : { status: 200 },
    );
    const { store, engine, sleeps } = setup(fake);
    await store.upsertIssue(issue('L-1'));
    await store.upsertIssue(issue('L-2'));
    const result = await engine.sync();
    expect(count(fake, 'POST')).toBe(1);
    expect(sleeps).toEqual([]);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ operation: 'create', failureClass: 'rate_limit' });
    expect(result.failures[0]?.resetAt).toBeInstanceOf(Date);
  });

  it('a connector of any kind (not HTTP) that reports a long wait is treated the same', async () => {
    const tracker = new FakeTracker();
    let calls = 0;
    tracker.listIssues = async () => {
      calls += 1;
      throw new ConnectorRequestError('quota', {
        statusCode: 429,
        retryAfterSeconds: 3600,
        provider: 'memory',
      });
    };
    const sleeps: number[] = [];
    const engine = new SyncEngine({
      connector: tracker,
      store: new InMemoryIssueStore(),
      policy: shared,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const result = await engine.pull();
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
    expect(result.failures[0]?.resetAt).toBeInstanceOf(Date);
    expect(result.failures[0]?.message).toMatch(/^Rate limited by memory until /);
  });

  it('the error thrown out of a push lookup is the typed RateLimitedError', async () => {
    const fake = await serve(() => ({ status: 429, headers: { 'retry-after': '3600' } }));
    const { store, engine } = setup(fake);
    await store.upsertIssue(issue('L-1'));
    // A push without a pull looks the issue up first; that lookup is refused.
    const error = await engine.push().catch((caught: unknown) => caught);
    expect(RateLimitedError.isInstance(error)).toBe(true);
    expect((error as RateLimitedError).provider).toBe('gated');
    expect(count(fake, 'GET')).toBe(1);
  });
});
