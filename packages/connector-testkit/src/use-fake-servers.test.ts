import { describe, expect, it } from 'vitest';
import { FakeServer } from './fake-server/fake-server';
import { closeCheckingViolations } from './fake-server/fake-server-teardown';
import { useFakeServers } from './use-fake-servers';

function echoFake(): FakeServer {
  return new FakeServer({
    name: 'echo',
    routes: [{ method: 'GET', pattern: '/ok', handler: () => ({ status: 200, body: { ok: true } }) }],
  });
}

describe('closeCheckingViolations', () => {
  it('closes every fake, then fails naming the violation one of them saw', async () => {
    const clean = await echoFake().start();
    const dirty = await echoFake().start();
    await fetch(`${dirty.url}/missing`);
    await expect(closeCheckingViolations([dirty, clean])).rejects.toThrow(
      /echo fake saw spec violations:\n {2}- GET \/missing: no such endpoint/,
    );
    await expect(fetch(`${clean.url}/ok`)).rejects.toThrow();
    await expect(fetch(`${dirty.url}/ok`)).rejects.toThrow();
  });

  it('passes when no fake saw a violation', async () => {
    const fake = await echoFake().start();
    expect((await fetch(`${fake.url}/ok`)).status).toBe(200);
    await expect(closeCheckingViolations([fake])).resolves.toBeUndefined();
  });
});

describe('useFakeServers', () => {
  const track = useFakeServers();
  let first: FakeServer | undefined;

  it('hands back the started fake', async () => {
    first = await track(echoFake().start());
    expect((await fetch(`${first.url}/ok`)).status).toBe(200);
  });

  it('has closed the previous test’s fake', async () => {
    expect(first).toBeDefined();
    await expect(fetch(`${first?.url}/ok`)).rejects.toThrow();
  });
});
