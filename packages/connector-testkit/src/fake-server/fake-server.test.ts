import { afterEach, describe, expect, it } from 'vitest';
import { FakeServer, startFakeServer, withFakeServer } from './fake-server';
import { FakeServerError } from './fake-server-error';

let server: FakeServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function makeServer(): FakeServer {
  let counter = 0;
  return new FakeServer({
    name: 'demo',
    routes: [
      {
        method: 'GET',
        pattern: '/items/:id',
        name: 'get-item',
        handler: (request) => ({ status: 200, body: { id: request.params.id } }),
      },
      {
        method: 'POST',
        pattern: '/items',
        name: 'create-item',
        handler: () => ({ status: 201, body: { id: ++counter } }),
      },
    ],
    validateRequest: (request) =>
      request.method === 'POST' && typeof request.body !== 'object' ? ['body must be JSON'] : [],
    rejectStatus: 422,
  });
}

describe('FakeServer', () => {
  it('routes with params and counts calls per endpoint', async () => {
    server = await makeServer().start();
    const response = await fetch(`${server.url}/items/a%2Fb`);
    expect(await response.json()).toEqual({ id: 'a/b' });
    await fetch(`${server.url}/items/2`);
    expect(server.callCount('get-item')).toBe(2);
    expect(server.callsByEndpoint()).toEqual({ 'get-item': 2 });
  });

  it('rejects and records requests that fail validation', async () => {
    server = await makeServer().start();
    const response = await fetch(`${server.url}/items`, { method: 'POST', body: 'not json' });
    expect(response.status).toBe(422);
    expect(() => server?.assertNoViolations()).toThrow(/body must be JSON/);
  });

  it('injects status faults a limited number of times', async () => {
    server = await makeServer().start();
    server.injectFault({
      endpoint: 'get-item',
      fault: { kind: 'status', status: 429, headers: { 'retry-after': '3' } },
    });
    const first = await fetch(`${server.url}/items/1`);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect((await fetch(`${server.url}/items/1`)).status).toBe(200);
  });

  it('applies a write and then drops the connection for crash-after-write', async () => {
    server = await makeServer().start();
    server.injectFault({ endpoint: 'create-item', fault: { kind: 'crash-after-write' } });
    await expect(fetch(`${server.url}/items`, { method: 'POST', body: '{}' })).rejects.toThrow();
    const next = await fetch(`${server.url}/items`, { method: 'POST', body: '{}' });
    expect(await next.json()).toEqual({ id: 2 });
  });

  it('delays answers with a latency fault, then answers normally', async () => {
    server = await makeServer().start();
    server.injectFault({ endpoint: 'get-item', fault: { kind: 'latency', ms: 1500 } });
    const started = performance.now();
    const slow = await fetch(`${server.url}/items/1`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1450);
    expect(await slow.json()).toEqual({ id: '1' });
    const next = performance.now();
    await fetch(`${server.url}/items/2`);
    // Wide margin: the fault is used up, so this answer is far quicker even on a loaded machine.
    expect(performance.now() - next).toBeLessThan(1000);
  });

  it('sends Retry-After for a status fault with retryAfter, for the next N matching calls only', async () => {
    server = await makeServer().start();
    server.injectFault({
      endpoint: 'get-item',
      times: 2,
      fault: { kind: 'status', status: 503, retryAfter: 7 },
    });
    const statuses = [];
    for (let call = 0; call < 3; call++) {
      const response = await fetch(`${server.url}/items/${call}`);
      statuses.push([response.status, response.headers.get('retry-after')]);
    }
    expect(statuses).toEqual([
      [503, '7'],
      [503, '7'],
      [200, null],
    ]);
    // The other route was never affected.
    expect((await fetch(`${server.url}/items`, { method: 'POST', body: '{}' })).status).toBe(201);
  });

  it('applies a fault without an endpoint to any route, and a match predicate narrows it', async () => {
    server = await makeServer().start();
    server.injectFault({
      match: (request) => request.method === 'POST',
      fault: { kind: 'status', status: 500 },
    });
    expect((await fetch(`${server.url}/items/1`)).status).toBe(200);
    expect((await fetch(`${server.url}/items`, { method: 'POST', body: '{}' })).status).toBe(500);
    server.injectFault({ times: Number.POSITIVE_INFINITY, fault: { kind: 'status', status: 502 } });
    server.clearFaults();
    expect((await fetch(`${server.url}/items/1`)).status).toBe(200);
    expect(server.calls.map((call) => call.status)).toEqual([200, 500, 200]);
  });

  it('names itself when used before start()', () => {
    const unstarted = makeServer();
    expect(() => unstarted.url).toThrow(FakeServerError);
    expect(() => unstarted.url).toThrow(/demo fake is not started; call start\(\) first/);
  });

  it('startFakeServer starts it; withFakeServer closes it even when the body throws', async () => {
    const started = await startFakeServer({ name: 'quick', routes: [] });
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await started.close();
    let url = '';
    await expect(
      withFakeServer(makeServer(), async (fake) => {
        url = fake.url;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(fetch(`${url}/items/1`)).rejects.toThrow();
  });

  it('records unknown endpoints as violations', async () => {
    server = await makeServer().start();
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect(server.violations).toHaveLength(1);
  });

  it('times out and resets connections on demand', async () => {
    server = await makeServer().start();
    server.injectFault({ endpoint: 'get-item', fault: { kind: 'reset' } });
    await expect(fetch(`${server.url}/items/1`)).rejects.toThrow();
    server.injectFault({ endpoint: 'get-item', fault: { kind: 'timeout' } });
    await expect(fetch(`${server.url}/items/1`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
  });
});
