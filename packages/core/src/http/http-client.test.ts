import { setTimeout as delay } from 'node:timers/promises';
import { inspect } from 'node:util';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorRequestError, IssuePayloadContractError } from '../errors/errors';
import type { Logger } from '../protocol/logger';
import { graphqlRequest } from './graphql';
import { createHttpClient, type HttpClientOptions } from './http-client';
import { HttpResponseError } from './http-errors';
import {
  type LoopbackHandler,
  type LoopbackServer,
  sendJson,
  startLoopback,
} from './testing/loopback-server';

const TOKEN = 'ghp_SUPERSECRETTOKEN123456';

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serve(handler: LoopbackHandler): Promise<LoopbackServer> {
  server = await startLoopback(handler);
  return server;
}

function recordingSleep(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
}

function client(url: string, extra: Partial<HttpClientOptions> = {}) {
  return createHttpClient({
    baseUrl: `${url}/api/v3/`,
    provider: 'github',
    headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' },
    retry: { sleep: async () => {}, random: () => 0 },
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

describe('requests', () => {
  it('joins paths to the base URL, encodes the query, sends default and per-request headers', async () => {
    const fake = await serve((_request, response) => sendJson(response, 200, { ok: true }));
    const http = client(fake.url);
    const result = await http.request({
      method: 'GET',
      path: '/repos/o/r/issues',
      query: { state: 'open', labels: ['a b', 'c'], skip: null, none: undefined, per_page: 100, all: true },
      headers: { 'X-GitHub-Api-Version': '2022-11-28' },
    });
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ ok: true });
    const [sent] = fake.requests;
    expect(sent?.url).toBe('/api/v3/repos/o/r/issues?state=open&labels=a+b&labels=c&per_page=100&all=true');
    expect(sent?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent?.headers['x-github-api-version']).toBe('2022-11-28');
  });

  it('uses absolute URLs (Link next) as given, keeping their query', async () => {
    const fake = await serve((_request, response) => sendJson(response, 200, []));
    const http = client('http://unused.invalid');
    await http.request({
      method: 'GET',
      path: `${fake.url}/repositories/1/issues?page=2`,
      query: { per_page: 5 },
    });
    expect(fake.requests[0]?.url).toBe('/repositories/1/issues?page=2&per_page=5');
  });

  it('an empty path is the base URL itself (GraphQL endpoints)', async () => {
    const fake = await serve((_request, response) =>
      sendJson(response, 200, { data: { viewer: { id: 'u1' } } }),
    );
    const http = createHttpClient({ baseUrl: `${fake.url}/graphql`, provider: 'linear' });
    const data = await graphqlRequest(http, { query: '{ viewer { id } }' });
    expect(data).toEqual({ viewer: { id: 'u1' } });
    expect(fake.requests[0]?.url).toBe('/graphql');
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({ query: '{ viewer { id } }' });
  });

  it('sends JSON bodies with content-type application/json', async () => {
    const fake = await serve((_request, response) => sendJson(response, 201, { id: 1 }));
    await client(fake.url).request({ method: 'POST', path: 'repos/o/r/issues', json: { title: 'T' } });
    expect(fake.requests[0]?.headers['content-type']).toBe('application/json');
    expect(fake.requests[0]?.body).toBe('{"title":"T"}');
  });

  it('returns data null for 204 and for an empty 200', async () => {
    const fake = await serve((request, response) => {
      response.writeHead(request.url.endsWith('/a') ? 204 : 200);
      response.end();
    });
    const http = client(fake.url);
    expect((await http.request({ method: 'DELETE', path: 'a' })).data).toBeNull();
    expect((await http.request({ method: 'GET', path: 'b' })).data).toBeNull();
  });

  it('returns accepted non-2xx statuses instead of throwing (304)', async () => {
    const fake = await serve((_request, response) => {
      response.writeHead(304, { etag: '"abc"' });
      response.end();
    });
    const result = await client(fake.url).request({ method: 'GET', path: 'x', acceptStatuses: [304] });
    expect(result.status).toBe(304);
    expect(result.data).toBeNull();
    expect(result.headers.get('etag')).toBe('"abc"');
  });

  it("returns text bodies with responseType 'text'", async () => {
    const fake = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('hello');
    });
    expect((await client(fake.url).request({ method: 'GET', path: 'x', responseType: 'text' })).data).toBe(
      'hello',
    );
  });
});

describe('response bodies', () => {
  it('bad JSON on a 2xx is an IssuePayloadContractError (HTTP-001)', async () => {
    const fake = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"issues": [');
    });
    const error = await failure(client(fake.url).request({ method: 'GET', path: 'x' }));
    expect(IssuePayloadContractError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      reason: 'HTTP-001',
      provider: 'github',
      fieldPath: '<root>',
      kind: 'response',
    });
  });

  it('wrong content (an HTML page) names the content type', async () => {
    const fake = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>Sign in</body></html>');
    });
    const error = (await failure(client(fake.url).request({ method: 'GET', path: 'x' }))) as Error;
    expect(IssuePayloadContractError.isInstance(error)).toBe(true);
    expect(error.message).toContain('text/html');
    expect(error.message).toContain('Sign in');
  });

  it('a schema mismatch names the exact field in bracket style', async () => {
    const issues = [0, 1, 2, 3].map((index) => ({
      key: `K-${index}`,
      fields: { status: { name: index === 3 ? 42 : 'Open' } },
    }));
    const fake = await serve((_request, response) => sendJson(response, 200, { issues }));
    const Schema = v.object({
      issues: v.array(
        v.object({ key: v.string(), fields: v.object({ status: v.object({ name: v.string() }) }) }),
      ),
    });
    const error = (await failure(
      client(fake.url).request({ method: 'GET', path: 'search', schema: Schema }),
    )) as IssuePayloadContractError;
    expect(IssuePayloadContractError.isInstance(error)).toBe(true);
    expect(error.fieldPath).toBe('issues[3].fields.status.name');
    expect(error.reason).toBe('HTTP-002');
    expect(error.message).toContain('issues[3].fields.status.name: expected string but received 42');
  });

  it('a matching schema returns its typed output', async () => {
    const fake = await serve((_request, response) => sendJson(response, 200, { id: 7, extra: 'x' }));
    const result = await client(fake.url).request({
      method: 'GET',
      path: 'x',
      schema: v.object({ id: v.number() }),
    });
    expect(result.data).toEqual({ id: 7 });
  });

  it('refuses a body over the cap announced by content-length', async () => {
    const fake = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2048) });
      response.end(`"${'x'.repeat(2046)}"`);
    });
    const error = (await failure(
      client(fake.url, { maxResponseBytes: 1024 }).request({ method: 'GET', path: 'x' }),
    )) as ConnectorRequestError;
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect(error.message).toContain('exceeds the 1024 bytes limit');
    expect(error.failureClass).toBe('non_retryable');
  });

  it('refuses a chunked body once it grows past the cap', async () => {
    const fake = await serve(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      for (let index = 0; index < 40; index += 1) response.write('x'.repeat(64 * 1024));
      response.end();
    });
    const http = client(fake.url, { maxResponseBytes: 1024 * 1024 });
    const error = (await failure(http.request({ method: 'GET', path: 'x' }))) as ConnectorRequestError;
    expect(error.message).toContain('exceeds the 1 MiB limit');
    // A per-request override lifts the cap.
    const bigger = await failure(
      http.request({ method: 'GET', path: 'x', maxResponseBytes: 4 * 1024 * 1024 }),
    );
    expect(IssuePayloadContractError.isInstance(bigger)).toBe(true); // it was read in full, then failed to parse
  });
});

describe('error mapping', () => {
  const cases: [number, string][] = [
    [400, 'validation'],
    [401, 'authentication'],
    [403, 'permission'],
    [404, 'not_found'],
    [409, 'validation'],
    [410, 'non_retryable'],
    [422, 'validation'],
    [429, 'rate_limit'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
  ];
  it.each(cases)(
    'HTTP %i → %s with status, provider and a message in the original shape',
    async (status, failureClass) => {
      const fake = await serve((_request, response) =>
        sendJson(response, status, { message: `boom ${status}` }),
      );
      const error = (await failure(
        client(fake.url, { retry: false }).request({ method: 'GET', path: 'repos/o/r', query: { page: 2 } }),
      )) as HttpResponseError;
      expect(ConnectorRequestError.isInstance(error)).toBe(true);
      expect(HttpResponseError.isInstance(error)).toBe(true);
      expect(error.statusCode).toBe(status);
      expect(error.failureClass).toBe(failureClass);
      expect(error.provider).toBe('github');
      expect(error.message).toBe(
        `HTTP ${status} for GET ${fake.url}/api/v3/repos/o/r?page=2: {"message":"boom ${status}"}`,
      );
      expect(error.responseBody).toEqual({ message: `boom ${status}` });
    },
  );

  it('truncates long bodies in messages', async () => {
    const fake = await serve((_request, response) => sendJson(response, 500, { message: 'y'.repeat(5000) }));
    const error = (await failure(
      client(fake.url, { retry: false }).request({ method: 'GET', path: 'x' }),
    )) as Error;
    expect(error.message.length).toBeLessThan(700);
    expect(error.message).toContain('more chars)');
  });

  it('reads Retry-After in seconds', async () => {
    const fake = await serve((_request, response) => sendJson(response, 429, {}, { 'retry-after': '42' }));
    const error = (await failure(
      client(fake.url, { retry: false }).request({ method: 'GET', path: 'x' }),
    )) as ConnectorRequestError;
    expect(error.failureClass).toBe('rate_limit');
    expect(error.retryAfterSeconds).toBe(42);
  });

  it('reads Retry-After as an HTTP date', async () => {
    const now = Date.parse('2026-11-24T08:00:00Z');
    const fake = await serve((_request, response) =>
      sendJson(response, 503, {}, { 'retry-after': 'Tue, 24 Nov 2026 08:01:30 GMT' }),
    );
    const error = (await failure(
      client(fake.url, { retry: false, now: () => now }).request({ method: 'GET', path: 'x' }),
    )) as ConnectorRequestError;
    expect(error.failureClass).toBe('transient');
    expect(error.retryAfterSeconds).toBe(90);
  });

  it('a 429 without Retry-After waits until the X-RateLimit-Reset epoch', async () => {
    const now = 1_800_000_000_000;
    const fake = await serve((_request, response) =>
      sendJson(
        response,
        429,
        {},
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) },
      ),
    );
    const error = (await failure(
      client(fake.url, { retry: false, now: () => now }).request({ method: 'GET', path: 'x' }),
    )) as ConnectorRequestError;
    expect(error.retryAfterSeconds).toBe(30);
  });

  it('GitHub secondary limits: a 403 with retry-after, remaining 0, or a rate-limit message is rate_limit', async () => {
    const now = 1_800_000_000_000;
    const variants: { headers: Record<string, string>; body: { message: string }; wait: number }[] = [
      {
        headers: { 'retry-after': '60' },
        body: { message: 'You have exceeded a secondary rate limit.' },
        wait: 60,
      },
      {
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 120) },
        body: { message: 'API rate limit exceeded' },
        wait: 120,
      },
      {
        headers: {},
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' },
        wait: 60,
      },
    ];
    let next = 0;
    const fake = await serve((_request, response) => {
      const variant = variants[next++]!;
      sendJson(response, 403, variant.body, variant.headers);
    });
    const http = client(fake.url, { retry: false, now: () => now });
    for (const variant of variants) {
      const error = (await failure(http.request({ method: 'GET', path: 'x' }))) as ConnectorRequestError;
      expect(error.failureClass).toBe('rate_limit');
      expect(error.retryAfterSeconds).toBe(variant.wait);
    }
  });

  it('a plain 403 stays permission', async () => {
    const fake = await serve((_request, response) =>
      sendJson(
        response,
        403,
        { message: 'Resource not accessible by integration' },
        { 'x-ratelimit-remaining': '4999' },
      ),
    );
    const error = (await failure(
      client(fake.url, { retry: false }).request({ method: 'GET', path: 'x' }),
    )) as ConnectorRequestError;
    expect(error.failureClass).toBe('permission');
    expect(error.retryAfterSeconds).toBeNull();
  });

  it("Linear's RATELIMITED as HTTP 400 is rate_limit with the epoch-ms reset", async () => {
    const now = 1_800_000_000_000;
    const fake = await serve((_request, response) =>
      sendJson(
        response,
        400,
        { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATELIMITED' } }] },
        { 'x-ratelimit-requests-remaining': '0', 'x-ratelimit-requests-reset': String(now + 45_000) },
      ),
    );
    const http = createHttpClient({
      baseUrl: `${fake.url}/graphql`,
      provider: 'linear',
      retry: false,
      now: () => now,
    });
    const error = (await failure(
      graphqlRequest(http, { query: 'query Q { viewer { id } }' }),
    )) as ConnectorRequestError;
    expect(error.failureClass).toBe('rate_limit');
    expect(error.statusCode).toBe(400);
    expect(error.retryAfterSeconds).toBe(45);
  });

  it('a network error (connection refused) is transient', async () => {
    const fake = await serve((_request, response) => sendJson(response, 200, {}));
    const url = fake.url;
    await fake.close();
    server = null;
    const error = (await failure(
      client(url, { retry: false }).request({ method: 'GET', path: 'x' }),
    )) as ConnectorRequestError;
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect(error.failureClass).toBe('transient');
    expect(error.statusCode).toBeNull();
    expect(error.message).toMatch(
      /^Network error for GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/x: ECONNREFUSED/,
    );
  });

  it('a connection reset mid-response is transient', async () => {
    const fake = await serve((_request, response) => {
      response.socket?.destroy();
    });
    const error = (await failure(
      client(fake.url, { retry: false }).request({ method: 'GET', path: 'x' }),
    )) as ConnectorRequestError;
    expect(error.failureClass).toBe('transient');
  });
});

describe('timeouts and aborts', () => {
  it('a response slower than timeoutMs is a transient timeout', async () => {
    const fake = await serve(async (_request, response) => {
      await delay(2000);
      sendJson(response, 200, {});
    });
    const started = Date.now();
    const error = (await failure(
      client(fake.url, { retry: false, timeoutMs: 100 }).request({ method: 'GET', path: 'slow' }),
    )) as ConnectorRequestError;
    expect(Date.now() - started).toBeLessThan(1500);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect(error.failureClass).toBe('transient');
    expect(error.message).toBe(`Request timed out after 100 ms: GET ${fake.url}/api/v3/slow`);
  });

  it('the timeout also covers a body that trickles in', async () => {
    const fake = await serve(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('[');
      await delay(500);
      response.end(']');
    });
    const error = (await failure(
      client(fake.url, { retry: false }).request({ method: 'GET', path: 'slow', timeoutMs: 100 }),
    )) as ConnectorRequestError;
    expect(error.failureClass).toBe('transient');
    expect(error.message).toContain('timed out');
  });

  it('a caller abort rejects with the abort reason and is not retried', async () => {
    const controller = new AbortController();
    const fake = await serve(async (_request, response) => {
      // Abort once the server holds the request, so the assertion does not depend on timing.
      controller.abort(new Error('stop'));
      await delay(300);
      sendJson(response, 200, {});
    });
    const error = (await failure(
      client(fake.url).request({ method: 'GET', path: 'x', signal: controller.signal }),
    )) as Error;
    expect(error.message).toBe('stop');
    expect(fake.requests).toHaveLength(1);
  });
});

describe('retries', () => {
  function flaky(failures: number, status = 503, headers: Record<string, string> = {}): LoopbackHandler {
    let seen = 0;
    return (_request, response) => {
      seen += 1;
      if (seen <= failures) sendJson(response, status, { message: 'unavailable' }, headers);
      else sendJson(response, 200, { ok: seen });
    };
  }

  it('retries an idempotent GET with exponential backoff and jitter, then succeeds', async () => {
    const fake = await serve(flaky(2));
    const { sleeps, sleep } = recordingSleep();
    const http = client(fake.url, { retry: { limit: 3, baseDelayMs: 100, sleep, random: () => 0.5 } });
    const result = await http.request({ method: 'GET', path: 'x' });
    expect(result.data).toEqual({ ok: 3 });
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toEqual([75, 150]); // step/2 + 0.5 * step/2 for steps 100, 200
  });

  it('caps the backoff step at maxDelayMs', async () => {
    const fake = await serve(flaky(4));
    const { sleeps, sleep } = recordingSleep();
    const http = client(fake.url, {
      retry: { limit: 4, baseDelayMs: 100, maxDelayMs: 250, sleep, random: () => 1 },
    });
    await http.request({ method: 'GET', path: 'x' });
    expect(sleeps).toEqual([100, 200, 250, 250]);
  });

  it('gives up after the retry limit and throws the last error', async () => {
    const fake = await serve(flaky(10));
    const http = client(fake.url, { retry: { limit: 2, sleep: async () => {} } });
    const error = (await failure(
      http.request({ method: 'PUT', path: 'x', json: {} }),
    )) as ConnectorRequestError;
    expect(error.statusCode).toBe(503);
    expect(fake.requests).toHaveLength(3);
  });

  it('honours Retry-After when sleeping', async () => {
    const fake = await serve(flaky(1, 429, { 'retry-after': '3' }));
    const { sleeps, sleep } = recordingSleep();
    await client(fake.url, { retry: { sleep } }).request({ method: 'GET', path: 'x' });
    expect(sleeps).toEqual([3000]);
  });

  it('does not sleep through a Retry-After above the cap; the caller gets retryAfterSeconds', async () => {
    const fake = await serve(flaky(1, 429, { 'retry-after': '3600' }));
    const { sleeps, sleep } = recordingSleep();
    const error = (await failure(
      client(fake.url, { retry: { sleep, maxRetryAfterSeconds: 60 } }).request({ method: 'GET', path: 'x' }),
    )) as ConnectorRequestError;
    expect(error.retryAfterSeconds).toBe(3600);
    expect(sleeps).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it.each(['POST', 'PATCH'] as const)('never retries %s by default', async (method) => {
    const fake = await serve(flaky(1));
    const error = (await failure(
      client(fake.url).request({ method, path: 'x', json: { title: 'T' } }),
    )) as ConnectorRequestError;
    expect(error.failureClass).toBe('transient');
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a POST the caller marks idempotent, and not a GET marked non-idempotent', async () => {
    const fake = await serve(flaky(1));
    await client(fake.url).request({ method: 'POST', path: 'search', json: {}, idempotent: true });
    expect(fake.requests).toHaveLength(2);
    const other = await serve(flaky(1));
    await failure(client(other.url).request({ method: 'GET', path: 'x', idempotent: false }));
    expect(other.requests).toHaveLength(1);
    await other.close();
  });

  it('does not retry non-retryable classes (404, 422)', async () => {
    const fake = await serve(flaky(5, 404));
    await failure(client(fake.url).request({ method: 'GET', path: 'x' }));
    expect(fake.requests).toHaveLength(1);
  });

  it('retries timeouts and network errors on GET', async () => {
    let seen = 0;
    const fake = await serve(async (_request, response) => {
      seen += 1;
      if (seen === 1) await delay(1500);
      if (seen === 2) {
        response.socket?.destroy();
        return;
      }
      sendJson(response, 200, { seen });
    });
    const result = await client(fake.url, { timeoutMs: 400 }).request({ method: 'GET', path: 'x' });
    expect(result.data).toEqual({ seen: 3 });
  });

  it('GraphQL queries are retried on RATELIMITED in a 200 body; mutations are not', async () => {
    let seen = 0;
    const fake = await serve((_request, response) => {
      seen += 1;
      if (seen === 1 || seen === 3) {
        sendJson(response, 200, {
          data: null,
          errors: [{ message: 'slow down', extensions: { code: 'RATELIMITED' } }],
        });
      } else sendJson(response, 200, { data: { ok: seen } });
    });
    const { sleeps, sleep } = recordingSleep();
    const http = createHttpClient({
      baseUrl: `${fake.url}/graphql`,
      provider: 'linear',
      retry: { sleep, random: () => 0 },
    });
    expect(await graphqlRequest(http, { query: 'query Q { viewer { id } }' })).toEqual({ ok: 2 });
    expect(sleeps).toHaveLength(1);
    const error = (await failure(
      graphqlRequest(http, {
        query: 'mutation M { issueCreate(input: {}) { success } }',
        errorLabel: 'Linear GraphQL error',
      }),
    )) as ConnectorRequestError;
    expect(error.failureClass).toBe('rate_limit');
    expect(error.message).toMatch(/^Linear GraphQL error: \[\{"message":"slow down"/);
    expect(seen).toBe(3);
  });
});

describe('secrets', () => {
  it('never puts the token into messages, responseBody, causes or log lines', async () => {
    const fake = await serve((request, response) =>
      sendJson(response, 401, { message: `Bad credentials: ${request.headers.authorization}`, token: TOKEN }),
    );
    const lines: string[] = [];
    const logger: Logger = {
      debug: (message, fields) => lines.push(message + JSON.stringify(fields ?? {})),
      info: (message, fields) => lines.push(message + JSON.stringify(fields ?? {})),
      warn: (message, fields) => lines.push(message + JSON.stringify(fields ?? {})),
      error: (message, fields) => lines.push(message + JSON.stringify(fields ?? {})),
    };
    const http = client(fake.url, { logger });
    const error = (await failure(
      http.request({
        method: 'GET',
        path: 'x',
        query: { access_token: TOKEN, private_token: 'glpat-abcdefgh', page: 1 },
      }),
    )) as HttpResponseError;
    const everything = [
      error.message,
      inspect(error, { depth: 8 }),
      JSON.stringify(error.responseBody),
      error.url,
      ...lines,
    ].join('\n');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('glpat-abcdefgh');
    expect(error.message).toContain('[REDACTED]');
    expect(error.message).toContain('page=1');
    expect(lines.length).toBeGreaterThan(0);
  });

  it('redacts per-request auth headers and explicit secrets, also in retry warnings', async () => {
    const fake = await serve((request, response) =>
      sendJson(response, 503, { echo: request.headers['private-token'], other: 'nango-sk-123456' }),
    );
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: (message, fields) => warnings.push(message + JSON.stringify(fields ?? {})),
      error: () => {},
    };
    const http = createHttpClient({
      baseUrl: fake.url,
      provider: 'gitlab',
      secrets: ['nango-sk-123456'],
      logger,
      retry: { limit: 1, sleep: async () => {} },
    });
    const error = (await failure(
      http.request({ method: 'GET', path: 'x', headers: { 'PRIVATE-TOKEN': 'glpat-secret-value' } }),
    )) as Error;
    const everything = [error.message, ...warnings].join('\n');
    expect(warnings).toHaveLength(1);
    expect(everything).not.toContain('glpat-secret-value');
    expect(everything).not.toContain('nango-sk-123456');
  });

  it('strips user-info from URLs in messages', async () => {
    const fake = await serve((_request, response) => sendJson(response, 404, {}));
    const http = createHttpClient({
      baseUrl: fake.url.replace('http://', 'http://user:pa55word@'),
      provider: 'x',
      retry: false,
    });
    const error = (await failure(http.request({ method: 'GET', path: 'x' }))) as Error;
    expect(error.message).not.toContain('pa55word');
  });
});

describe('content types', () => {
  it('keeps a caller-given JSON content type (Azure json-patch)', async () => {
    const fake = await serve((_request, response) => sendJson(response, 200, {}));
    await client(fake.url).request({
      method: 'PATCH',
      path: 'wit/workitems/1',
      json: [{ op: 'test', path: '/rev', value: 3 }],
      headers: { 'Content-Type': 'application/json-patch+json' },
    });
    expect(fake.requests[0]?.headers['content-type']).toBe('application/json-patch+json');
    expect(fake.requests[0]?.body).toBe('[{"op":"test","path":"/rev","value":3}]');
  });
});

describe('secrets in transport failures', () => {
  it('network and timeout errors (and their causes) never hold the token', async () => {
    const fake = await serve(async (_request, response) => {
      await delay(300);
      sendJson(response, 200, {});
    });
    const timeout = await failure(
      client(fake.url, { retry: false, timeoutMs: 50 }).request({ method: 'GET', path: 'x' }),
    );
    const url = fake.url;
    await fake.close();
    server = null;
    const refused = await failure(client(url, { retry: false }).request({ method: 'GET', path: 'x' }));
    for (const error of [timeout, refused]) {
      expect(ConnectorRequestError.isInstance(error)).toBe(true);
      expect(inspect(error, { depth: 8 })).not.toContain(TOKEN);
    }
  });
});
