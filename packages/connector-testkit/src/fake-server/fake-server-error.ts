import { SpecKittyTrackerError } from '@spec-kitty/core';

/** A fake server was misused (not started), or it saw requests the real API would reject. */
export class FakeServerError extends SpecKittyTrackerError {
  static override readonly errorName: string = 'FakeServerError';
}
