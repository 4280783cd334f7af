import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, userAgentHeader } from './http-client';
import { type LoopbackServer, sendJson, startLoopback } from './testing/loopback-server';

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  delete (globalThis as { document?: unknown }).document;
});

async function agentsSent(options: { userAgent?: string; headers?: Record<string, string> }) {
  server = await startLoopback((_request, response) => sendJson(response, 200, { ok: true }));
  const http = createHttpClient({ baseUrl: server.url, provider: 'github', retry: false, ...options });
  await http.request({ method: 'GET', path: '/a' });
  await http.request({ method: 'POST', path: '/b', json: { x: 1 } });
  return server.requests.map((request) => request.headers['user-agent']);
}

describe('User-Agent', () => {
  it('sends spec-kitty-tracker/<package>@<version> on every request', async () => {
    expect(await agentsSent({ userAgent: '@spec-kitty/connector-github@1.2.3' })).toEqual([
      'spec-kitty-tracker/@spec-kitty/connector-github@1.2.3',
      'spec-kitty-tracker/@spec-kitty/connector-github@1.2.3',
    ]);
    expect(userAgentHeader('p@1')).toBe('spec-kitty-tracker/p@1');
  });

  it('leaves an explicit User-Agent header alone', async () => {
    expect(await agentsSent({ userAgent: 'p@1', headers: { 'User-Agent': 'host-app/2' } })).toEqual([
      'host-app/2',
      'host-app/2',
    ]);
  });

  it('is not set in a browser, whose fetch owns the header', async () => {
    (globalThis as { document?: unknown }).document = {};
    const sent = await agentsSent({ userAgent: 'p@1' });
    expect(sent.some((agent) => agent?.startsWith('spec-kitty-tracker/'))).toBe(false);
  });
});
