import { afterEach } from 'vitest';

/** A started fake: every fake in this package (`FakeServer` subclasses, `GitHubFake`) fits. */
export interface TrackedFake {
  close(): Promise<void>;
  /** Throws listing the spec violations the fake recorded (and clears them). */
  assertNoViolations(): void;
}

/**
 * Closes every fake and then throws the first violation report, so one fake's violations do not
 * leave the others running.
 */
export async function closeCheckingViolations(fakes: readonly TrackedFake[]): Promise<void> {
  const reports: unknown[] = [];
  for (const fake of fakes) {
    try {
      fake.assertNoViolations();
    } catch (report) {
      reports.push(report);
    }
    await fake.close();
  }
  if (reports.length > 0) throw reports[0];
}

/**
 * Test scaffolding for the fakes: returns `track`, which a test (or `beforeEach`) wraps around a
 * started fake. After each test every tracked fake is closed, and the test fails when a fake saw a
 * request or response the real API would reject. A test that provokes violations on purpose
 * asserts them and then empties `violations`.
 *
 * ```ts
 * const track = useFakes();
 * it('…', async () => {
 *   const fake = await track(new GitLabFake().start());
 * });
 * ```
 */
export function useFakes(): <F extends TrackedFake>(started: F | Promise<F>) => Promise<F> {
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
