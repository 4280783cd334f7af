import { afterEach, describe, expect, it } from 'vitest';
import { FakeServer } from '../server/fake-server';
import { parseFault } from './sandbox-args';
import { installRateFaults, pickFault, seededRandom } from './sandbox-faults';

describe('seededRandom and pickFault', () => {
  it('replays the same draws for the same seed, and other draws for another', () => {
    const draws = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    expect(draws(7)).toEqual(draws(7));
    expect(draws(7)).not.toEqual(draws(8));
    expect(draws(7).every((draw) => draw >= 0 && draw < 1)).toBe(true);
  });

  it('hits each fault at its own rate, one fault at most per request', () => {
    const faults = [parseFault('500:0.1'), parseFault('429:0.05')];
    const random = seededRandom(42);
    const counts = new Map<string, number>();
    const total = 20_000;
    for (let index = 0; index < total; index += 1) {
      const label = pickFault(faults, random())?.label ?? 'none';
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    // Binomial standard deviations are ~0.2 % and ~0.15 % here; allow about 5 of them.
    expect((counts.get('500:0.1') ?? 0) / total).toBeCloseTo(0.1, 1);
    expect(Math.abs((counts.get('500:0.1') ?? 0) / total - 0.1)).toBeLessThan(0.01);
    expect(Math.abs((counts.get('429:0.05') ?? 0) / total - 0.05)).toBeLessThan(0.008);
    expect(Math.abs((counts.get('none') ?? 0) / total - 0.85)).toBeLessThan(0.012);
  });
});

describe('installRateFaults', () => {
  let server: FakeServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('answers the injected status on about its share of requests, and counts them', async () => {
    server = await new FakeServer({
      name: 'demo',
      routes: [{ method: 'GET', pattern: '/ping', handler: () => ({ status: 200, body: { ok: true } }) }],
    }).start();
    const counters = installRateFaults(server, [parseFault('503:0.25')], 0, seededRandom(3));
    const statuses: number[] = [];
    for (let index = 0; index < 400; index += 1) statuses.push((await fetch(`${server.url}/ping`)).status);
    const faulted = statuses.filter((status) => status === 503).length;
    expect(statuses.filter((status) => status !== 503 && status !== 200)).toEqual([]);
    expect(counters.injected.get('503:0.25')).toBe(faulted);
    // Mean 100, standard deviation ~8.7.
    expect(faulted).toBeGreaterThan(65);
    expect(faulted).toBeLessThan(135);
  });

  it('delays the requests it does not fault', async () => {
    server = await new FakeServer({
      name: 'demo',
      routes: [{ method: 'GET', pattern: '/ping', handler: () => ({ status: 200 }) }],
    }).start();
    installRateFaults(server, [], 120, seededRandom(1));
    const started = performance.now();
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
    // A lower bound only: the latency fault waits at least this long.
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });
});
