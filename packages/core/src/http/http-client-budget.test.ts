// Who retries, how long a request may take, and which server waits are refused (issue 12,
// items 4 and 5), against a real loopback server. Counts requests and sleeps; wall-clock bounds
// are only generous sanity limits.
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorTimeoutError, RateLimitedError } from '../errors/errors';
import { graphqlRequest } from './graphql';
import { createHttpClient, type HttpClientOptions } from './http-client';
import { type RequestScope, withRequestScope } from './request-scope';
import {
  type LoopbackHandler,
  type LoopbackServer,
  sendJson,
  startLoopback,
} from './testing/loopback-server';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serve(handler: LoopbackHandler): Promise<LoopbackServer> {
  server = await startLoopback(handler);
  return server;
}

const always =
  (
    status: number,
    headers: Record<string, string> = {},
    body: unknown = { message: 'no' },
  ): LoopbackHandler =>
  (_request, response) =>
    sendJson(response, status, body, headers);

/** Never answers; the socket stays open until the client gives up. */
const hang: LoopbackHandler = () => new Promise<void>(() => {});

function setup(url: string, retry: HttpClientOptions['retry'] = {}, extra: Partial<HttpClientOptions> = {}) {
  const sleeps: number[] = [];
  // A virtual clock that the (recorded, instant) sleeps advance.
  let clock = NOW;
  const sleep = async (ms: number): Promise<void> => {
    sleeps.push(ms);
    clock += ms;
  };
  const http = createHttpClient({
    baseUrl: url,
    provider: 'github',
    now: () => clock,
    ...extra,
    retry: retry === false ? false : { sleep, random: () => 0, ...retry },
  });
  return { http, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

function scoped(scope: Partial<RequestScope> = {}): AbortSignal {
  return withRequestScope(new AbortController().signal, {
    callerRetries: true,
    maxRetryAfterSeconds: 30,
    requestTimeoutMs: null,
    ...scope,
  });
}

describe('rate limits beyond the accepted wait', () => {
  it.each(['GET', 'POST'] as const)(
    'Retry-After: 3600 on a %s is a RateLimitedError at once: one request, no sleep, resetAt = now + 3600 s',
    async (method) => {
      const fake = await serve(always(429, { 'retry-after': '3600' }));
      const { http, sleeps } = setup(fake.url);
      const error = await failure(
        http.request({ method, path: 'x', json: method === 'POST' ? {} : undefined }),
      );
      expect(RateLimitedError.isInstance(error)).toBe(true);
      const limited = error as RateLimitedError;
      expect(limited.resetAt.getTime()).toBe(NOW + 3600_000);
      expect(limited.failureClass).toBe('rate_limit');
      expect(limited.isRetryable).toBe(false);
      expect(limited.provider).toBe('github');
      expect(limited.statusCode).toBe(429);
      expect(limited.retryAfterSeconds).toBe(3600);
      expect(limited.message).toContain('Rate limited by github until 2026-12-07T13:00:00.000Z');
      expect(sleeps).toEqual([]);
      expect(fake.requests).toHaveLength(1);
    },
  );

  it('an exhausted quota with an x-ratelimit-reset an hour away is refused the same way', async () => {
    const reset = NOW / 1000 + 3600;
    const fake = await serve(
      always(
        403,
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
        { message: 'API rate limit exceeded' },
      ),
    );
    const { http, sleeps } = setup(fake.url);
    const error = (await failure(http.request({ method: 'GET', path: 'x' }))) as RateLimitedError;
    expect(RateLimitedError.isInstance(error)).toBe(true);
    expect(error.resetAt.getTime()).toBe(reset * 1000);
    expect(sleeps).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it("Linear's RATELIMITED in a 200 body with a far epoch-ms reset is refused too", async () => {
    const reset = Date.now() + 2 * 3600_000;
    const fake = await serve(
      always(
        200,
        { 'x-ratelimit-requests-reset': String(reset) },
        { data: null, errors: [{ message: 'slow down', extensions: { code: 'RATELIMITED' } }] },
      ),
    );
    // GraphQL body errors are classified against the real clock.
    const { http, sleeps } = setup(fake.url, {}, { provider: 'linear', now: Date.now });
    const error = (await failure(
      graphqlRequest(http, { query: 'query Q { viewer { id } }' }),
    )) as RateLimitedError;
    expect(RateLimitedError.isInstance(error)).toBe(true);
    expect(Math.abs(error.resetAt.getTime() - reset)).toBeLessThan(2_000);
    expect(error.provider).toBe('linear');
    expect(sleeps).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it('a wait within maxRetryAfterSeconds is still slept through and retried', async () => {
    let seen = 0;
    const fake = await serve((_request, response) => {
      seen += 1;
      if (seen === 1) sendJson(response, 429, { message: 'slow' }, { 'retry-after': '20' });
      else sendJson(response, 200, { ok: true });
    });
    const { http, sleeps } = setup(fake.url);
    expect((await http.request({ method: 'GET', path: 'x' })).data).toEqual({ ok: true });
    expect(sleeps).toEqual([20_000]);
  });

  it("a wait that does not fit in the request's deadline is refused at once", async () => {
    const fake = await serve(always(429, { 'retry-after': '50' }));
    const { http, sleeps } = setup(fake.url, { deadlineMs: 10_000 });
    const error = (await failure(http.request({ method: 'GET', path: 'x' }))) as RateLimitedError;
    expect(RateLimitedError.isInstance(error)).toBe(true);
    expect(error.resetAt.getTime()).toBe(NOW + 50_000);
    expect(sleeps).toEqual([]);
  });
});

describe('retries owned by the caller (a scoped signal)', () => {
  it('makes exactly one attempt when the caller retries', async () => {
    const fake = await serve(always(503));
    const { http, sleeps } = setup(fake.url);
    const error = await failure(http.request({ method: 'GET', path: 'x', signal: scoped() }));
    expect((error as { statusCode: number }).statusCode).toBe(503);
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    // Without a scope the client's own policy (2 retries) applies.
    const own = await failure(http.request({ method: 'GET', path: 'x' }));
    expect((own as { statusCode: number }).statusCode).toBe(503);
    expect(fake.requests).toHaveLength(4);
  });

  it("refuses a wait longer than the caller's maximum although the client would accept it", async () => {
    const fake = await serve(always(429, { 'retry-after': '45' }));
    const { http, sleeps } = setup(fake.url, { maxRetryAfterSeconds: 60 });
    const error = await failure(
      http.request({ method: 'GET', path: 'x', signal: scoped({ maxRetryAfterSeconds: 30 }) }),
    );
    expect(RateLimitedError.isInstance(error)).toBe(true);
    expect(sleeps).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it("caps the request timeout at the caller's requestTimeoutMs", async () => {
    const fake = await serve(hang);
    const { http } = setup(fake.url, {}, { timeoutMs: 30_000 });
    const started = Date.now();
    const error = await failure(
      http.request({ method: 'GET', path: 'x', signal: scoped({ requestTimeoutMs: 100 }) }),
    );
    expect(ConnectorTimeoutError.isInstance(error)).toBe(true);
    expect((error as ConnectorTimeoutError).scope).toBe('request');
    expect((error as ConnectorTimeoutError).message).toBe(
      `Request timed out after 100 ms: GET ${fake.url}/x`,
    );
    expect(fake.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('deadline of a request with its own retries', () => {
  it('a hung server fails within deadlineMs, however many retries the policy allows', async () => {
    const fake = await serve(hang);
    const { http } = setup(
      fake.url,
      { limit: 10, baseDelayMs: 10, deadlineMs: 400 },
      { timeoutMs: 150, now: Date.now },
    );
    const started = Date.now();
    const error = await failure(http.request({ method: 'GET', path: 'x' }));
    expect(ConnectorTimeoutError.isInstance(error)).toBe(true);
    expect((error as ConnectorTimeoutError).failureClass).toBe('transient');
    // 150 + 150 + the 100 ms left: three attempts at most, not eleven.
    expect(fake.requests.length).toBeGreaterThanOrEqual(2);
    expect(fake.requests.length).toBeLessThanOrEqual(3);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('does not start a backoff wait that would end past the deadline', async () => {
    const fake = await serve(always(503));
    const { http, sleeps } = setup(fake.url, { limit: 5, baseDelayMs: 20_000, deadlineMs: 30_000 });
    const error = await failure(http.request({ method: 'GET', path: 'x' }));
    expect(ConnectorTimeoutError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /did not succeed within its 30000 ms deadline \(3 attempts; last: HTTP 503/,
    );
    // Waits of 10 s and 15 s fit in 30 s; the next 15 s would end at 40 s, so it stops there.
    expect(sleeps).toEqual([10_000, 15_000]);
    expect(fake.requests).toHaveLength(3);
  });
});
