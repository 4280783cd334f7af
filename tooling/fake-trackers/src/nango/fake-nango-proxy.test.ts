import { Nango } from '@nangohq/node';
import { createNangoConnectionContext, createNangoProxyFetch } from '@spec-kitty/core';
import { createHttpClient, graphqlRequest } from '@spec-kitty/core/http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeServer } from '../server/fake-server';
import { FakeNangoProxy } from './fake-nango-proxy';

const SECRET = 'nango-secret-for-tests';
const VENDOR_TOKEN = 'gho_real_vendor_token';
const ISSUES = Array.from({ length: 5 }, (_, index) => ({ number: index + 1, title: `Issue ${index + 1}` }));

let upstream: FakeServer;
let linear: FakeServer;
let nango: FakeNangoProxy;

beforeEach(async () => {
  upstream = await new FakeServer({
    name: 'github',
    routes: [
      {
        method: 'GET',
        pattern: '/repos/:owner/:repo/issues',
        handler: (request) => {
          if (request.headers.authorization !== `Bearer ${VENDOR_TOKEN}`)
            return { status: 401, body: { message: 'Bad credentials' } };
          const page = Number(request.query.get('page') ?? '1');
          const perPage = Number(request.query.get('per_page') ?? '30');
          const items = ISSUES.slice((page - 1) * perPage, page * perPage);
          const last = Math.ceil(ISSUES.length / perPage);
          return {
            status: 200,
            headers: {
              'x-ratelimit-remaining': '4999',
              ...(page < last
                ? { link: `<https://api.github.com/repos/o/r/issues?page=${page + 1}>; rel="next"` }
                : {}),
            },
            body: items,
          };
        },
      },
      {
        method: 'POST',
        pattern: '/repos/:owner/:repo/issues',
        handler: (request) => ({
          status: 201,
          body: { number: 99, title: (request.body as { title: string }).title },
        }),
      },
    ],
  }).start();
  linear = await new FakeServer({
    name: 'linear',
    routes: [
      {
        method: 'POST',
        pattern: '/graphql',
        handler: (request) => {
          const after = (request.body as { variables?: { after?: string | null } }).variables?.after ?? null;
          const start = after === null ? 0 : Number(after);
          const nodes = ISSUES.slice(start, start + 2).map((issue) => ({ id: String(issue.number) }));
          const end = start + nodes.length;
          return {
            status: 200,
            headers: { 'x-ratelimit-requests-remaining': '100' },
            body: {
              data: {
                issues: { nodes, pageInfo: { hasNextPage: end < ISSUES.length, endCursor: String(end) } },
              },
            },
          };
        },
      },
    ],
  }).start();
  nango = await new FakeNangoProxy({
    secretKey: SECRET,
    connections: [
      {
        connectionId: 'conn-1',
        providerConfigKey: 'github',
        credentials: { Authorization: `Bearer ${VENDOR_TOKEN}` },
      },
      { connectionId: 'conn-1', providerConfigKey: 'linear', credentials: { Authorization: 'lin_api_real' } },
    ],
    upstreams: { github: upstream.url, linear: linear.url },
  }).start();
});

afterEach(async () => {
  await nango.close();
  await upstream.close();
  await linear.close();
  upstream.assertNoViolations();
  linear.assertNoViolations();
});

function sdk() {
  return new Nango({ host: nango.url, secretKey: SECRET });
}

describe('fake Nango proxy: what it accepts and forwards', () => {
  it('accepts the @nangohq/node SDK request, strips /proxy and the Nango-Proxy- prefix, injects credentials', async () => {
    const response = await sdk().proxy({
      method: 'GET',
      endpoint: '/repos/o/r/issues',
      params: { per_page: '2', page: '1' },
      connectionId: 'conn-1',
      providerConfigKey: 'github',
      headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
    });
    expect(response.status).toBe(200);
    expect(response.data).toEqual(ISSUES.slice(0, 2));
    const [forwarded] = nango.forwarded;
    expect(forwarded?.url).toBe(`${upstream.url}/repos/o/r/issues?per_page=2&page=1`);
    expect(forwarded?.headers).toMatchObject({
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      authorization: `Bearer ${VENDOR_TOKEN}`,
    });
    expect(Object.keys(forwarded?.headers ?? {}).some((name) => name.startsWith('nango-proxy-'))).toBe(false);
    expect(forwarded?.headers['connection-id']).toBeUndefined();
  });

  it('forwards bodies with their content type', async () => {
    const response = await sdk().proxy({
      method: 'POST',
      endpoint: '/repos/o/r/issues',
      data: { title: 'Created' },
      connectionId: 'conn-1',
      providerConfigKey: 'github',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.data).toEqual({ number: 99, title: 'Created' });
    expect(nango.forwarded[0]?.headers['content-type']).toBe('application/json');
  });

  it.each([
    [{}, 401, 'missing_auth_header'],
    [{ authorization: 'Token x' }, 401, 'malformed_auth_header'],
    [{ authorization: 'Bearer wrong' }, 401, 'unknown_account'],
    [{ authorization: `Bearer ${SECRET}`, 'provider-config-key': 'github' }, 400, 'missing_connection_id'],
    [{ authorization: `Bearer ${SECRET}`, 'connection-id': 'conn-1' }, 400, 'missing_provider_config_key'],
    [
      { authorization: `Bearer ${SECRET}`, 'connection-id': 'conn-1', 'provider-config-key': 'jira' },
      404,
      'unknown_provider_config',
    ],
    [
      { authorization: `Bearer ${SECRET}`, 'connection-id': 'other', 'provider-config-key': 'github' },
      404,
      'unknown_connection',
    ],
  ])('rejects %j with %i %s, without calling upstream', async (headers, status, code) => {
    const response = await fetch(`${nango.url}/proxy/repos/o/r/issues`, { headers });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(nango.rejections).toEqual([{ status, code }]);
    expect(upstream.callCount()).toBe(0);
  });

  it('older-Nango mode strips vendor headers from 2xx but keeps them on errors', async () => {
    nango.stripSuccessResponseHeaders = true;
    const ok = await fetch(`${nango.url}/proxy/repos/o/r/issues?per_page=2`, {
      headers: {
        authorization: `Bearer ${SECRET}`,
        'connection-id': 'conn-1',
        'provider-config-key': 'github',
      },
    });
    expect(ok.headers.get('link')).toBeNull();
    expect(ok.headers.get('x-ratelimit-remaining')).toBeNull();
    expect(ok.headers.get('content-type')).toContain('application/json');
    upstream.injectFault({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '7' } } });
    const limited = await fetch(`${nango.url}/proxy/repos/o/r/issues`, {
      headers: {
        authorization: `Bearer ${SECRET}`,
        'connection-id': 'conn-1',
        'provider-config-key': 'github',
      },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    nango.stripSuccessResponseHeaders = false;
    const current = await fetch(`${nango.url}/proxy/repos/o/r/issues?per_page=2`, {
      headers: {
        authorization: `Bearer ${SECRET}`,
        'connection-id': 'conn-1',
        'provider-config-key': 'github',
      },
    });
    expect(current.headers.get('link')).toContain('rel="next"');
  });

  it('implements the Retries header (and so shows why a POST must not use it)', async () => {
    upstream.injectFault({
      endpoint: 'POST /repos/:owner/:repo/issues',
      fault: { kind: 'status', status: 503 },
    });
    const response = await sdk().proxy({
      method: 'POST',
      endpoint: '/repos/o/r/issues',
      data: { title: 'Twice?' },
      connectionId: 'conn-1',
      providerConfigKey: 'github',
      retries: 2,
    });
    expect(response.status).toBe(201);
    expect(nango.forwarded.map((request) => request.status)).toEqual([503, 201]);
  });
});

describe('core HTTP client over the fake Nango proxy, with vendor response headers stripped', () => {
  function client(provider: 'github' | 'linear', baseUrl: string, sleeps: number[] = []) {
    const context = createNangoConnectionContext({
      connectionId: 'conn-1',
      providerConfigKey: provider,
      nangoSecretKey: SECRET,
      nangoBaseUrl: nango.url,
    });
    return createHttpClient({
      baseUrl,
      provider,
      headers: { Authorization: 'Bearer nango-managed' },
      fetch: createNangoProxyFetch(context),
      retry: { sleep: async (ms) => void sleeps.push(ms) },
    });
  }

  it('page-number pagination stops on a short page without the Link header', async () => {
    nango.stripSuccessResponseHeaders = true;
    const http = client('github', 'https://api.github.com');
    const titles: string[] = [];
    for (let page = 1; ; page += 1) {
      const response = await http.request<{ title: string }[]>({
        method: 'GET',
        path: 'repos/o/r/issues',
        query: { per_page: 2, page },
      });
      expect(response.headers.get('link')).toBeNull();
      titles.push(...response.data.map((issue) => issue.title));
      if (response.data.length < 2) break;
    }
    expect(titles).toEqual(ISSUES.map((issue) => issue.title));
    expect(upstream.callCount('GET /repos/:owner/:repo/issues')).toBe(3);
  });

  it('GraphQL body cursors page through Linear without any response header', async () => {
    nango.stripSuccessResponseHeaders = true;
    const http = client('linear', 'https://api.linear.app/graphql');
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const data: {
        issues: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      } = await graphqlRequest(http, {
        query: 'query Issues($after: String) { issues(first: 2, after: $after) { nodes { id } } }',
        variables: { after },
      });
      ids.push(...data.issues.nodes.map((node) => node.id));
      if (!data.issues.pageInfo.hasNextPage) break;
      after = data.issues.pageInfo.endCursor;
    }
    expect(ids).toEqual(['1', '2', '3', '4', '5']);
    expect(linear.callCount()).toBe(3);
  });

  it('backoff still honours Retry-After, which Nango forwards on error responses', async () => {
    nango.stripSuccessResponseHeaders = true;
    upstream.injectFault({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '2' } } });
    const sleeps: number[] = [];
    const http = client('github', 'https://api.github.com', sleeps);
    const response = await http.request<unknown[]>({
      method: 'GET',
      path: 'repos/o/r/issues',
      query: { per_page: 100 },
    });
    expect(response.data).toHaveLength(5);
    expect(sleeps).toEqual([2000]);
  });

  it('a wrong secret surfaces as an authentication ConnectorRequestError without the secret', async () => {
    const context = createNangoConnectionContext({
      connectionId: 'conn-1',
      providerConfigKey: 'github',
      nangoSecretKey: 'not-the-secret-123',
      nangoBaseUrl: nango.url,
    });
    const http = createHttpClient({
      baseUrl: 'https://api.github.com',
      provider: 'github',
      fetch: createNangoProxyFetch(context),
    });
    const error = (await http
      .request({ method: 'GET', path: 'repos/o/r/issues' })
      .catch((caught: unknown) => caught)) as {
      failureClass: string;
      message: string;
    };
    expect(error.failureClass).toBe('authentication');
    expect(error.message).toContain('unknown_account');
    expect(error.message).not.toContain('not-the-secret-123');
  });
});
