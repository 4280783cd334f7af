import type { IncomingHttpHeaders } from 'node:http';
import { Nango } from '@nangohq/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorRequestError, ModelValidationError } from '../errors/errors';
import { createHttpClient } from '../http/http-client';
import {
  type CapturedRequest,
  type LoopbackServer,
  sendJson,
  startLoopback,
} from '../http/testing/loopback-server';
import type { HttpRequestOptions } from '../protocol/http-client';
import {
  createNangoConnectionContext,
  DEFAULT_NANGO_BASE_URL,
  NANGO_MANAGED_TOKEN,
} from './nango-connection-context';
import { createNangoProxyFetch } from './nango-proxy-fetch';

const SECRET = 'sk-nango-test-0123456789';

describe('createNangoConnectionContext', () => {
  it('validates like the original, in field order, with the original messages', () => {
    const valid = { connectionId: 'c', providerConfigKey: 'github', nangoSecretKey: SECRET };
    expect(() => createNangoConnectionContext({ ...valid, connectionId: '  ' })).toThrow(
      new ModelValidationError('connection_id must be non-empty'),
    );
    expect(() => createNangoConnectionContext({ ...valid, connectionId: '', providerConfigKey: '' })).toThrow(
      'connection_id must be non-empty',
    );
    expect(() => createNangoConnectionContext({ ...valid, providerConfigKey: '\t' })).toThrow(
      'provider_config_key must be non-empty',
    );
    expect(() => createNangoConnectionContext({ ...valid, nangoSecretKey: '' })).toThrow(
      'nango_secret_key must be non-empty',
    );
    expect(() => createNangoConnectionContext({ ...valid, nangoSecretKey: 5 as unknown as string })).toThrow(
      'nango_secret_key must be non-empty',
    );
  });

  it('defaults the base URL, strips a trailing slash, is frozen and hides the secret from logs', () => {
    const context = createNangoConnectionContext({
      connectionId: 'c',
      providerConfigKey: 'p',
      nangoSecretKey: SECRET,
    });
    expect(context.nangoBaseUrl).toBe(DEFAULT_NANGO_BASE_URL);
    expect(context.nangoSecretKey).toBe(SECRET);
    expect(JSON.stringify(context)).not.toContain(SECRET);
    expect(Object.isFrozen(context)).toBe(true);
    const selfHosted = createNangoConnectionContext({
      connectionId: 'c',
      providerConfigKey: 'p',
      nangoSecretKey: SECRET,
      nangoBaseUrl: 'https://nango.example.com/',
    });
    expect(selfHosted.nangoBaseUrl).toBe('https://nango.example.com');
  });

  it('exposes the original sentinel', () => {
    expect(NANGO_MANAGED_TOKEN).toBe('nango-managed');
  });
});

/** The headers that carry meaning to Nango; transport headers (user-agent, accept-encoding …) differ by client library. */
function nangoRelevant(headers: IncomingHttpHeaders): Record<string, string> {
  const keep = new Set([
    'authorization',
    'connection-id',
    'provider-config-key',
    'base-url-override',
    'nango-activity-log-id',
    'content-type',
    'retries',
    'retry-on',
    'decompress',
  ]);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (keep.has(name) || name.startsWith('nango-proxy-')) out[name] = String(value);
  }
  return out;
}

function wire(request: CapturedRequest | undefined) {
  if (!request) throw new Error('nothing captured');
  return {
    method: request.method,
    url: request.url,
    body: request.body,
    headers: nangoRelevant(request.headers),
  };
}

describe('createNangoProxyFetch wire format = @nangohq/node@0.71.10 proxy()', () => {
  let capture: LoopbackServer;
  beforeAll(async () => {
    capture = await startLoopback((_request, response) => sendJson(response, 200, { ok: true }));
  });
  afterAll(async () => capture.close());

  const cases: {
    name: string;
    providerConfigKey: string;
    baseUrl: string;
    /** What the connector would send through our client. */
    ours: HttpRequestOptions;
    auth: Record<string, string>;
    /** The same call written against the SDK. */
    sdk: Parameters<Nango['proxy']>[0] extends infer C
      ? Omit<C & object, 'connectionId' | 'providerConfigKey'>
      : never;
  }[] = [
    {
      name: 'GitHub GET with query and vendor headers',
      providerConfigKey: 'github',
      baseUrl: 'https://api.github.com',
      auth: { Authorization: `Bearer ${NANGO_MANAGED_TOKEN}` },
      ours: {
        method: 'GET',
        path: '/repos/o/r/issues',
        query: { state: 'open', labels: 'a b,c', per_page: 100 },
        headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
      },
      sdk: {
        method: 'GET',
        endpoint: '/repos/o/r/issues',
        params: { state: 'open', labels: 'a b,c', per_page: '100' },
        headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
      },
    },
    {
      name: 'Linear GraphQL POST (raw-key Authorization removed)',
      providerConfigKey: 'linear',
      baseUrl: 'https://api.linear.app/graphql',
      auth: { Authorization: NANGO_MANAGED_TOKEN },
      ours: {
        method: 'POST',
        path: '',
        json: { query: '{ viewer { id } }', variables: { a: 1 } },
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      },
      sdk: {
        method: 'POST',
        endpoint: '/graphql',
        data: { query: '{ viewer { id } }', variables: { a: 1 } },
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      },
    },
    {
      name: 'Jira PUT under the /ex/jira/<cloudId> base path (Basic auth removed)',
      providerConfigKey: 'jira',
      baseUrl: 'https://api.atlassian.com/ex/jira/cloud-1',
      auth: { Authorization: `Basic ${btoa(`${NANGO_MANAGED_TOKEN}:${NANGO_MANAGED_TOKEN}`)}` },
      ours: {
        method: 'PUT',
        path: 'rest/api/3/issue/PRJ-1',
        json: { fields: { summary: 'New title' } },
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      },
      sdk: {
        method: 'PUT',
        endpoint: '/ex/jira/cloud-1/rest/api/3/issue/PRJ-1',
        data: { fields: { summary: 'New title' } },
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      },
    },
    {
      name: 'GitLab DELETE under /api/v4 (PRIVATE-TOKEN removed)',
      providerConfigKey: 'gitlab',
      baseUrl: 'https://gitlab.com/api/v4',
      auth: { 'PRIVATE-TOKEN': NANGO_MANAGED_TOKEN },
      ours: { method: 'DELETE', path: 'projects/42/issues/7', headers: { Accept: 'application/json' } },
      sdk: {
        method: 'DELETE',
        endpoint: '/api/v4/projects/42/issues/7',
        headers: { Accept: 'application/json' },
      },
    },
    {
      name: 'GitLab PATCH with a path-encoded project id',
      providerConfigKey: 'gitlab',
      baseUrl: 'https://gitlab.com/api/v4',
      auth: { Authorization: `Bearer ${NANGO_MANAGED_TOKEN}` },
      ours: {
        method: 'PATCH',
        path: 'projects/group%2Fproject/issues/7',
        json: { state_event: 'close' },
        headers: { 'Content-Type': 'application/json' },
      },
      sdk: {
        method: 'PATCH',
        endpoint: '/api/v4/projects/group%2Fproject/issues/7',
        data: { state_event: 'close' },
        headers: { 'Content-Type': 'application/json' },
      },
    },
  ];

  it.each(cases)('$name', async ({ providerConfigKey, baseUrl, ours, sdk, auth }) => {
    capture.requests.length = 0;
    const nango = new Nango({ host: capture.url, secretKey: SECRET });
    await nango.proxy({ ...sdk, connectionId: 'conn-1', providerConfigKey } as Parameters<Nango['proxy']>[0]);
    const context = createNangoConnectionContext({
      connectionId: 'conn-1',
      providerConfigKey,
      nangoSecretKey: SECRET,
      nangoBaseUrl: capture.url,
    });
    const http = createHttpClient({
      baseUrl,
      provider: providerConfigKey,
      headers: auth,
      fetch: createNangoProxyFetch(context),
    });
    await http.request(ours);
    const [fromSdk, fromOurs] = capture.requests;
    expect(wire(fromOurs)).toEqual(wire(fromSdk));
    // And the essentials, spelled out so a change in both cannot slip through.
    const ourHeaders = wire(fromOurs).headers;
    expect(ourHeaders.authorization).toBe(`Bearer ${SECRET}`);
    expect(ourHeaders['connection-id']).toBe('conn-1');
    expect(ourHeaders['provider-config-key']).toBe(providerConfigKey);
    expect(fromOurs?.url.startsWith('/proxy/')).toBe(true);
    expect(
      Object.keys(ourHeaders).some(
        (name) => name === 'nango-proxy-authorization' || name === 'nango-proxy-private-token',
      ),
    ).toBe(false);
  });
});

describe('createNangoProxyFetch behaviour', () => {
  it('returns the response unchanged and redacts the secret from client errors', async () => {
    const server = await startLoopback((request, response) =>
      sendJson(
        response,
        401,
        { error: `invalid secret key ${request.headers.authorization}` },
        { 'x-extra': 'kept' },
      ),
    );
    try {
      const context = createNangoConnectionContext({
        connectionId: 'conn-1',
        providerConfigKey: 'github',
        nangoSecretKey: SECRET,
        nangoBaseUrl: server.url,
      });
      const proxyFetch = createNangoProxyFetch(context);
      const raw = await proxyFetch('https://api.github.com/user');
      expect(raw.status).toBe(401);
      expect(raw.headers.get('x-extra')).toBe('kept');
      const http = createHttpClient({
        baseUrl: 'https://api.github.com',
        provider: 'github',
        fetch: proxyFetch,
        retry: false,
      });
      const error = await http.request({ method: 'GET', path: 'user' }).catch((caught: unknown) => caught);
      expect(ConnectorRequestError.isInstance(error)).toBe(true);
      expect((error as ConnectorRequestError).failureClass).toBe('authentication');
      expect((error as Error).message).not.toContain(SECRET);
      expect((error as Error).message).toContain('https://api.github.com/user');
    } finally {
      await server.close();
    }
  });

  it('can ask Nango for retries, decompression and a base URL override', async () => {
    const server = await startLoopback((_request, response) => sendJson(response, 200, {}));
    try {
      const context = createNangoConnectionContext({
        connectionId: 'c',
        providerConfigKey: 'gitlab',
        nangoSecretKey: SECRET,
        nangoBaseUrl: server.url,
      });
      const proxyFetch = createNangoProxyFetch(context, {
        retries: 3,
        retryOn: [429, 503],
        decompress: true,
        baseUrlOverride: 'https://gitlab.example.com',
      });
      await proxyFetch('https://gitlab.com/api/v4/projects?search=x');
      const headers = server.requests[0]?.headers ?? {};
      expect(server.requests[0]?.url).toBe('/proxy/api/v4/projects?search=x');
      expect(headers.retries).toBe('3');
      expect(headers['retry-on']).toBe('429,503');
      expect(headers.decompress).toBe('true');
      expect(headers['base-url-override']).toBe('https://gitlab.example.com');
    } finally {
      await server.close();
    }
  });
});
