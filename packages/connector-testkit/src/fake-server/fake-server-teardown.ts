/** A started fake: `FakeServer` and any fake with the same two methods. */
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
