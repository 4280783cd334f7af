import { afterEach } from 'vitest';
import { closeCheckingViolations, type TrackedFake } from './fake-server/fake-server-teardown';

/**
 * Vitest teardown for fakes: returns `track`, which a test (or `beforeEach`) wraps around a
 * started fake. After each test every tracked fake is closed, and the test fails when a fake saw a
 * request the real API would reject. A test that provokes violations on purpose asserts them and
 * then empties `violations`.
 *
 * ```ts
 * const track = useFakeServers();
 * it('…', async () => {
 *   const fake = await track(startFakeServer({ name: 'acme', routes }));
 * });
 * ```
 */
export function useFakeServers(): <F extends TrackedFake>(started: F | Promise<F>) => Promise<F> {
  const running: TrackedFake[] = [];
  afterEach(async () => {
    await closeCheckingViolations(running.splice(0));
  });
  return async (started) => {
    const fake = await started;
    running.push(fake);
    return fake;
  };
}
